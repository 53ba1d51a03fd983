"""Overview charts built from ``market.yaml``: each takes the document and a language."""
from __future__ import annotations

import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, PALETTE
from easymall.i18n import t
from easymall.models.common import Lang, text_in
from easymall.models.market import Fact, MarketDocument

_STATUS_MARK = {"sourced": "", "unverified": " *", "conflicting": " †"}


def _label(f: Fact, lang: Lang) -> str:
    return text_in(f.label, lang) + _STATUS_MARK[f.status]


def to_bn(f: Fact) -> float:
    """A money figure in CNY bn (tn × 1,000)."""
    assert f.value is not None
    return f.value * 1000 if f.unit == "CNY tn" else f.value


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(title=title, yaxis_title=y_title, showlegend=False, height=360,
                      margin=dict(l=56, r=24, t=64, b=72), bargap=0.35)
    return fig


def _footnote(fig: go.Figure, lang: Lang) -> go.Figure:
    fig.add_annotation(text=t("overview.chart_footnote", lang), xref="paper", yref="paper", x=0, y=-0.22,
                       showarrow=False, font=dict(size=11, color=GREYS[2]), xanchor="left")
    return fig


def double11_vs_walmart(doc: MarketDocument, lang: Lang) -> go.Figure:
    """One day of Double 11 against a whole year of Walmart China, CNY bn."""
    d11, wm = doc.fact("double11_2016"), doc.fact("walmart_cn_sales_2016")
    fig = go.Figure(go.Bar(
        x=[_label(wm, lang), _label(d11, lang)], y=[to_bn(wm), to_bn(d11)],
        marker_color=[GREYS[2], BRAND], text=[f"¥{to_bn(wm):,.1f}", f"¥{to_bn(d11):,.1f}"],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: ¥%{y:,.1f} bn<extra></extra>"))
    ratio = to_bn(d11) / to_bn(wm)
    fig.add_annotation(x=1, y=to_bn(d11), yshift=36, showarrow=False,
                       text=t("overview.ratio", lang, ratio=f"{ratio:.0%}"), font=dict(color=BRAND))
    return _footnote(_layout(fig, t("overview.chart_double11", lang), t("overview.cny_bn", lang)), lang)


def online_retail(doc: MarketDocument, lang: Lang) -> go.Figure:
    """China online retail as stated (with the 2019 forecast) beside the sourced figure, CNY tn."""
    stated = doc.series("cn_online")
    fig = go.Figure()
    fig.add_bar(
        x=[str(f.year) + (t("overview.forecast_suffix", lang) if f.forecast else "") for f in stated],
        y=[to_bn(f) / 1000 for f in stated], name=t("overview.as_stated", lang),
        marker=dict(color=[GREYS[3] if f.forecast else BRAND for f in stated],
                    pattern_shape=["/" if f.forecast else "" for f in stated]),
        text=[f"¥{to_bn(f) / 1000:.1f}{_STATUS_MARK[f.status]}" for f in stated], textposition="outside",
        cliponaxis=False)
    alts = [f for f in stated if f.alternative is not None and f.alternative.value is not None]
    if alts:
        fig.add_scatter(
            x=[str(f.year) for f in alts], y=[f.alternative.value for f in alts], mode="markers+text",
            marker=dict(symbol="diamond", size=14, color=PALETTE[1]), name=t("overview.sourced_figure", lang),
            text=[f"¥{f.alternative.value:.2f}" for f in alts], textposition="middle right")
    _layout(fig, t("overview.chart_online", lang), t("overview.cny_tn", lang))
    fig.update_layout(showlegend=True)
    return _footnote(fig, lang)


def deposit_pressure(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Internet money-market funds against the deposit outflow the study cites, CNY bn."""
    facts = doc.series("deposit_pressure")
    fig = go.Figure(go.Bar(
        x=[_label(f, lang) for f in facts], y=[to_bn(f) for f in facts],
        marker_color=[PALETTE[1] if f.id.startswith("yuebao") else BRAND for f in facts],
        text=[f"¥{to_bn(f):,.0f}" for f in facts], textposition="outside", cliponaxis=False))
    for i, f in enumerate(facts):
        if f.alternative is not None and f.alternative.value is not None:
            fig.add_scatter(x=[_label(f, lang)], y=[f.alternative.value], mode="markers+text",
                            marker=dict(symbol="diamond", size=14, color=PALETTE[1]),
                            text=[t("overview.sourced_value", lang, value=f"¥{f.alternative.value:,.1f}")],
                            textposition="middle right", showlegend=False, name=str(i))
    return _footnote(_layout(fig, t("overview.chart_deposits", lang), t("overview.cny_bn", lang)), lang)


def easymall_gmv(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Easy Mall's GMV by year, CNY bn."""
    facts = doc.series("easymall_gmv")
    fig = go.Figure(go.Scatter(
        x=[f.year for f in facts], y=[to_bn(f) for f in facts], mode="lines+markers+text",
        line=dict(color=BRAND, width=3), marker=dict(size=9),
        text=[f"¥{to_bn(f):,.0f}" for f in facts], textposition="top center", cliponaxis=False))
    fig.update_xaxes(dtick=1)
    return _layout(fig, t("overview.chart_gmv", lang), t("overview.cny_bn", lang))

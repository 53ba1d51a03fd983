"""Overview charts built from ``market.yaml``: each takes the document and a language."""
from __future__ import annotations

import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, PALETTE, fitted_title, title_space
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal, text_in
from easymall.models.market import Fact, MarketDocument

_STATUS_MARK = {"sourced": "", "unverified": " *", "conflicting": " †"}


def _label(f: Fact, lang: Lang) -> str:
    return html_literal(text_in(f.label, lang)) + _STATUS_MARK[f.status]


def to_bn(f: Fact) -> float:
    """A money figure in CNY bn (tn × 1,000)."""
    assert f.value is not None
    return _bn(f.value, f.unit)


def _bn(value: float, unit: str | None) -> float:
    return value * 1000 if unit == "CNY tn" else value


def _wrap(text: str, width: int) -> str:
    """Break a long axis label into lines of about ``width`` characters (``<br>``), each line literal."""
    if " " not in text:  # Chinese: break anywhere
        return "<br>".join(html_literal(text[i:i + width]) for i in range(0, len(text), width))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(html_literal(x) for x in [*lines, line])


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    title = fitted_title(title)
    fig.update_layout(title=title, yaxis_title=y_title, showlegend=False, height=360 + title_space(title),
                      margin=dict(l=56, r=24, t=64 + title_space(title), b=72), bargap=0.35)
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


def _stated_vs_sourced(facts: list[Fact], lang: Lang, scale: float, categories: list[str]) -> go.Figure:
    """Grouped bars: each figure as stated (hatched when a forecast) beside its sourced alternative."""
    fig = go.Figure()
    fig.add_bar(
        x=categories, y=[to_bn(f) / scale for f in facts], name=t("overview.as_stated", lang),
        marker=dict(color=[GREYS[3] if f.forecast else BRAND for f in facts],
                    pattern_shape=["/" if f.forecast else "" for f in facts]),
        text=[f"¥{to_bn(f) / scale:,.{1 if scale > 1 else 0}f}{_STATUS_MARK[f.status]}" for f in facts],
        textposition="outside", cliponaxis=False)
    alt = [_bn(f.alternative.value, f.alternative.unit or f.unit) / scale
           if f.alternative is not None and f.alternative.value is not None else None for f in facts]
    fig.add_bar(
        x=categories, y=alt, name=t("overview.sourced_figure", lang), marker_color=PALETTE[1],
        text=[None if v is None else f"¥{v:,.2f}" for v in alt], textposition="outside", cliponaxis=False)
    fig.update_layout(barmode="group", showlegend=True)
    return fig


def online_retail(doc: MarketDocument, lang: Lang) -> go.Figure:
    """China online retail as stated (with the 2019 forecast) beside the sourced figure, CNY tn."""
    facts = doc.series("cn_online")
    cats = [str(f.year) + (t("overview.forecast_suffix", lang) if f.forecast else "") for f in facts]
    fig = _stated_vs_sourced(facts, lang, 1000, cats)
    _layout(fig, t("overview.chart_online", lang), t("overview.cny_tn", lang))
    fig.update_layout(showlegend=True)
    return _footnote(fig, lang)


def deposit_pressure(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Internet money-market funds against the deposit outflow the study cites, CNY bn."""
    facts = doc.series("deposit_pressure")
    fig = _stated_vs_sourced(facts, lang, 1, [_wrap(text_in(f.label, lang), 14 if lang == "zh" else 30)
                                              for f in facts])
    _layout(fig, t("overview.chart_deposits", lang), t("overview.cny_bn", lang))
    fig.update_layout(showlegend=True)
    return _footnote(fig, lang)


def easymall_gmv(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Easy Mall's GMV by year, CNY bn."""
    facts = doc.series("easymall_gmv")
    fig = go.Figure(go.Scatter(
        x=[f.year for f in facts], y=[to_bn(f) for f in facts], mode="lines+markers+text",
        line=dict(color=BRAND, width=3), marker=dict(size=9),
        text=[f"¥{to_bn(f):,.0f}" for f in facts], textposition="top center", cliponaxis=False))
    fig.update_xaxes(dtick=1, range=[facts[0].year - 0.4, facts[-1].year + 0.4])
    return _layout(fig, t("overview.chart_gmv", lang), t("overview.cny_bn", lang))

"""Overview charts built from ``market.yaml``: each takes the document and a language."""
from __future__ import annotations

import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, PALETTE, fitted_title, title_space
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal, text_in
from easymall.core.units import MONEY, format_value, scale
from easymall.models.market import Fact, MarketDocument

_STATUS_MARK = {"sourced": "", "unverified": " *", "conflicting": " †"}


def _label(f: Fact, lang: Lang) -> str:
    return html_literal(text_in(f.label, lang)) + _STATUS_MARK[f.status]


def to_yuan(f: Fact) -> float:
    """A money figure in yuan (``CNY bn`` × 10⁹ ...)."""
    assert f.value is not None
    return _yuan(f.value, f.unit)


def _yuan(value: float, unit: str | None) -> float:
    return value * MONEY[unit or "yuan"]


def _money(values: list[float | None], lang: Lang) -> tuple[list[float | None], list[str | None], str]:
    """Bar heights on the language's money axis, their labels (the one formatter) and the axis title."""
    div, axis = scale("yuan", lang)
    return ([None if v is None else v / div for v in values],
            [None if v is None else format_value(v, "yuan", lang) for v in values], axis)


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
    """The status legend under the x labels, placed in pixels so that it never runs into them however
    short the chart is drawn."""
    lines = 1 + max((str(x).count("<br>") for trace in fig.data for x in (trace.x or ())), default=0)
    fig.add_annotation(text=t("overview.chart_footnote", lang), xref="paper", yref="paper", x=0, y=0,
                       yanchor="top", yshift=-(12 + 18 * lines), showarrow=False, font=dict(size=11, color=GREYS[2]),
                       xanchor="left")
    return fig


def double11_vs_walmart(doc: MarketDocument, lang: Lang) -> go.Figure:
    """One day of Double 11 against a whole year of Walmart China."""
    d11, wm = doc.fact("double11_2016"), doc.fact("walmart_cn_sales_2016")
    y, text, axis = _money([to_yuan(wm), to_yuan(d11)], lang)
    fig = go.Figure(go.Bar(
        x=[_label(wm, lang), _label(d11, lang)], y=y, marker_color=[GREYS[2], BRAND], text=text,
        textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    ratio = to_yuan(d11) / to_yuan(wm)
    fig.add_annotation(x=1, y=y[1], yshift=36, showarrow=False,
                       text=t("overview.ratio", lang, ratio=f"{ratio:.0%}"), font=dict(color=BRAND))
    return _footnote(_layout(fig, t("overview.chart_double11", lang), axis), lang)


def _stated_vs_sourced(facts: list[Fact], lang: Lang, categories: list[str]) -> tuple[go.Figure, str]:
    """Grouped bars: each figure as stated (hatched when a forecast) beside its sourced alternative;
    the figure and its money axis title."""
    fig = go.Figure()
    y, text, axis = _money([to_yuan(f) for f in facts], lang)
    fig.add_bar(
        x=categories, y=y, name=t("overview.as_stated", lang),
        marker=dict(color=[GREYS[3] if f.forecast else BRAND for f in facts],
                    pattern_shape=["/" if f.forecast else "" for f in facts]),
        text=[f"{v}{_STATUS_MARK[f.status]}" for v, f in zip(text, facts, strict=True)],
        textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>")
    alt_y, alt_text, _ = _money([_yuan(f.alternative.value, f.alternative.unit or f.unit)
                                 if f.alternative is not None and f.alternative.value is not None else None
                                 for f in facts], lang)
    fig.add_bar(x=categories, y=alt_y, name=t("overview.sourced_figure", lang), marker_color=PALETTE[1],
                text=alt_text, textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>")
    fig.update_layout(barmode="group", showlegend=True)
    return fig, axis


def online_retail(doc: MarketDocument, lang: Lang) -> go.Figure:
    """China online retail as stated (with the 2019 forecast) beside the sourced figure, CNY tn."""
    facts = doc.series("cn_online")
    cats = [str(f.year) + (t("overview.forecast_suffix", lang) if f.forecast else "") for f in facts]
    fig, axis = _stated_vs_sourced(facts, lang, cats)
    _layout(fig, t("overview.chart_online", lang), axis)
    fig.update_layout(showlegend=True)
    return _footnote(fig, lang)


def deposit_pressure(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Internet money-market funds against the deposit outflow the study cites, CNY bn."""
    facts = doc.series("deposit_pressure")
    fig, axis = _stated_vs_sourced(facts, lang, [_wrap(text_in(f.label, lang), 14 if lang == "zh" else 30)
                                                 for f in facts])
    _layout(fig, t("overview.chart_deposits", lang), axis)
    fig.update_layout(showlegend=True)
    return _footnote(fig, lang)


def easymall_gmv(doc: MarketDocument, lang: Lang) -> go.Figure:
    """Easy Mall's GMV by year."""
    facts = doc.series("easymall_gmv")
    y, text, axis = _money([to_yuan(f) for f in facts], lang)
    fig = go.Figure(go.Scatter(
        x=[f.year for f in facts], y=y, mode="lines+markers+text", line=dict(color=BRAND, width=3),
        marker=dict(size=9), text=text, textposition="top center", cliponaxis=False,
        hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_xaxes(dtick=1, range=[facts[0].year - 0.4, facts[-1].year + 0.4])
    return _layout(fig, t("overview.chart_gmv", lang), axis)

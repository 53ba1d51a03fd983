"""Strategy charts: scenario lines, channels, revenue and costs, tornado, Monte Carlo bands, goal seek.

Pure functions of model results and a language; axes read in the language's one scale for each
kind of figure (en: m, ¥ bn; zh: 万, 亿元) from :func:`easymall.core.units.scale`.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, NEGATIVE, PALETTE, POSITIVE, fitted_title, title_space
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal
from easymall.core.units import scale
from easymall.scenario import model as sc
from easymall.scenario import risk
from easymall.scenario.view import metric_label

HEIGHT = 340


def _fig() -> go.Figure:
    """An empty figure on the app's template (registered pre-merged in ``theme``)."""
    return go.Figure()


def _months(fig: go.Figure, lang: Lang) -> go.Figure:
    """Month axes: ``2017-01`` style ticks in Chinese (Plotly's month names are English)."""
    if lang == "zh":
        fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m")
    return fig


def _layout(fig: go.Figure, title: str, y_title: str, height: int = HEIGHT, legend: bool = True) -> go.Figure:
    title = fitted_title(html_literal(title))
    fig.update_layout(title=title, yaxis_title=html_literal(y_title), height=height + title_space(title), showlegend=legend,
                      margin=dict(l=56, r=24, t=56 + title_space(title), b=84 if legend else 40),
                      hovermode="x unified",
                      legend=dict(orientation="h", yanchor="top", y=-0.14, xanchor="left", x=0))
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def scenario_lines(results: Sequence[sc.Result], names: Sequence[str], kpi: str, lang: Lang,
                   title: str | None = None, dashed_first: bool = False) -> go.Figure:
    """One line per scenario for a monthly KPI; with ``dashed_first`` the first (the baseline) is grey dashes."""
    unit = sc.KPIS[kpi].unit
    div, suffix = scale(unit, lang)
    fig = _fig()
    for i, (r, name) in enumerate(zip(results, [html_literal(n) for n in names], strict=True)):
        base_style = dashed_first and i == 0
        colour = GREYS[2] if base_style else PALETTE[(i - 1 if dashed_first else i) % len(PALETTE)]
        fig.add_scatter(x=r.months, y=r.kpis[kpi] / div, name=name, mode="lines",
                        line=dict(color=colour, width=2 if base_style else 3, dash="dash" if base_style else "solid"),
                        hovertemplate=f"%{{y:,.2f}} {suffix}<extra>{name}</extra>")
    return _months(_layout(fig, title or t("strategy.chart.compare", lang, kpi=t(f"strategy.kpi.{kpi}", lang)), suffix), lang)


def channels(result: sc.Result, lang: Lang) -> go.Figure:
    """New activated users per month, stacked by acquisition channel."""
    div, suffix = scale("users", lang)
    fig = _fig()
    for i, ch in enumerate(("branch", "mobile", "online", "partner")):
        fig.add_scatter(x=result.months, y=result.kpis[f"new_users_{ch}"] / div, name=t(f"strategy.channel.{ch}", lang),
                        mode="lines", stackgroup="one", line=dict(width=0.5, color=PALETTE[i]),
                        hovertemplate=f"%{{y:,.2f}} {suffix}<extra>%{{fullData.name}}</extra>")
    return _months(_layout(fig, t("strategy.chart.channels", lang), suffix), lang)


def revenue_costs(result: sc.Result, lang: Lang) -> go.Figure:
    """Monthly revenue by stream (stacked bars), costs (line) and profit (line)."""
    div, suffix = scale("yuan", lang)
    fig = _fig()
    for i, stream in enumerate(("commission", "financial", "deposit")):
        fig.add_bar(x=result.months, y=result.kpis[f"revenue_{stream}"] / div,
                    name=t(f"strategy.stream.{stream}", lang), marker_color=[BRAND, PALETTE[1], PALETTE[3]][i])
    fig.add_scatter(x=result.months, y=result.kpis["costs"] / div, name=t("strategy.stream.costs", lang),
                    mode="lines", line=dict(color=GREYS[0], width=2))
    fig.add_scatter(x=result.months, y=result.kpis["profit"] / div, name=t("strategy.stream.profit", lang),
                    mode="lines", line=dict(color=POSITIVE, width=2, dash="dot"))
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.add_hline(y=0, line=dict(color=GREYS[3], width=1))
    return _months(_layout(fig, t("strategy.chart.revenue_costs", lang), suffix), lang)


def tornado(bars: Sequence[risk.TornadoBar], labels: dict[str, str], metric: str, unit: str, lang: Lang,
            top: int = 12, ranges: str = "levers") -> go.Figure:
    """Horizontal bars from the current value to the outcome at each lever's min and max, or (``ranges=
    "uncertainty"``) at the low and high end of each uncertain input's Monte Carlo range."""
    ends = ("at_low", "at_high") if ranges == "uncertainty" else ("at_min", "at_max")
    div, suffix = scale(unit, lang)
    shown = list(bars[:top])[::-1]  # largest at the top
    base = shown[-1].base / div if shown else 0.0
    y = [html_literal(labels.get(b.lever, b.lever)) for b in shown]
    fig = _fig()
    fig.add_bar(y=y, x=[(b.at_low / div) - base for b in shown], base=base, orientation="h",
                name=t(f"strategy.chart.{ends[0]}", lang), marker_color=PALETTE[1],
                customdata=[[f"{b.low_value:.4g}", b.at_low / div] for b in shown],
                hovertemplate=f"%{{y}} = %{{customdata[0]}}: %{{customdata[1]:,.2f}} {suffix}<extra></extra>")
    fig.add_bar(y=y, x=[(b.at_high / div) - base for b in shown], base=base, orientation="h",
                name=t(f"strategy.chart.{ends[1]}", lang), marker_color=BRAND,
                customdata=[[f"{b.high_value:.4g}", b.at_high / div] for b in shown],
                hovertemplate=f"%{{y}} = %{{customdata[0]}}: %{{customdata[1]:,.2f}} {suffix}<extra></extra>")
    fig.add_vline(x=base, line=dict(color=GREYS[0], width=2))
    fig.update_layout(barmode="overlay", xaxis_title=suffix, hovermode="closest")
    title = "strategy.chart.tornado_uncertainty" if ranges == "uncertainty" else "strategy.chart.tornado"
    _layout(fig, t(title, lang, metric=metric_label(metric, lang)), "",
            height=max(360, 34 * len(shown) + 140))
    fig.update_layout(legend=dict(yanchor="bottom", y=1.0, xanchor="right", x=1), margin=dict(t=80, b=56))
    return fig


def bands(b: risk.Bands, kpi: str, lang: Lang, deterministic: sc.Result | None = None) -> go.Figure:
    """P10–P90 band and the median of a monthly KPI, with the deterministic plan for reference."""
    unit = sc.KPIS[kpi].unit
    div, suffix = scale(unit, lang)
    fig = _fig()
    fig.add_scatter(x=b.months, y=b.p90[kpi] / div, mode="lines", line=dict(width=0), showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=b.months, y=b.p10[kpi] / div, mode="lines", line=dict(width=0), fill="tonexty",
                    fillcolor=_rgba(BRAND, 0.18), name=t("strategy.chart.band", lang),
                    customdata=np.stack([b.p10[kpi] / div, b.p90[kpi] / div], axis=-1),
                    hovertemplate=f"P10 %{{customdata[0]:,.2f}} – P90 %{{customdata[1]:,.2f}} {suffix}<extra></extra>")
    fig.add_scatter(x=b.months, y=b.p50[kpi] / div, mode="lines", line=dict(color=BRAND, width=3),
                    name=t("strategy.chart.median", lang), hovertemplate=f"P50 %{{y:,.2f}} {suffix}<extra></extra>")
    if deterministic is not None:
        fig.add_scatter(x=deterministic.months, y=deterministic.kpis[kpi] / div, mode="lines",
                        line=dict(color=GREYS[1], width=2, dash="dash"), name=t("strategy.chart.deterministic", lang),
                        hovertemplate=f"%{{y:,.2f}} {suffix}<extra></extra>")
    if unit == "yuan":
        fig.add_hline(y=0, line=dict(color=GREYS[3], width=1))
    title = t("strategy.chart.bands", lang, kpi=t(f"strategy.kpi.{kpi}", lang), draws=f"{b.draws:,}")
    return _months(_layout(fig, title, suffix, height=380), lang)


def goal_curve(xs: np.ndarray, ys: np.ndarray, target: float, lever_label: str, lever_unit: str, metric: str,
               unit: str, lang: Lang, found: float | None = None, current: float | None = None) -> go.Figure:
    """The metric across the lever's range, the target line and the value found."""
    div, suffix = scale(unit, lang)
    fig = _fig()
    fig.add_scatter(x=xs, y=ys / div, mode="lines", line=dict(color=PALETTE[1], width=3),
                    name=metric_label(metric, lang), hovertemplate=f"%{{x:g}} → %{{y:,.2f}} {suffix}<extra></extra>")
    fig.add_hline(y=target / div, line=dict(color=BRAND, width=2, dash="dash"),
                  annotation_text=t("strategy.chart.target", lang), annotation_position="top left")
    if current is not None:
        fig.add_vline(x=current, line=dict(color=GREYS[2], width=1, dash="dot"))
    if found is not None:
        y_found = float(np.interp(found, xs, ys)) / div
        fig.add_scatter(x=[found], y=[y_found], mode="markers+text", marker=dict(color=BRAND, size=13),
                        text=[f"{found:.3g}"], textposition="top center", name=t("strategy.chart.found", lang))
    fig.update_layout(xaxis_title=html_literal(f"{lever_label} ({lever_unit})"), hovermode="closest")
    title = t("strategy.chart.goal", lang, metric=metric_label(metric, lang), lever=lever_label)
    return _layout(fig, title, suffix, height=380, legend=False)


def profit_bars(values: Sequence[float], names: Sequence[str], lang: Lang, months: int = 36) -> go.Figure:
    """Total profit over ``months`` per scenario (positive green, negative red)."""
    div, suffix = scale("yuan", lang)
    fig = _fig()
    fig.add_bar(x=[html_literal(n) for n in names], y=[v / div for v in values],
                marker_color=[POSITIVE if v >= 0 else NEGATIVE for v in values],
                text=[f"{v / div:,.1f}" for v in values], textposition="outside", cliponaxis=False)
    return _layout(fig, t("strategy.card.profit_total", lang, months=months), suffix, legend=False)

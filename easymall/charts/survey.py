"""Survey charts: one figure per question summary, crosstab heatmap, KPI funnel, durations.

Pure functions over :mod:`easymall.survey.analysis` results; texts come from the i18n catalogue and
option translations from the questionnaire (``SurveyDocument``), so every chart exists in both
languages. Each figure is described as one plain dict and turned into a ``go.Figure`` in a single
step: Plotly's property-by-property updates cost several times more, and a filter change redraws
every chart of the Survey page.
"""
from __future__ import annotations

import math
import os
from functools import cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from easymall.charts.theme import BRAND, DIVERGING, GREYS, NEGATIVE, PALETTE, POSITIVE
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal
from easymall.core.units import format_value
from easymall.models.survey import SurveyDocument
from easymall.survey.analysis import Crosstab, Summary
from easymall.survey.kpis import Kpi

_MAX_LABEL = 28
#: Plotly validates every property, which costs most of a figure's build time; the unit tests build
#: every chart with validation on (``charts.survey.VALIDATE = True`` or EASYMALL_VALIDATE_CHARTS=1).
VALIDATE = os.environ.get("EASYMALL_VALIDATE_CHARTS") == "1"

Spec = dict[str, Any]


@cache
def _template() -> go.layout.Template:
    """The app's default template, merged once (looking up "plotly_white+easymall" merges it every time)."""
    return pio.templates[pio.templates.default]


def _figure(data: list[Spec], layout: Spec) -> go.Figure:
    return go.Figure({"data": data, "layout": {"template": _template(), **layout}}, _validate=VALIDATE)


def _short(s: str, n: int = _MAX_LABEL) -> str:
    """A data text (question title, option label) for a chart: literal (Plotly renders tags such as
    ``<a href>``, ``<b>``, ``<br>`` in titles and labels) and at most ``n`` characters."""
    return html_literal(s, n)


def question_title(summary: Summary, lang: Lang, doc: SurveyDocument | None) -> str:
    q = summary.question
    title = doc.question_title(q.id, lang, q.title) if doc else q.title
    return f"{q.id} · {title}"


def _opt(doc: SurveyDocument | None, qid: str, label: str, lang: Lang) -> str:
    return doc.option_text(qid, label, lang) if doc else label


def _layout(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool, height: int,
            **extra: Any) -> Spec:
    """Title, base note (n answered, weighted base) as subtitle, size and margins of a question chart."""
    key = "survey.chart_base_weighted" if weighted else "survey.chart_base"
    note = t(key, lang, n=f"{summary.n:,}", base=f"{summary.base:,.0f}")
    layout: Spec = {
        "title": {"text": _short(question_title(summary, lang, doc), 70),
                  "subtitle": {"text": note, "font": {"size": 12, "color": GREYS[2]}}},
        "height": height, "margin": {"l": 16, "r": 32, "t": 84, "b": 40},
        "legend": {"y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    }
    layout.update(extra)
    return layout


def _axis(title: str, **extra: Any) -> Spec:
    return {"title": {"text": title}, **extra}


def _bars(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table
    labels = [_short(_opt(doc, summary.question.id, o, lang)) for o in table["option"]]
    multi = summary.kind == "multi"
    order = np.argsort(-table["share"].to_numpy(), kind="stable") if multi else np.arange(len(table))
    labels = [labels[i] for i in order][::-1]
    shares = table["share"].to_numpy()[order][::-1]
    counts = table["count"].to_numpy()[order][::-1]
    bar = {"type": "bar", "x": shares, "y": labels, "orientation": "h",
           "marker": {"color": PALETTE[1] if multi else BRAND}, "text": [format_value(s, "share", lang) for s in shares],
           "textposition": "outside", "cliponaxis": False, "customdata": counts,
           "hovertemplate": "%{y}: %{x:.1%} (%{customdata:,.0f})<extra></extra>"}
    xaxis = _axis(t("survey.axis_share_multi" if multi else "survey.axis_share", lang), tickformat=".0%",
                  range=[0, max(0.05, float(shares.max(initial=0)) * 1.22)])
    return _figure([bar], _layout(summary, lang, doc, weighted, 120 + 34 * len(labels), xaxis=xaxis))


def _diverging(k: int) -> list[str]:
    if k == 5:
        return list(DIVERGING)
    return [DIVERGING[int(round(x))] for x in np.linspace(0, 4, k)]


def _likert(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table
    points = [c for c in table.columns if c != "mean"]
    k = len(points)
    qid = summary.question.id
    rows = [_short(_opt(doc, qid, r, lang)) for r in table.index]
    colors = _diverging(k)
    shares = {j: table[p].to_numpy(float) for j, p in enumerate(points)}
    legend_names = [html_literal(p) for p in points]
    data: list[Spec] = []

    def bar(j: int, x: np.ndarray, legend: bool) -> None:
        data.append({"type": "bar", "x": x, "y": rows, "orientation": "h", "name": legend_names[j],
                     "marker": {"color": colors[j]}, "legendrank": j, "showlegend": legend,
                     "legendgroup": legend_names[j], "customdata": shares[j],
                     "hovertemplate": f"{legend_names[j]}: %{{customdata:.1%}}<extra>%{{y}}</extra>"})

    # relative bars stack outwards from zero in trace order: the middle point (split in two halves)
    # first, then the points below it towards the left and the points above it towards the right
    neutral, m = k % 2 == 1, k // 2
    if neutral:
        bar(m, -shares[m] / 2, True)
        bar(m, shares[m] / 2, False)
    for j in range(m - 1, -1, -1):
        bar(j, -shares[j], True)
    for j in range(m + 1 if neutral else m, k):
        bar(j, shares[j], True)
    notes = [{"x": 1.0, "xref": "paper", "y": r, "text": f"{mean:.2f}", "showarrow": False, "xanchor": "left",
              "font": {"size": 12, "color": GREYS[1]}}
             for r, mean in zip(rows, table["mean"], strict=True) if not math.isnan(mean)]
    layout = _layout(summary, lang, doc, weighted, 150 + 38 * len(rows), barmode="relative", annotations=notes,
                     xaxis=_axis(t("survey.axis_likert", lang), tickformat=".0%", zeroline=True, zerolinewidth=2))
    layout["legend"] = {**layout["legend"], "title": {"text": t("survey.legend_points", lang)},
                        "traceorder": "normal"}
    layout["margin"]["r"] = 56
    return _figure(data, layout)


def _nps(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    row = summary.table.iloc[0]
    points = [c for c in summary.table.columns if c != "mean"]
    shares = [float(row[p]) for p in points]
    colors = [NEGATIVE if int(p) <= 6 else (GREYS[3] if int(p) <= 8 else POSITIVE) for p in points]
    det = sum(s for p, s in zip(points, shares, strict=True) if int(p) <= 6)
    pas = sum(s for p, s in zip(points, shares, strict=True) if 7 <= int(p) <= 8)
    pro = sum(s for p, s in zip(points, shares, strict=True) if int(p) >= 9)
    k = summary.nps
    head = t("survey.nps_head", lang, nps=format_value(k.value if k else None, "nps", lang),
             low=format_value(k.low if k else None, "nps", lang), high=format_value(k.high if k else None, "nps", lang),
             det=f"{det:.0%}", pas=f"{pas:.0%}", pro=f"{pro:.0%}")
    bar = {"type": "bar", "x": points, "y": shares, "marker": {"color": colors},
           "text": [f"{s:.0%}" for s in shares], "textposition": "outside", "cliponaxis": False,
           "hovertemplate": "%{x}: %{y:.1%}<extra></extra>"}
    layout = _layout(summary, lang, doc, weighted, 360,
                     annotations=[{"text": head, "xref": "paper", "yref": "paper", "x": 1, "y": 1.0, "yshift": 8,
                                   "showarrow": False, "xanchor": "right", "yanchor": "bottom",
                                   "font": {"size": 13, "color": GREYS[0]}}],
                     yaxis=_axis(t("survey.axis_share", lang), tickformat=".0%",
                                 range=[0, max(shares, default=0.1) * 1.25]),
                     xaxis=_axis(t("survey.axis_score", lang), type="category"))
    return _figure([bar], layout)


def _vline(x: float, color: str, dash: str, text: str, anchor: str = "left") -> tuple[Spec, Spec]:
    """A vertical line across the plot with a label at its top (as ``add_vline`` draws it)."""
    shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
             "line": {"color": color, "dash": dash, "width": 2}}
    note = {"x": x, "xref": "x", "y": 1, "yref": "y domain", "text": text, "showarrow": False,
            "xanchor": anchor, "yanchor": "bottom", "font": {"color": color, "size": 12}}
    return shape, note


def _histogram(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    vals = summary.values if summary.values is not None else np.array([])
    clip = float(np.quantile(vals, 0.99)) if len(vals) > 20 else None
    shown = vals[vals <= clip] if clip is not None else vals
    shapes, notes = [], []
    if summary.mean is not None:
        s, a = _vline(summary.mean, GREYS[0], "dash", t("survey.mean_is", lang, value=f"{summary.mean:,.1f}"))
        shapes.append(s)
        notes.append(a)
    if summary.median is not None:
        s, a = _vline(summary.median, PALETTE[1], "dot", t("survey.median_is", lang, value=f"{summary.median:,.1f}"),
                      "right")
        shapes.append(s)
        notes.append(a)
    if clip is not None and len(shown) < len(vals):
        notes.append({"text": t("survey.hist_clipped", lang, n=len(vals) - len(shown), value=f"{clip:,.0f}"),
                      "xref": "paper", "yref": "paper", "x": 1, "y": -0.18, "showarrow": False, "xanchor": "right",
                      "font": {"size": 11, "color": GREYS[2]}})
    hist = {"type": "histogram", "x": shown, "nbinsx": 30, "marker": {"color": BRAND},
            "hovertemplate": "%{x}: %{y}<extra></extra>"}
    layout = _layout(summary, lang, doc, weighted, 360, shapes=shapes, annotations=notes,
                     xaxis=_axis(t("survey.axis_value", lang)), yaxis=_axis(t("survey.axis_count", lang)))
    return _figure([hist], layout)


def _ranking(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table.head(15).iloc[::-1]
    labels = [_short(_opt(doc, summary.question.id, o, lang)) for o in table["option"]]
    bar = {"type": "bar", "x": table["mean_rank"].to_numpy(float), "y": labels, "orientation": "h",
           "marker": {"color": PALETTE[1]}, "text": [f"{x:.1f}" for x in table["mean_rank"]],
           "textposition": "outside", "customdata": table["first_share"].to_numpy(float),
           "hovertemplate": "%{y}: %{x:.2f} · #1 %{customdata:.0%}<extra></extra>"}
    layout = _layout(summary, lang, doc, weighted, 140 + 30 * len(labels),
                     xaxis=_axis(t("survey.axis_mean_rank", lang), autorange="reversed"))
    return _figure([bar], layout)


def question_figure(summary: Summary, lang: Lang, doc: SurveyDocument | None = None,
                    weighted: bool = False) -> go.Figure | None:
    """The chart for a question (None for free text, which the page lists instead)."""
    build = {"bars": _bars, "multi": _bars, "likert": _likert, "nps": _nps, "histogram": _histogram,
             "ranking": _ranking}.get(summary.kind)
    return build(summary, lang, doc, weighted) if build else None


def crosstab_heatmap(ct: Crosstab, lang: Lang, doc: SurveyDocument | None = None,
                     show: str = "row_pct") -> go.Figure:
    """Row % (or column % / counts) as text, coloured by the adjusted standardized residual;
    cells with |r| > 1.96 are bold."""
    table = {"row_pct": ct.row_pct, "col_pct": ct.col_pct, "counts": ct.counts}[show]
    rq, cq = ct.row_question, ct.col_question
    ylabels = [_short(_opt(doc, rq.id, str(r), lang), 22) for r in table.index]
    xlabels = [_short(_opt(doc, cq.id, str(c), lang), 18) for c in table.columns]
    res = ct.residuals.to_numpy(float)
    vals = table.to_numpy(float)

    unit = "count" if show == "counts" else "share"
    cells = [["" if math.isnan(v) else format_value(v, unit, lang) for v in rv] for rv in vals]
    sig = np.abs(np.nan_to_num(res)) > 1.96
    text = [[(f"<b>{c}</b>" if s else c) for c, s in zip(rc, rs, strict=True)] for rc, rs in zip(cells, sig, strict=True)]
    lim = max(3.0, float(np.nanmax(np.abs(res))) if np.isfinite(res).any() else 3.0)
    heat = {"type": "heatmap", "z": np.clip(np.nan_to_num(res), -lim, lim), "x": xlabels, "y": ylabels,
            "text": text, "texttemplate": "%{text}", "zmin": -lim, "zmax": lim,
            "colorscale": [[0, DIVERGING[4]], [0.5, "#FFFFFF"], [1, DIVERGING[0]]],
            "colorbar": {"title": {"text": t("survey.residual", lang), "side": "right"}, "thickness": 12},
            "customdata": np.round(res, 2), "xgap": 2, "ygap": 2,
            "hovertemplate": "%{y} × %{x}<br>%{text}<br>r = %{customdata}<extra></extra>"}
    title_r = doc.question_title(rq.id, lang, rq.title) if doc else rq.title
    title_c = doc.question_title(cq.id, lang, cq.title) if doc else cq.title
    layout = {"title": {"text": _short(f"{rq.id} {title_r} × {cq.id} {title_c}", 80)},
              "height": 160 + 36 * len(ylabels), "margin": {"l": 16, "r": 16, "t": 64, "b": 40},
              "yaxis": {"autorange": "reversed", "showgrid": False}, "xaxis": {"side": "top", "showgrid": False}}
    return _figure([heat], layout)


def funnel(kpis: dict[str, Kpi], lang: Lang) -> go.Figure:
    """Awareness → trial → usage → repeat buyers (share of all respondents), with 95% intervals."""
    steps = [k for k in ("awareness", "trial", "usage") if k in kpis]
    values = [kpis[k].value for k in steps]
    lows = [kpis[k].low for k in steps]
    highs = [kpis[k].high for k in steps]
    if "repurchase_rate" in kpis and "usage" in kpis:
        u, r = kpis["usage"], kpis["repurchase_rate"]
        steps.append("repurchase_rate")
        values.append(u.value * r.value)
        lows.append(u.low * r.low)
        highs.append(u.high * r.high)
    labels = [t(f"kpi.{k}", lang) if k != "repurchase_rate" else t("survey.funnel_repeat", lang) for k in steps]
    bar = {"type": "bar", "x": labels, "y": values,
           "marker": {"color": [BRAND, "#D94A50", "#E8898D", "#F2BFC1"][: len(values)]},
           "error_y": {"type": "data", "symmetric": False, "color": GREYS[1],
                       "array": [h - v for h, v in zip(highs, values, strict=True)],
                       "arrayminus": [v - lo for v, lo in zip(values, lows, strict=True)]},
           "hovertemplate": "%{x}: %{y:.1%}<extra></extra>"}
    notes = [{"x": x, "y": h, "text": f"<b>{v:.0%}</b>", "showarrow": False, "yshift": 12,
              "font": {"size": 14, "color": GREYS[0]}} for x, v, h in zip(labels, values, highs, strict=True)]
    layout = {"title": {"text": t("survey.funnel_title", lang)}, "height": 340, "showlegend": False,
              "margin": {"l": 16, "r": 16, "t": 56, "b": 40}, "annotations": notes,
              "yaxis": _axis(t("survey.axis_of_all", lang), tickformat=".0%", range=[0, 1.08])}
    return _figure([bar], layout)


def durations(seconds: np.ndarray, limit: float | None, median: float | None, lang: Lang) -> go.Figure:
    """Completion times with the speeder threshold."""
    v = seconds[~np.isnan(seconds)]
    clip = float(np.quantile(v, 0.98)) if len(v) > 20 else (float(v.max()) if len(v) else 1.0)
    shapes, notes = [], []
    if limit is not None:
        s, a = _vline(limit, BRAND, "solid", t("survey.speeder_line", lang, s=f"{limit:.0f}"))
        shapes.append(s)
        notes.append(a)
    if median is not None:
        s, a = _vline(median, GREYS[0], "dot", t("survey.median_is", lang, value=f"{median:.0f}s"))
        shapes.append(s)
        notes.append(a)
    hist = {"type": "histogram", "x": v[v <= clip], "nbinsx": 40, "marker": {"color": GREYS[2]},
            "hovertemplate": "%{x}s: %{y}<extra></extra>"}
    layout = {"title": {"text": t("survey.durations_title", lang)}, "height": 300, "showlegend": False,
              "margin": {"l": 16, "r": 16, "t": 64, "b": 40}, "shapes": shapes, "annotations": notes,
              "xaxis": _axis(t("survey.axis_seconds", lang)), "yaxis": _axis(t("survey.axis_count", lang))}
    return _figure([hist], layout)

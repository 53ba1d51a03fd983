"""Survey charts: one figure per question summary, crosstab heatmap, KPI funnel, durations.

Pure functions over :mod:`easymall.survey.analysis` results; texts come from the i18n catalogue and
option translations from the questionnaire (``SurveyDocument``), so every chart exists in both
languages.
"""
from __future__ import annotations

import math
import os
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from easymall.charts.theme import BRAND, DIVERGING, GREYS, NEGATIVE, PALETTE, POSITIVE
from easymall.i18n import t
from easymall.models.common import Lang
from easymall.models.survey import SurveyDocument
from easymall.survey.analysis import Crosstab, Summary
from easymall.survey.kpis import Kpi

_MAX_LABEL = 28
#: Plotly validates every property on assignment, which costs most of a figure's build time; the
#: unit tests build every chart with validation on (EASYMALL_VALIDATE_CHARTS=1).
VALIDATE = os.environ.get("EASYMALL_VALIDATE_CHARTS") == "1"


@cache
def _template() -> go.layout.Template:
    """The app's default template, merged once (looking up "plotly_white+easymall" merges it every time)."""
    return pio.templates[pio.templates.default]


def _figure(*traces: go.Figure) -> go.Figure:
    fig = go.Figure(layout={"template": _template()}, _validate=VALIDATE)
    for tr_ in traces:
        fig.add_trace(tr_)
    return fig


def _short(s: str, n: int = _MAX_LABEL) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def question_title(summary: Summary, lang: Lang, doc: SurveyDocument | None) -> str:
    q = summary.question
    title = doc.question_title(q.id, lang, q.title) if doc else q.title
    return f"{q.id} · {title}"


def _opt(doc: SurveyDocument | None, qid: str, label: str, lang: Lang) -> str:
    return doc.option_text(qid, label, lang) if doc else label


def _base_note(fig: go.Figure, summary: Summary, lang: Lang, weighted: bool) -> go.Figure:
    key = "survey.chart_base_weighted" if weighted else "survey.chart_base"
    fig.update_layout(title_subtitle=dict(text=t(key, lang, n=f"{summary.n:,}", base=f"{summary.base:,.0f}"),
                                          font=dict(size=12, color=GREYS[2])))
    return fig


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=_short(title, 70)), height=height, margin=dict(l=16, r=32, t=84, b=40),
                      legend=dict(y=1.0, yanchor="bottom", x=1, xanchor="right"))
    return fig


def _bars(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table
    labels = [_short(_opt(doc, summary.question.id, o, lang)) for o in table["option"]]
    multi = summary.kind == "multi"
    order = np.argsort(-table["share"].to_numpy()) if multi else np.arange(len(table))
    labels = [labels[i] for i in order][::-1]
    shares = table["share"].to_numpy()[order][::-1]
    counts = table["count"].to_numpy()[order][::-1]
    fig = _figure(go.Bar(
        x=shares, y=labels, orientation="h", marker_color=BRAND if not multi else PALETTE[1],
        text=[f"{s:.1%}" for s in shares], textposition="outside", cliponaxis=False,
        customdata=counts, hovertemplate="%{y}: %{x:.1%} (%{customdata:,.0f})<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, max(0.05, float(shares.max(initial=0)) * 1.22)],
                     title_text=t("survey.axis_share_multi" if multi else "survey.axis_share", lang))
    _layout(fig, question_title(summary, lang, doc), 120 + 34 * len(labels))
    return _base_note(fig, summary, lang, weighted)


def _likert(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table
    points = [c for c in table.columns if c != "mean"]
    k = len(points)
    qid = summary.question.id
    rows = [_short(_opt(doc, qid, r, lang)) for r in table.index]
    colors = _diverging(k)
    fig = _figure()
    # relative bars stack outwards from zero in trace order: the middle point (split in two halves)
    # first, then the points below it towards the left and the points above it towards the right
    neutral = k % 2 == 1
    m = k // 2

    def bar(j: int, x: np.ndarray, share: np.ndarray, legend: bool) -> None:
        fig.add_bar(x=x, y=rows, orientation="h", name=points[j], marker_color=colors[j], legendrank=j,
                    showlegend=legend, legendgroup=points[j], customdata=share,
                    hovertemplate=f"{points[j]}: %{{customdata:.1%}}<extra>%{{y}}</extra>")

    shares = {j: table[p].to_numpy(float) for j, p in enumerate(points)}
    if neutral:
        bar(m, -shares[m] / 2, shares[m], True)
        bar(m, shares[m] / 2, shares[m], False)
    for j in range(m - 1 if neutral else m - 1, -1, -1):
        bar(j, -shares[j], shares[j], True)
    for j in range(m + 1 if neutral else m, k):
        bar(j, shares[j], shares[j], True)
    for r, m in zip(rows, table["mean"], strict=True):
        if not math.isnan(m):
            fig.add_annotation(x=1.0, xref="paper", y=r, text=f"{m:.2f}", showarrow=False, xanchor="left",
                               font=dict(size=12, color=GREYS[1]))
    fig.update_layout(barmode="relative", legend_title_text=t("survey.legend_points", lang),
                      legend=dict(traceorder="normal"))
    fig.update_xaxes(tickformat=".0%", title_text=t("survey.axis_likert", lang), zeroline=True, zerolinewidth=2)
    _layout(fig, question_title(summary, lang, doc), 150 + 38 * len(rows))
    fig.update_layout(margin=dict(r=56))
    return _base_note(fig, summary, lang, weighted)


def _diverging(k: int) -> list[str]:
    if k == 5:
        return list(DIVERGING)
    xs = np.linspace(0, 4, k)
    return [DIVERGING[int(round(x))] for x in xs]


def _nps(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    row = summary.table.iloc[0]
    points = [c for c in summary.table.columns if c != "mean"]
    shares = [float(row[p]) for p in points]
    colors = [NEGATIVE if int(p) <= 6 else (GREYS[3] if int(p) <= 8 else POSITIVE) for p in points]
    fig = _figure(go.Bar(x=points, y=shares, marker_color=colors, text=[f"{s:.0%}" for s in shares],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    det = sum(s for p, s in zip(points, shares, strict=True) if int(p) <= 6)
    pas = sum(s for p, s in zip(points, shares, strict=True) if 7 <= int(p) <= 8)
    pro = sum(s for p, s in zip(points, shares, strict=True) if int(p) >= 9)
    k = summary.nps
    head = t("survey.nps_head", lang, nps=f"{k.value:+.0f}" if k else "—",
             low=f"{k.low:+.0f}" if k else "—", high=f"{k.high:+.0f}" if k else "—",
             det=f"{det:.0%}", pas=f"{pas:.0%}", pro=f"{pro:.0%}")
    fig.add_annotation(text=head, xref="paper", yref="paper", x=1, y=1.0, yshift=8, showarrow=False,
                       xanchor="right", yanchor="bottom", font=dict(size=13, color=GREYS[0]))
    fig.update_yaxes(tickformat=".0%", title_text=t("survey.axis_share", lang),
                     range=[0, max(shares, default=0.1) * 1.25])
    fig.update_xaxes(type="category", title_text=t("survey.axis_score", lang))
    _layout(fig, question_title(summary, lang, doc), 360)
    return _base_note(fig, summary, lang, weighted)


def _histogram(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    vals = summary.values if summary.values is not None else np.array([])
    clip = float(np.quantile(vals, 0.99)) if len(vals) > 20 else None
    shown = vals[vals <= clip] if clip is not None else vals
    fig = _figure(go.Histogram(x=shown, nbinsx=30, marker_color=BRAND,
                                 hovertemplate="%{x}: %{y}<extra></extra>"))
    if summary.mean is not None:
        fig.add_vline(x=summary.mean, line_dash="dash", line_color=GREYS[0],
                      annotation_text=t("survey.mean_is", lang, value=f"{summary.mean:,.1f}"),
                      annotation_position="top right")
    if summary.median is not None:
        fig.add_vline(x=summary.median, line_dash="dot", line_color=PALETTE[1],
                      annotation_text=t("survey.median_is", lang, value=f"{summary.median:,.1f}"),
                      annotation_position="top left")
    fig.update_xaxes(title_text=t("survey.axis_value", lang))
    fig.update_yaxes(title_text=t("survey.axis_count", lang))
    if clip is not None and len(shown) < len(vals):
        fig.add_annotation(text=t("survey.hist_clipped", lang, n=len(vals) - len(shown), value=f"{clip:,.0f}"),
                           xref="paper", yref="paper", x=1, y=-0.18, showarrow=False, xanchor="right",
                           font=dict(size=11, color=GREYS[2]))
    _layout(fig, question_title(summary, lang, doc), 360)
    return _base_note(fig, summary, lang, weighted)


def _ranking(summary: Summary, lang: Lang, doc: SurveyDocument | None, weighted: bool) -> go.Figure:
    table = summary.table.head(15).iloc[::-1]
    labels = [_short(_opt(doc, summary.question.id, o, lang)) for o in table["option"]]
    fig = _figure(go.Bar(x=table["mean_rank"], y=labels, orientation="h", marker_color=PALETTE[1],
                           text=[f"{x:.1f}" for x in table["mean_rank"]], textposition="outside",
                           customdata=table["first_share"],
                           hovertemplate="%{y}: %{x:.2f} · #1 %{customdata:.0%}<extra></extra>"))
    fig.update_xaxes(title_text=t("survey.axis_mean_rank", lang), autorange="reversed")
    _layout(fig, question_title(summary, lang, doc), 140 + 30 * len(labels))
    return _base_note(fig, summary, lang, weighted)


def question_figure(summary: Summary, lang: Lang, doc: SurveyDocument | None = None,
                    weighted: bool = False) -> go.Figure | None:
    """The chart for a question (None for free text, which the page lists instead)."""
    if summary.kind in ("bars", "multi"):
        return _bars(summary, lang, doc, weighted)
    if summary.kind == "likert":
        return _likert(summary, lang, doc, weighted)
    if summary.kind == "nps":
        return _nps(summary, lang, doc, weighted)
    if summary.kind == "histogram":
        return _histogram(summary, lang, doc, weighted)
    if summary.kind == "ranking":
        return _ranking(summary, lang, doc, weighted)
    return None


def crosstab_heatmap(ct: Crosstab, lang: Lang, doc: SurveyDocument | None = None,
                     show: str = "row_pct") -> go.Figure:
    """Row % (or column % / counts) as text, coloured by the adjusted standardized residual;
    cells with |r| > 1.96 are outlined and bold."""
    table = {"row_pct": ct.row_pct, "col_pct": ct.col_pct, "counts": ct.counts}[show]
    rq, cq = ct.row_question, ct.col_question
    ylabels = [_short(_opt(doc, rq.id, str(r), lang), 22) for r in table.index]
    xlabels = [_short(_opt(doc, cq.id, str(c), lang), 18) for c in table.columns]
    res = ct.residuals.to_numpy(float)
    vals = table.to_numpy(float)
    fmt = (lambda v: f"{v:,.0f}") if show == "counts" else (lambda v: f"{v:.0%}" if not math.isnan(v) else "")
    sig = np.abs(np.nan_to_num(res)) > 1.96
    text = [[(f"<b>{fmt(v)}</b>" if s else fmt(v)) for v, s in zip(rv, rs, strict=True)]
            for rv, rs in zip(vals, sig, strict=True)]
    lim = max(3.0, float(np.nanmax(np.abs(res))) if np.isfinite(res).any() else 3.0)
    fig = _figure(go.Heatmap(
        z=np.clip(np.nan_to_num(res), -lim, lim), x=xlabels, y=ylabels, text=text, texttemplate="%{text}",
        colorscale=[[0, DIVERGING[4]], [0.5, "#FFFFFF"], [1, DIVERGING[0]]], zmin=-lim, zmax=lim,
        colorbar=dict(title=dict(text=t("survey.residual", lang), side="right"), thickness=12),
        customdata=np.round(res, 2), xgap=2, ygap=2,
        hovertemplate="%{y} × %{x}<br>%{text}<br>r = %{customdata}<extra></extra>"))
    title_r = doc.question_title(rq.id, lang, rq.title) if doc else rq.title
    title_c = doc.question_title(cq.id, lang, cq.title) if doc else cq.title
    fig.update_layout(title_text=_short(f"{rq.id} {title_r} × {cq.id} {title_c}", 80),
                      height=160 + 36 * len(ylabels), margin=dict(l=16, r=16, t=64, b=40))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False)
    return fig


def funnel(kpis: dict[str, Kpi], lang: Lang) -> go.Figure:
    """Awareness → trial → usage → repurchase (share of all respondents), with 95% intervals."""
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
    fig = _figure(go.Bar(
        x=labels, y=values, marker_color=[BRAND, "#D94A50", "#E8898D", "#F2BFC1"][: len(values)],
        error_y=dict(type="data", symmetric=False, array=[h - v for h, v in zip(highs, values, strict=True)],
                     arrayminus=[v - lo for v, lo in zip(values, lows, strict=True)], color=GREYS[1]),
        hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    for x, v, h in zip(labels, values, highs, strict=True):
        fig.add_annotation(x=x, y=h, text=f"<b>{v:.0%}</b>", showarrow=False, yshift=12,
                           font=dict(size=14, color=GREYS[0]))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08], title_text=t("survey.axis_of_all", lang))
    fig.update_layout(title_text=t("survey.funnel_title", lang), height=340, showlegend=False,
                      margin=dict(l=16, r=16, t=56, b=40))
    return fig


def durations(seconds: np.ndarray, limit: float | None, median: float | None, lang: Lang) -> go.Figure:
    """Completion times with the speeder threshold."""
    v = seconds[~np.isnan(seconds)]
    clip = float(np.quantile(v, 0.98)) if len(v) > 20 else (float(v.max()) if len(v) else 1.0)
    fig = _figure(go.Histogram(x=v[v <= clip], nbinsx=40, marker_color=GREYS[2],
                                 hovertemplate="%{x}s: %{y}<extra></extra>"))
    if limit is not None:
        fig.add_vline(x=limit, line_color=BRAND, line_width=2,
                      annotation_text=t("survey.speeder_line", lang, s=f"{limit:.0f}"),
                      annotation_position="top right", annotation_font_color=BRAND)
    if median is not None:
        fig.add_vline(x=median, line_dash="dot", line_color=GREYS[0],
                      annotation_text=t("survey.median_is", lang, value=f"{median:.0f}s"),
                      annotation_position="top right")
    fig.update_layout(title_text=t("survey.durations_title", lang), height=300, showlegend=False,
                      margin=dict(l=16, r=16, t=56, b=40))
    fig.update_xaxes(title_text=t("survey.axis_seconds", lang))
    fig.update_yaxes(title_text=t("survey.axis_count", lang))
    return fig

"""Segments charts: silhouette curve, cluster profile, GE–McKinsey nine-box, perceptual map, comparisons.

Pure functions returning ``go.Figure``; texts come from the i18n catalogue (``segments.*``) in the
language passed, data from :mod:`easymall.stp`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, NEGATIVE, PALETTE, POSITIVE
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal
from easymall.core.units import format_value
from easymall.stp.targeting import zone

ZONE_COLORS = {"invest": "#DCEFD9", "selective": "#FFF1CC", "harvest": "#F9D9D6"}
ZONE_LINE = {"invest": POSITIVE, "selective": "#B7791F", "harvest": NEGATIVE}
_CUTS = (1.0, 1 + 4 / 3, 1 + 8 / 3, 5.0)


def _figure(*data: go.BaseTraceType) -> go.Figure:
    return go.Figure(list(data))


def silhouette_figure(curve: dict[int, float], chosen: int, lang: Lang) -> go.Figure:
    """Silhouette score per k, the chosen k highlighted."""
    ks = sorted(curve)
    vals = [curve[k] for k in ks]
    fig = _figure(go.Scatter(x=ks, y=vals, mode="lines+markers", line=dict(color=GREYS[1], width=2),
                               marker=dict(size=9, color=[BRAND if k == chosen else GREYS[2] for k in ks]),
                               hovertemplate="k = %{x}<br>%{y:.3f}<extra></extra>", showlegend=False))
    if chosen in curve and not math.isnan(curve[chosen]):
        fig.add_annotation(x=chosen, y=curve[chosen], text=t("segments.chart_chosen_k", lang, k=chosen),
                           showarrow=True, arrowhead=2, ay=-36, font=dict(color=BRAND))
    fig.update_layout(title=t("segments.chart_silhouette", lang), height=300,
                      xaxis=dict(title=t("segments.chart_k", lang), dtick=1),
                      yaxis=dict(title=t("segments.chart_silhouette_axis", lang), rangemode="tozero"),
                      margin=dict(l=56, r=24, t=56, b=48))
    return fig


def sizes_figure(names: Sequence[str], sizes: Sequence[int], lang: Lang) -> go.Figure:
    """Respondents per cluster."""
    total = max(sum(sizes), 1)
    fig = _figure(go.Bar(x=list(sizes), y=[html_literal(n, 40) for n in names], orientation="h",
                           marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(names))],
                           text=[f"{format_value(s, 'count', lang)} · {format_value(s / total, 'share', lang)}" for s in sizes], textposition="auto",
                           hovertemplate="%{y}<br>%{x:,}<extra></extra>"))
    fig.update_layout(title=t("segments.chart_sizes", lang), height=max(200, 60 + 44 * len(names)),
                      yaxis=dict(autorange="reversed"), xaxis=dict(title=t("segments.chart_respondents", lang)),
                      margin=dict(l=16, r=24, t=56, b=48), showlegend=False)
    return fig


def profile_figure(table: pd.DataFrame, lang: Lang, title: str) -> go.Figure:
    """Shares that set a group apart: the group vs the whole sample (``label``, ``value``, ``overall``)."""
    t_ = table[table["kind"] == "share"].head(10).iloc[::-1]
    labels = [html_literal(x, 44) for x in t_["label"]]
    fig = _figure()
    fig.add_bar(y=labels, x=t_["overall"], orientation="h", name=t("segments.chart_everyone", lang),
                marker_color=GREYS[3], hovertemplate="%{y}<br>%{x:.0%}<extra></extra>")
    fig.add_bar(y=labels, x=t_["value"], orientation="h", name=t("segments.chart_this_group", lang),
                marker_color=BRAND, hovertemplate="%{y}<br>%{x:.0%}<extra></extra>",
                text=[f"×{v:.1f}" for v in t_["lift"]], textposition="outside")
    fig.update_layout(title=html_literal(title), barmode="group", height=max(260, 90 + 46 * len(t_)),
                      xaxis=dict(tickformat=".0%", range=[0, min(1.15, float(np.nanmax(t_[["value", "overall"]]
                                                                                       .to_numpy(), initial=0.5)) * 1.2)]),
                      legend=dict(orientation="h", yanchor="top", y=-0.08, xanchor="left", x=0),
                      margin=dict(l=16, r=40, t=56, b=72))
    return fig


def ge_figure(ge: pd.DataFrame, names: dict[str, str], lang: Lang, highlight: Sequence[str] = ()) -> go.Figure:
    """GE–McKinsey nine-box: x = business strength, y = attractiveness, bubble area = segment size.

    ``ge``: columns segment, attractiveness, strength, n, size, zone, target (from :func:`ge_table`).
    """
    fig = _figure()
    for i in range(3):
        for j in range(3):
            x0, x1, y0, y1 = _CUTS[j], _CUTS[j + 1], _CUTS[i], _CUTS[i + 1]
            z = zone((y0 + y1) / 2, (x0 + x1) / 2)
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=ZONE_COLORS[z],
                          line=dict(color="white", width=3), layer="below")
    hi, lo = 5 - 0.06, 1 + 4 / 3 - 0.06
    for z, (x, y) in {"invest": (hi, hi), "selective": (lo, hi), "harvest": (lo, lo)}.items():
        fig.add_annotation(x=x, y=y, text=f"<b>{t(f'segments.zone_{z}', lang)}</b>", showarrow=False,
                           xanchor="left", yanchor="top", font=dict(size=13, color=ZONE_LINE[z]))
    data = ge.reset_index(drop=True)
    n = data["n"].astype(float).fillna(0).to_numpy()
    size_ref = 2.0 * max(float(n.max()) if len(n) else 1.0, 1.0) / (80.0**2)
    for i, row in data.iterrows():
        sid = row["segment"]
        hover = t("segments.chart_ge_hover", lang, name=html_literal(names.get(sid, sid)), a=row["attractiveness"],
                  b=row["strength"], n=format_value(float(row["n"]), "count", lang),
                  share=format_value(float(row["size"]), "share", lang), zone=t(f"segments.zone_{row['zone']}", lang))
        target = bool(row["target"])
        label = html_literal(names.get(sid, sid), 40) + (f" — {t('segments.chart_target', lang)}" if target else "")
        fig.add_scatter(
            x=[row["strength"]], y=[row["attractiveness"]], mode="markers", name=label,
            marker=dict(size=[max(n[i], 1.0)], sizemode="area", sizeref=size_ref, sizemin=8,
                        color=PALETTE[i % len(PALETTE)], opacity=0.78 if target else 0.45,
                        line=dict(width=4 if target or sid in highlight else 1, color=GREYS[0] if target else "white")),
            hovertext=[hover], hoverinfo="text", customdata=[sid])
    fig.update_layout(
        title=t("segments.chart_ge", lang),
        xaxis=dict(title=t("segments.chart_strength", lang), range=[5.05, 0.95], tickvals=[1, 2, 3, 4, 5],
                   showgrid=False, zeroline=False),
        yaxis=dict(title=t("segments.chart_attractiveness", lang), range=[0.95, 5.05], tickvals=[1, 2, 3, 4, 5],
                   showgrid=False, zeroline=False),
        legend=dict(orientation="h", yanchor="top", y=-0.14, xanchor="left", x=0, itemsizing="constant"),
        margin=dict(l=64, r=24, t=56, b=72), height=640)
    return fig


def perceptual_figure(points: pd.DataFrame, x_title: str, y_title: str, lang: Lang, title: str,
                      loadings: pd.DataFrame | None = None, fixed_range: bool = True) -> go.Figure:
    """Platforms (Easy Mall in brand red), target segments' ideal points (◇), optional attribute arrows."""
    fig = _figure()
    if loadings is not None and len(loadings):
        span = float(np.nanmax(np.abs(points[["x", "y"]].to_numpy()), initial=1.0)) if len(points) else 1.0
        scale = span * 0.9
        for _, row in loadings.iterrows():
            hx, hy = row["x"] * scale, row["y"] * scale
            fig.add_annotation(x=hx, y=hy, ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y", text="",
                               showarrow=True, arrowhead=2, arrowwidth=1.2, arrowcolor=GREYS[3])
            fig.add_annotation(x=hx, y=hy, text=html_literal(row["label"]), showarrow=False, font=dict(size=12, color=GREYS[1]),
                               xanchor="left" if hx >= 0 else "right", yanchor="bottom" if hy >= 0 else "top")
    kinds = {"competitor": (GREYS[1], "circle", 16), "easy_mall": (BRAND, "star", 26),
             "ideal": (PALETTE[1], "diamond-open", 18), "seen": (BRAND, "star-open", 16)}
    for kind in ("competitor", "ideal", "seen", "easy_mall"):
        sub = points[points["kind"] == kind]
        if not len(sub):
            continue
        color, symbol, size = kinds[kind]
        spots = ["top center", "bottom center", "middle right", "middle left"] if kind != "easy_mall" else ["top center"]
        fig.add_scatter(x=sub["x"], y=sub["y"], mode="markers" if kind == "seen" else "markers+text",
                        text=[html_literal(x) for x in sub["label"]],
                        textposition=[spots[i % len(spots)] for i in range(len(sub))],
                        name=t(f"segments.map_{kind}", lang),
                        marker=dict(color=color, symbol=symbol, size=size, line=dict(width=2, color=color)),
                        textfont=dict(color=color if kind != "competitor" else GREYS[0], size=13),
                        hovertemplate="%{text}<br>%{x:.2f} · %{y:.2f}<extra></extra>")
    for _, seen in points[points["kind"] == "seen"].iterrows():  # link each segment's view to its ideal
        ideal = points[(points["kind"] == "ideal") & (points["id"] == seen["id"].split(":", 1)[1])]
        if len(ideal):
            fig.add_annotation(x=float(ideal["x"].iloc[0]), y=float(ideal["y"].iloc[0]), ax=float(seen["x"]),
                               ay=float(seen["y"]), xref="x", yref="y", axref="x", ayref="y", text="",
                               showarrow=True, arrowhead=3, arrowwidth=1.2, arrowcolor=PALETTE[1], opacity=0.6)
    layout: dict = dict(title=html_literal(title), height=600, margin=dict(l=64, r=24, t=56, b=80),
                        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
                        xaxis=dict(title=html_literal(x_title), zeroline=True), yaxis=dict(title=html_literal(y_title), zeroline=True))
    if fixed_range and len(points):
        for axis in ("x", "y"):
            lo, hi = float(points[axis].min()), float(points[axis].max())
            pad = max(0.35, (hi - lo) * 0.15)
            layout[f"{axis}axis"]["range"] = [max(0.8, lo - pad), min(5.2, hi + pad)]
    else:
        layout["yaxis"]["scaleanchor"] = "x"
    fig.update_layout(**layout)
    return fig


def series_colors(groups: Sequence[str]) -> dict[str, str]:
    """The colour of each compared segment (``__all__``, the whole sample, in grey); one legend serves all."""
    return {g: GREYS[3] if g == "__all__" else PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}


def compare_figure(table: pd.DataFrame, groups: Sequence[str], names: dict[str, str], lang: Lang,
                   title: str, legend: bool = False) -> go.Figure:
    """One block of the segment comparison as grouped horizontal bars (shares in %, means as is)."""
    body = table[table["kind"] != "count"]
    kinds = set(body["kind"])
    share = kinds <= {"share"}
    labels = [html_literal(a, 38) for a in body["answer"]]
    fig = _figure()
    colors = series_colors(groups)
    for g in groups:
        color = colors[g]
        vals = body[g].to_numpy(dtype=float)
        fig.add_bar(y=labels, x=vals, orientation="h", name=html_literal(names.get(g, g), 30), marker_color=color,
                    hovertemplate="%{y}<br>" + ("%{x:.0%}" if share else "%{x:.2f}") + "<extra></extra>")
    top = 96 if legend else 48
    fig.update_layout(title=html_literal(title, 60), barmode="group", showlegend=legend,
                      height=max(240, top + 40 + 9 * len(labels) * max(len(groups), 1)),
                      yaxis=dict(autorange="reversed"), xaxis=dict(tickformat=".0%" if share else None),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
                      title_y=0.98, title_yanchor="top",
                      margin=dict(l=16, r=24, t=top, b=40), bargap=0.25, bargroupgap=0.05)
    return fig

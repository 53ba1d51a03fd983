"""Segments charts: silhouette curve, cluster profile, GE–McKinsey nine-box, perceptual map, comparisons.

Pure functions returning ``go.Figure``; texts come from the i18n catalogue (``segments.*``) in the
language passed, data from :mod:`easymall.segments`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from easymall.charts.theme import BRAND, GREYS, NEGATIVE, PALETTE, POSITIVE
from easymall.i18n import t
from easymall.models.common import Lang

ZONE_COLORS = {"invest": "#DCEFD9", "selective": "#FFF1CC", "harvest": "#F9D9D6"}
ZONE_LINE = {"invest": POSITIVE, "selective": "#B7791F", "harvest": NEGATIVE}
_CUTS = (1.0, 1 + 4 / 3, 1 + 8 / 3, 5.0)


def _short(s: str, n: int = 34) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def silhouette_figure(curve: dict[int, float], chosen: int, lang: Lang) -> go.Figure:
    """Silhouette score per k, the chosen k highlighted."""
    ks = sorted(curve)
    vals = [curve[k] for k in ks]
    fig = go.Figure(go.Scatter(x=ks, y=vals, mode="lines+markers", line=dict(color=GREYS[1], width=2),
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
    fig = go.Figure(go.Bar(x=list(sizes), y=[_short(n, 40) for n in names], orientation="h",
                           marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(names))],
                           text=[f"{s:,} · {s / total:.0%}" for s in sizes], textposition="auto",
                           hovertemplate="%{y}<br>%{x:,}<extra></extra>"))
    fig.update_layout(title=t("segments.chart_sizes", lang), height=max(200, 60 + 44 * len(names)),
                      yaxis=dict(autorange="reversed"), xaxis=dict(title=t("segments.chart_respondents", lang)),
                      margin=dict(l=16, r=24, t=56, b=48), showlegend=False)
    return fig


def profile_figure(table: pd.DataFrame, lang: Lang, title: str) -> go.Figure:
    """Shares that set a group apart: the group vs the whole sample (``label``, ``value``, ``overall``)."""
    t_ = table[table["kind"] == "share"].head(10).iloc[::-1]
    labels = [_short(x, 44) for x in t_["label"]]
    fig = go.Figure()
    fig.add_bar(y=labels, x=t_["overall"], orientation="h", name=t("segments.chart_everyone", lang),
                marker_color=GREYS[3], hovertemplate="%{y}<br>%{x:.0%}<extra></extra>")
    fig.add_bar(y=labels, x=t_["value"], orientation="h", name=t("segments.chart_this_group", lang),
                marker_color=BRAND, hovertemplate="%{y}<br>%{x:.0%}<extra></extra>",
                text=[f"×{v:.1f}" for v in t_["lift"]], textposition="outside")
    fig.update_layout(title=title, barmode="group", height=max(260, 90 + 46 * len(t_)),
                      xaxis=dict(tickformat=".0%", range=[0, min(1.15, float(np.nanmax(t_[["value", "overall"]]
                                                                                       .to_numpy(), initial=0.5)) * 1.2)]),
                      legend=dict(orientation="h", yanchor="top", y=-0.08, xanchor="left", x=0),
                      margin=dict(l=16, r=40, t=56, b=72))
    return fig


def ge_figure(ge: pd.DataFrame, names: dict[str, str], lang: Lang, highlight: Sequence[str] = ()) -> go.Figure:
    """GE–McKinsey nine-box: x = business strength, y = attractiveness, bubble area = segment size.

    ``ge``: columns segment, attractiveness, strength, n, size, zone, target (from :func:`ge_table`).
    """
    fig = go.Figure()
    from easymall.segments import zone

    for i in range(3):
        for j in range(3):
            x0, x1, y0, y1 = _CUTS[j], _CUTS[j + 1], _CUTS[i], _CUTS[i + 1]
            z = zone((y0 + y1) / 2, (x0 + x1) / 2)
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=ZONE_COLORS[z],
                          line=dict(color="white", width=3), layer="below")
    for z, (x, y) in {"invest": (4.95, 4.95), "selective": (4.95, 1 + 8 / 3 - 0.05),
                      "harvest": (1 + 4 / 3 - 0.05, 1 + 4 / 3 - 0.05)}.items():
        fig.add_annotation(x=x, y=y, text=t(f"segments.zone_{z}", lang), showarrow=False, xanchor="right",
                           yanchor="top", font=dict(size=13, color=ZONE_LINE[z]))
    data = ge.copy()
    size = data["n"].fillna(0).to_numpy(dtype=float)
    size_ref = 1.0 if not len(data) else 2.0 * max(float(size.max()), 1.0) / 70.0 ** 2
    hover = [t("segments.chart_ge_hover", lang, name=names.get(s, s), a=a, b=b,
               n=f"{n:,.0f}" if not math.isnan(n) else "—", share=f"{sh:.0%}" if not math.isnan(sh) else "—",
               zone=t(f"segments.zone_{z}", lang))
             for s, a, b, n, sh, z in zip(data["segment"], data["attractiveness"], data["strength"],
                                          data["n"].astype(float), data["size"].astype(float), data["zone"],
                                          strict=True)]
    colors = [BRAND if tg else GREYS[2] for tg in data["target"]]
    lines = [dict(width=3 if s in highlight else 1, color=GREYS[0] if s in highlight else "white")
             for s in data["segment"]]
    fig.add_scatter(
        x=data["strength"], y=data["attractiveness"], mode="markers+text",
        marker=dict(size=np.maximum(size, max(size.max() if len(size) else 1, 1) * 0.02), sizemode="area",
                    sizeref=size_ref, sizemin=6, color=colors, opacity=0.8,
                    line=dict(width=[ln["width"] for ln in lines], color=[ln["color"] for ln in lines])),
        text=[_short(names.get(s, s), 26) for s in data["segment"]], textposition="top center",
        textfont=dict(size=13, color=GREYS[0]), hovertext=hover, hoverinfo="text", showlegend=False,
        customdata=list(data["segment"]))
    # legend entries: targets vs others
    fig.add_scatter(x=[None], y=[None], mode="markers", marker=dict(size=12, color=BRAND),
                    name=t("segments.chart_target", lang))
    fig.add_scatter(x=[None], y=[None], mode="markers", marker=dict(size=12, color=GREYS[2]),
                    name=t("segments.chart_not_target", lang))
    fig.update_layout(
        title=t("segments.chart_ge", lang), height=560,
        xaxis=dict(title=t("segments.chart_strength", lang), range=[5.05, 0.95], tickvals=[1, 2, 3, 4, 5],
                   showgrid=False, zeroline=False),
        yaxis=dict(title=t("segments.chart_attractiveness", lang), range=[0.95, 5.05], tickvals=[1, 2, 3, 4, 5],
                   showgrid=False, zeroline=False),
        margin=dict(l=64, r=24, t=84, b=56))
    return fig


def perceptual_figure(points: pd.DataFrame, x_title: str, y_title: str, lang: Lang, title: str,
                      loadings: pd.DataFrame | None = None, fixed_range: bool = True) -> go.Figure:
    """Platforms (Easy Mall in brand red), target segments' ideal points (◇), optional attribute arrows."""
    fig = go.Figure()
    if loadings is not None and len(loadings):
        span = float(np.nanmax(np.abs(points[["x", "y"]].to_numpy()), initial=1.0)) if len(points) else 1.0
        scale = span * 0.9
        for _, row in loadings.iterrows():
            fig.add_annotation(x=row["x"] * scale, y=row["y"] * scale, ax=0, ay=0, xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=1.2,
                               arrowcolor=GREYS[3], text=row["label"], font=dict(size=12, color=GREYS[1]))
    kinds = {"competitor": (GREYS[1], "circle", 16), "easy_mall": (BRAND, "star", 26), "ideal": (PALETTE[1], "diamond-open", 18)}
    for kind in ("competitor", "ideal", "easy_mall"):
        sub = points[points["kind"] == kind]
        if not len(sub):
            continue
        color, symbol, size = kinds[kind]
        fig.add_scatter(x=sub["x"], y=sub["y"], mode="markers+text", text=list(sub["label"]),
                        textposition="top center", name=t(f"segments.map_{kind}", lang),
                        marker=dict(color=color, symbol=symbol, size=size, line=dict(width=2, color=color)),
                        textfont=dict(color=color if kind != "competitor" else GREYS[0], size=13),
                        hovertemplate="%{text}<br>%{x:.2f} · %{y:.2f}<extra></extra>")
    layout: dict = dict(title=title, height=560, margin=dict(l=64, r=24, t=84, b=56),
                        xaxis=dict(title=x_title, zeroline=True), yaxis=dict(title=y_title, zeroline=True))
    if fixed_range:
        layout["xaxis"]["range"] = [0.9, 5.1]
        layout["yaxis"]["range"] = [0.9, 5.2]
    else:
        layout["yaxis"]["scaleanchor"] = "x"
    fig.update_layout(**layout)
    return fig


def compare_figure(table: pd.DataFrame, groups: Sequence[str], names: dict[str, str], lang: Lang,
                   title: str) -> go.Figure:
    """One block of the segment comparison as grouped horizontal bars (shares in %, means as is)."""
    body = table[table["kind"] != "count"]
    kinds = set(body["kind"])
    share = kinds <= {"share"}
    labels = [_short(f"{a}" if q == a else f"{a}", 40) for q, a in zip(body["question"], body["answer"], strict=True)]
    fig = go.Figure()
    for i, g in enumerate(groups):
        color = GREYS[3] if g == "__all__" else PALETTE[i % len(PALETTE)]
        vals = body[g].to_numpy(dtype=float)
        fig.add_bar(y=labels, x=vals, orientation="h", name=_short(names.get(g, g), 30), marker_color=color,
                    hovertemplate="%{y}<br>" + ("%{x:.0%}" if share else "%{x:.2f}") + "<extra></extra>")
    fig.update_layout(title=title, barmode="group", height=max(280, 110 + 20 * len(labels) * max(len(groups), 1)),
                      yaxis=dict(autorange="reversed"), xaxis=dict(tickformat=".0%" if share else None),
                      margin=dict(l=16, r=24, t=84, b=40))
    return fig

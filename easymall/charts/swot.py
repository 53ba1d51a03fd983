"""SWOT charts: quadrant scores, the IE matrix, the SPACE vector and the QSPM ranking.

Pure functions returning ``go.Figure``; every user text is escaped so it shows literally (Plotly
would otherwise render tags such as ``<b>`` in labels).
"""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

import easymall.charts  # noqa: F401  (registers the template)
from easymall.charts.theme import BRAND, GREYS, NEGATIVE, PALETTE, POSITIVE
from easymall.core.i18n import t
from easymall.core.text import Lang, html_literal, text_in
from easymall.models.swot import QUADRANTS, SwotDocument
from easymall.swot.ie import PRESCRIPTION, ROMAN, IeCell
from easymall.swot.qspm import QspmResult
from easymall.swot.space import SpaceResult

#: Strategies tied at the top of the QSPM (amber: a judgement call, not a winner).
TIE = PALETTE[2]


def _figure(*data: go.BaseTraceType) -> go.Figure:
    return go.Figure(list(data))


QUADRANT_COLOR = {"strengths": POSITIVE, "weaknesses": NEGATIVE, "opportunities": PALETTE[1],
                  "threats": PALETTE[2]}
PRESCRIPTION_COLOR = {"grow": "#D8EBD9", "hold": "#FFF1CC", "harvest": "#F6D5D3"}


def content_key(kind: str, doc: SwotDocument) -> str:
    """A digest of what chart ``kind`` (quadrants, ie, space, qspm) shows of ``doc``: equal keys draw
    equal charts, so a chart can be cached across revisions and sessions."""
    import hashlib
    import json

    items = [(i.id, i.text if isinstance(i.text, str) else i.text.model_dump(), i.weight, i.rating)
             for q in QUADRANTS for i in getattr(doc, q)]
    if kind == "quadrants":
        part: object = items
    elif kind == "ie":
        part = [(w, r, q in ("strengths", "weaknesses")) for q in QUADRANTS for i in getattr(doc, q)
                for w, r in [(i.weight, i.rating)]]
    elif kind == "space":
        part = [(f.rating, f.id) for dim in ("financial", "industry", "stability", "competitive")
                for f in getattr(doc.space, dim)]
    else:
        part = [[(i[0], i[2]) for i in items], doc.qspm.model_dump(),
                [(s.id, s.text if isinstance(s.text, str) else s.text.model_dump()) for s in doc.strategies]]
    return kind + ":" + hashlib.sha1(json.dumps(part, sort_keys=True, default=str).encode()).hexdigest()


def quadrant_chart(doc: SwotDocument, lang: Lang, *, label_chars: int | None = None,
                   projector: bool = False) -> go.Figure:
    """Four panels (S, W, O, T): each item's weighted score (weight × rating), items in order.
    Labels are cut to ``label_chars`` (default 38 in English, 18 in Chinese: CJK glyphs are wide).

    ``projector=True`` is the variant for a slide: the same data with short labels (the item id and
    about 22 English / 12 Chinese characters of its text), the score alone outside each bar in a
    readable size, larger type and wider spacing between the panels, so the right-hand panels'
    labels never run into the left-hand bars."""
    label_chars = label_chars or ((12 if lang == "zh" else 22) if projector else (18 if lang == "zh" else 38))
    titles = [t(f"swot.q.{q}", lang) for q in QUADRANTS]
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.36 if projector else 0.28,
                        vertical_spacing=0.17 if projector else 0.14, figure=_figure())
    top = max((i.weight * i.rating for q in QUADRANTS for i in getattr(doc, q)), default=0.0)
    for k, q in enumerate(QUADRANTS):
        items = list(getattr(doc, q))[::-1]
        labels = [f"{i.id} · {html_literal(text_in(i.text, lang), label_chars)}" for i in items]
        scores = [i.weight * i.rating for i in items]
        if projector:
            text = [f"{s:.2f}" for s in scores]
            bar = dict(textposition="outside", cliponaxis=False, textfont=dict(size=15), constraintext="none",
                       customdata=[f"{i.weight:.2f} × {i.rating} = {s:.2f}" for i, s in zip(items, scores, strict=True)],
                       hovertemplate="%{y}<br>%{customdata}<extra></extra>")
        else:
            text = [f"{i.weight:.2f} × {i.rating} = {s:.2f}" for i, s in zip(items, scores, strict=True)]
            bar = dict(textposition="auto", hovertemplate="%{y}<br>%{text}<extra></extra>")
        fig.add_trace(go.Bar(x=scores, y=labels, orientation="h", marker_color=QUADRANT_COLOR[q], name=titles[k],
                             text=text, showlegend=False, **bar), row=k // 2 + 1, col=k % 2 + 1)
    n = max((len(getattr(doc, q)) for q in QUADRANTS), default=1)
    fig.update_xaxes(rangemode="tozero")
    fig.update_xaxes(title_text=t("swot.chart.weighted_score", lang), row=2)
    fig.update_layout(title=t("swot.chart.quadrants_title", lang), height=max(460, 160 + 2 * 34 * n),
                      bargap=0.25, margin=dict(l=24, r=24, t=90, b=40))
    if projector:  # one scale for all four panels, with room for the score outside the longest bar
        fig.update_xaxes(range=[0, top * 1.22 or 1], nticks=4, tickfont_size=13, title_font_size=15)
        fig.update_yaxes(tickfont_size=15, dtick=1)  # every item labelled, however small the slide draws it
        fig.update_annotations(font_size=19)
        fig.update_layout(bargap=0.18, margin=dict(l=16, r=40, t=90, b=40))
    return fig


def ie_chart(ife: float, efe: float, cell: IeCell, lang: Lang) -> go.Figure:
    """The IE matrix: IFE total on x (4.0 strong on the left, as in David), EFE on y; the cell
    holding the position is outlined."""
    fig = _figure()
    x_edges = [(3.0, 4.0), (2.0, 3.0), (1.0, 2.0)]   # strong, average, weak
    y_edges = [(3.0, 4.0), (2.0, 3.0), (1.0, 2.0)]   # high, medium, low
    shapes, notes = [], []
    for r, (y0, y1) in enumerate(y_edges):
        for c, (x0, x1) in enumerate(x_edges):
            number = r * 3 + c + 1
            presc = PRESCRIPTION[number]
            here = number == cell.number
            shapes.append(dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=PRESCRIPTION_COLOR[presc],
                               line=dict(color=BRAND if here else "white", width=4 if here else 2), layer="below"))
            notes.append(dict(x=(x0 + x1) / 2, y=y1 - 0.14, text=f"<b>{ROMAN[number - 1]}</b>", showarrow=False,
                              font=dict(size=16, color=GREYS[0])))
            notes.append(dict(x=(x0 + x1) / 2, y=y0 + 0.14, text=t(f"swot.ie.{presc}", lang), showarrow=False,
                              font=dict(size=11, color=GREYS[1])))
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.add_trace(go.Scatter(
        x=[ife], y=[efe], mode="markers+text", marker=dict(size=18, color=BRAND, line=dict(color="white", width=2)),
        text=[f"({ife:.2f}, {efe:.2f})"], textposition="top right", textfont=dict(color=BRAND, size=13),
        hovertemplate=t("swot.chart.ie_hover", lang) + "<extra></extra>", showlegend=False,
    ))
    fig.update_xaxes(range=[4.0, 1.0], tickvals=[4, 3, 2, 1], title_text=t("swot.chart.ife_axis", lang),
                     showgrid=False, zeroline=False)
    fig.update_yaxes(range=[1.0, 4.0], tickvals=[1, 2, 3, 4], title_text=t("swot.chart.efe_axis", lang),
                     showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(title=t("swot.chart.ie_title", lang, cell=cell.roman,
                              prescription=t(f"swot.ie.{cell.prescription}", lang)), height=520)
    return fig


def space_chart(res: SpaceResult, lang: Lang) -> go.Figure:
    """The SPACE axes (−7…+7), the four dimension means as a polygon, and the directional vector."""
    fig = _figure()
    corners = [(0, res.fp), (res.ip, 0), (0, res.sp), (res.cp, 0), (0, res.fp)]
    fig.add_trace(go.Scatter(x=[c[0] for c in corners], y=[c[1] for c in corners], fill="toself",
                             fillcolor="rgba(63,93,125,0.12)", line=dict(color=PALETTE[1], width=2),
                             mode="lines+markers", name=t("swot.chart.space_profile", lang), hoverinfo="skip"))
    notes = []
    for key, (x, y) in {"fp": (0, res.fp), "ip": (res.ip, 0), "sp": (0, res.sp), "cp": (res.cp, 0)}.items():
        notes.append(dict(x=x, y=y, text=f"{t(f'swot.space.{key}_short', lang)} {x + y:+.2f}", showarrow=False,
                          yshift=14 if y >= 0 else -14, xshift=30 if x > 0 else -30 if x < 0 else 0,
                          font=dict(size=12, color=PALETTE[1])))
    notes.append(dict(x=res.x, y=res.y, ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                      arrowhead=3, arrowsize=1.4, arrowwidth=3, arrowcolor=BRAND, text=""))
    fig.add_trace(go.Scatter(x=[res.x], y=[res.y], mode="markers+text", marker=dict(size=12, color=BRAND),
                             text=[f"({res.x:+.2f}, {res.y:+.2f})"], textposition="top right",
                             textfont=dict(color=BRAND, size=13), name=t("swot.chart.space_vector", lang),
                             hovertemplate="x %{x:.2f}, y %{y:.2f}<extra></extra>"))
    for q, (x, y) in {"aggressive": (3.5, 6.3), "conservative": (-3.5, 6.3), "defensive": (-3.5, -6.3),
                      "competitive": (3.5, -6.3)}.items():
        here = q == res.quadrant
        notes.append(dict(x=x, y=y, text=t(f"swot.space.{q}", lang), showarrow=False,
                          font=dict(size=15 if here else 13, color=BRAND if here else GREYS[2])))
    fig.update_layout(annotations=notes)
    fig.update_xaxes(range=[-7, 7], dtick=1, zeroline=True, zerolinewidth=2, zerolinecolor=GREYS[1],
                     title_text=t("swot.chart.space_x", lang))
    fig.update_yaxes(range=[-7, 7], dtick=1, zeroline=True, zerolinewidth=2, zerolinecolor=GREYS[1],
                     title_text=t("swot.chart.space_y", lang), scaleanchor="x", scaleratio=1)
    quadrant = t(f"swot.space.{res.quadrant}", lang) if res.quadrant else t("swot.space.on_axis", lang)
    fig.update_layout(title=t("swot.chart.space_title", lang, quadrant=quadrant), height=560, showlegend=False)
    return fig


def qspm_chart(res: QspmResult, labels: dict[str, str], lang: Lang) -> go.Figure:
    """Sum of total attractiveness scores per strategy; the winner in brand red (in a tie, every
    strategy within the tie margin in orange)."""
    ids = list(res.strategies)
    names = [f"{s} · {html_literal(labels.get(s, ''), 34)}" for s in ids]
    colors = [(TIE if res.tie and s in res.tied else BRAND if s in res.winners and not res.tie else GREYS[3])
              for s in ids]
    fig = _figure(go.Bar(x=[res.totals.get(s, 0.0) for s in ids], y=names, orientation="h", marker_color=colors,
                         text=[f"{res.totals.get(s, 0.0):.2f}" for s in ids], textposition="outside",
                         hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=t("swot.chart.stas", lang), rangemode="tozero")
    fig.update_layout(title=t("swot.chart.qspm_title", lang), height=160 + 56 * max(len(ids), 1), showlegend=False)
    return fig

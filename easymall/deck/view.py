"""What the Present page shows of a deck: deck choices, slide labels, the slide a link or the presenter
points at, the timer, export formats, and the scenario slide's live levers and chart.

Pure Python (no streamlit); the page's widget plumbing is :mod:`easymall.ui.present`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import plotly.graph_objects as go

from easymall.charts import strategy as strategy_charts
from easymall.charts import theme
from easymall.core.i18n import t
from easymall.core.text import Lang, text_in
from easymall.deck.build import build_deck as build_deck
from easymall.deck.build import deck_choices
from easymall.deck.html import render_html
from easymall.deck.pdf import render_pdf
from easymall.deck.pptx import render_pptx
from easymall.deck.slide import SLIDE_KEYS as SLIDE_KEYS
from easymall.deck.slide import DeckError as DeckError
from easymall.deck.slide import Slide as Slide
from easymall.scenario import view as scenario

#: The value of the deck picker that shows every slide (no saved deck).
ALL = "all"
#: Documents a deck is built from: a new revision of any of them rebuilds it.
SOURCES: tuple[str, ...] = ("swot", "stp", "marketing", "scenarios", "market", "survey", "decks")
#: The slide whose levers stay live on the Present page.
SCENARIO_SLIDE = "scenarios"
#: Projector figures: text in near-black for contrast.
PROJECTOR_INK = "#111111"


def deck_options(ws: Any, lang: Lang) -> dict[str, str]:
    """The deck picker: every slide first, then the decks saved in ``config/decks.yaml``."""
    return {ALL: t("present.all_slides", lang), **deck_choices(ws, lang)}


def deck_arg(choice: str | None) -> str | None:
    """The ``deck`` argument of :func:`build_deck` for a picker value (None: every slide)."""
    return None if choice in (None, "", ALL) else choice


def position_name(choice: str | None) -> str:
    """The name the presenter's position is stored under for a picker value."""
    return choice if choice else ALL


def revisions(ws: Any) -> tuple[int | None, ...]:
    """The revisions of the documents the deck reads (a cache key; a stat each when unchanged)."""
    return tuple(ws.revision(name) for name in SOURCES)


def slide_labels(slides: Sequence[Slide]) -> list[str]:
    """``"3 · SWOT: ..."`` for the slide picker, in order."""
    return [f"{i} · {s.title}" for i, s in enumerate(slides, start=1)]


def slide_from_query(value: str | None, count: int) -> int | None:
    """The 0-based slide a ``?slide=N`` (1-based) points at, clamped to the deck; None when absent
    or not a number."""
    if value is None or count <= 0:
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        return None
    return min(max(n, 1), count) - 1


def clamp(index: int, count: int) -> int:
    return min(max(index, 0), max(count - 1, 0))


def follow_index(slide: int, key: str, slides: Sequence[Slide]) -> int:
    """The slide a follower shows for the presenter's position: the same slide by key when this
    deck has it, else the same place."""
    for i, s in enumerate(slides):
        if key and s.key == key:
            return i
    return clamp(slide, len(slides))


def elapsed(seconds: float) -> str:
    """A timer: ``"07:05"``, ``"1:02:03"`` past an hour."""
    s = max(int(seconds), 0)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def counter(index: int, count: int, lang: Lang) -> str:
    return t("present.counter", lang, n=index + 1, count=count)


#: Plotly's options for a chart on a slide: a picture to look at on a projector, not a tool — no
#: mode bar, no hover or zoom layers (drawing them is most of a step's time in the browser).
CHART_CONFIG: dict[str, bool] = {"displayModeBar": False, "staticPlot": True}


def projector(fig: go.Figure) -> go.Figure:
    """The same chart with the same template, made for a projector: near-black type (the template's
    greys wash out on a projector) and thicker lines. A copy: the figure given is left alone."""
    out = go.Figure(fig)
    out.update_layout(font_color=PROJECTOR_INK, autosize=True)
    out.update_xaxes(tickfont_color=PROJECTOR_INK, title_font_color=PROJECTOR_INK)
    out.update_yaxes(tickfont_color=PROJECTOR_INK, title_font_color=PROJECTOR_INK)
    out.update_traces(selector={"type": "scatter", "mode": "lines"}, line_width=3.5)
    return out


# --------------------------------------------------------------------------- projector layout

#: Roles of the Present page: the room's full-window slide and the presenter's smaller stage.
AUDIENCE, PRESENTER = "audience", "presenter"


@dataclass(frozen=True)
class Stage:
    """What a role's slide offers in a 1280 × 720 window (pixels): the width inside the slide's
    padding, the height left under a two-line title and above the sources line, and the type of the
    bullets on a slide with charts (``font``/``line``) and on one without (``text_font``/``text_line``)."""

    width: int
    body: int
    font: float
    line: float
    text_font: float
    text_line: float
    gap: int = 24


#: Measured on the page's CSS (easymall.ui.present.STYLE) at 1280 × 720: the room's slide is
#: 1132 × 637 px, the presenter's 843 × 474 px.
STAGES: dict[str, Stage] = {
    AUDIENCE: Stage(width=1056, body=430, font=18.4, line=26.0, text_font=19.8, text_line=31.0),
    PRESENTER: Stage(width=790, body=292, font=15.2, line=21.0, text_font=16.0, text_line=23.0),
}
#: Most bullet lines above two side-by-side charts (the rest are in the speaker notes).
PAIR_LINES = 3
#: A chart is never drawn shorter than this (px).
MIN_CHART = 200
#: The chart title's type on the projector (px).
TITLE_FONT = 18


@dataclass(frozen=True)
class SlideLayout:
    """How a slide sits on the projector: ``kind`` is ``title`` (the cover), ``text`` (bullets and table), ``chart`` (one
    chart, full width), ``side`` (bullets left, one chart right), ``pair`` (a few bullets above two
    charts side by side); the bullets that fit, in ``columns`` columns; each chart's size (px) and the
    table's height."""

    kind: str
    bullets: tuple[str, ...]
    columns: int
    chart_width: int
    chart_height: int
    table_height: int = 0
    dense: bool = False


def _units(text: str) -> int:
    """A text's width in half-em units (a CJK character is a full em)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _lines(bullets: Sequence[str], width_px: float, font_px: float) -> list[int]:
    """Lines each bullet wraps to in a column ``width_px`` wide (less the list's indent)."""
    per_line = max(int((width_px - 1.6 * font_px) / (font_px * 0.52)), 8)
    return [max(-(-_units(b) // per_line), 1) for b in bullets]


def _fit(bullets: Sequence[str], width_px: float, font_px: float, line_px: float, height_px: float,
         columns: int = 1) -> tuple[tuple[str, ...], int]:
    """The leading bullets that fit ``height_px`` and the height they take (a bullet that does not
    fit is left to the speaker notes; the first always shows)."""
    col_w = (width_px - (columns - 1) * 24) / columns
    lines = _lines(bullets, col_w, font_px)
    kept: list[str] = []
    total = 0
    for b, n in zip(bullets, lines, strict=True):
        rows = -(-(total + n) // columns)
        if kept and rows * line_px + 0.3 * font_px * len(kept) > height_px:
            break
        kept.append(b)
        total += n
    rows = -(-total // columns) if kept else 0
    return tuple(kept), int(rows * line_px + (0.3 * font_px * len(kept) / columns) + (16 if kept else 0))


def slide_layout(slide: Slide, role: str = AUDIENCE, *, live: bool = False) -> SlideLayout:
    """The projector layout of ``slide`` for ``role`` in a 1280 × 720 window, so that nothing
    scrolls: a chart gets a real height and bullets give way (to the speaker notes) before it does.
    ``live`` is the scenario slide with its levers: one live chart beside the bullets and the levers."""
    st = STAGES.get(role, STAGES[AUDIENCE])
    body = st.body - (34 if slide.missing else 0)
    figures = 1 if live else len(slide.figures[:2])
    if slide.key == "title":
        return SlideLayout("title", slide.bullets, 1, 0, 0)
    if figures == 0:
        kept, used = _fit(slide.bullets, st.width, st.text_font, st.text_line, body)
        table = max(body - used - 16, 0) if slide.table is not None and len(slide.table) else 0
        return SlideLayout("text", kept, 1, 0, 0, table_height=min(table, 36 * (len(slide.table) + 1)) if table else 0)
    if figures == 1 and not slide.bullets and not live:
        return SlideLayout("chart", (), 1, st.width, body)
    if figures == 1:
        text_w = int(st.width * 0.4)
        room = body - (56 if live else 0)  # the levers' button under the bullets
        kept, _ = _fit(slide.bullets, text_w, st.font, st.line, room)
        if len(kept) < len(slide.bullets) or not kept:
            dense_kept, _ = _fit(slide.bullets, text_w, st.font * 0.85, st.line * 0.85, room)
            if len(dense_kept) > len(kept):
                return SlideLayout("side", dense_kept, 1, st.width - text_w - st.gap, body, dense=True)
        return SlideLayout("side", kept, 1, st.width - text_w - st.gap, body)
    lines = PAIR_LINES if role == AUDIENCE else PAIR_LINES - 1
    one, one_h = _fit(slide.bullets, st.width, st.font, st.line, lines * st.line + 1, columns=1)
    two, two_h = _fit(slide.bullets, st.width, st.font, st.line, lines * st.line + 1, columns=2)
    kept, used, columns = (two, two_h, 2) if len(two) > len(one) else (one, one_h, 1)
    return SlideLayout("pair", kept, columns, (st.width - st.gap) // 2, max(body - used, MIN_CHART))


def _scale_fonts(fig: go.Figure, k: float) -> None:
    """Every type size of ``fig`` times ``k`` (the presenter's stage is the room's slide, smaller)."""
    def sized(font: Any, default: float | None = None) -> None:
        size = font.size if font is not None and isinstance(font.size, int | float) else default
        if size:
            font.size = max(round(size * k, 1), 8)

    sized(fig.layout.font, fig.layout.template.layout.font.size or 14)
    sized(fig.layout.title.font, fig.layout.template.layout.title.font.size)
    sized(fig.layout.legend.font)
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        sized(axis.tickfont)
        sized(axis.title.font)
    for note in fig.layout.annotations:
        sized(note.font)
    for trace in fig.data:
        if "textfont" in trace:
            sized(trace.textfont)
    m = fig.layout.margin
    fig.update_layout(margin={side: round(getattr(m, side) * k) for side in ("t", "b", "l", "r")
                              if getattr(m, side) is not None})


def fitted(fig: go.Figure, width: int, height: int, font_scale: float = 1.0) -> go.Figure:
    """``fig`` (a copy) drawn ``width`` × ``height``: its title broken to fit the width, in a smaller
    type when even two lines are too wide, the top margin following the title's lines; every type
    size times ``font_scale``."""
    out = go.Figure(fig)
    if font_scale != 1.0:
        _scale_fonts(out, font_scale)
    title = out.layout.title.text if out.layout.title and out.layout.title.text else ""
    margin_t = out.layout.margin.t if out.layout.margin and out.layout.margin.t is not None else 56
    if title:
        plain = title.replace("<br>", " ")
        title_font = TITLE_FONT * font_scale
        fit = max(int((width - 40) / (title_font * 0.55)), 16)
        broken = theme.fitted_title(plain, fit)
        longest = max(_units(part) for part in broken.split("<br>"))
        size = round(title_font if longest <= fit else max(title_font * fit / longest, 11), 1)
        margin_t = margin_t - theme.title_space(title) + theme.title_space(broken)
        out.update_layout(title_text=broken, title_font_size=size)
        if "<br>" in broken:  # a two-line title sits lower, or its first line is cut at the chart's top
            out.update_layout(title_pad_t=22)
            margin_t += 10
    legend = out.layout.legend
    if legend.orientation == "h" and isinstance(legend.y, int | float) and legend.y < 0:
        # a legend under the x labels, placed by their height in pixels, not by a share of the chart
        below = round((34 + (22 if out.layout.xaxis.title.text else 0)) * font_scale)
        margin_b = max(out.layout.margin.b or 0, below + round(28 * font_scale))
        plot_h = max(height - margin_t - margin_b, 60)
        out.update_layout(legend_y=-below / plot_h, legend_yanchor="top", margin_b=margin_b)
    out.update_layout(height=height, width=None, autosize=True, margin_t=margin_t)
    return out


def font_scale(role: str) -> float:
    """The presenter's stage shows the room's slide smaller: its charts' type in proportion."""
    return round(STAGES[role].width / STAGES[AUDIENCE].width, 2) if role in STAGES else 1.0


def projector_slides(slides: Sequence[Slide], role: str = AUDIENCE) -> list[Slide]:
    """Every slide with its figures made once for the projector and sized by its layout for ``role``."""
    out = []
    for s in slides:
        if not s.figures:
            out.append(s)
            continue
        lay = slide_layout(s, role)
        out.append(replace(s, figures=tuple(fitted(projector(f), lay.chart_width, lay.chart_height, font_scale(role))
                                            for f in s.figures)))
    return out


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportFormat:
    id: str
    mime: str
    suffix: str


EXPORTS: tuple[ExportFormat, ...] = (
    ExportFormat("html", "text/html", ".html"),
    ExportFormat("pdf", "application/pdf", ".pdf"),
    ExportFormat("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
)
_RENDERERS = {"html": render_html, "pdf": render_pdf, "pptx": render_pptx}


def export(fmt: str, slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck in ``fmt`` (html, pdf or pptx); :class:`DeckError` when it cannot be rendered."""
    return _RENDERERS[fmt](slides, lang)


def export_name(choice: str | None, lang: Lang, fmt: str) -> str:
    """The download's file name: ``easymall-board-zh.pdf``."""
    suffix = next(e.suffix for e in EXPORTS if e.id == fmt)
    return f"easymall-{position_name(choice)}-{lang}{suffix}"


# --------------------------------------------------------------------------- the scenario slide


@dataclass(frozen=True)
class LiveLever:
    """A slider on the scenario slide (not saved: it moves the slide's chart for this session)."""

    id: str
    label: str
    min: float
    max: float
    value: float
    step: float
    format: str
    factor: float = 1.0  # shown = value × factor (a CNY m lever in 万元 in Chinese)

    def actual(self, shown: float) -> float:
        """The lever's value (its own unit) of the number the slider shows."""
        return shown / self.factor


@dataclass(frozen=True)
class LiveScenario:
    model: Any
    levers: tuple[LiveLever, ...]


def live_scenario(ws: Any, lang: Lang) -> LiveScenario | None:
    """The scenario slide's model and one lever per marketing-mix group (the first of each), or None
    when the marketing document cannot be read."""
    marketing = ws.load_safe("marketing").doc
    if not isinstance(marketing, scenario.MarketingDocument):
        return None
    model, _ = scenario.model_for(marketing, ws, lang)
    levers = []
    for group in scenario.GROUPS:
        for lv in marketing.levers_by_group()[group][:1]:
            f = scenario.display_factor(lv.unit, lang)
            levers.append(LiveLever(lv.id, scenario.slider_label(lv, lang), lv.min * f, lv.max * f, lv.value * f,
                                    lv.step * f, scenario.slider_format(lv.step * f), f))
    return LiveScenario(model, tuple(levers))


def scenario_chart(live: LiveScenario, values: Mapping[str, float], lang: Lang,
                   size: tuple[int, int] | None = None, role: str = AUDIENCE) -> go.Figure:
    """Active users: the baseline (dashed) against the levers as set on the slide."""
    baseline = scenario.run(live.model, name=scenario.BASELINE)
    result = scenario.run(live.model, dict(values), "current")
    names = [t("strategy.baseline", lang), t("strategy.scenario_names.current", lang)]
    fig = projector(strategy_charts.scenario_lines([baseline, result], names, "active_users", lang,
                                                   title=t("strategy.chart.active_users", lang), dashed_first=True))
    return fitted(fig, *size, font_scale(role)) if size else fig


def deck_name(ws: Any, choice: str | None, lang: Lang) -> str:
    return deck_options(ws, lang).get(position_name(choice), position_name(choice))


__all__ = ["ALL", "AUDIENCE", "CHART_CONFIG", "PRESENTER", "STAGES", "SlideLayout", "fitted", "font_scale", "slide_layout", "EXPORTS", "SCENARIO_SLIDE", "SOURCES", "DeckError", "ExportFormat", "LiveLever", "LiveScenario",
           "Slide", "build_deck", "clamp", "counter", "deck_arg", "deck_name", "deck_options", "elapsed", "export",
           "export_name", "follow_index", "live_scenario", "position_name", "projector", "projector_slides",
           "revisions", "scenario_chart", "slide_from_query", "slide_labels"]


# --------------------------------------------------------------------------- the deck editor


def slide_key_label(key: str, lang: Lang) -> str:
    """A slide key as people read it in the deck editor ("GE nine-box and targets")."""
    return t(f"deck.key.{key}", lang)


def editor_defaults(ws: Any, choice: str | None, lang: Lang) -> tuple[str, Lang, list[str]]:
    """The deck editor's starting values for a picker value: the saved deck's name, language and
    slides, or (for every slide) no name, the UI language and the whole story in order."""
    doc = ws.load_safe("decks").doc
    deck = doc.get(choice) if doc is not None and choice not in (None, ALL) else None
    if deck is None:
        return "", lang, list(SLIDE_KEYS)
    return text_in(deck.name, lang), deck.language, list(deck.slides)

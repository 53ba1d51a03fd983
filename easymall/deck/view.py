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


def projector(fig: go.Figure) -> go.Figure:
    """The same chart with the same template, made for a projector: near-black type (the template's
    greys wash out on a projector) and thicker lines. Sizes stay the chart's own, so its margins and
    labels still fit."""
    out = go.Figure(fig)
    out.update_layout(font_color=PROJECTOR_INK, height=None, autosize=True)  # the slide sizes it
    out.update_xaxes(tickfont_color=PROJECTOR_INK, title_font_color=PROJECTOR_INK)
    out.update_yaxes(tickfont_color=PROJECTOR_INK, title_font_color=PROJECTOR_INK)
    out.update_traces(selector={"type": "scatter", "mode": "lines"}, line_width=3.5)
    return out


def projector_slides(slides: Sequence[Slide]) -> list[Slide]:
    """Every slide with its figures made once for the projector."""
    return [replace(s, figures=tuple(projector(f) for f in s.figures)) if s.figures else s for s in slides]


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
            levers.append(LiveLever(lv.id, scenario.slider_label(lv, lang), lv.min, lv.max, lv.value, lv.step,
                                    scenario.slider_format(lv.step)))
    return LiveScenario(model, tuple(levers))


def scenario_chart(live: LiveScenario, values: Mapping[str, float], lang: Lang) -> go.Figure:
    """Active users: the baseline (dashed) against the levers as set on the slide."""
    baseline = scenario.run(live.model, name=scenario.BASELINE)
    result = scenario.run(live.model, dict(values), "current")
    names = [t("strategy.baseline", lang), t("strategy.scenario_names.current", lang)]
    return projector(strategy_charts.scenario_lines([baseline, result], names, "active_users", lang,
                                                    title=t("strategy.chart.active_users", lang),
                                                    dashed_first=True))


def deck_name(ws: Any, choice: str | None, lang: Lang) -> str:
    return deck_options(ws, lang).get(position_name(choice), position_name(choice))


__all__ = ["ALL", "EXPORTS", "SCENARIO_SLIDE", "SOURCES", "DeckError", "ExportFormat", "LiveLever", "LiveScenario",
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

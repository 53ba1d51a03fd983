"""A slide of the deck: the story as data (what it says, its charts, its table, its notes)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from easymall.core.errors import CodedError

#: Every slide the deck can show, in the story's order (stable keys: links, decks.yaml, the page).
SLIDE_KEYS: tuple[str, ...] = (
    "title", "summary", "market", "problems", "swot", "ife_efe", "space", "tows", "qspm", "segments",
    "ge", "positioning", "mix", "scenarios", "sensitivity", "risk", "decisions", "appendix",
)


class DeckError(CodedError):
    """The deck cannot be built or exported (unknown deck, a renderer failed); one sentence."""


@dataclass(frozen=True)
class Slide:
    """One slide. ``title`` is an action title stating the finding in the deck's language; ``notes``
    are the speaker notes with the numbers behind each chart; ``missing`` is True when the slide's
    data is missing (its title and bullets then say so)."""

    key: str
    title: str
    bullets: tuple[str, ...] = ()
    figures: tuple[go.Figure, ...] = ()
    table: pd.DataFrame | None = None
    notes: str = ""
    sources: tuple[str, ...] = ()
    missing: bool = False

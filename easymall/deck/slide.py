"""A slide of the deck: the story as data (what it says, its charts, its table, its notes)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from easymall.core.errors import CodedError
from easymall.models.decks import SLIDE_KEYS

__all__ = ["SLIDE_KEYS", "DeckError", "Slide"]


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

"""build_deck: the slides of a deck from the live workspace (first version: title only)."""
from __future__ import annotations

from typing import Any

from easymall.core.text import Lang
from easymall.deck.slide import SLIDE_KEYS, Slide


def deck_choices(ws: Any, lang: Lang) -> dict[str, str]:
    """Saved decks: id -> name in ``lang``."""
    return {}


def build_deck(ws: Any, lang: Lang, deck: str | None = None) -> list[Slide]:
    """The deck's slides in order (every slide when ``deck`` is None)."""
    return [Slide(key=k, title=k) for k in SLIDE_KEYS]

"""build_deck: the slides of a deck from the live workspace, in the deck's order."""
from __future__ import annotations

from datetime import date
from typing import Any

from easymall.core.text import Lang, text_in
from easymall.deck.context import Context
from easymall.deck.slide import SLIDE_KEYS, DeckError, Slide
from easymall.deck.slides import BUILDERS


def deck_choices(ws: Any, lang: Lang) -> dict[str, str]:
    """Saved decks of ``config/decks.yaml``: id -> name in ``lang`` (empty when there is none)."""
    doc = ws.load_safe("decks").doc
    return {d.id: text_in(d.name, lang) for d in doc.decks} if doc is not None else {}


def deck_keys(ws: Any, deck: str | None) -> list[str]:
    """The slide keys of ``deck`` in its order (every slide for None); DeckError for an unknown deck."""
    if deck is None:
        return list(SLIDE_KEYS)
    doc = ws.load_safe("decks").doc
    found = doc.get(deck) if doc is not None else None
    if found is None:
        known = ", ".join(d.id for d in doc.decks) if doc is not None else ""
        raise DeckError(f"no deck named {deck!r} in decks.yaml (known: {known or 'none'})", code="unknown_deck",
                        deck=deck, known=known or "—")
    return list(found.slides)


def deck_language(ws: Any, deck: str) -> Lang | None:
    doc = ws.load_safe("decks").doc
    found = doc.get(deck) if doc is not None else None
    return found.language if found is not None else None


def build_deck(ws: Any, lang: Lang, deck: str | None = None, *, today: date | None = None) -> list[Slide]:
    """The deck's slides in order (every slide when ``deck`` is None), built from the live workspace."""
    ctx = Context(ws, lang, today)
    return [BUILDERS[key](ctx) for key in deck_keys(ws, deck)]

"""Model of ``config/decks.yaml``: named decks, each a language and an ordered choice of slides.

The slide keys are the deck's story (:data:`SLIDE_KEYS`, in the story's order); a deck lists the
ones it shows in the order it shows them. ``easymall.deck.build_deck(ws, lang, deck=id)`` builds it.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from easymall.models.common import Document, Id, StrictModel, Text, invalid, require_unique

#: Every slide the deck can show, in the story's order (stable keys: links, decks.yaml, the page).
SLIDE_KEYS: tuple[str, ...] = (
    "title", "summary", "market", "problems", "swot", "ife_efe", "space", "tows", "qspm", "segments",
    "ge", "positioning", "mix", "scenarios", "sensitivity", "risk", "decisions", "appendix",
)


class Deck(StrictModel):
    """A named deck: its language and its slides in order."""

    id: Id
    name: Text
    language: Literal["en", "zh"] = "en"
    slides: list[str] = Field(min_length=1, description="Slide keys in the order shown.")

    @field_validator("slides")
    @classmethod
    def _known(cls, slides: list[str]) -> list[str]:
        unknown = [s for s in slides if s not in SLIDE_KEYS]
        if unknown:
            raise invalid("deck_unknown_slides", "unknown slide key(s): {keys} (known: {known})",
                          keys=", ".join(unknown), known=", ".join(SLIDE_KEYS))
        require_unique(slides, "slide", "deck_duplicate_slides")
        return slides


class DecksDocument(Document):
    """``config/decks.yaml``."""

    decks: list[Deck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> DecksDocument:
        require_unique((d.id for d in self.decks), "deck", "duplicate_deck")
        return self

    def get(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

"""Render the deck as PDF."""
from __future__ import annotations

from collections.abc import Sequence

from easymall.core.text import Lang
from easymall.deck.slide import Slide


def render_pdf(slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck as PDF bytes."""
    raise NotImplementedError

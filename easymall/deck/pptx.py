"""Render the deck as PPTX."""
from __future__ import annotations

from collections.abc import Sequence

from easymall.core.text import Lang
from easymall.deck.slide import Slide


def render_pptx(slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck as PPTX bytes."""
    raise NotImplementedError

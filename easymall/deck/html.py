"""Render the deck as HTML."""
from __future__ import annotations

from collections.abc import Sequence

from easymall.core.text import Lang
from easymall.deck.slide import Slide


def render_html(slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck as HTML bytes."""
    raise NotImplementedError

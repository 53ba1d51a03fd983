"""The deck: the study's story from the live workspace as slides, and its exports (HTML, PDF, PPTX).

    from easymall.deck import build_deck, render_html, render_pdf, render_pptx
    slides = build_deck(ws, "zh", deck="board")
    data: bytes = render_pptx(slides, "zh")

Pure Python (no streamlit). It consumes every area's view and the charts, so it sits in its own
layer between :mod:`easymall.ui` and :mod:`easymall.charts`.

The names below are imported on first use (PEP 562): the builder pulls in scikit-learn, Plotly,
python-pptx and Playwright (seconds), which ``easymall validate`` and the other commands never need
(``easymall.deck.cli`` sits in this package).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from easymall.deck.build import build_deck, deck_choices, deck_keys, deck_language
    from easymall.deck.html import render_html
    from easymall.deck.pdf import render_pdf
    from easymall.deck.pptx import render_pptx
    from easymall.deck.slide import SLIDE_KEYS, DeckError, Slide

#: Each public name and the module that defines it.
_HOME = {"build_deck": "build", "deck_choices": "build", "deck_keys": "build", "deck_language": "build",
         "render_html": "html", "render_pdf": "pdf", "render_pptx": "pptx",
         "SLIDE_KEYS": "slide", "DeckError": "slide", "Slide": "slide"}

__all__ = ["SLIDE_KEYS", "DeckError", "Slide", "build_deck", "deck_choices", "deck_keys", "deck_language", "render_html", "render_pdf",
           "render_pptx"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # heavy: imported on first use only (see the module's docstring)
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value

"""The deck: the study's story from the live workspace as slides, and its exports (HTML, PDF, PPTX).

    from easymall.deck import build_deck, render_html, render_pdf, render_pptx
    slides = build_deck(ws, "zh", deck="board")
    data: bytes = render_pptx(slides, "zh")

Pure Python (no streamlit). It consumes every area's view and the charts, so it sits in its own
layer between :mod:`easymall.ui` and :mod:`easymall.charts`.
"""
from easymall.deck.build import build_deck, deck_choices, deck_keys, deck_language
from easymall.deck.html import render_html
from easymall.deck.pdf import render_pdf
from easymall.deck.pptx import render_pptx
from easymall.deck.slide import SLIDE_KEYS, DeckError, Slide

__all__ = ["SLIDE_KEYS", "DeckError", "Slide", "build_deck", "deck_choices", "deck_keys", "deck_language", "render_html", "render_pdf",
           "render_pptx"]

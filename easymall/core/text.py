"""Bilingual text: the two UI languages and how a content field reads in one of them.

A content field is a plain string or a mapping with ``en`` and ``zh`` (``LocalizedText`` in
:mod:`easymall.models.common`); :func:`text_in` picks the language, falling back to the other.
"""
from __future__ import annotations

from typing import Any, Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


def text_in(value: Any, lang: Lang) -> str:
    """The string to show for ``value`` (a plain string, an object with ``en`` / ``zh``, or
    ``None``) in ``lang``, falling back to the other language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    other = "zh" if lang == "en" else "en"
    return getattr(value, lang) or getattr(value, other)

"""Bilingual text: the two UI languages and how a content field reads in one of them.

A content field is a plain string or a mapping with ``en`` and ``zh`` (``LocalizedText`` in
:mod:`easymall.models.common`); :func:`text_in` picks the language, falling back to the other.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
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


# --------------------------------------------------------------------------- inert user text
#: Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and escaping all of
#: them leaves no Markdown, HTML, link, image, autolink, LaTeX (``$``), Streamlit directive
#: (``:red[...]``, ``:material/x:``) or entity (``&amp;``) syntax in the text.
_MD_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


#: Where GitHub-flavoured Markdown would turn plain text into a link (``http://``, ``www.``, an
#: e-mail address): it finds them in the text after escapes are resolved, so escaping cannot stop
#: it — an invisible word joiner there does.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=/)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def markdown_literal(text: object) -> str:
    """``text`` made inert for anything that renders Markdown (``st.markdown``, captions, toasts,
    alerts, widget / tab / metric / expander labels): it shows exactly these characters, whitespace
    runs shown as one space — never emphasis, a heading, a link (also no bare-URL autolink: an
    invisible :data:`WORD_JOINER` goes after ``:`` before ``/``, after ``www`` and ``@``), an image
    or HTML."""
    s = " ".join(str(text).replace("\x00", "\ufffd").split())
    s = _AUTOLINK.sub(WORD_JOINER, s)
    return "".join("\\" + ch if ch in _MD_PUNCT else ch for ch in s)


def html_literal(text: object, limit: int | None = None) -> str:
    """``text`` made inert for HTML and Plotly text (titles, axis and tick labels, hover text,
    annotations, legend names: Plotly renders ``<a href>``, ``<b>``, ``<br>``, ``<img>`` there):
    ``&``, ``<`` and ``>`` escaped, whitespace runs shown as one space, optionally shortened to
    ``limit`` characters with an ellipsis (cut before escaping, so no entity is broken)."""
    s = shorten(text, limit)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: object, limit: int | None = None) -> str:
    """``text`` as plain text on one line (whitespace runs as one space), cut to ``limit``
    characters with an ellipsis; each renderer (Markdown, HTML, PPTX) escapes it for itself."""
    s = " ".join(str(text).split())
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def slug(text: str, taken: Sequence[str], fallback: str, prefix: str | None = None) -> str:
    """An id from a name: ASCII snake_case of at most 40 characters (``fallback`` when the name has
    no ASCII letters or digits, e.g. a Chinese name), starting with a letter (``prefix``, default
    ``fallback``, before a leading digit) and unique among ``taken`` (``name_2``, ``name_3`` ...)."""
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or fallback
    if not base[0].isalpha():
        base = f"{prefix or fallback}_{base}"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out

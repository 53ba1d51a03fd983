"""The one error type of the SWOT area: a :class:`CodedError` whose sentence is ``swot.err.<code>``."""
from __future__ import annotations

from typing import Any

from easymall.core.errors import CodedError
from easymall.core.i18n import error_text, has, t
from easymall.core.text import LANGS, Lang

#: The catalogue prefix of every SWOT error sentence: ``error_text(exc, lang, AREA)``.
AREA = "swot.err"


class SwotError(CodedError, ValueError):
    """A SWOT input outside the method or an edit that would make the document invalid.

    ``str(exc)`` is the English sentence (``swot.err.<code>`` in English); ``params`` fill the
    catalogue sentence in the other language, so the words that are themselves translated (the
    field's name ``field``, a value given as ``{"en": ..., "zh": ...}``) are stored translated.
    """

    def __init__(self, code: str, **fields: Any):
        self.fields = fields
        other = next(lang for lang in LANGS if lang != "en")
        super().__init__(t(f"{AREA}.{code}", "en", **_filled(fields, "en")), code=code,
                         **_filled(fields, other))

    def message(self, lang: Lang = "en") -> str:
        """The sentence in ``lang``."""
        return error_text(self, lang, AREA)


def _filled(fields: dict[str, Any], lang: Lang) -> dict[str, Any]:
    out = {}
    for k, v in fields.items():
        if k == "field" and has(f"swot.field.{v}"):
            v = t(f"swot.field.{v}", lang)
        elif isinstance(v, dict) and set(v) == set(LANGS):
            v = v[lang]
        out[k] = v
    return out

"""UI strings in English and Chinese from one catalogue.

Every ``*.yaml`` file in this folder maps ``key: {en: ..., zh: ...}``; files are split by area
(``common.yaml``, ``survey.yaml`` ...) and merged. A key may appear in one file only.
Strings use ``str.format`` fields: ``t("rows_read", "zh", n=3)``.
"""
from __future__ import annotations

from contextlib import suppress
from functools import cache
from pathlib import Path

from easymall.core import yamlio
from easymall.core.text import LANGS, Lang

_DIR = Path(__file__).parent


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "zh": ...}}``. Raises on a duplicate or one-language key."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_DIR.glob("*.yaml")):
        data, _ = yamlio.parse(path.read_bytes())
        for key, value in (data or {}).items():
            if key in merged:
                raise ValueError(f"{path.name}: key {key!r} is already defined in another file")
            if not isinstance(value, dict) or set(value) != set(LANGS):
                raise ValueError(f"{path.name}: key {key!r} needs exactly en and zh")
            merged[key] = {lang: str(value[lang]) for lang in LANGS}
    return merged


def t(key: str, lang: Lang = "en", /, **fields: object) -> str:
    """The UI string ``key`` in ``lang``; a missing key shows as ``⟦key⟧`` so it is noticed."""
    entry = catalogue().get(key)
    if entry is None:
        return f"⟦{key}⟧"
    text = entry[lang]
    return text.format(**fields) if fields else text


def has(key: str) -> bool:
    return key in catalogue()


def localized(message: str, key: str, lang: Lang, /, **fields: object) -> str:
    """``message`` (the domain's own English sentence) in ``lang``: the catalogue's ``key`` filled
    with ``fields`` when ``lang`` is not English and the key exists, else ``message`` as it is."""
    if lang != "en" and key in catalogue():
        with suppress(KeyError, IndexError):  # a field the sentence needs is missing: keep the original
            return t(key, lang, **fields)
    return message


def problem_text(problem: object, lang: Lang = "en", /) -> str:
    """A document problem's "path: message" in ``lang``: pydantic's own sentence in English, the
    catalogue's ``error.<type>`` in Chinese when there is one (our own invariants stay as written)."""
    message = localized(problem.message, f"error.{getattr(problem, 'code', '')}", lang,  # type: ignore[attr-defined]
                        **dict(getattr(problem, "ctx", ())))
    path = getattr(problem, "path", "")
    return f"{path}: {message}" if path else message


def error_text(exc: object, lang: Lang, area: str, /) -> str:
    """A domain error (:class:`easymall.core.errors.CodedError`) as one sentence in ``lang``, from the
    catalogue entry ``<area>.<code>`` (``import.binary``, ``segments.err.name`` ...)."""
    return localized(str(exc), f"{area}.{getattr(exc, 'code', '')}", lang, **getattr(exc, "params", {}))

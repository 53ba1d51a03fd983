"""UI strings in English and Chinese from one catalogue.

Every ``*.yaml`` file in this folder maps ``key: {en: ..., zh: ...}``; files are split by area
(``common.yaml``, ``survey.yaml`` ...) and merged. A key may appear in one file only.
Strings use ``str.format`` fields: ``t("rows_read", "zh", n=3)``.

Errors become sentences here, one way: :func:`explain` says a pydantic error (a validation message
or one of the models' invariants, ``error.<type>``) in a language; :func:`problem_text` says a
stored document's problem through it and :func:`error_text` a domain error
(:class:`easymall.core.errors.CodedError`, ``<area>.<code>``). English is always the error's own
sentence; another language reads the catalogue entry filled with the error's values, and falls back
to the English sentence only when there is no entry.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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


def sentence(english: str, key: str, lang: Lang, fields: Mapping[str, object]) -> str:
    """``english`` (an error's or issue's own sentence) in ``lang``: the catalogue's ``key`` filled with
    ``fields`` when ``lang`` is not English and the key exists, else ``english`` as it is."""
    if lang != "en" and key in catalogue():
        with suppress(KeyError, IndexError):  # a field the sentence needs is missing: keep the original
            return t(key, lang, **fields)
    return english


def explain(err: Mapping[str, Any] | ValidationError, lang: Lang = "en", /) -> str:
    """A pydantic error as one sentence in ``lang``: ``err`` is one item of
    ``ValidationError.errors()`` (``type``, ``msg``, ``ctx``), or a ``ValidationError`` (its first
    error). English is pydantic's message without its ``"Value error, "`` prefix (for a model
    invariant, :func:`easymall.models.common.invalid`, exactly the invariant's sentence); another
    language is the catalogue's ``error.<type>`` filled with ``ctx``."""
    if isinstance(err, ValidationError):
        err = err.errors(include_url=False)[0]
    english = str(err.get("msg", "")).removeprefix("Value error, ")
    return sentence(english, f"error.{err.get('type', '')}", lang, error_context(err))


def error_context(err: Mapping[str, Any]) -> dict[str, str]:
    """A pydantic error's context values as text (what a translated sentence is filled with)."""
    return {k: f"{v:g}" if isinstance(v, float) else str(v) for k, v in (err.get("ctx") or {}).items()
            if k != "error"}


def problem_text(problem: Any, lang: Lang = "en", /) -> str:
    """A document problem (:class:`easymall.store.documents.Problem`) as "path: sentence" in
    ``lang``, the sentence said by :func:`explain` from the problem's message, code and context."""
    message = explain({"type": getattr(problem, "code", ""), "msg": problem.message,
                       "ctx": dict(getattr(problem, "ctx", ()))}, lang)
    path = getattr(problem, "path", "")
    return f"{path}: {message}" if path else message


def error_text(exc: object, lang: Lang, area: str, /) -> str:
    """A domain error (:class:`easymall.core.errors.CodedError`) as one sentence in ``lang``, from the
    catalogue entry ``<area>.<code>`` (``import.binary``, ``segments.err.name`` ...); a pydantic
    ``ValidationError`` through :func:`explain`."""
    if isinstance(exc, ValidationError):
        return explain(exc, lang)
    return sentence(str(exc), f"{area}.{getattr(exc, 'code', '')}", lang, getattr(exc, "params", {}))

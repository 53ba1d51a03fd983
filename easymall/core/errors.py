"""The base of the domain's user-facing errors: one plain English sentence plus its name and values.

An error becomes a sentence in one way: :func:`explain` (defined with the catalogue in
:mod:`easymall.core.i18n`) says a pydantic validation error or model invariant in a language;
:func:`easymall.core.i18n.error_text` says a :class:`CodedError`.
"""
from __future__ import annotations

from easymall.core.i18n import explain

__all__ = ["CodedError", "UserError", "explain"]


class CodedError(Exception):
    """An error whose sentence has a name (``code``) and values (``params``), so a page can say it
    in Chinese from the catalogue (:func:`easymall.core.i18n.error_text`); ``str(exc)`` stays the
    English sentence (CLI, logs, tests)."""

    def __init__(self, message: str, *, code: str = "", **params: object):
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(message)


class UserError(Exception):
    """Bad input on the command line: reported as one sentence, exit code 1."""

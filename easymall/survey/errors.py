"""The one exception the survey importer raises for unreadable input."""
from __future__ import annotations

from easymall.core.errors import CodedError


class SurveyImportError(CodedError):
    """A file that cannot be read as a survey. ``str(exc)`` is one plain sentence for people; its
    ``code`` names the sentence in the catalogue (``import.<code>``) for the Chinese UI."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None, column: str | None = None,
                 code: str = "", **params: object):
        self.file = file
        self.row = row
        self.column = column
        super().__init__(message, code=code, file=file, **params)

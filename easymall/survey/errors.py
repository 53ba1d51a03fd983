"""The one exception the survey importer raises for unreadable input."""
from __future__ import annotations


class SurveyImportError(Exception):
    """A file that cannot be read as a survey. ``str(exc)`` is one plain sentence for people."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None, column: str | None = None):
        self.file = file
        self.row = row
        self.column = column
        super().__init__(message)

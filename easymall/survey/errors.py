"""The one exception the survey importer raises for unreadable input."""
from __future__ import annotations


class SurveyImportError(Exception):
    """A file that cannot be read as a survey. ``str(exc)`` is one plain sentence for people.

    ``code`` names the sentence (``"binary"``, ``"empty"`` ...) and ``params`` holds its values, so
    the UI can say it in Chinese from the catalogue (``import.<code>``); the CLI prints ``str(exc)``.
    """

    def __init__(self, message: str, *, file: str = "", row: int | None = None, column: str | None = None,
                 code: str = "", **params: object):
        self.file = file
        self.row = row
        self.column = column
        self.code = code
        self.params = {"file": file, **{k: str(v) for k, v in params.items()}}
        super().__init__(message)

"""The one exception the survey importer raises for unreadable input, and the issues it reports
for input it reads anyway."""
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


def issue(row: object, column: str | None, code: str, message: str, /, **params: object) -> dict[str, object]:
    """One problem met while reading a file that did not stop the import, as the import report lists
    it: ``row``, ``column``, ``code`` and ``message`` (one English sentence: the CLI and the
    report's JSON), and ``params``, the values the catalogue's ``issue.<code>`` fills to say it in
    another language (a ``variant`` param picks the sentence ``issue.<code>.<variant>``)."""
    return {"row": None if row is None else int(row), "column": column, "code": code, "message": message,
            "params": {k: str(v) for k, v in params.items()}}


#: What a value of a numeric column should have been, by kind (``issue.not_a_number.<kind>``).
EXPECTED = {"number": "a number", "option_number": "an option number", "rating": "a rating"}


def not_a_number(column: str, title: str, kind: str, row: object = None, value: object = None, *,
                 more: int = 0) -> dict[str, object]:
    """The issue for a value of a numeric column that is not ``EXPECTED[kind]`` (it is left empty), or
    for ``more`` such values not listed one by one."""
    what = EXPECTED[kind]
    if more:
        return issue(None, column, "not_a_number", f"column “{title}”: {more} more values are not {what}",
                     title=title, n=more, variant=f"more_{kind}")
    return issue(row, column, "not_a_number", f"row {row}, column “{title}”: “{value}” is not {what}; left empty",
                 row=row, title=title, value=value, variant=kind)

"""What a platform importer hands the assembler: which columns are respondent metadata, which
columns make one question (and of what kind), and the answer rows without the extra header rows.

A column that is neither metadata nor part of a group is inferred on its own (its type from its
values), so nothing is dropped: every column is metadata, part of a question, or an issue.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.survey.errors import SurveyImportError

#: How a group's columns are read (see :mod:`easymall.survey.platforms.assemble`).
KINDS = ("auto", "single", "text", "numeric", "multi_split", "multi_flags", "matrix", "ranking", "each",
         "joined")
#: Platforms, as the import report's ``platform`` key names them.
PLATFORMS: tuple[str, ...] = ("wenjuanxing", "qualtrics", "surveymonkey", "google-forms", "tencent", "alchemer",
                              "spss", "generic")


@dataclass
class Group:
    """Columns (positions) that make one question.

    ``kind``: ``auto`` infer, ``single``/``text``/``numeric`` as said, ``multi_split`` one column of
    choices joined by ``sep``, ``multi_flags`` one column per option (chosen when not empty and not
    0/Unchecked), ``matrix`` one rating per row, ``ranking`` one rank per option, ``each`` one
    question per column (titled "title — label"), ``joined`` the parts of one cascading answer."""

    qid: str
    title: str
    kind: str
    columns: list[int]
    labels: list[str] = field(default_factory=list)
    other: int | None = None
    sep: str | None = None
    checked: object = None  # multi_flags: the value meaning "chosen" (None: any non-empty, non-zero value)


@dataclass
class Prepared:
    platform: str
    header: list[str]
    body: pd.DataFrame
    meta: dict[int, str] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    issues: list[dict[str, object]] = field(default_factory=list)
    value_labels: dict[int, dict[object, str]] = field(default_factory=dict)
    #: columns whose blank or repeated header the platform explains (continuation columns, pickers):
    #: the header cleaning's issue about them is dropped
    expected_headers: set[int] = field(default_factory=set)
    #: SPSS variable names (question ids of the columns read on their own)
    names: list[str] = field(default_factory=list)


def numbers(col: pd.Series) -> np.ndarray:
    """A column as floats (NaN where not a number), parsed once per distinct value."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    values = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(float)
    return np.append(values, np.nan)[codes]


def dates(col: pd.Series) -> np.ndarray:
    """A column as datetimes: one inferred format first (fast), every cell on its own where that fails."""
    text = col.astype("string").str.strip()
    filled = int(text.fillna("").ne("").sum())
    try:
        with warnings.catch_warnings():  # "could not infer format": then every cell on its own, below
            warnings.simplefilter("ignore", UserWarning)
            when = pd.to_datetime(text, errors="coerce")
    except (ValueError, TypeError):
        when = None
    if when is None or int(when.notna().sum()) < filled:
        when = pd.to_datetime(text, errors="coerce", format="mixed")
    return when.to_numpy()


def rows_only(body: pd.DataFrame, skip: int) -> pd.DataFrame:
    """The body without its first ``skip`` rows (extra header rows), numbered 1.. again."""
    out = body.iloc[skip:].copy()
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


def cell(body: pd.DataFrame, row: int, col: int) -> str:
    """The text of a cell of the body (row 1-based as in the body's index), '' when empty."""
    if row not in body.index:
        return ""
    v = body.at[row, col]
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def not_this(file: str, platform: str, reason: str) -> SurveyImportError:
    return SurveyImportError(f"{file} is not a {LABELS[platform]} export ({reason})", file=file,
                             code="not_platform", platform=LABELS[platform], reason=reason)


LABELS = {"wenjuanxing": "Wenjuanxing", "qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey",
          "google-forms": "Google Forms", "tencent": "Tencent Survey", "alchemer": "Alchemer (SurveyGizmo)",
          "spss": "SPSS", "generic": "generic table"}

_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def qid_of(text: str, fallback: str) -> str:
    """A question id from an export tag ("Q5", "QID12"), or ``fallback``."""
    t = _SLUG.sub("_", text.strip()).strip("_")
    return t if t and t[0].isalpha() and len(t) <= 64 else fallback

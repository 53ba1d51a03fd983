"""A survey dataset: the questions and one row per respondent (the cross-area contract).

Frame layout (index = 1-based data row number in the file)::

    single   -> "<id>": option label (str, NaN when skipped)
    multi    -> "<id>::<option>": bool, one per option (False when skipped; see "_answered::<id>")
    matrix   -> "<id>::<row>": float, one per row (e.g. 1..5)
    scale    -> "<id>": float (0..10, 1..5, 1..7)
    ranking  -> "<id>::<option>": float rank (NaN unranked)
    numeric  -> "<id>": float;  text -> "<id>": str
    meta     -> columns starting with "_": _id (序号), _duration_s, _ip, _province, _city, _submitted,
                _source, _answered::<id> (multi/ranking: whether the question was shown and answered),
                _other::<id> (the 〖other〗 text)

``Question.columns`` lists the frame columns that hold the question's answers; for a matrix,
``rows`` are the row labels and ``options`` the scale points ("1".."5"); for a scale, ``options``
are the points ("0".."10").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from easymall.models.common import by_id

QType = Literal["single", "multi", "matrix", "scale", "ranking", "numeric", "text"]
QTYPES: tuple[str, ...] = ("single", "multi", "matrix", "scale", "ranking", "numeric", "text")
#: Question types whose answers are spread over one column per option or row.
WIDE_TYPES = ("multi", "matrix", "ranking")
SEP = "::"


@dataclass(frozen=True)
class Question:
    """One question as found in the export."""

    id: str
    title: str
    type: QType
    options: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "type": self.type, "options": list(self.options),
                "rows": list(self.rows), "columns": list(self.columns)}


def column_name(qid: str, part: str | None = None) -> str:
    """The frame column for a question (and an option or matrix row of it)."""
    return qid if part is None else f"{qid}{SEP}{part}"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Questions plus answers; treat as read-only (it is shared between sessions)."""

    questions: list[Question]
    frame: pd.DataFrame
    name: str = ""
    _codes: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def codes(self, qid: str) -> np.ndarray:
        """A single question's answers as option positions (−1 when skipped), computed once."""
        hit = self._codes.get(qid)
        if hit is None:
            q = self.question(qid)
            hit = np.asarray(pd.Categorical(self.frame[qid], categories=q.options).codes, dtype=np.int16)
            hit.setflags(write=False)
            self._codes[qid] = hit
        return hit

    def question(self, qid: str) -> Question:
        return by_id(self.questions, qid, "question")

    def has(self, qid: str) -> bool:
        return any(q.id == qid for q in self.questions)

    def answered(self, qid: str) -> pd.Series:
        """Bool per respondent: the question was answered (not skipped, not empty)."""
        q = self.question(qid)
        if q.type in ("multi", "ranking"):
            col = f"_answered{SEP}{qid}"
            if col in self.frame:
                return self.frame[col].astype(bool)
            block = self.frame[q.columns]
            return block.any(axis=1) if q.type == "multi" else block.notna().any(axis=1)
        if q.type == "matrix":
            return self.frame[q.columns].notna().any(axis=1)
        return self.frame[q.id].notna()

    @property
    def n(self) -> int:
        return len(self.frame)

    def meta_columns(self) -> list[str]:
        return [c for c in self.frame.columns if str(c).startswith("_")]

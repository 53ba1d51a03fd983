"""The user's corrections of an import (``survey.yaml`` → ``imports.questions``) applied to a dataset:
another type for a question, a matrix or ranking split into one question per row, or several rating
questions merged into one matrix. Pure: a dataset in, a new dataset out (the shared one is never
changed); an override that cannot apply is an issue of the import, never a crash.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from easymall.core.errors import CodedError
from easymall.models.survey import QuestionOverride
from easymall.survey.builders import MULTI_SEPS, _scale_points
from easymall.survey.cells import _cell_str, order_options
from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.errors import issue

ONE_COLUMN = ("single", "scale", "numeric", "text")


class OverrideError(CodedError):
    """An override that does not fit the question it names (one sentence, ``override.<code>``)."""


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def same_title(kept: str, found: str) -> bool:
    """Whether the title an override was saved with is the title found in the data (ignoring case,
    spaces and punctuation; one may be a shortened form of the other)."""
    a, b = _PUNCT.sub("", kept).lower(), _PUNCT.sub("", found).lower()
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _fail(code: str, message: str, **params: object) -> OverrideError:
    return OverrideError(message, code=code, **params)


def _points(values: np.ndarray) -> list[str]:
    points = _scale_points(values)
    if points:
        return points
    v = values[~np.isnan(values)]
    if len(v) and np.all(v == np.round(v)) and v.max() - v.min() <= 10:
        return [str(i) for i in range(int(v.min()), int(v.max()) + 1)]
    return []


def _strings(series: pd.Series) -> pd.Series:
    return series.map(lambda v: _cell_str(v) if not isinstance(v, str) else (v.strip() or None)).astype(object)


def retype(ds: Dataset, frame: pd.DataFrame, q: Question, new: str) -> Question:
    """``q`` read as a ``new`` type; ``frame`` (a copy) gets the new columns."""
    if new == q.type:
        return q
    if q.type in ONE_COLUMN and new in ONE_COLUMN:
        col = frame[q.id]
        if new == "text":
            frame[q.id] = _strings(col)
            return Question(q.id, q.title, "text", [], [], [q.id])
        if new == "single":
            text = _strings(col)
            frame[q.id] = text
            return Question(q.id, q.title, "single", order_options([str(x) for x in text.dropna().unique()]), [],
                            [q.id])
        values = pd.to_numeric(col, errors="coerce").to_numpy(float)
        if int(np.sum(~np.isnan(values))) < int(col.notna().sum()) / 2:
            raise _fail("not_numbers", f"{q.id}: most answers are not numbers, so it cannot be {new}", question=q.id,
                        type=new)
        frame[q.id] = values
        return Question(q.id, q.title, new, _points(values) if new == "scale" else [], [], [q.id])  # type: ignore[arg-type]
    if q.type in ("single", "text") and new == "multi":
        text = _strings(frame[q.id])
        sep = next((s for s in MULTI_SEPS if text.str.contains(s, regex=False).fillna(False).any()), None)
        if sep is None:
            raise _fail("no_separator", f"{q.id}: no answer holds several choices", question=q.id)
        parts = text.map(lambda v: [p.strip() for p in v.split(sep) if p.strip()] if isinstance(v, str) else None)
        opts = order_options(list(dict.fromkeys(p for ps in parts.dropna() for p in ps)))
        frame.drop(columns=[q.id], inplace=True)
        for o in opts:
            frame[f"{q.id}{SEP}{o}"] = parts.map(lambda ps, o=o: bool(ps) and o in ps).to_numpy(bool)
        frame[f"_answered{SEP}{q.id}"] = parts.notna().to_numpy(bool)
        return Question(q.id, q.title, "multi", opts, [], [f"{q.id}{SEP}{o}" for o in opts])
    if q.type in ("matrix", "ranking") and new in ("matrix", "ranking"):
        labels = q.rows if q.type == "matrix" else q.options
        if new == "ranking":
            return Question(q.id, q.title, "ranking", list(labels), [], list(q.columns))
        values = frame[q.columns].to_numpy(float).ravel()
        return Question(q.id, q.title, "matrix", _points(values), list(labels), list(q.columns))
    if q.type == "multi" and new == "text":
        block = frame[q.columns].to_numpy(bool)
        answered = ds.answered(q.id).to_numpy(bool)
        frame[q.id] = ["; ".join(o for o, hit in zip(q.options, row, strict=True) if hit) if a else None
                       for row, a in zip(block, answered, strict=True)]
        return Question(q.id, q.title, "text", [], [], [q.id])
    raise _fail("type", f"{q.id} is a {q.type} question; it cannot be read as {new}", question=q.id, type=q.type,
                new=new)


def split(frame: pd.DataFrame, q: Question, taken: set[str]) -> list[Question]:
    """A matrix (or ranking) as one scale (or numeric) question per row."""
    if q.type not in ("matrix", "ranking"):
        raise _fail("split", f"{q.id} is a {q.type} question; only a matrix or ranking splits into rows",
                    question=q.id, type=q.type)
    labels = q.rows if q.type == "matrix" else q.options
    out = []
    for i, (lab, col) in enumerate(zip(labels, q.columns, strict=True), start=1):
        qid, k = f"{q.id}_{i}", 2
        while qid in taken:
            qid, k = f"{q.id}_{i}_{k}", k + 1
        taken.add(qid)
        frame[qid] = frame[col].to_numpy(float)
        kind = "scale" if q.type == "matrix" and q.options else "numeric"
        out.append(Question(qid, f"{q.title} — {lab}", kind, list(q.options) if kind == "scale" else [], [], [qid]))
    return out


def merge(frame: pd.DataFrame, q: Question, others: list[Question]) -> Question:
    """Rating questions (scale or numeric) as the rows of one matrix, titled by ``q``."""
    group = [q, *others]
    bad = [g.id for g in group if g.type not in ("scale", "numeric")]
    if bad:
        raise _fail("merge", f"{', '.join(bad)}: only scale or numeric questions merge into a matrix",
                    questions=", ".join(bad))
    rows = [g.title if [x.title for x in group].count(g.title) == 1 else f"{g.title} ({g.id})" for g in group]
    cols = []
    for g, row in zip(group, rows, strict=True):
        col = f"{q.id}{SEP}{row}"
        frame[col] = pd.to_numeric(frame[g.id], errors="coerce").to_numpy(float)
        cols.append(col)
    values = frame[cols].to_numpy(float).ravel()
    return Question(q.id, q.title, "matrix", _points(values), rows, cols)


def apply_overrides(ds: Dataset, overrides: list[QuestionOverride]) -> tuple[Dataset, list[dict[str, object]]]:
    """``ds`` with every override that fits applied, and an issue for each that does not."""
    if not overrides:
        return ds, []
    frame = ds.frame.copy()
    questions = list(ds.questions)
    issues: list[dict[str, object]] = []
    taken = {q.id for q in questions}
    for o in overrides:
        at = next((i for i, q in enumerate(questions) if q.id == o.question), None)
        if at is None or (o.title and not same_title(o.title, questions[at].title)):
            issues.append(issue(None, o.question, "override_unused", f"the override of {o.question} matches no "
                                "question of this file", question=o.question))
            continue
        q = questions[at]
        try:
            if o.split:
                questions[at:at + 1] = split(frame, q, taken)
                continue
            if o.merge:
                others = [x for x in questions if x.id in o.merge]
                missing = [m for m in o.merge if m not in {x.id for x in others}]
                if missing:
                    raise _fail("merge_missing", f"{', '.join(missing)} is not a question of this file",
                                questions=", ".join(missing))
                q = merge(frame, q, others)
                questions = [x for x in questions if x.id not in o.merge]
                at = next(i for i, x in enumerate(questions) if x.id == o.question)
            if o.type:
                q = retype(ds, frame, q, o.type)
            questions[at] = q
        except OverrideError as exc:
            issues.append(issue(None, o.question, "override_failed", str(exc), question=o.question,
                                reason=exc.code))
    return Dataset(questions, frame, ds.name), issues

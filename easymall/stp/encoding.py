"""Mixed-type answers as one feature matrix: one-hot / rank / 0-1 encoded, centred, and scaled **per
question** so that each chosen question carries the same total variance (a 7-row matrix does not
outweigh gender). The encoding is stored with a cluster model and applied to any later survey wave.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from easymall.models.stp import EncodedVariable
from easymall.stp.rules import SegmentError, option_orders, question_of
from easymall.survey import SEP, Dataset, Question

# --------------------------------------------------------------------------- encoding


@dataclass(frozen=True)
class Encoding:
    """Feature matrix (rows = respondents) and how each question was encoded."""

    matrix: np.ndarray
    variables: list[EncodedVariable]

    @property
    def width(self) -> int:
        return self.matrix.shape[1]


def _kind(q: Question, ordinal: Sequence[str], frame: pd.DataFrame) -> str:
    if q.type == "single":
        return "ordinal" if q.id in ordinal else "nominal"
    if q.type == "multi":
        return "multi"
    if q.type in ("matrix", "ranking"):
        return "matrix"
    if q.type == "numeric":
        col = frame[q.id].astype(float)
        valid = col.dropna()
        if len(valid) > 2 and valid.min() >= 0 and float(valid.skew()) > 0.5:
            return "log"
        return "numeric"
    if q.type == "scale":
        return "numeric"
    raise SegmentError(f"{q.id}: free-text answers cannot be clustered; choose other questions", code="free_text",
                       question=q.id)


def _raw(dataset: Dataset, qid: str, kind: str, parts: list[str]) -> np.ndarray:
    """Unscaled columns of one question (NaN where skipped)."""
    frame = dataset.frame
    n = len(frame)
    if kind == "nominal":
        col = frame[qid]
        answered = col.notna().to_numpy()
        out = np.stack([(col == p).to_numpy(dtype=float) for p in parts], axis=1)
        out[~answered] = np.nan
        return out
    if kind == "ordinal":
        rank = {label: i / max(len(parts) - 1, 1) for i, label in enumerate(parts)}
        return frame[qid].map(rank).to_numpy(dtype=float).reshape(n, 1)
    if kind == "multi":
        answered = dataset.answered(qid).to_numpy()
        cols = [f"{qid}{SEP}{p}" for p in parts]
        present = [c if c in frame else None for c in cols]
        out = np.stack([frame[c].fillna(False).to_numpy(dtype=float) if c else np.zeros(n) for c in present], axis=1)
        out[~answered] = np.nan
        return out
    if kind == "matrix":
        cols = [f"{qid}{SEP}{p}" for p in parts]
        return np.stack([frame[c].to_numpy(dtype=float) if c in frame else np.full(n, np.nan) for c in cols],
                        axis=1)
    values = frame[qid].to_numpy(dtype=float).reshape(n, 1)
    if kind == "log":
        values = np.log1p(np.clip(values, 0, None))
    return values


def encode(dataset: Dataset, questions: Sequence[str], *, ordinal: Sequence[str] = (),
           orders: dict[str, list[str]] | None = None) -> Encoding:
    """Fit the encoding of ``questions`` on ``dataset`` and return the scaled feature matrix.

    Skipped answers are imputed with the column mean (the centre, so they add no distance); each
    question's columns are divided by one factor so the question's total variance is 1.
    """
    if not questions:
        raise SegmentError("choose at least one question to cluster on", code="no_questions")
    orders = orders if orders is not None else option_orders(dataset)
    variables: list[EncodedVariable] = []
    blocks: list[np.ndarray] = []
    for qid in questions:
        q = question_of(dataset, qid)
        kind = _kind(q, ordinal, dataset.frame)
        if kind in ("nominal", "ordinal", "multi"):
            parts = list(orders.get(qid) or q.options)
            if kind != "ordinal":
                parts += [o for o in q.options if o not in parts]
        elif kind == "matrix":
            parts = list(q.rows) if q.rows else [c.split(SEP, 1)[1] for c in q.columns]
            if q.type == "ranking":
                parts = list(q.options)
        else:
            parts = []
        raw = _raw(dataset, qid, kind, parts)
        center = np.nanmean(raw, axis=0) if raw.size else np.zeros(raw.shape[1])
        center = np.where(np.isnan(center), 0.0, center)
        filled = np.where(np.isnan(raw), center, raw)
        total_var = float(filled.var(axis=0).sum())
        block_scale = math.sqrt(total_var) if total_var > 1e-12 else 1.0
        scale = np.full(raw.shape[1], block_scale)
        variables.append(EncodedVariable(question=qid, kind=kind, parts=parts, center=center.tolist(),
                                         scale=scale.tolist()))
        blocks.append((filled - center) / scale)
    return Encoding(np.hstack(blocks).astype(np.float64), variables)


def apply_encoding(dataset: Dataset, variables: Sequence[EncodedVariable]) -> np.ndarray:
    """The feature matrix of ``dataset`` under a stored encoding (skipped answers at the centre)."""
    blocks = []
    for v in variables:
        question_of(dataset, v.question)
        raw = _raw(dataset, v.question, v.kind, list(v.parts))
        center, scale = np.asarray(v.center), np.asarray(v.scale)
        blocks.append(np.where(np.isnan(raw), 0.0, (raw - center) / scale))
    return np.hstack(blocks)


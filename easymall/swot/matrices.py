"""IFE and EFE matrices (F. R. David, *Strategic Management*).

Each matrix lists 10–20 key factors with weights 0.0–1.0 that sum to 1.0 within the matrix and
ratings 1–4. IFE (strengths + weaknesses): 1 major weakness, 2 minor weakness, 3 minor strength,
4 major strength. EFE (opportunities + threats): how well current strategy responds, 1 poor …
4 superior. Total weighted score = Σ weight × rating, between 1.0 and 4.0; 2.5 is average.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from easymall.models.common import Text
from easymall.models.swot import QUADRANTS, SwotDocument, SwotItem
from easymall.swot.diagnostics import Diagnostic
from easymall.swot.errors import SwotError

MatrixKind = Literal["IFE", "EFE"]
MIN_FACTORS, MAX_FACTORS = 10, 20
MAX_WEIGHT = 0.30
#: Weights "sum to 1.0" when they do so to two decimals, the precision people read and type them in.
SUM_TOLERANCE = 0.005
AVERAGE = 2.5


@dataclass(frozen=True)
class FactorRow:
    """One row of an IFE/EFE table."""

    id: str
    quadrant: str
    text: Text
    weight: float
    rating: int
    score: float  # weight × rating


@dataclass(frozen=True)
class MatrixTable:
    kind: MatrixKind
    rows: list[FactorRow]
    weight_sum: float
    total: float

    @property
    def weights_ok(self) -> bool:
        return abs(self.weight_sum - 1.0) < SUM_TOLERANCE


def _check_pair(weight: object, rating: object, where: str | dict[str, str]) -> tuple[float, int]:
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        raise SwotError("factor_weight_type", where=where, value=repr(weight))
    if not 0.0 <= weight <= 1.0:
        raise SwotError("factor_weight_range", where=where, value=weight)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
        raise SwotError("factor_rating", where=where, value=repr(rating))
    return float(weight), rating


def weighted_total(factors: Iterable[tuple[float, int]]) -> float:
    """Σ weight × rating over ``(weight, rating)`` pairs, after checking each is in range."""
    total = 0.0
    for n, (w, r) in enumerate(factors, start=1):
        weight, rating = _check_pair(w, r, {"en": f"factor {n}", "zh": f"第 {n} 个因素"})
        total += weight * rating
    return total


def _strict_checks(kind: MatrixKind, groups: dict[str, Sequence[SwotItem]]) -> None:
    items = [i for g in groups.values() for i in g]
    for item in items:
        _check_pair(item.weight, item.rating, item.id)
    if kind == "IFE":
        for item in groups.get("strengths", ()):
            if item.rating not in (3, 4):
                raise SwotError("strength_rating", where=item.id, rating=item.rating)
        for item in groups.get("weaknesses", ()):
            if item.rating not in (1, 2):
                raise SwotError("weakness_rating", where=item.id, rating=item.rating)
    s = sum(i.weight for i in items)
    if abs(s - 1.0) >= SUM_TOLERANCE:
        raise SwotError("weight_sum", where=kind, sum=f"{s:.2f}")


def ife_total(strengths: Sequence[SwotItem], weaknesses: Sequence[SwotItem], *, strict: bool = True) -> float:
    """The IFE total weighted score. ``strict`` also enforces the textbook rules (strengths 3–4,
    weaknesses 1–2, weights summing to 1.0) and raises ``ValueError`` naming the first breach."""
    if strict:
        _strict_checks("IFE", {"strengths": strengths, "weaknesses": weaknesses})
    return weighted_total((i.weight, i.rating) for i in [*strengths, *weaknesses])


def efe_total(opportunities: Sequence[SwotItem], threats: Sequence[SwotItem], *, strict: bool = True) -> float:
    """The EFE total weighted score (see :func:`ife_total`)."""
    if strict:
        _strict_checks("EFE", {"opportunities": opportunities, "threats": threats})
    return weighted_total((i.weight, i.rating) for i in [*opportunities, *threats])


def _table(kind: MatrixKind, doc: SwotDocument, quadrants: tuple[str, str]) -> MatrixTable:
    rows = [FactorRow(i.id, q, i.text, i.weight, i.rating, i.weight * i.rating)
            for q in quadrants for i in getattr(doc, q)]
    return MatrixTable(kind, rows, sum(r.weight for r in rows), sum(r.score for r in rows))


def ife_table(doc: SwotDocument) -> MatrixTable:
    """The IFE table of a document as it is (rules unchecked: see :func:`swot_diagnostics`)."""
    return _table("IFE", doc, ("strengths", "weaknesses"))


def efe_table(doc: SwotDocument) -> MatrixTable:
    return _table("EFE", doc, ("opportunities", "threats"))


def normalise_weights(weights: Sequence[float], decimals: int = 2) -> list[float]:
    """Scale ``weights`` to sum to exactly 1 at ``decimals`` places (largest-remainder rounding).

    All-zero weights become equal shares. Relative sizes are kept as closely as rounding allows.
    """
    n = len(weights)
    if n == 0:
        return []
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise SwotError("weight_negative", value=repr(w))
    total = float(sum(weights))
    shares = [w / total for w in weights] if total > 0 else [1.0 / n] * n
    unit = 10**decimals
    raw = [s * unit for s in shares]
    floors = [math.floor(r) for r in raw]
    left = unit - sum(floors)
    order = sorted(range(n), key=lambda k: (raw[k] - floors[k], -k), reverse=True)
    for k in order[:left]:
        floors[k] += 1
    return [f / unit for f in floors]


def swot_diagnostics(doc: SwotDocument) -> list[Diagnostic]:
    """The soft textbook rules for the IFE and EFE matrices, as inline messages."""
    out: list[Diagnostic] = []
    for kind, quads in (("IFE", ("strengths", "weaknesses")), ("EFE", ("opportunities", "threats"))):
        items = [i for q in quads for i in getattr(doc, q)]
        n = len(items)
        if n < MIN_FACTORS or n > MAX_FACTORS:
            out.append(Diagnostic("warning", "factor_count", kind, {"n": n, "low": MIN_FACTORS, "high": MAX_FACTORS}))
        s = sum(i.weight for i in items)
        if n and abs(s - 1.0) >= SUM_TOLERANCE:
            out.append(Diagnostic("error", "weight_sum", kind, {"sum": f"{s:.2f}"}))
        for i in items:
            if i.weight > MAX_WEIGHT:
                out.append(Diagnostic("warning", "weight_high", i.id, {"weight": f"{i.weight:.2f}",
                                                                        "max": f"{MAX_WEIGHT:.2f}"}))
    for i in doc.strengths:
        if i.rating not in (3, 4):
            out.append(Diagnostic("error", "strength_rating", i.id, {"rating": i.rating}))
    for i in doc.weaknesses:
        if i.rating not in (1, 2):
            out.append(Diagnostic("error", "weakness_rating", i.id, {"rating": i.rating}))
    for q in QUADRANTS:
        if not getattr(doc, q):
            out.append(Diagnostic("warning", "quadrant_empty", q))
    return out

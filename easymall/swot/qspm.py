"""The quantitative strategic planning matrix (F. R. David, stage 3).

Rows are the IFE and EFE factors with their weights; columns are alternative strategies.
Attractiveness scores (AS): 1 not, 2 somewhat, 3 reasonably, 4 highly attractive. A factor that
does not affect the choice gets no score in any column — all or none: a row scored in some
columns only breaks the method, is reported and left out of the sums until completed.
TAS = weight × AS; the strategy with the largest sum of TAS is the most attractive.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from easymall.models.common import Text
from easymall.models.swot import SwotDocument
from easymall.swot.diagnostics import Diagnostic
from easymall.swot.errors import SwotError


@dataclass(frozen=True)
class QspmLine:
    id: str
    quadrant: str
    text: Text
    weight: float
    scores: dict[str, int]          # only the columns scored
    tas: dict[str, float]           # weight × AS, for complete rows
    state: str                      # "scored" | "none" | "partial"


@dataclass(frozen=True)
class QspmResult:
    strategies: list[str]
    lines: list[QspmLine]
    totals: dict[str, float]
    winners: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _check_as(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise SwotError("attractiveness", where=where, value=repr(value))
    return value


def qspm_totals(weights: Mapping[str, float], strategies: Sequence[str],
                scores: Mapping[str, Mapping[str, int]]) -> tuple[dict[str, float], list[str]]:
    """Sum of TAS per strategy over the complete rows, and the factor ids of partial rows.

    ``weights`` is factor id → weight; ``scores`` factor id → {strategy id → AS}. Raises
    ``ValueError`` for an AS outside 1–4 or a score of a factor with no weight.
    """
    totals = {s: 0.0 for s in strategies}
    partial: list[str] = []
    for fid, row in scores.items():
        if fid not in weights:
            raise SwotError("qspm_factor", where=fid)
        given = {s: _check_as(row[s], f"{fid}/{s}") for s in strategies if s in row}
        if not given:
            continue
        if len(given) < len(strategies):
            partial.append(fid)
            continue
        for s, a in given.items():
            totals[s] += weights[fid] * a
    return totals, partial


def qspm(doc: SwotDocument) -> QspmResult:
    """The QSPM of a document, with the all-or-none rule and references checked."""
    diags: list[Diagnostic] = []
    known = {s.id for s in doc.strategies}
    columns = []
    for sid in doc.qspm.strategies:
        if sid in known:
            columns.append(sid)
        else:
            diags.append(Diagnostic("error", "qspm_strategy_unknown", sid))
    factors = [(q, i) for q in ("strengths", "weaknesses", "opportunities", "threats") for i in getattr(doc, q)]
    weights = {i.id: i.weight for _, i in factors}
    given = {r.id: dict(r.scores) for r in doc.qspm.rows}
    for fid in given:
        if fid not in weights:
            diags.append(Diagnostic("error", "qspm_factor_unknown", fid))
    scores = {fid: row for fid, row in given.items() if fid in weights}
    totals, partial = qspm_totals(weights, columns, scores)
    for fid in partial:
        missing = [s for s in columns if s not in scores[fid]]
        diags.append(Diagnostic("error", "qspm_partial", fid, {"missing": ", ".join(missing)}))
    lines = []
    for q, item in factors:
        row = {s: a for s, a in scores.get(item.id, {}).items() if s in columns}
        state = "none" if not row else "partial" if item.id in partial else "scored"
        tas = {s: item.weight * a for s, a in row.items()} if state == "scored" else {}
        lines.append(QspmLine(item.id, q, item.text, item.weight, row, tas, state))
    if len(columns) < 2 and doc.qspm.strategies:
        diags.append(Diagnostic("warning", "qspm_few_columns", "QSPM", {"n": len(columns)}))
    scored_any = any(line.state == "scored" for line in lines)
    winners: list[str] = []
    if columns and scored_any:
        best = max(round(totals[s], 6) for s in columns)
        winners = [s for s in columns if round(totals[s], 6) == best]
    return QspmResult(columns, lines, totals, winners, diags)

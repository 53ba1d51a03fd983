"""The quantitative strategic planning matrix (F. R. David, stage 3).

Rows are the IFE and EFE factors with their weights; columns are alternative strategies.
Attractiveness scores (AS): 1 not, 2 somewhat, 3 reasonably, 4 highly attractive. A factor that
does not affect the choice gets no score in any column — all or none: a row scored in some
columns only breaks the method, is reported and left out of the sums until completed.
TAS = weight × AS; the strategy with the largest sum of TAS is the most attractive — unless the
margin to the runner-up is below :data:`TIE_MARGIN`, when the two (or more) are a tie: the scores
are judgements, and one attractiveness point more or less on a factor of weight 0.10 moves a sum by
0.10, so a smaller lead is within the judgement's noise.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from easymall.models.common import Text
from easymall.models.swot import SwotDocument
from easymall.swot.diagnostics import Diagnostic
from easymall.swot.errors import SwotError

#: A lead in the sum of TAS below this is a tie (one AS point on a factor of weight 0.10).
TIE_MARGIN = 0.10


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
    margin: float | None = None  # the leader's sum of TAS minus the runner-up's
    tied: list[str] = field(default_factory=list)  # strategies within TIE_MARGIN of the leader (≥ 2: a tie)

    @property
    def tie(self) -> bool:
        return len(self.tied) > 1

    @property
    def runner_up(self) -> str | None:
        ranked = sorted(self.strategies, key=lambda s: -self.totals[s])
        return ranked[1] if len(ranked) > 1 else None


def tie_rule(totals: Mapping[str, float], threshold: float = TIE_MARGIN) -> tuple[float | None, list[str]]:
    """The margin between the top two sums and the strategies within ``threshold`` of the top
    (best first); with one strategy the margin is None."""
    ranked = sorted(totals, key=lambda s: -totals[s])
    if not ranked:
        return None, []
    top = totals[ranked[0]]
    margin = top - totals[ranked[1]] if len(ranked) > 1 else None
    return margin, [s for s in ranked if top - totals[s] < threshold - 1e-9]


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
    margin, tied = None, []
    if columns and scored_any:
        best = max(round(totals[s], 6) for s in columns)
        winners = [s for s in columns if round(totals[s], 6) == best]
        margin, tied = tie_rule({s: totals[s] for s in columns})
    return QspmResult(columns, lines, totals, winners, diags, margin, tied)

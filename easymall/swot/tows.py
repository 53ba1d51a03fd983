"""The TOWS matrix (Weihrich, *Long Range Planning* 15(2), 1982).

SO use strengths to seize opportunities (maxi-maxi); ST use strengths to blunt threats
(maxi-mini); WO fix weaknesses by taking opportunities (mini-maxi); WT minimise weaknesses and
avoid threats (mini-mini). A strategy pairs at least one item of each of its two quadrants and
only items of those quadrants.
"""
from __future__ import annotations

from easymall.models.swot import STRATEGY_TYPES, Strategy, SwotDocument
from easymall.swot.diagnostics import Diagnostic

#: strategy type -> the two quadrants it pairs
SIDES: dict[str, tuple[str, str]] = {
    "SO": ("strengths", "opportunities"), "ST": ("strengths", "threats"),
    "WO": ("weaknesses", "opportunities"), "WT": ("weaknesses", "threats"),
}
_ORDER = {"high": 0, "medium": 1, "low": 2}


def tows_matrix(doc: SwotDocument) -> dict[str, list[Strategy]]:
    """Strategies by type (SO, ST, WO, WT), high priority first, document order within a priority."""
    out: dict[str, list[Strategy]] = {t: [] for t in STRATEGY_TYPES}
    for s in doc.strategies:
        out[s.type].append(s)
    for t in out:
        out[t].sort(key=lambda s: _ORDER[s.priority])
    return out


def allowed_pairs(doc: SwotDocument, strategy_type: str) -> list[str]:
    """The item ids a strategy of ``strategy_type`` may pair (for the pick list)."""
    a, b = SIDES[strategy_type]
    return [i.id for q in (a, b) for i in getattr(doc, q)]


def tows_diagnostics(doc: SwotDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for s in doc.strategies:
        a, b = SIDES[s.type]
        unknown = [p for p in s.pairs if doc.quadrant_of(p) is None]
        if unknown:
            out.append(Diagnostic("error", "pair_unknown", s.id, {"ids": ", ".join(unknown)}))
        quads = {p: doc.quadrant_of(p) for p in s.pairs if p not in unknown}
        wrong = [p for p, q in quads.items() if q not in (a, b)]
        if wrong:
            out.append(Diagnostic("warning", "pair_quadrant", s.id, {"ids": ", ".join(wrong), "type": s.type}))
        for side in (a, b):
            if side not in quads.values():
                out.append(Diagnostic("warning", "pair_missing", s.id, {"type": s.type, "side": side[0].upper()}))
    return out

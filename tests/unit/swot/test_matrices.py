"""IFE / EFE totals, the textbook's rules, weight normalising and diagnostics (easymall.swot.matrices)."""
from __future__ import annotations

import math

import pytest

from easymall.models.swot import SwotDocument
from easymall.store import Workspace
from easymall.swot.ie import ie_cell
from easymall.swot.matrices import efe_total, ife_total, normalise_weights, swot_diagnostics, weighted_total
from easymall.swot.qspm import qspm
from easymall.swot.space import space_vector
from easymall.swot.tows import tows_diagnostics
from tests.conftest import ROOT
from tests.unit.swot.worked import OPP, S, T, W, item


def test_ife_and_efe_totals_match_the_worked_examples() -> None:
    assert ife_total(S, W) == pytest.approx(2.70)
    assert efe_total(OPP, T) == pytest.approx(2.45)
    assert weighted_total([(0.5, 4), (0.5, 1)]) == pytest.approx(2.5)


def test_strict_totals_enforce_the_textbook_rules() -> None:
    with pytest.raises(ValueError, match="a strength is rated 3 or 4, not 2"):
        ife_total([item("S1", 0.5, 2)], [item("W1", 0.5, 1)])
    with pytest.raises(ValueError, match="a weakness is rated 1 or 2, not 3"):
        ife_total([item("S1", 0.5, 4)], [item("W1", 0.5, 3)])
    with pytest.raises(ValueError, match="EFE weights sum to 0.90, not 1.00"):
        efe_total([item("O1", 0.5, 2)], [item("T1", 0.4, 2)])
    # not strict: the total of what is there (while the user is still editing)
    assert efe_total([item("O1", 0.5, 2)], [item("T1", 0.4, 2)], strict=False) == pytest.approx(1.8)


@pytest.mark.parametrize("pair", [("abc", 3), (-1, 3), (1.5, 3), (0.1, 7), (0.1, 0), (0.1, 2.5), (math.nan, 2)])
def test_weighted_total_rejects_values_outside_the_method(pair: tuple[object, object]) -> None:
    with pytest.raises(ValueError):
        weighted_total([pair])  # type: ignore[list-item]


def test_normalise_weights_sums_to_exactly_one_at_two_decimals() -> None:
    assert normalise_weights([0.2, 0.2, 0.2]) == [0.34, 0.33, 0.33]
    assert normalise_weights([1, 3]) == [0.25, 0.75]
    assert normalise_weights([0, 0, 0, 0]) == [0.25] * 4
    w = normalise_weights([0.13, 0.07, 0.11, 0.05, 0.09, 0.12, 0.03])
    assert round(sum(w) * 100) == 100
    with pytest.raises(ValueError):
        normalise_weights([0.1, -0.1])


def test_diagnostics_name_each_broken_rule() -> None:
    doc = SwotDocument(strengths=[item("S1", 0.35, 2)], weaknesses=[item("W1", 0.5, 3)],
                       opportunities=[item("O1", 1.0, 2)])
    found = {(d.code, d.where) for d in swot_diagnostics(doc)}
    assert ("weight_sum", "IFE") in found            # 0.85
    assert ("weight_high", "S1") in found            # > 0.30
    assert ("strength_rating", "S1") in found
    assert ("weakness_rating", "W1") in found
    assert ("factor_count", "IFE") in found and ("factor_count", "EFE") in found
    assert ("quadrant_empty", "threats") in found
    assert ("weight_sum", "EFE") not in found
    msg = next(d for d in swot_diagnostics(doc) if d.code == "weight_sum").message("en")
    assert msg == "IFE weights sum to 0.85, not 1.00 — use “Normalise”."
    assert "权重合计为 0.85" in next(d for d in swot_diagnostics(doc) if d.code == "weight_sum").message("zh")


def test_the_sample_workspace_scores() -> None:

    doc = Workspace(ROOT).load("swot")
    assert swot_diagnostics(doc) == [] and tows_diagnostics(doc) == []
    assert all(len(doc.items(q)) >= 5 for q in ("strengths", "weaknesses", "opportunities", "threats"))
    assert len(doc.strategies) >= 4
    ife = ife_total(doc.strengths, doc.weaknesses)
    efe = efe_total(doc.opportunities, doc.threats)
    assert (round(ife, 2), round(efe, 2)) == (2.52, 2.04)
    assert ie_cell(ife, efe).roman == "V"
    sp = space_vector(doc.space)
    assert sp.quadrant == "conservative"
    res = qspm(doc)
    assert res.diagnostics == [] and res.winners == ["WO1"]

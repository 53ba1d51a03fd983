"""IFE/EFE, IE, SPACE, TOWS and QSPM against worked examples (definitions in domain.md)."""
from __future__ import annotations

import math

import pytest

from easymall.models.swot import Qspm, QspmRow, SpaceInputs, Strategy, SwotDocument, SwotItem
from easymall.swot import (
    efe_total,
    ie_cell,
    ife_total,
    normalise_weights,
    qspm,
    space_vector,
    swot_diagnostics,
    tows_diagnostics,
    tows_matrix,
    weighted_total,
)
from easymall.swot.qspm import qspm_totals
from easymall.swot.space import space_scores


def item(iid: str, weight: float, rating: int, text: str = "factor") -> SwotItem:
    return SwotItem(id=iid, text=text, weight=weight, rating=rating)


# Worked IFE: 0.20×4 + 0.15×3 + 0.15×4 + 0.10×3 + 0.25×1 + 0.15×2 = 0.80+0.45+0.60+0.30+0.25+0.30 = 2.70
S = [item("S1", 0.20, 4), item("S2", 0.15, 3), item("S3", 0.15, 4), item("S4", 0.10, 3)]
W = [item("W1", 0.25, 1), item("W2", 0.15, 2)]
# Worked EFE: 0.30×2 + 0.20×3 + 0.25×1 + 0.25×4 = 0.60+0.60+0.25+1.00 = 2.45
OPP = [item("O1", 0.30, 2), item("O2", 0.20, 3)]
T = [item("T1", 0.25, 1), item("T2", 0.25, 4)]


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


@pytest.mark.parametrize(("ife", "efe", "roman", "prescription"), [
    (4.0, 4.0, "I", "grow"),
    (3.0, 3.0, "I", "grow"),          # both boundaries exactly at 3.0 belong to strong / high
    (2.99, 3.0, "II", "grow"),
    (2.0, 3.0, "II", "grow"),         # exactly 2.0 is average
    (1.99, 3.0, "III", "hold"),
    (3.0, 2.99, "IV", "grow"),
    (3.0, 2.0, "IV", "grow"),
    (2.0, 2.0, "V", "hold"),
    (2.99, 2.99, "V", "hold"),
    (1.99, 2.0, "VI", "harvest"),
    (3.0, 1.99, "VII", "hold"),
    (2.0, 1.99, "VIII", "harvest"),
    (1.0, 1.0, "IX", "harvest"),
    (2.995, 2.0, "IV", "grow"),       # shown as 3.00: classified as shown
    (0.1 * 3 + 0.2 * 3 + 0.7 * 3, 2.5, "IV", "grow"),  # 3.0000000000000004 in floating point is 3.00
])
def test_ie_cells_and_their_boundaries(ife: float, efe: float, roman: str, prescription: str) -> None:
    cell = ie_cell(ife, efe)
    assert (cell.roman, cell.prescription) == (roman, prescription)


@pytest.mark.parametrize(("ife", "efe"), [(0.99, 2.0), (2.0, 4.01), (math.nan, 2.0), ("3", 2.0)])
def test_ie_rejects_totals_outside_1_to_4(ife: object, efe: object) -> None:
    with pytest.raises(ValueError):
        ie_cell(ife, efe)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fp", "ip", "sp", "cp", "x", "y", "quadrant"), [
    ([6, 5], [4, 6], [-2, -3], [-3, -4], 1.5, 3.0, "aggressive"),   # x = −3.5 + 5, y = 5.5 − 2.5
    ([5], [2], [-2], [-5], -3.0, 3.0, "conservative"),
    ([2], [2], [-5], [-5], -3.0, -3.0, "defensive"),
    ([2], [6], [-5], [-2], 4.0, -3.0, "competitive"),
    ([4], [3], [-4], [-2], 1.0, 0.0, None),                          # on the x axis: no quadrant
])
def test_space_vector_and_quadrant(fp, ip, sp, cp, x, y, quadrant) -> None:
    res = space_scores(fp, ip, sp, cp)
    assert (res.x, res.y, res.quadrant) == (pytest.approx(x), pytest.approx(y), quadrant)


@pytest.mark.parametrize("bad", [{"fp": [8]}, {"fp": [0]}, {"sp": [1]}, {"cp": [-8]}, {"ip": []}])
def test_space_rejects_ratings_outside_their_scale(bad: dict[str, list[int]]) -> None:
    args = {"fp": [4], "ip": [4], "sp": [-4], "cp": [-4], **bad}
    with pytest.raises(ValueError):
        space_scores(args["fp"], args["ip"], args["sp"], args["cp"])


def test_qspm_sums_and_the_all_or_none_rule() -> None:
    weights = {"S1": 0.2, "W1": 0.3, "O1": 0.5}
    totals, partial = qspm_totals(weights, ["A", "B"], {"S1": {"A": 4, "B": 2}, "W1": {"A": 1, "B": 3}})
    assert totals == {"A": pytest.approx(0.2 * 4 + 0.3 * 1), "B": pytest.approx(0.2 * 2 + 0.3 * 3)}
    assert partial == []
    totals, partial = qspm_totals(weights, ["A", "B"], {"S1": {"A": 4, "B": 2}, "O1": {"A": 3}})
    assert partial == ["O1"] and totals == {"A": pytest.approx(0.8), "B": pytest.approx(0.4)}
    with pytest.raises(ValueError, match="attractiveness 5"):
        qspm_totals(weights, ["A"], {"S1": {"A": 5}})
    with pytest.raises(ValueError, match="not an IFE/EFE factor"):
        qspm_totals(weights, ["A"], {"X9": {"A": 2}})


def _doc(**extra) -> SwotDocument:
    return SwotDocument(strengths=S, weaknesses=W, opportunities=OPP, threats=T, **extra)


def test_qspm_of_a_document_ranks_and_reports() -> None:
    strategies = [Strategy(id="SO1", type="SO", text="a", pairs=["S1", "O1"]),
                  Strategy(id="WT1", type="WT", text="b", pairs=["W1", "T1"])]
    doc = _doc(strategies=strategies, qspm=Qspm(strategies=["SO1", "WT1", "XX"], rows=[
        QspmRow(id="S1", scores={"SO1": 4, "WT1": 1}), QspmRow(id="T1", scores={"SO1": 2, "WT1": 4}),
        QspmRow(id="O1", scores={"SO1": 3}), QspmRow(id="Z9", scores={"SO1": 1, "WT1": 1})]))
    res = qspm(doc)
    assert res.strategies == ["SO1", "WT1"]
    assert res.totals["SO1"] == pytest.approx(0.20 * 4 + 0.25 * 2)   # 1.30; O1 is partial, left out
    assert res.totals["WT1"] == pytest.approx(0.20 * 1 + 0.25 * 4)   # 1.20
    assert res.winners == ["SO1"]
    codes = sorted(d.code for d in res.diagnostics)
    assert codes == ["qspm_factor_unknown", "qspm_partial", "qspm_strategy_unknown"]
    states = {line.id: line.state for line in res.lines}
    assert states["S1"] == "scored" and states["O1"] == "partial" and states["W1"] == "none"


def test_qspm_tie_names_every_winner() -> None:
    doc = _doc(strategies=[Strategy(id="A1", type="SO", text="a"), Strategy(id="B1", type="WO", text="b")],
               qspm=Qspm(strategies=["A1", "B1"], rows=[QspmRow(id="S1", scores={"A1": 3, "B1": 3})]))
    assert qspm(doc).winners == ["A1", "B1"]


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


def test_tows_groups_by_type_and_checks_pairs() -> None:
    doc = _doc(strategies=[
        Strategy(id="SO1", type="SO", text="a", pairs=["S1", "O1"], priority="low"),
        Strategy(id="SO2", type="SO", text="b", pairs=["S1", "T1"], priority="high"),
        Strategy(id="WT1", type="WT", text="c", pairs=["W1", "X9"]),
    ])
    m = tows_matrix(doc)
    assert [s.id for s in m["SO"]] == ["SO2", "SO1"] and m["ST"] == [] and [s.id for s in m["WT"]] == ["WT1"]
    found = {(d.code, d.where) for d in tows_diagnostics(doc)}
    assert found == {("pair_quadrant", "SO2"), ("pair_missing", "SO2"), ("pair_unknown", "WT1"),
                     ("pair_missing", "WT1")}


def test_the_sample_workspace_scores() -> None:
    from easymall.store import Workspace
    from tests.conftest import ROOT

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


def test_space_inputs_model_enforces_the_scales() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SpaceInputs(financial=[{"id": "f", "label": "x", "rating": -2}])
    with pytest.raises(ValidationError):
        SpaceInputs(stability=[{"id": "s", "label": "x", "rating": 3}])

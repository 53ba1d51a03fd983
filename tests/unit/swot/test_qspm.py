"""The QSPM with the all-or-none rule (easymall.swot.qspm)."""
from __future__ import annotations

import pytest

from easymall.models.swot import Qspm, QspmRow, Strategy
from easymall.swot.qspm import qspm, qspm_totals
from tests.unit.swot.worked import worked_doc


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


def test_qspm_of_a_document_ranks_and_reports() -> None:
    strategies = [Strategy(id="SO1", type="SO", text="a", pairs=["S1", "O1"]),
                  Strategy(id="WT1", type="WT", text="b", pairs=["W1", "T1"])]
    doc = worked_doc(strategies=strategies, qspm=Qspm(strategies=["SO1", "WT1", "XX"], rows=[
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
    doc = worked_doc(strategies=[Strategy(id="A1", type="SO", text="a"), Strategy(id="B1", type="WO", text="b")],
               qspm=Qspm(strategies=["A1", "B1"], rows=[QspmRow(id="S1", scores={"A1": 3, "B1": 3})]))
    assert qspm(doc).winners == ["A1", "B1"]


def test_a_lead_below_the_tie_margin_is_a_tie() -> None:
    from easymall.swot.qspm import TIE_MARGIN, tie_rule
    from easymall.swot.view import qspm_verdict

    margin, tied = tie_rule({"SO1": 4.00, "WO1": 4.09, "WT1": 3.60})
    assert margin == pytest.approx(0.09) and tied == ["WO1", "SO1"]  # best first; WT1 is 0.49 behind
    margin, tied = tie_rule({"SO1": 4.00, "WO1": 4.00 + TIE_MARGIN})
    assert margin == pytest.approx(TIE_MARGIN) and tied == ["WO1"]  # a lead of the threshold counts
    assert tie_rule({"A": 3.0}) == (None, ["A"])
    doc = worked_doc(strategies=[Strategy(id="A1", type="SO", text="a"), Strategy(id="B1", type="WO", text="b")],
                     qspm=Qspm(strategies=["A1", "B1"], rows=[QspmRow(id="S1", scores={"A1": 4, "B1": 3})]))
    res = qspm(doc)
    weight = next(i.weight for i in doc.strengths if i.id == "S1")
    assert res.margin == pytest.approx(weight) and res.tie is (weight < TIE_MARGIN)
    text = qspm_verdict(res, "zh" if res.tie else "en")
    assert ("并列" in text) if res.tie else ("ahead of B1" in text)


def test_the_sample_qspm_reads_as_a_tie_in_both_languages() -> None:
    from easymall.store import Workspace
    from easymall.swot.view import qspm_verdict
    from tests.conftest import ROOT

    res = qspm(Workspace(ROOT).load("swot"))
    assert res.winners == ["WO1"] and res.tie and res.tied == ["WO1", "SO1"]
    assert qspm_verdict(res, "en").startswith("A tie: WO1 leads SO1 by only 0.09")
    assert qspm_verdict(res, "zh").startswith("并列：WO1 仅领先 SO1 0.09")

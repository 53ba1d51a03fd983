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

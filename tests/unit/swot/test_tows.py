"""TOWS strategies by type and their pairing checks (easymall.swot.tows)."""
from __future__ import annotations

from easymall.models.swot import Strategy
from easymall.swot.tows import tows_diagnostics, tows_matrix
from tests.unit.swot.worked import worked_doc


def test_tows_groups_by_type_and_checks_pairs() -> None:
    doc = worked_doc(strategies=[
        Strategy(id="SO1", type="SO", text="a", pairs=["S1", "O1"], priority="low"),
        Strategy(id="SO2", type="SO", text="b", pairs=["S1", "T1"], priority="high"),
        Strategy(id="WT1", type="WT", text="c", pairs=["W1", "X9"]),
    ])
    m = tows_matrix(doc)
    assert [s.id for s in m["SO"]] == ["SO2", "SO1"] and m["ST"] == [] and [s.id for s in m["WT"]] == ["WT1"]
    found = {(d.code, d.where) for d in tows_diagnostics(doc)}
    assert found == {("pair_quadrant", "SO2"), ("pair_missing", "SO2"), ("pair_unknown", "WT1"),
                     ("pair_missing", "WT1")}

"""Alchemer / SurveyGizmo SPSS: checkbox variables, grids, V… metadata."""
from __future__ import annotations

from easymall.survey.quality import quality_flags
from tests.unit.survey.platforms.conftest import load, meta_keys, types


def test_export() -> None:
    p = load("alchemer.sav")
    assert p.platform == "alchemer" and p.dataset.n == 6
    assert types(p) == {"Q1": "single", "Q2": "multi", "Q3": "matrix", "Q4": "text"}
    ds = p.dataset
    q2 = ds.question("Q2")
    assert q2.title == "Which channels do you use?" and q2.options == ["Mobile app", "Website", "Branch"]
    assert ds.frame["Q2::Mobile app"].tolist() == [True, False, True, True, False, True]
    q3 = ds.question("Q3")
    assert q3.rows == ["Price", "Delivery", "Service"] and q3.options == ["1", "2", "3", "4", "5"]
    assert ds.question("Q1").options == ["Male", "Female", "Prefer not to say"]
    assert meta_keys(p) == ["_id", "_started", "_submitted", "_status", "_ip"]
    flags = quality_flags(ds)
    assert flags.rows("repeated_ips") == [1, 2, 3] and flags.rows("incomplete") == [5]  # Status "Partial"
    assert flags.rows("speeders") == [3]  # 25 s from Time Started to Date Submitted

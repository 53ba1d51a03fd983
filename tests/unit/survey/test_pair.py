"""Joining a Wenjuanxing by-text export with its by-number twin on 序号."""
from __future__ import annotations

import numpy as np

from easymall.survey.ingest import load_survey
from easymall.survey.pair import join_on_serial
from tests.unit.survey.samples import SAMPLE


def test_real_wjx_modes_join_on_serial(wjx_text, wjx_number) -> None:
    joined = join_on_serial(wjx_text.dataset, wjx_number.dataset)
    assert joined.issues == []
    assert joined.codebooks["Q37"] == {"1": "男", "2": "女"}
    assert joined.codebooks["Q4"] == {"3": "家电连锁卖场(如国美、苏宁、永乐等)", "9": "其他【请注明】"}
    assert len(joined.dataset.question("Q3").options) == 19  # never-chosen options come from the twin
    for q in ("Q13", "Q15"):
        a = wjx_text.dataset.frame.filter(like=q).to_numpy(float)
        b = wjx_number.dataset.frame.filter(like=q).to_numpy(float)
        assert np.array_equal(a, b, equal_nan=True)


def test_sample_by_text_and_by_number_agree() -> None:
    t = load_survey((SAMPLE / "easymall_survey_2017_by_text.xlsx").read_bytes(), "t.xlsx").dataset
    n = load_survey((SAMPLE / "easymall_survey_2017_by_number.xlsx").read_bytes(), "n.xlsx").dataset
    assert 600 <= t.n <= 1100 and t.n == n.n
    joined = join_on_serial(t, n)
    assert joined.codebooks["Q8"] == {"1": "没听说过", "2": "听说过但没用过", "3": "用过"}
    assert np.array_equal(t.frame["Q16"].to_numpy(float), n.frame["Q16"].to_numpy(float), equal_nan=True)
    cols = n.question("Q7").columns
    assert sorted(cols) == sorted(t.question("Q7").columns)
    assert (t.frame[cols].to_numpy() == n.frame[cols].to_numpy()).all()

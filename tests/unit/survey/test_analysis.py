"""Survey analysis: filters, summaries, crosstab statistics, weights."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from easymall.survey import analysis
from easymall.survey.dataset import Dataset, Question
from tests.unit.survey.samples import tiny_dataset


def test_filter_mask_ors_within_and_ands_across_questions() -> None:
    ds = tiny_dataset()
    m = analysis.filter_mask(ds, {"Q1": ["a"], "Q2": ["y"]})
    assert list(np.flatnonzero(m) + 1) == [3, 6, 9, 10]
    m = analysis.filter_mask(ds, {"Q5": (60.0, 150.0)}, exclude=np.array([False] * 9 + [True]))
    assert list(np.flatnonzero(m) + 1) == [1, 7, 8, 9]
    m = analysis.filter_mask(ds, {"Q4": ["9", "10"]})
    assert list(np.flatnonzero(m) + 1) == [1, 2, 8]


def test_single_and_multi_summaries_use_those_who_answered() -> None:
    ds = tiny_dataset()
    s = analysis.summarize(ds, "Q1")
    assert s.n == 9 and s.kind == "bars"
    assert s.table.set_index("option")["share"].to_dict() == pytest.approx({"a": 6 / 9, "b": 3 / 9})
    m = analysis.summarize(ds, "Q2")
    assert m.n == 8 and m.kind == "multi"
    assert m.table.set_index("option")["count"].to_dict() == {"x": 6, "y": 5}


def test_weights_change_shares_and_doubling_all_weights_does_not() -> None:
    ds = tiny_dataset()
    w = pd.Series(np.where(ds.frame["Q1"] == "b", 3.0, 1.0), index=ds.frame.index)
    s = analysis.summarize(ds, "Q1", weights=w)
    assert s.table.set_index("option")["share"]["b"] == pytest.approx(9 / 15)
    s2 = analysis.summarize(ds, "Q1", weights=w * 2)
    assert s2.table["share"].tolist() == pytest.approx(s.table["share"].tolist())


def test_matrix_and_nps_summaries() -> None:
    ds = tiny_dataset()
    s = analysis.summarize(ds, "Q3")
    assert s.kind == "likert" and list(s.table.index) == ["r1", "r2", "r3"]
    row = s.table.loc["r1", ["1", "2", "3", "4", "5"]]
    assert row.sum() == pytest.approx(1.0)
    n = analysis.summarize(ds, "Q4")
    assert n.kind == "nps"
    # answered: 10 9 0 6 7 8 10 3 3 → promoters 3, detractors 4 of 9
    assert n.nps.value == pytest.approx(100 * (3 - 4) / 9)


def test_crosstab_matches_scipy_and_cramers_v() -> None:
    rng = np.random.default_rng(1)
    n = 400
    a = rng.choice(["p", "q", "r"], n)
    b = np.where(rng.random(n) < 0.6, np.where(a == "p", "u", "v"), rng.choice(["u", "v"], n))
    f = pd.DataFrame({"A": a, "B": b}, index=pd.RangeIndex(1, n + 1)).astype(object)
    ds = Dataset([Question("A", "A", "single", ["p", "q", "r"], [], ["A"]),
                  Question("B", "B", "single", ["u", "v"], [], ["B"])], f)
    ct = analysis.crosstab(ds, "A", "B")
    obs = pd.crosstab(f["A"], f["B"]).to_numpy()
    chi2, p, dof, exp = stats.chi2_contingency(obs, correction=False)
    assert ct.chi2 == pytest.approx(chi2) and ct.p_value == pytest.approx(p) and ct.dof == dof
    assert ct.cramers_v == pytest.approx(math.sqrt(chi2 / (n * 1)))
    assert ct.counts.to_numpy().sum() == n and ct.n == n
    rs, cs = obs.sum(1, keepdims=True), obs.sum(0, keepdims=True)
    adj = (obs - exp) / np.sqrt(exp * (1 - rs / n) * (1 - cs / n))
    assert np.allclose(ct.residuals.to_numpy(), adj)
    assert ct.significant().loc["p", "u"]
    assert ct.row_pct.sum(axis=1).tolist() == pytest.approx([1, 1, 1])


def test_crosstab_with_multi_and_weights() -> None:
    ds = tiny_dataset()
    ct = analysis.crosstab(ds, "Q2", "Q1")
    assert ct.multi_response
    assert ct.counts.loc["x", "a"] == 5  # rows 1, 3, 4, 9 and 10
    w = pd.Series(2.0, index=ds.frame.index)
    ctw = analysis.crosstab(ds, "Q2", "Q1", weights=w)
    assert ctw.chi2 == pytest.approx(ct.chi2)

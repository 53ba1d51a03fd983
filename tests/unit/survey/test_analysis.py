"""Survey analysis: filters, summaries, crosstab statistics, weights, quality flags, KPIs, evidence."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from easymall.models.survey import QualitySettings, SurveyDocument
from easymall.overview.problems import PROBLEM_KPIS, problem_evidence
from easymall.survey import analysis
from easymall.survey.dataset import Dataset, Question
from easymall.survey.kpis import compute_kpis, nps_kpi, wilson
from easymall.survey.quality import quality_flags


def _ds() -> Dataset:
    """10 respondents: Q1 single, Q2 multi, Q3 matrix (3 rows), Q4 0-10 scale, Q5 numeric."""
    idx = pd.RangeIndex(1, 11)
    f = pd.DataFrame(index=idx)
    f["_duration_s"] = [300, 310, 20, 290, 305, 280, 50, 320, 300, 295]
    f["_ip"] = ["1.1.1.1"] * 3 + [f"2.2.2.{i}" for i in range(7)]
    f["Q1"] = pd.Series(["a", "b", "a", "a", "b", "a", None, "b", "a", "b"], index=idx, dtype=object)
    f["Q2::x"] = [True, False, True, True, False, False, False, True, True, True]
    f["Q2::y"] = [False, True, True, False, False, True, False, False, True, False]
    f["_answered::Q2"] = [True, True, True, True, False, True, False, True, True, True]
    for j, r in enumerate(["r1", "r2", "r3"]):
        f[f"Q3::{r}"] = [4, 4, 1 + j, 5, 3, 2, np.nan, 4, 4, 1 + (j % 2)]
    f["Q4"] = [10, 9, 0, 6, 7, 8, np.nan, 10, 3, 9]
    f["Q5"] = [100.0, 200.0, np.nan, 50.0, 0.0, 400.0, 80.0, 120.0, 90.0, 60.0]
    qs = [Question("Q1", "One", "single", ["a", "b"], [], ["Q1"]),
          Question("Q2", "Many", "multi", ["x", "y"], [], ["Q2::x", "Q2::y"]),
          Question("Q3", "Grid", "matrix", ["1", "2", "3", "4", "5"], ["r1", "r2", "r3"], ["Q3::r1", "Q3::r2", "Q3::r3"]),
          Question("Q4", "NPS", "scale", [str(i) for i in range(11)], [], ["Q4"]),
          Question("Q5", "Spend", "numeric", [], [], ["Q5"])]
    # row 10 duplicates row 9's answers exactly
    for c in ("Q1", "Q2::x", "Q2::y", "_answered::Q2", "Q3::r1", "Q3::r2", "Q3::r3", "Q4", "Q5"):
        f.loc[10, c] = f.loc[9, c]
    return Dataset(qs, f, "t")


def test_filter_mask_ors_within_and_ands_across_questions() -> None:
    ds = _ds()
    m = analysis.filter_mask(ds, {"Q1": ["a"], "Q2": ["y"]})
    assert list(np.flatnonzero(m) + 1) == [3, 6, 9, 10]
    m = analysis.filter_mask(ds, {"Q5": (60.0, 150.0)}, exclude=np.array([False] * 9 + [True]))
    assert list(np.flatnonzero(m) + 1) == [1, 7, 8, 9]
    m = analysis.filter_mask(ds, {"Q4": ["9", "10"]})
    assert list(np.flatnonzero(m) + 1) == [1, 2, 8]


def test_single_and_multi_summaries_use_those_who_answered() -> None:
    ds = _ds()
    s = analysis.summarize(ds, "Q1")
    assert s.n == 9 and s.kind == "bars"
    assert s.table.set_index("option")["share"].to_dict() == pytest.approx({"a": 6 / 9, "b": 3 / 9})
    m = analysis.summarize(ds, "Q2")
    assert m.n == 8 and m.kind == "multi"
    assert m.table.set_index("option")["count"].to_dict() == {"x": 6, "y": 5}


def test_weights_change_shares_and_doubling_all_weights_does_not() -> None:
    ds = _ds()
    w = pd.Series(np.where(ds.frame["Q1"] == "b", 3.0, 1.0), index=ds.frame.index)
    s = analysis.summarize(ds, "Q1", weights=w)
    assert s.table.set_index("option")["share"]["b"] == pytest.approx(9 / 15)
    s2 = analysis.summarize(ds, "Q1", weights=w * 2)
    assert s2.table["share"].tolist() == pytest.approx(s.table["share"].tolist())


def test_matrix_and_nps_summaries() -> None:
    ds = _ds()
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
    ds = _ds()
    ct = analysis.crosstab(ds, "Q2", "Q1")
    assert ct.multi_response
    assert ct.counts.loc["x", "a"] == 5  # rows 1, 3, 4, 9 and 10
    w = pd.Series(2.0, index=ds.frame.index)
    ctw = analysis.crosstab(ds, "Q2", "Q1", weights=w)
    assert ctw.chi2 == pytest.approx(ct.chi2)


def test_quality_flags() -> None:
    ds = _ds()
    q = quality_flags(ds, QualitySettings(speeder_ratio=0.3, ip_repeat_min=3, straightline_min_rows=3))
    assert q.rows("speeders") == [3, 7]  # 20 s and 50 s against a median of 297.5 s
    assert q.rows("repeated_ips") == [1, 2, 3]
    assert q.rows("duplicates") == [10]
    assert q.rows("straightliners") == [1, 2, 4, 5, 6, 8, 9, 10]
    assert q.counts() == {"speeders": 2, "straightliners": 8, "duplicates": 1, "repeated_ips": 3}
    assert q.any_of(["speeders", "duplicates"]).sum() == 3


def test_wilson_and_nps_intervals() -> None:
    lo, hi = wilson(0.5, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    k = nps_kpi(np.array([10, 10, 9, 8, 7, 6, 0, np.nan]), np.ones(8))
    assert k.value == pytest.approx(100 * (3 - 2) / 7) and k.n == 7 and k.low < k.value < k.high


def _doc() -> SurveyDocument:
    return SurveyDocument.model_validate({
        "questions": [
            {"id": "Q8", "title": "aware", "type": "single", "options": [{"label": "no"}, {"label": "heard"}, {"label": "used"}]},
            {"id": "Q9", "title": "channel", "type": "single", "options": [{"label": "branch"}, {"label": "app"}, {"label": "friend"}]},
            {"id": "Q13", "title": "purchases", "type": "single", "options": [{"label": "0"}, {"label": "1"}, {"label": "2+"}]},
            {"id": "Q14", "title": "aov", "type": "numeric"},
            {"id": "Q16", "title": "nps", "type": "scale", "scale_min": 0, "scale_max": 10},
        ],
        "roles": {"awareness": {"question": "Q8", "options": ["heard", "used"]},
                  "trial": {"question": "Q8", "options": ["used"]},
                  "usage": {"question": "Q13", "options": ["1", "2+"]},
                  "repurchase": {"question": "Q13", "options": ["2+"]},
                  "nps": "Q16", "order_value": "Q14",
                  "channel_branch": {"question": "Q9", "options": ["branch"]},
                  "channel_digital": {"question": "Q9", "options": ["app"]}}})


def test_kpis_from_roles() -> None:
    idx = pd.RangeIndex(1, 11)
    f = pd.DataFrame({
        "Q8": ["no", "no", "no", "no", "heard", "heard", "used", "used", "used", "used"],
        "Q9": [None, None, None, None, "branch", "app", "branch", "branch", "friend", "app"],
        "Q13": [None] * 6 + ["0", "1", "2+", "2+"],
        "Q14": [np.nan] * 7 + [100.0, 300.0, 200.0],
        "Q16": [np.nan] * 6 + [3, 9, 10, 7],
    }, index=idx).astype({"Q8": object, "Q9": object, "Q13": object})
    qs = [Question("Q8", "", "single", ["no", "heard", "used"], [], ["Q8"]),
          Question("Q9", "", "single", ["branch", "app", "friend"], [], ["Q9"]),
          Question("Q13", "", "single", ["0", "1", "2+"], [], ["Q13"]),
          Question("Q14", "aov", "numeric", [], [], ["Q14"]),
          Question("Q16", "nps", "scale", [str(i) for i in range(11)], [], ["Q16"])]
    ds = Dataset(qs, f)
    k = compute_kpis(ds, _doc())
    assert k["awareness"].value == pytest.approx(0.6) and k["awareness"].n == 10
    assert k["trial"].value == pytest.approx(0.4)
    assert k["usage"].value == pytest.approx(0.3)
    assert k["repurchase_rate"].value == pytest.approx(2 / 3) and k["repurchase_rate"].n == 3
    assert k["nps"].value == pytest.approx(25.0)
    assert k["channel_branch_share"].value == pytest.approx(0.5) and k["channel_branch_share"].n == 6
    assert k["channel_digital_share"].value == pytest.approx(2 / 6)
    assert k["aov"].value == pytest.approx(200.0) and k["aov"].unit == "yuan"
    assert "satisfaction_mean" not in k  # no role → not computed
    for v in k.values():
        assert v.low <= v.value <= v.high
    masked = compute_kpis(ds, _doc(), mask=np.array([False] * 6 + [True] * 4))
    assert masked["awareness"].value == 1.0 and masked["awareness"].n == 4
    ev = problem_evidence(ds, _doc())
    assert set(ev) == set(PROBLEM_KPIS) == {"few_users", "low_repurchase", "vague_profit", "backward_acquisition"}
    assert [x.id for x in ev["few_users"]] == ["awareness", "trial", "usage"]
    assert [x.id for x in ev["vague_profit"]] == ["aov"]


def test_role_pointing_at_unknown_option_is_a_validation_error() -> None:
    data = _doc().model_dump()
    data["roles"]["trial"]["options"] = ["tried"]
    with pytest.raises(ValueError, match="tried is not an option of Q8"):
        SurveyDocument.model_validate(data)


def test_survey_diagnostics_are_soft_warnings() -> None:
    from easymall.models.survey import diagnostics

    assert diagnostics(_doc()) == []
    data = _doc().model_dump()
    data["roles"]["nps"] = "Q14"  # a numeric question
    data["roles"]["repurchase"]["options"] = ["0"]
    doc = SurveyDocument.model_validate(data)
    assert diagnostics(doc) == [("role_type", "nps"), ("repurchase_not_subset", "repurchase")]


def test_the_workspace_questionnaire_has_no_warnings() -> None:
    from easymall.models.survey import diagnostics
    from easymall.store import Workspace
    from tests.conftest import ROOT

    doc = Workspace(ROOT).load("survey")
    assert diagnostics(doc) == []
    assert len(doc.questions) == 18 and doc.option_text("Q8", "用过", "en") == "Have used it"

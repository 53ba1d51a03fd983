"""The Easy Mall KPIs from the questionnaire's roles, their intervals, the problems' evidence."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from easymall.overview.problems import PROBLEM_KPIS, problem_evidence
from easymall.survey.dataset import Dataset, Question
from easymall.survey.kpis import compute_kpis, nps_kpi, wilson
from tests.unit.survey.samples import roles_doc


def test_wilson_and_nps_intervals() -> None:
    lo, hi = wilson(0.5, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    k = nps_kpi(np.array([10, 10, 9, 8, 7, 6, 0, np.nan]), np.ones(8))
    assert k.value == pytest.approx(100 * (3 - 2) / 7) and k.n == 7 and k.low < k.value < k.high


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
    k = compute_kpis(ds, roles_doc())
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
    masked = compute_kpis(ds, roles_doc(), mask=np.array([False] * 6 + [True] * 4))
    assert masked["awareness"].value == 1.0 and masked["awareness"].n == 4
    ev = problem_evidence(ds, roles_doc())
    assert set(ev) == set(PROBLEM_KPIS) == {"few_users", "low_repurchase", "vague_profit", "backward_acquisition"}
    assert [x.id for x in ev["few_users"]] == ["awareness", "trial", "usage"]
    assert [x.id for x in ev["vague_profit"]] == ["aov"]


def test_purchase_frequency_reads_the_counts_in_the_options() -> None:
    from easymall.survey.kpis import option_count

    assert [option_count(o) for o in ("0次", "1次", "2-3次", "4-6次", "7次及以上", "7 or more", "never")] == \
        [0, 1, 2.5, 5, 7, 7, None]


def test_purchase_frequency_of_the_sample_survey() -> None:
    from easymall.store import Workspace
    from easymall.survey import active_dataset, purchase_frequency
    from tests.conftest import ROOT

    ws = Workspace(ROOT)
    ds = active_dataset(ws)
    k = purchase_frequency(ds, ws.load("survey"))
    col = ds.frame["Q13"]
    buyers = col.isin(["1次", "2-3次", "4-6次", "7次及以上"])
    expected = (col[buyers].map({"1次": 1, "2-3次": 2.5, "4-6次": 5, "7次及以上": 7})).mean()
    assert k is not None and k.id == "purchases_per_buyer" and k.n == int(buyers.sum())
    assert k.value == pytest.approx(expected) and k.low < k.value < k.high


# --------------------------------------------------------------------------- remembered (issue 14)


@pytest.fixture
def kpi_runs(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per real computation (True: of a whole dataset); the memo starts empty."""
    from easymall.survey import kpis as kpis_module

    kpis_module._MEMO.clear()
    runs: list[bool] = []
    real = kpis_module._compute_kpis

    def counting(dataset, doc, mask, weights):  # noqa: ANN001
        runs.append(mask is None and weights is None)
        return real(dataset, doc, mask, weights)

    monkeypatch.setattr(kpis_module, "_compute_kpis", counting)
    yield runs
    kpis_module._MEMO.clear()


def _roles_dataset() -> Dataset:
    f = pd.DataFrame({"Q8": ["no", "heard", "used", "used"], "Q13": [None, None, "1", "2+"]}).astype(object)
    return Dataset([Question("Q8", "", "single", ["no", "heard", "used"], [], ["Q8"]),
                    Question("Q13", "", "single", ["0", "1", "2+"], [], ["Q13"])], f, "t.csv")


def test_whole_dataset_kpis_are_computed_once_per_dataset_and_questionnaire(kpi_runs: list[bool]) -> None:
    ds, doc = _roles_dataset(), roles_doc()
    first = compute_kpis(ds, doc)
    assert compute_kpis(ds, doc) == first and kpi_runs == [True]  # remembered
    first.pop("awareness")  # a caller changing its mapping changes nothing remembered
    assert "awareness" in compute_kpis(ds, doc) and kpi_runs == [True]
    other = type(doc).model_validate({**doc.model_dump(), "roles": {}})  # another questionnaire
    assert compute_kpis(ds, other) == {} and kpi_runs == [True, True]
    assert compute_kpis(_roles_dataset(), doc) == compute_kpis(ds, doc) and len(kpi_runs) == 3  # another dataset
    mask = np.array([True, True, False, True])
    masked = compute_kpis(ds, doc, mask=mask)  # filtered or weighted views are computed each time
    compute_kpis(ds, doc, mask=mask)
    compute_kpis(ds, doc, weights=pd.Series([1.0, 2.0, 1.0, 1.0]))
    assert masked != first and kpi_runs[3:] == [False, False, False]


def test_the_kpi_memo_is_bounded(kpi_runs: list[bool]) -> None:
    from easymall.survey import kpis as kpis_module

    ds, doc = _roles_dataset(), roles_doc()
    for i in range(kpis_module.MEMO_ENTRIES + 3):
        compute_kpis(ds, doc.model_copy(update={"revision": 1000 + i}))
    assert len(kpis_module._MEMO) == kpis_module.MEMO_ENTRIES
    compute_kpis(ds, doc.model_copy(update={"revision": 1000}))  # the oldest went first
    assert len(kpi_runs) == kpis_module.MEMO_ENTRIES + 4

"""The Overview's evidence: computed once per (dataset, questionnaire), bounded (issue 14)."""
from __future__ import annotations

import numpy as np
import pytest

from easymall.overview import problems
from easymall.store import Workspace
from easymall.survey import active_dataset
from tests.conftest import ROOT


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    problems._MEMO.clear()
    seen: list[int] = []
    real = problems.compute_kpis

    def counting(dataset, doc, *, mask=None):  # noqa: ANN001
        seen.append(dataset.n)
        return real(dataset, doc, mask=mask)

    monkeypatch.setattr(problems, "compute_kpis", counting)
    yield seen
    problems._MEMO.clear()


def test_evidence_is_computed_once_per_dataset_and_questionnaire(calls: list[int]) -> None:
    ws = Workspace(ROOT)
    ds, doc = active_dataset(ws), ws.load("survey")
    first = problems.problem_evidence(ds, doc)
    assert problems.problem_evidence(ds, doc) == first and len(calls) == 1  # remembered
    first["few_users"].clear()  # a caller changing its copy changes nothing remembered
    assert problems.problem_evidence(ds, doc)["few_users"] and len(calls) == 1
    renamed = type(doc).model_validate({**doc.model_dump(), "roles": {}})  # another questionnaire: computed again
    assert all(v == [] for v in problems.problem_evidence(ds, renamed).values()) and len(calls) == 2
    mask = np.arange(ds.n) % 2 == 0
    masked = problems.problem_evidence(ds, doc, mask=mask)  # a filtered view is never remembered
    assert masked != problems.problem_evidence(ds, doc) and len(calls) == 3
    problems.problem_evidence(ds, doc, mask=mask)
    assert len(calls) == 4


def test_the_memo_is_bounded(calls: list[int]) -> None:
    ws = Workspace(ROOT)
    ds, doc = active_dataset(ws), ws.load("survey")
    for i in range(problems.MEMO_ENTRIES + 3):
        problems.problem_evidence(ds, doc.model_copy(update={"revision": 1000 + i}))
    assert len(problems._MEMO) == problems.MEMO_ENTRIES
    problems.problem_evidence(ds, doc.model_copy(update={"revision": 1000}))  # the oldest went first
    assert len(calls) == problems.MEMO_ENTRIES + 4

"""The Survey page's charts shared across sessions (easymall.ui.survey, issue 14): built once per
data state, rebuilt when the data, a filter, the page of the grid or the language changes, never
another session's filters, and a bounded number of them kept."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from easymall.store import Workspace
from easymall.survey import datasets
from easymall.ui import survey as ui_survey
from tests.app.helpers import open_page


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The question ids whose figure was built, in order (the shared cache starts empty)."""
    ui_survey._grid.clear()
    built: list[str] = []
    real = ui_survey.question_figure

    def counting(loaded, qid, *args):  # noqa: ANN001, ANN002
        built.append(qid)
        return real(loaded, qid, *args)

    monkeypatch.setattr(ui_survey, "question_figure", counting)
    yield built
    ui_survey._grid.clear()


def _specs(at: AppTest) -> list[dict]:
    """Each chart's Plotly figure as the browser receives it, in page order."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _filter(at: AppTest, values: list[str]) -> AppTest:
    at.sidebar.multiselect(key="survey_filter_questions").set_value(["Q5"]).run()
    return at.sidebar.multiselect(key="survey_filter_Q5").set_value(values).run()


def test_a_chart_is_built_once_and_shared_by_every_session(ws_path: Path, builds: list[str]) -> None:
    a = open_page("survey", author=None)
    assert not a.exception
    assert len(builds) == 17  # every chart of the results view, built once
    b = open_page("survey", author=None)  # another person opens the page
    assert not b.exception
    assert len(builds) == 17  # ... and gets the same charts without building any
    assert len(b.get("plotly_chart")) == 17
    assert _specs(a) == _specs(b)
    a.run()  # a rerun with nothing changed builds nothing either
    assert len(builds) == 17 and len(a.get("plotly_chart")) == 17


def test_a_filter_rebuilds_and_never_shows_in_another_session(ws_path: Path, builds: list[str]) -> None:
    a = open_page("survey", author=None)
    b = open_page("survey", author=None)
    unfiltered = _specs(b)
    builds.clear()
    _filter(a, ["是"])
    assert not a.exception
    assert len(builds) == 17  # the rows kept changed: every chart is rebuilt for them
    filtered = _specs(a)
    assert filtered != unfiltered
    builds.clear()
    b.run()  # the other session has no filter: it keeps seeing every respondent
    assert builds == []
    assert _specs(b) == unfiltered
    c = open_page("survey", author=None)  # a third session choosing the same filter shares a's charts
    _filter(c, ["是"])
    assert builds == []
    assert _specs(c) == filtered
    _filter(a, ["否"])  # another value: other rows, other charts
    assert len(builds) == 17 and _specs(a) not in (filtered, unfiltered)


def test_the_language_and_the_data_rebuild_the_charts(ws_path: Path, builds: list[str]) -> None:
    en = open_page("survey", author=None)
    builds.clear()
    zh = open_page("survey", author=None, lang="zh")
    assert not zh.exception
    assert len(builds) == 17
    assert _specs(zh) != _specs(en)
    assert any("年龄" in json.dumps(s, ensure_ascii=False) for s in _specs(zh))
    # another dataset becomes active (a smaller one): its own charts
    ws = Workspace(ws_path)
    frame = datasets.active_loaded(ws).dataset.frame
    datasets.store_dataset(ws, "half.csv", frame.iloc[: len(frame) // 2].to_csv(index=False).encode())
    builds.clear()
    en.run()
    assert not en.exception
    assert builds  # nothing of the old dataset's charts is reused
    assert _specs(en) != _specs(zh)


def test_the_data_key_follows_every_input(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    loaded = datasets.active_loaded(ws)
    doc = ws.load("survey")
    n = loaded.dataset.n
    everyone, some = np.ones(n, bool), np.arange(n) % 2 == 0
    key = ui_survey.data_key(loaded, doc, everyone, None)
    assert key == ui_survey.data_key(loaded, doc, everyone.copy(), None)  # equal states share
    assert key != ui_survey.data_key(loaded, doc, some, None)  # other rows
    w = pd.Series(np.linspace(0.5, 1.5, n), name="w")
    assert key != ui_survey.data_key(loaded, doc, everyone, w)  # weighted
    assert ui_survey.data_key(loaded, doc, everyone, w) != ui_survey.data_key(loaded, doc, everyone, w * 2)
    newer = doc.model_copy(update={"revision": doc.revision + 1})
    assert key != ui_survey.data_key(loaded, newer, everyone, None)  # another questionnaire version
    other = datasets.Loaded(loaded.dataset, loaded.report, loaded.flags, "0" * 64)
    assert key != ui_survey.data_key(other, doc, everyone, None)  # another file


def test_the_shared_cache_keeps_a_bounded_number_of_grids(ws_path: Path, builds: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(ws_path)
    loaded, doc = datasets.active_loaded(ws), ws.load("survey")
    charted = ui_survey.view.charted_questions
    monkeypatch.setattr(ui_survey.view, "charted_questions", lambda ds: charted(ds)[:1])  # one chart a grid

    def grid(i: int) -> None:  # another data state each (called outside a page: the cache alone)
        mask = np.arange(loaded.dataset.n) != i
        ui_survey._grid(data=f"data{i}", page=1, language="en", _loaded=loaded, _mask=mask, _weights=None, _doc=doc)

    cap = ui_survey.GRID_CACHE_ENTRIES
    for i in range(cap + 2):
        grid(i)
    assert len(builds) == cap + 2  # every grid built once
    builds.clear()
    grid(cap + 1)  # the newest is kept
    assert builds == []
    grid(0)  # the oldest went to make room
    assert len(builds) == 1

"""easymall.ui.shared (issue 14): a chart built once per (builder, arguments), replayed for every
session, rebuilt when a document or the language changes, never shared on a guess, bounded."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from easymall.models.market import MarketDocument
from easymall.scenario import view as scenario_view
from easymall.store import Workspace
from easymall.ui import shared
from tests.app.helpers import open_page

SCRIPT = """
import plotly.graph_objects as go
import streamlit as st
from easymall.ui.shared import plotly_chart

def bars(title, values):
    st.session_state.setdefault("built", []).append(title)
    return go.Figure(go.Bar(y=list(values)), layout={"title": {"text": title}})

left, right = st.columns(2)
with right:
    plotly_chart(bars, st.session_state["title"], tuple(st.session_state["values"]), key="chart")
"""


@dataclasses.dataclass
class Holder:
    thing: object


KW_SCRIPT = """
import plotly.graph_objects as go
import streamlit as st
from easymall.ui.shared import plotly_chart

def bars(values, *, title):
    st.session_state.setdefault("built", []).append(title)
    return go.Figure(go.Bar(y=list(values)), layout={"title": {"text": title}})

plotly_chart(bars, (1, 2), title=st.session_state["title"], key="chart")
"""


def _titles(at: AppTest) -> list[str]:
    return [json.loads(el.proto.spec)["layout"]["title"]["text"] for el in at.get("plotly_chart")]


def _session(title: str, values: list[int]) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["title"], at.session_state["values"] = title, values
    return at.run()


def test_a_chart_is_shared_and_rebuilt_when_an_argument_changes() -> None:
    shared._chart.clear()
    a = _session("one", [1, 2])
    assert _titles(a) == ["one"] and a.session_state["built"] == ["one"]
    b = _session("one", [1, 2])  # another session, same arguments: replayed, not built
    assert _titles(b) == ["one"] and "built" not in b.session_state
    assert len(b.columns[1].get("plotly_chart")) == 1  # replayed into the container it was called in
    c = _session("one", [1, 3])  # other data: its own chart
    assert c.session_state["built"] == ["one"]
    assert json.loads(c.get("plotly_chart")[0].proto.spec)["data"][0]["y"] == [1, 3]
    b.session_state["title"] = "two"  # the language (or any argument) changes: rebuilt for that session only
    b.run()
    assert _titles(b) == ["two"] and _titles(a.run()) == ["one"]
    shared._chart.clear()


def test_fingerprints_follow_documents_and_refuse_the_unknown() -> None:
    doc = Workspace(Path(__file__).resolve().parents[2]).load("market")
    same = MarketDocument.model_validate(doc.model_dump())
    assert shared.fingerprint(doc) == shared.fingerprint(same)
    assert shared.fingerprint(doc) != shared.fingerprint(doc.model_copy(update={"revision": doc.revision + 1}))
    assert shared.fingerprint(["en", 1, None]) != shared.fingerprint(["zh", 1, None])
    assert shared.fingerprint(1) != shared.fingerprint("1") != shared.fingerprint(True)
    with pytest.raises(TypeError):
        shared.fingerprint(object())


def test_fingerprints_of_arrays_and_results() -> None:
    a = np.array([1.0, 2.0, 3.0])
    assert shared.fingerprint(a) == shared.fingerprint(a.copy())
    assert shared.fingerprint(a) != shared.fingerprint(np.array([1.0, 2.0, 3.5]))  # another value
    assert shared.fingerprint(a) != shared.fingerprint(a.astype(np.float32))  # another dtype, same numbers
    assert shared.fingerprint(a.reshape(3, 1)) != shared.fingerprint(a)  # another shape
    ws = Workspace(Path(__file__).resolve().parents[2])
    model = scenario_view.model_for(ws.load("marketing"), ws, "en")[0]
    base = scenario_view.run(model, name="baseline")
    moved = scenario_view.run(model, {"branch_referrals": 120.0}, "baseline")
    assert shared.fingerprint(base) == shared.fingerprint(scenario_view.run(model, name="baseline"))
    assert shared.fingerprint(base) != shared.fingerprint(moved)  # other levers, other months
    with pytest.raises(TypeError):
        shared.fingerprint(Holder(object()))  # a dataclass is refused when a field is


def test_keyword_arguments_key_the_chart_too() -> None:
    shared._chart.clear()
    at = AppTest.from_string(KW_SCRIPT, default_timeout=60)
    at.session_state["title"] = "one"
    at.run()
    at.session_state["title"] = "two"
    at.run()
    assert _titles(at) == ["two"] and at.session_state["built"] == ["one", "two"]
    shared._chart.clear()


def test_the_overview_charts_are_shared_per_language(ws_path: Path) -> None:
    shared._chart.clear()
    en = open_page("overview")
    before = [el.proto.spec for el in en.get("plotly_chart")]
    assert len(before) == 4
    zh = open_page("overview", lang="zh")
    assert [el.proto.spec for el in zh.get("plotly_chart")] != before
    again = open_page("overview")
    assert [el.proto.spec for el in again.get("plotly_chart")] == before
    shared._chart.clear()


def test_the_shared_cache_is_bounded() -> None:
    shared._chart.clear()
    cap = shared.CACHE_ENTRIES
    script = SCRIPT.replace('plotly_chart(bars, st.session_state["title"], tuple(st.session_state["values"]), key="chart")',
                            'for i in range(*st.session_state["range"]):\n        plotly_chart(bars, f"t{i}", (i,), key=f"c{i}")')
    at = AppTest.from_string(script, default_timeout=240)
    at.session_state["range"] = (0, cap + 5)
    at.run()
    assert not at.exception and len(at.session_state["built"]) == cap + 5
    at.session_state["built"], at.session_state["range"] = [], (cap + 4, cap + 5)
    at.run()
    assert at.session_state["built"] == []  # the newest is kept
    at.session_state["range"] = (0, 1)
    at.run()
    assert at.session_state["built"] == ["t0"]  # the oldest went to make room
    shared._chart.clear()

"""easymall.ui.context: facts asked once per script run, and the language kept in step."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from easymall.ui import context

    calls = st.session_state.setdefault("calls", [])

    @context.once_per_run
    def fact() -> int:
        calls.append(1)
        return len(calls)

    st.session_state["seen"] = [fact(), fact(), fact()]
    st.session_state["langs"] = [context.lang()]
    if st.session_state.get("switch"):
        context.set_lang("zh")  # what the language switch's callback does
    st.session_state["langs"].append(context.lang())


def test_a_fact_is_asked_once_per_run_and_again_on_the_next_run() -> None:
    at = AppTest.from_function(_script)
    at.run()
    assert at.session_state["seen"] == [1, 1, 1]
    at.run()
    assert at.session_state["seen"] == [2, 2, 2]  # a new run asks again


def test_the_language_changes_within_a_run_through_set_lang() -> None:
    at = AppTest.from_function(_script)
    at.query_params["lang"] = "en"
    at.run()
    assert at.session_state["langs"] == ["en", "en"]
    at.session_state["switch"] = True
    at.run()
    assert at.session_state["langs"] == ["en", "zh"]
    at.session_state["switch"] = False
    at.run()
    assert at.session_state["langs"] == ["zh", "zh"]  # kept for the session


def test_outside_a_run_the_fact_is_asked_every_time() -> None:
    from easymall.ui import context

    calls = []
    fact = context.once_per_run(lambda: calls.append(1) or len(calls))
    assert [fact(), fact()] == [1, 2]

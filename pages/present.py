"""Present: the study's story on the big screen. 16:9 slides from the live workspace, stepped with the
buttons or the arrow keys (Home / End), ``?slide=N`` in the address; ``?role=presenter`` adds notes,
the next slide and a timer and stores the position, which everyone else follows; exports."""
from __future__ import annotations

import streamlit as st

from easymall.deck import view
from easymall.deck.view import Slide
from easymall.ui import decks
from easymall.ui import present as ui
from easymall.ui.access import rights
from easymall.ui.context import lang, tr
from easymall.ui.frame import page
from easymall.ui.live import literal


def render() -> None:
    ui.frame()
    choice = ui.deck_choice()
    slides = ui.slides(choice)
    if not slides:
        st.info(tr("present.empty"), icon=":material/slideshow:")
        return
    index = ui.current(slides, choice)
    _bar(slides, index, choice)
    if ui.is_presenter():
        left, right = st.columns([2.3, 1], gap="medium")
        with left, st.container(key="present_stage"):
            _slide(slides[index], choice, view.PRESENTER)
        with right:
            _presenter(slides, index)
    else:
        _slide(slides[index], choice, view.AUDIENCE)
        ui.follow_presenter(choice)
    ui.shown(index)  # what the next step starts from


def _bar(slides: list[Slide], index: int, choice: str) -> None:
    last = len(slides) - 1
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="small"):
        options = ui.deck_options()
        st.selectbox(tr("present.deck"), list(options), format_func=options.get, key=ui.DECK, width=140,
                     on_change=ui.deck_changed, label_visibility="collapsed")
        st.session_state["present_jump"] = index
        labels = view.slide_labels(slides)
        st.selectbox(tr("present.jump"), range(len(slides)), format_func=labels.__getitem__, key="present_jump",
                     on_change=ui.jumped, label_visibility="collapsed", width=200)
        st.button("", key="present_first", icon=":material/first_page:", help=tr("present.first"),
                  on_click=ui.go(to=0), shortcut="Home", disabled=index == 0)
        st.button("", key="present_prev", icon=":material/chevron_left:", help=tr("present.prev"),
                  on_click=ui.go(delta=-1), shortcut="ArrowLeft", disabled=index == 0)
        st.markdown(f"**{view.counter(index, len(slides), lang())}**", width="content")
        st.button("", key="present_next", icon=":material/chevron_right:", help=tr("present.next"),
                  on_click=ui.go(delta=1), shortcut="ArrowRight", disabled=index == last)
        st.button("", key="present_last", icon=":material/last_page:", help=tr("present.last"),
                  on_click=ui.go(to=-1), shortcut="End", disabled=index == last)
        if ui.is_presenter():
            st.markdown(f":red-badge[:material/podium: {tr('present.presenter_view')}]", width="content")
        else:
            st.session_state.setdefault(ui.FOLLOW, True)
            st.toggle(tr("present.follow"), key=ui.FOLLOW, on_change=ui.follow_changed,
                      help=ui.follower_status(choice))
        st.space("stretch")
        with st.popover(tr("present.export"), icon=":material/download:"):
            ui.export_panel(choice)
        if not ui.following() and rights().edit:
            with st.popover(tr("decks.edit"), icon=":material/edit_note:"):
                decks.editor(choice, ui.DECK)
        st.session_state[ui.LANG] = lang()
        st.segmented_control(tr("sidebar.language"), ["en", "zh"], key=ui.LANG, on_change=ui.language_changed,
                             format_func={"en": "EN", "zh": "中文"}.get, label_visibility="collapsed")
        st.page_link(page("overview"), label=tr("present.leave"), icon=":material/close:")


def _slide(slide: Slide, choice: str, role: str) -> None:
    live = ui.live_scenario(choice) if slide.key == view.SCENARIO_SLIDE else None
    lay = view.slide_layout(slide, role, live=live is not None)
    with st.container(key="present_slide"):
        st.header(literal(slide.title), anchor=False)
        if slide.missing:
            st.markdown(f":gray-badge[:material/hourglass_empty: {tr('present.missing')}]")
        if lay.kind == "title":
            _bullets(lay, key="present_cover")
        elif live is not None:
            _scenario(lay, live, role, choice)
        elif lay.kind == "chart":
            _chart(slide, 0, lay)
        elif lay.kind == "side":
            text, chart = st.columns([2, 3], gap="medium")
            with text:
                _bullets(lay)
            with chart:
                _chart(slide, 0, lay)
        elif lay.kind == "pair":
            _bullets(lay)
            for i, col in enumerate(st.columns(2, gap="small")):
                with col:
                    _chart(slide, i, lay)
        else:
            _bullets(lay, key="present_body")
            if lay.table_height:
                st.dataframe(slide.table, hide_index=True, height=lay.table_height)
        if slide.sources:
            st.caption(tr("present.sources") + " · ".join(literal(s) for s in slide.sources))


def _chart(slide: Slide, i: int, lay: view.SlideLayout) -> None:
    st.plotly_chart(slide.figures[i], key=f"present_fig_{slide.key}_{i}", height=lay.chart_height,
                    config=view.CHART_CONFIG)


def _bullets(lay: view.SlideLayout, key: str | None = None) -> None:
    """The bullets the layout keeps, in its type (``present_text``, dense or in two columns)."""
    if lay.bullets:
        key = key or "present_text" + ("_dense" if lay.dense else "") + ("_two" if lay.columns == 2 else "")
        with st.container(key=key):
            st.markdown("\n".join(f"- {literal(b)}" for b in lay.bullets))


@st.fragment
def _scenario(lay: view.SlideLayout, live: view.LiveScenario, role: str, choice: str) -> None:
    levers, chart = st.columns([2, 3], gap="medium")
    with levers:
        _bullets(lay)
        with st.popover(tr("present.levers"), icon=":material/tune:"):
            st.caption(tr("present.try_levers"))
            for lv in live.levers:
                st.slider(lv.label, min_value=lv.min, max_value=lv.max, value=lv.value, step=lv.step,
                          format=lv.format, key=f"present_lever_{lv.id}")
    values = {lv.id: lv.actual(st.session_state.get(f"present_lever_{lv.id}", lv.value)) for lv in live.levers}
    chart.plotly_chart(ui.scenario_chart(choice, values, (lay.chart_width, lay.chart_height), role),
                       key="present_scenario_chart", height=lay.chart_height, config=view.CHART_CONFIG)


def _presenter(slides: list[Slide], index: int) -> None:
    ui.timer_started()
    top, restart = st.columns([2, 1], vertical_alignment="bottom")
    with top:
        ui.timer()
    restart.button(tr("present.restart_timer"), key="present_restart", icon=":material/timer:",
                   on_click=ui.restart_timer)
    with st.container(border=True, key="present_next_title"):
        st.caption(tr("present.next_up"))
        if index + 1 < len(slides):
            st.markdown(f"**{literal(slides[index + 1].title)}**")
        else:
            st.markdown(tr("present.last_slide"))
    with st.container(border=True, key="present_notes", height=330):
        st.caption(tr("present.notes"))
        notes = slides[index].notes
        st.markdown(literal(notes).replace("\n", "  \n") if notes else tr("present.no_notes"))


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

"""Streamlit plumbing of the Present page: the projector frame, the slide index kept in step with
``?slide=N``, the presenter's position through the store, following it, the built deck cached per
workspace revisions, the timer and the export panel.

Session state: ``present_index`` (0-based slide), ``present_follow`` (the follow toggle),
``present_seen`` (time of the last presenter position applied), ``present_written`` (what this
presenter last stored), ``present_started`` (the presenter's timer), ``present_deck`` (the picker).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st
from plotly.graph_objects import Figure

from easymall.core.i18n import error_text
from easymall.deck import view
from easymall.deck.view import Slide
from easymall.ui import push
from easymall.ui.access import read_only_view
from easymall.ui.context import author, lang, set_lang, tr, workspace
from easymall.ui.live import follow_all

INDEX, FOLLOW, SEEN, WRITTEN, STARTED, DECK = (
    "present_index", "present_follow", "present_seen", "present_written", "present_started", "present_deck")
LANG = "present_lang"
#: The slide the last finished run showed (what a step starts from).
SHOWN = "present_shown"

#: Projector frame: no sidebar, no header, the slide a 16:9 box as large as the window allows.
STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.2rem 0.4rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stAlert"] { display: none; }
.st-key-present_bar { margin-bottom: 0.2rem; }
.st-key-present_bar [data-testid="stCaptionContainer"] { font-size: 1rem; }
.st-key-present_slide { aspect-ratio: 16 / 9; width: 100%; margin: 0 auto; overflow: hidden;
  max-width: calc((100vh - 5.2rem) * 16 / 9); background: #FFFFFF; color: #111111;
  border: 1px solid #D0D0D0; border-radius: 6px; padding: 1.6rem 2.4rem 1rem; }
.st-key-present_slide h2 { font-size: clamp(1.6rem, 2.6vw, 2.7rem) !important; line-height: 1.2;
  color: #111111; padding: 0 0 0.5rem; border-bottom: 4px solid #C7000B; margin-bottom: 0.6rem; }
.st-key-present_slide [data-testid="stMarkdownContainer"] li,
.st-key-present_slide [data-testid="stMarkdownContainer"] p { font-size: clamp(1.05rem, 1.55vw, 1.6rem); line-height: 1.45; }
.st-key-present_slide [data-testid="stCaptionContainer"] p { font-size: 0.95rem; color: #444444;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.st-key-present_slide [class*="st-key-present_text"] li,
.st-key-present_slide [class*="st-key-present_text"] p { font-size: 18.4px; line-height: 26px; margin-bottom: 0.15rem; }
.st-key-present_slide [class*="st-key-present_text_dense"] li,
.st-key-present_slide [class*="st-key-present_text_dense"] p { font-size: 15.6px; line-height: 22px; }
.st-key-present_slide [class*="st-key-present_text"] { margin-bottom: 0.5rem; }
.st-key-present_slide:has(.st-key-present_cover) { justify-content: center; }
.st-key-present_slide:has(.st-key-present_cover) h2 { font-size: clamp(2rem, 3.6vw, 3.6rem) !important; }
.st-key-present_cover li { list-style: none; color: #444444; }
.st-key-present_slide [class*="_two"] ul { column-count: 2; column-gap: 24px; }
.st-key-present_slide [class*="_two"] li { break-inside: avoid; }
.st-key-present_slide .js-plotly-plot, .st-key-present_slide [data-testid="stPlotlyChart"] { overflow: hidden; }
.st-key-present_stage .st-key-present_slide { padding: 1rem 1.6rem 0.6rem; }
.st-key-present_stage .st-key-present_slide h2 { font-size: 1.55rem !important; }
.st-key-present_stage .st-key-present_slide [data-testid="stMarkdownContainer"] li,
.st-key-present_stage .st-key-present_slide [data-testid="stMarkdownContainer"] p { font-size: 1rem; line-height: 1.35; }
.st-key-present_stage .st-key-present_slide [class*="st-key-present_text"] li,
.st-key-present_stage .st-key-present_slide [class*="st-key-present_text"] p { font-size: 15.2px; line-height: 21px; }
.st-key-present_stage .st-key-present_slide [class*="st-key-present_text_dense"] li,
.st-key-present_stage .st-key-present_slide [class*="st-key-present_text_dense"] p { font-size: 13px; line-height: 18px; }
.st-key-present_notes [data-testid="stMarkdownContainer"] p,
.st-key-present_notes [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; line-height: 1.5; }
.st-key-present_timer [data-testid="stMetricValue"] { font-size: 2.6rem; font-variant-numeric: tabular-nums; }
</style>"""


#: In Chinese the Home / End buttons do not print the English key names (their tooltips name the keys).
ZH_STYLE = """<style>.st-key-present_first kbd, .st-key-present_last kbd { display: none; }</style>"""


def frame() -> None:
    """Hide the app's chrome for the projector (this page only: the CSS goes with its run)."""
    st.html(STYLE + (ZH_STYLE if lang() == "zh" else ""))


def is_presenter() -> bool:
    """``?role=presenter`` (never on the read-only link, which always follows)."""
    return st.query_params.get("role") == "presenter" and not read_only_view()


def deck_choice() -> str:
    """The picker's deck (``?deck=`` on the first run), kept in the address."""
    options = view.deck_options(workspace(), lang())
    if st.session_state.get(DECK) not in options:
        wanted = st.query_params.get("deck", view.ALL)
        st.session_state[DECK] = wanted if wanted in options else view.ALL
    if st.query_params.get("deck", view.ALL) != st.session_state[DECK]:
        st.query_params["deck"] = st.session_state[DECK]
    return st.session_state[DECK]


def deck_options() -> dict[str, str]:
    return view.deck_options(workspace(), lang())


def deck_changed() -> None:
    st.session_state[INDEX] = 0
    st.session_state.pop(SEEN, None)


@st.cache_resource(show_spinner=False, max_entries=12)
def _built(ws_key: str, revisions: tuple[int | None, ...], lang_: str, deck: str | None) -> list[Slide]:
    return view.build_deck(workspace(), lang_, deck)  # type: ignore[arg-type]


@st.cache_resource(show_spinner=False, max_entries=12)
def _projected(ws_key: str, revisions: tuple[int | None, ...], lang_: str, deck: str | None,
               role: str) -> list[Slide]:
    return view.projector_slides(_built(ws_key, revisions, lang_, deck), role)


def _key(choice: str) -> tuple[str, tuple[int | None, ...], str, str | None]:
    return repr(workspace()), view.revisions(workspace()), lang(), view.deck_arg(choice)


def slides(choice: str) -> list[Slide]:
    """The deck for the projector, built once per (workspace revisions, language, deck); an edit
    saved elsewhere reruns the page (one poll for every document the deck reads) and rebuilds it."""
    follow_all(view.SOURCES)
    return _projected(*_key(choice), view.PRESENTER if is_presenter() else view.AUDIENCE)


@st.cache_resource(show_spinner=False, max_entries=6)
def _exported(ws_key: str, revisions: tuple[int | None, ...], lang_: str, deck: str | None, fmt: str) -> bytes:
    return view.export(fmt, _built(ws_key, revisions, lang_, deck), lang_)  # type: ignore[arg-type]


@st.cache_resource(show_spinner=False, max_entries=4)
def _live_scenario(ws_key: str, revisions: tuple[int | None, ...], lang_: str) -> view.LiveScenario | None:
    return view.live_scenario(workspace(), lang_)  # type: ignore[arg-type]


def live_scenario(choice: str) -> view.LiveScenario | None:
    ws_key, revisions, lang_, _ = _key(choice)
    return _live_scenario(ws_key, revisions, lang_)


@st.cache_resource(show_spinner=False, max_entries=32)
def _scenario_chart(ws_key: str, revisions: tuple[int | None, ...], lang_: str, values: tuple[tuple[str, float], ...],
                    size: tuple[int, int], role: str) -> Figure:
    live = _live_scenario(ws_key, revisions, lang_)
    return view.scenario_chart(live, dict(values), lang_, size, role)  # type: ignore[arg-type]


def scenario_chart(choice: str, values: dict[str, float], size: tuple[int, int], role: str) -> Figure:
    """The scenario slide's chart for the levers as set, simulated once per (workspace revisions,
    language, lever values, size, role) for every session: stepping onto the slide costs no run."""
    ws_key, revisions, lang_, _ = _key(choice)
    return _scenario_chart(ws_key, revisions, lang_, tuple(sorted(values.items())), size, role)


# --------------------------------------------------------------------------- the slide index


def current(slides_: list[Slide], choice: str) -> int:
    """This session's slide: a deep link ``?slide=N`` on the first run, else the presenter's
    position while following, else where this session browsed to."""
    count = len(slides_)
    name = view.position_name(choice)
    position = workspace().presenter_position(name)
    if INDEX not in st.session_state:
        linked = view.slide_from_query(st.query_params.get("slide"), count)
        st.session_state[INDEX] = linked if linked is not None else 0
        if linked is not None and position is not None:  # the link wins; follow the presenter's next step
            st.session_state[SEEN] = position.time
    if following() and position is not None and st.session_state.get(SEEN) != position.time:
        st.session_state[INDEX] = view.follow_index(position.slide, position.key, slides_)
        st.session_state[SEEN] = position.time
    index = view.clamp(st.session_state[INDEX], count)
    st.session_state[INDEX] = index
    if st.query_params.get("slide") != str(index + 1):
        st.query_params["slide"] = str(index + 1)
    if is_presenter() and count:
        mine = (name, index, slides_[index].key)
        if st.session_state.get(WRITTEN) != mine:
            workspace().set_presenter_position(name, index, author() or tr("present.presenter"), slides_[index].key)
            st.session_state[WRITTEN] = mine
    return index


def shown(index: int) -> None:
    """Call at the end of the page's run: the slide it has shown."""
    st.session_state[SHOWN] = index


def following() -> bool:
    return not is_presenter() and bool(st.session_state.get(FOLLOW, True))


def go(delta: int | None = None, to: int | None = None) -> Callable[[], None]:
    """A button callback: step by ``delta`` or jump to ``to`` (-1: the last slide); a follower who
    steps browses on their own."""
    def step() -> None:
        # step from the slide the person saw: a run that Streamlit interrupts and starts again with the
        # same click calls this twice, and both calls must land on the same slide
        index = st.session_state.get(SHOWN, st.session_state.get(INDEX, 0))
        st.session_state[INDEX] = (index + delta) if delta is not None else (10**6 if to == -1 else to or 0)
        if not is_presenter():
            st.session_state[FOLLOW] = False
    return step


def jumped() -> None:
    st.session_state[INDEX] = st.session_state["present_jump"]
    if not is_presenter():
        st.session_state[FOLLOW] = False


def follow_changed() -> None:
    if st.session_state.get(FOLLOW):
        st.session_state.pop(SEEN, None)  # catch up with the presenter now


def language_changed() -> None:
    set_lang(st.session_state[LANG])
    st.session_state["lang_switch"] = st.session_state[LANG]  # the frame's switch says the same elsewhere


def follower_status(choice: str) -> str:
    position = workspace().presenter_position(view.position_name(choice))
    if position is None:
        return tr("present.no_presenter")
    return tr("present.following", author=position.author, n=position.slide + 1)


def follow_presenter(choice: str) -> None:
    """Rerun the page when the presenter moves (the stored position: a stat when unchanged) — told by
    the server's live-sync hub (:mod:`easymall.ui.push`), else polled from the browser every second."""
    if not push.available():
        _poll_presenter(choice)
        return
    ws, name, seen = workspace(), view.position_name(choice), st.session_state.get(SEEN)
    push.publish("presenter", (lambda: _moved(ws.presenter_position(name), seen)) if following() else None)


def _moved(position: Any, seen: float | None) -> bool:
    return position is not None and position.time != seen


@st.fragment(run_every=1.0)
def _poll_presenter(choice: str) -> None:
    if following() and _moved(workspace().presenter_position(view.position_name(choice)), st.session_state.get(SEEN)):
        st.rerun(scope="app")


# --------------------------------------------------------------------------- presenter tools


def timer_started() -> float:
    return st.session_state.setdefault(STARTED, time.time())


def restart_timer() -> None:
    st.session_state[STARTED] = time.time()


@st.fragment(run_every=1.0)
def timer() -> None:
    with st.container(key="present_timer"):
        st.metric(tr("present.timer"), view.elapsed(time.time() - timer_started()))


@st.fragment
def export_panel(choice: str) -> None:
    """Prepare and download the deck in each format, in the session's language and the chosen deck."""
    ws_key, revisions, lang_, deck = _key(choice)
    for fmt in view.EXPORTS:
        label = tr(f"present.format.{fmt.id}")
        ready = f"present_ready_{fmt.id}"
        if st.session_state.get(ready) != (revisions, lang_, deck):
            if st.button(tr("present.export_prepare", fmt=label), key=f"present_prepare_{fmt.id}",
                         icon=":material/build:", width="stretch"):
                with st.status(tr("present.exporting", fmt=label), expanded=False) as status:
                    try:
                        _exported(ws_key, revisions, lang_, deck, fmt.id)
                    except view.DeckError as exc:
                        status.update(label=tr("present.export_failed", fmt=label, problem=error_text(exc, lang_, "deck")),
                                      state="error")
                        continue
                    status.update(label=tr("present.exported", fmt=label), state="complete")
                st.session_state[ready] = (revisions, lang_, deck)
            else:
                continue
        st.download_button(tr("present.export_download", fmt=label),
                           data=_exported(ws_key, revisions, lang_, deck, fmt.id),
                           file_name=view.export_name(choice, lang_, fmt.id), mime=fmt.mime,
                           key=f"present_download_{fmt.id}", icon=":material/download:", type="primary",
                           width="stretch", on_click="ignore")

"""AppTest for the Present page: both languages, stepping keeps ?slide in step, deep links, the
presenter view (notes, next title, timer) stores its position, followers pick it up, read-only."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from easymall.deck import build_deck
from easymall.store import Workspace
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def _open(lang: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page("pages/present.py")
    return at.run()


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _title(at: AppTest) -> str:
    return _plain(at.header[0].value)


def _titles(ws_path: Path, lang: str = "en") -> list[str]:
    return [s.title for s in build_deck(Workspace(ws_path), lang)]


def test_renders_the_first_slide_in_english_and_chinese(ws_path: Path) -> None:
    for lang in ("en", "zh"):
        at = _open(lang)
        assert not at.exception
        assert _title(at) == _titles(ws_path, lang)[0]
        assert at.query_params["slide"] == "1"
        counter = f"1 / {len(_titles(ws_path, lang))}"
        assert any(counter in m.value for m in at.markdown)
    assert at.toggle(key="present_follow").label == "跟随"


def test_next_and_previous_change_the_slide_and_the_address(ws_path: Path) -> None:
    titles = _titles(ws_path)
    at = _open()
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert _title(at) == titles[2]
    assert at.query_params["slide"] == "3"
    at.button(key="present_prev").click().run()
    assert _title(at) == titles[1] and at.query_params["slide"] == "2"
    at.button(key="present_last").click().run()
    assert _title(at) == titles[-1] and at.query_params["slide"] == str(len(titles))
    assert at.button(key="present_next").disabled
    at.button(key="present_first").click().run()
    assert _title(at) == titles[0] and at.button(key="present_prev").disabled


def test_a_deep_link_opens_that_slide(ws_path: Path) -> None:
    titles = _titles(ws_path)
    at = _open(slide="5")
    assert not at.exception
    assert _title(at) == titles[4]
    assert at.selectbox(key="present_jump").value == 4
    assert _title(_open(slide="999")) == titles[-1]  # clamped, not an error
    assert _title(_open(slide="abc")) == titles[0]


def test_the_slide_picker_jumps(ws_path: Path) -> None:
    at = _open()
    at.selectbox(key="present_jump").set_value(6).run()
    assert _title(at) == _titles(ws_path)[6] and at.query_params["slide"] == "7"


def test_presenter_view_shows_notes_next_title_timer_and_stores_the_position(ws_path: Path) -> None:
    slides = build_deck(Workspace(ws_path), "en")
    at = _open(slide="3", role="presenter")
    assert not at.exception
    shown = " ".join(_plain(m.value) for m in at.markdown)
    assert slides[3].title in shown  # the next slide's title
    assert slides[2].notes.splitlines()[0] in shown  # the speaker notes
    assert [m.label for m in at.metric] == ["Elapsed"] and ":" in at.metric[0].value
    assert not at.toggle  # the presenter does not follow anyone
    position = Workspace(ws_path).presenter_position("all")
    assert (position.slide, position.key) == (2, slides[2].key)
    at.button(key="present_next").click().run()
    assert Workspace(ws_path).presenter_position("all").slide == 3


def test_a_follower_picks_up_the_stored_position_and_can_unfollow(ws_path: Path) -> None:
    titles = _titles(ws_path)
    at = _open()
    assert _title(at) == titles[0]
    Workspace(ws_path).set_presenter_position("all", 7, "Li Wei", key="")
    at.run()  # what the poll's rerun does
    assert _title(at) == titles[7] and at.query_params["slide"] == "8"
    assert "Li Wei" in at.toggle(key="present_follow").help
    at.button(key="present_next").click().run()  # stepping alone stops following
    assert at.toggle(key="present_follow").value is False
    Workspace(ws_path).set_presenter_position("all", 2, "Li Wei")
    at.run()
    assert _title(at) == titles[8]
    at.toggle(key="present_follow").set_value(True).run()  # following again catches up at once
    assert _title(at) == titles[2]


def test_a_deep_link_wins_over_the_presenter_until_the_presenter_steps(ws_path: Path) -> None:
    titles = _titles(ws_path)
    Workspace(ws_path).set_presenter_position("all", 1, "Li Wei")
    at = _open(slide="6")
    assert _title(at) == titles[5]
    Workspace(ws_path).set_presenter_position("all", 2, "Li Wei")
    at.run()
    assert _title(at) == titles[2]


def test_the_follow_view_has_no_edit_control(ws_path: Path) -> None:
    main = _open().main  # (the sidebar, hidden on this page, keeps the frame's name field)
    assert not main.text_input and not main.text_area and not main.number_input and not main.data_editor
    assert {b.key for b in main.button} <= {"present_first", "present_prev", "present_next", "present_last",
                                             "present_prepare_html", "present_prepare_pdf", "present_prepare_pptx"}


def test_the_scenario_slide_keeps_its_sliders_working(ws_path: Path) -> None:
    keys = [s.key for s in build_deck(Workspace(ws_path), "en")]
    at = _open(slide=str(keys.index("scenarios") + 1))
    assert not at.exception
    slider = at.slider[0]
    before = at.get("plotly_chart")[-1].proto.spec
    slider.set_value(slider.max).run()
    assert not at.exception
    assert at.get("plotly_chart")[-1].proto.spec != before


def test_the_deck_editor_saves_a_named_deck_in_the_chosen_order(ws_path: Path) -> None:
    at = _open(role="presenter")
    at.session_state["author"] = "Zhou Min"
    at.run()
    key = f"decks_{Workspace(ws_path).load('decks').revision}_all"
    at.text_input(key=f"{key}_name").input("Risk review")
    at.multiselect(key=f"{key}_slides").set_value(["risk", "title"])
    at.button(key="decks_save_new").click().run()
    assert not at.exception
    deck = Workspace(ws_path).load("decks").get("risk_review")
    assert deck is not None and deck.slides == ["risk", "title"]
    assert Workspace(ws_path).history("decks")[0].author == "Zhou Min"
    assert at.session_state["present_deck"] == "risk_review"
    assert _title(at) == build_deck(Workspace(ws_path), "en", "risk_review")[0].title


def test_the_follow_view_has_no_deck_editor(ws_path: Path) -> None:
    at = _open()
    assert not [b for b in at.button if b.key in ("decks_save", "decks_save_new", "decks_remove")]

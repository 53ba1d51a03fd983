"""Live sync pushed by the server (easymall.ui.push), in Chromium: an idle tab asks the server for
nothing, and a save made elsewhere reruns it within the promise, keeping what its user set."""
from __future__ import annotations

import time

from streamlit.proto.BackMsg_pb2 import BackMsg

from easymall.store import Workspace
from tests.e2e.conftest import expect, load, sign_in, wait_idle

#: "Within 2 s" on a quiet machine; CI runs two browser tests side by side on two cores.
SEEN_WITHIN_MS = 6000


def _reruns_asked(frames: list[bytes | str]) -> int:
    """How many of the browser's websocket frames ask the server to run the script."""
    count = 0
    for payload in frames:
        if isinstance(payload, bytes):
            msg = BackMsg()
            msg.ParseFromString(payload)
            count += msg.WhichOneof("type") == "rerun_script"
    return count


def test_an_idle_tab_asks_nothing_and_a_save_elsewhere_reaches_it_keeping_its_widgets(server, page) -> None:
    sent: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    load(page, server.url + "/swot?lang=en")
    sign_in(page, "Li Wei", ready=page.get_by_role("button", name="Save item"))
    name_box = page.locator('[data-testid="stSidebar"] input[type="text"]').first
    expect(name_box).to_have_value("Li Wei")

    asked = _reruns_asked(sent)
    page.wait_for_timeout(4000)  # a browser poll (every 1.5 s) would have asked twice by now
    assert _reruns_asked(sent) == asked

    store = Workspace(server.workspace)
    doc = store.load("swot")
    doc.strengths[0].text.en = "Pushed from another desk"
    start = time.monotonic()
    rev = store.save("swot", doc, base_revision=doc.revision, author="Wang Fang", message="S1 text")
    toast = page.get_by_test_id("stToast").filter(has_text=f"Wang Fang saved revision {rev}").first
    expect(toast).to_be_visible(timeout=SEEN_WITHIN_MS)
    seen_after = time.monotonic() - start
    wait_idle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("Pushed from another desk")
    expect(name_box).to_have_value("Li Wei")  # the rerun kept the session's widget values
    assert _reruns_asked(sent) == asked, "the browser asked for the rerun: it was not pushed"
    assert seen_after < SEEN_WITHIN_MS / 1000


def test_the_read_only_follow_view_idles_without_asking_and_follows_the_presenter(server, page) -> None:
    from easymall.deck import build_deck
    from easymall.deck.view import ALL

    sent: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    load(page, server.url + "/present?view=present&lang=en")
    store = Workspace(server.workspace)
    titles = [s.title for s in build_deck(store, "en")]
    store.set_presenter_position(ALL, 0, "Li Wei")
    slide = page.locator(".st-key-present_slide h2")
    expect(slide).to_have_text(titles[0], timeout=SEEN_WITHIN_MS)
    wait_idle(page)
    asked = _reruns_asked(sent)
    page.wait_for_timeout(3000)  # the browser poll this replaces asked every second
    assert _reruns_asked(sent) == asked
    store.set_presenter_position(ALL, 2, "Li Wei")
    expect(slide).to_have_text(titles[2], timeout=SEEN_WITHIN_MS)  # the room follows
    assert _reruns_asked(sent) == asked

"""SWOT live collaboration in Chromium: two browser contexts on one server and workspace."""
from __future__ import annotations

from easymall.store import Workspace
from tests.e2e.conftest import eventually, expect, load, pick, shot, sign_in, wait_idle

# The poll runs every second; "within 2 s" is the product promise. One extra second of slack keeps
# the test honest on a loaded two-core CI machine without hiding a missing refresh.
SEEN_WITHIN_MS = 3000


def _open(sessions, server, author: str):
    page = sessions(height=1400)
    load(page, server.url + "/swot?lang=en")
    sign_in(page, author, ready=page.get_by_role("button", name="Save item"))
    return page


def _editor(page, item_id: str):
    """The English text box of ``item_id``'s editor (its key carries the base revision)."""
    return page.locator(f'[class*="st-key-swot_f_{item_id}_"][class*="_en"] textarea')


def _pick_item(page, item_id: str) -> None:
    # A pick can land while a live refresh is re-running the page: a rerun replaces the open list, so
    # a click can miss; ``pick`` then closes the list and opens it again (five tries at most).
    pick(page, page.locator(".st-key-swot_item_sel"),
         page.get_by_role("option").filter(has_text=f"{item_id} · ").first, _editor(page, item_id))
    wait_idle(page)


def _shows_selected(page, text: str) -> None:
    """Wait until the item picker shows ``text`` (as its text or in its input's value)."""
    page.wait_for_function(
        "t => { const box = document.querySelector('.st-key-swot_item_sel');"
        " return !!box && [box.innerText, ...[...box.querySelectorAll('input')].map(i => i.value)]"
        ".join(' ').includes(t); }", arg=text)


def _edit_text(page, item_id: str, text: str) -> None:
    area = _editor(page, item_id)
    area.fill(text)
    expect(area).to_have_value(text)
    page.get_by_role("button", name="Save item").click()
    wait_idle(page)


def _told(page, text: str, *more: str, within: int = SEEN_WITHIN_MS):
    """The toast another session's save raises here, seen within the promised time (``within`` ms;
    with ``more`` in it, checked while it still shows)."""
    toast = page.get_by_test_id("stToast").filter(has_text=text).first
    expect(toast).to_be_visible(timeout=within)
    for part in more:
        expect(toast).to_contain_text(part)
    wait_idle(page)
    return toast


def _stored(server):
    return Workspace(server.workspace).load("swot")


def _lands(server, check):
    """The stored SWOT once ``check(doc)`` holds."""
    return eventually(lambda: _stored(server), check)


def test_two_sessions_see_merge_and_resolve_each_others_edits(server, sessions) -> None:
    a = _open(sessions, server, "Li Wei")
    b = _open(sessions, server, "Wang Fang")
    # 1. an edit lands in the YAML, and the other session is told within about two seconds
    before = _stored(server).revision
    _pick_item(a, "S4")
    _pick_item(b, "W2")           # B opens an editor on the same revision A starts from
    _edit_text(a, "S4", "Zero commission for famous brands")
    assert _lands(server, lambda d: d.revision == before + 1).item("S4").text.en == "Zero commission for famous brands"
    eventually(lambda: (server.workspace / "config" / "swot.yaml").read_text("utf-8"),
               lambda text: "Zero commission for famous brands" in text)
    _told(b, f"Li Wei saved revision {before + 1}", "S4 text")
    shot(b, "swot-b-sees-a")

    # 2. B saves a different item from the older revision: merged, both kept
    merged = b.get_by_test_id("stToast").filter(has_text="merged with changes Li Wei made").first
    _edit_text(b, "W2", "B: repeat buyers are rare")
    expect(merged).to_be_visible()  # a toast lasts a few seconds: looked for before the store is read
    doc = _lands(server, lambda d: d.revision == before + 2)
    assert doc.item("S4").text.en == "Zero commission for famous brands"
    assert doc.item("W2").text.en == "B: repeat buyers are rare"
    assert doc.revision == before + 2
    _told(a, f"Wang Fang saved revision {before + 2}")  # and A's page reruns with it
    _pick_item(b, "S4")
    _shows_selected(b, "Zero commission for famous brands")

    # 3. both edit the same item: B is shown both versions, nothing is overwritten until B chooses
    _pick_item(a, "O2")
    _pick_item(b, "O2")
    _edit_text(a, "O2", "A: festivals")
    _lands(server, lambda d: d.item("O2").text.en == "A: festivals")
    _told(b, f"Li Wei saved revision {before + 3}")  # B's page has rerun with A's save: the editor stays on its base
    _edit_text(b, "O2", "B: festivals and live streams")
    panel = b.locator(".st-key-live_conflict_swot")
    expect(panel).to_contain_text("Someone else changed the same thing")
    expect(panel).to_contain_text("A: festivals")
    expect(panel).to_contain_text("B: festivals and live streams")
    shot(b, "swot-conflict")
    assert _stored(server).item("O2").text.en == "A: festivals"
    panel.get_by_text("Keep mine").first.click()
    b.get_by_role("button", name="Save my choices").click()
    _lands(server, lambda d: d.item("O2").text.en == "B: festivals and live streams")
    expect(b.locator(".st-key-live_conflict_swot")).to_have_count(0)


def test_revert_from_history(server, sessions) -> None:
    page = _open(sessions, server, "Chen Jie")
    start = _stored(server)
    _pick_item(page, "T4")
    _edit_text(page, "T4", "Temporary wording")
    _lands(server, lambda d: d.item("T4").text.en == "Temporary wording")
    wait_idle(page)
    page.get_by_role("tab", name="History").click()
    revert = page.get_by_role("button", name=f"Revert to revision {start.revision}")
    pick(page, page.locator(".st-key-swot_hist_view"),
         page.get_by_role("option", name=str(start.revision), exact=True), revert)
    wait_idle(page)
    revert.click()
    doc = _lands(server, lambda d: d.revision == start.revision + 2)
    assert doc.item("T4").text == start.item("T4").text
    assert Workspace(server.workspace).history("swot")[0].message == f"revert to revision {start.revision}"
    shot(page, "swot-history")

"""SWOT live collaboration in Chromium: two browser contexts on one server and workspace."""
from __future__ import annotations

import pytest

from easymall.store import Workspace
from tests.e2e.conftest import REDUCED_MOTION, eventually, expect, load, pick, shot, sign_in, wait_idle

# The poll runs every second; "within 2 s" is the product promise. One extra second of slack keeps
# the test honest on a loaded two-core CI machine without hiding a missing refresh.
# Another session's save is told here once its page's live poll (every 2 s) has rerun it: about two
# seconds on a quiet machine; CI runs two browser tests side by side on two cores, so the toast is
# given twice that (the store's own 2 s promise is timed in tests/unit/store/test_pg.py).
SEEN_WITHIN_MS = 6000


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
    panel.get_by_text("Keep Wang Fang's").first.click()   # each choice names its author (issue 13)
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


# ---------------------------------------------------------------- issue 13: a meeting in Chinese


def _open_zh(sessions, server, author: str, height: int = 1400):
    page = sessions(height=height)
    load(page, server.url + "/swot?lang=zh")
    sign_in(page, author, ready=page.get_by_role("button", name="保存条目"))
    return page


def _field(page, item_id: str, suffix: str, tag: str = "textarea"):
    return page.locator(f'[class*="st-key-swot_f_{item_id}_"][class*="_{suffix}"] {tag}')


def _pick_zh(page, item_id: str) -> None:
    pick(page, page.locator(".st-key-swot_item_sel"),
         page.get_by_role("option").filter(has_text=f"{item_id} · ").first, _field(page, item_id, "zh"))
    wait_idle(page)


def _save_zh(page) -> None:
    page.get_by_role("button", name="保存条目").click()
    wait_idle(page)


@pytest.mark.timeout(900)  # two sessions, three rounds and a reload: minutes on a loaded two-core machine
def test_meeting_fields_merge_the_same_field_names_both_and_a_reload_keeps_the_choice(server, sessions) -> None:
    a = _open_zh(sessions, server, "李伟")
    b = _open_zh(sessions, server, "王经理")
    # 1. A changes S3's rating, B S3's Chinese text: different fields, both survive, nobody is asked
    _pick_zh(a, "S3")
    _pick_zh(b, "S3")
    rating = _field(a, "S3", "r", "input")
    rating.fill("4")
    rating.press("Enter")
    wait_idle(a)
    _save_zh(a)
    _lands(server, lambda d: d.item("S3").rating == 4)
    _field(b, "S3", "zh").fill("王经理改写的中文")
    _save_zh(b)
    doc = _lands(server, lambda d: d.item("S3").text.zh == "王经理改写的中文")
    assert doc.item("S3").rating == 4
    expect(b.locator(".st-key-live_conflict_swot")).to_have_count(0)

    # 2. both change S5's English text: one choice for that field, naming both, with "edit the merged text"
    _pick_zh(a, "S5")
    _pick_zh(b, "S5")
    _field(a, "S5", "en").fill("Li Wei's wording")
    _save_zh(a)
    _lands(server, lambda d: d.item("S5").text.en == "Li Wei's wording")
    _field(b, "S5", "en").fill("Wang's wording")
    _save_zh(b)
    panel = b.locator(".st-key-live_conflict_swot")
    expect(panel).to_contain_text("S5 · 内容 · 英文")
    for words in ("您的版本（王经理）", "李伟", "保留 王经理 的", "保留 李伟 的", "编辑合并后的内容",
                  "Li Wei's wording", "Wang's wording"):
        expect(panel).to_contain_text(words)
    panel.get_by_text("保留 王经理 的").click()
    wait_idle(b)
    shot(b, "swot-zh-field-conflict")

    # 3. B reloads before saving the choice: the panel, B's choice and B's name come back
    b.reload()
    expect(b.locator(".st-key-live_conflict_swot")).to_contain_text("Wang's wording", timeout=90_000)
    wait_idle(b)
    expect(b.get_by_test_id("stToast").filter(has_text="没有丢失任何内容").first).to_be_visible()
    expect(b.locator('[data-testid="stSidebar"] input[type="text"]').first).to_have_value("王经理")
    expect(b.locator(".st-key-live_choice_swot_0 input:checked")).to_have_count(1)
    b.locator(".st-key-live_conflict_swot").get_by_role("button", name="保存所选版本").click()
    _lands(server, lambda d: d.item("S5").text.en == "Wang's wording")
    assert Workspace(server.workspace).history("swot")[0].author == "王经理"


LONG_ZH = ("工商银行的品牌与信用背书让用户相信在融e购购买的商品是正品，这一点在假货泛滥的电商市场中尤为珍贵，"
           "也是其他平台难以复制的优势；但这一优势尚未转化为购买理由，需要在营销中反复强调并辅以售后保障。")


def test_long_chinese_text_is_fully_visible_on_a_1280_screen_and_the_quadrants_come_first(server, browser) -> None:
    ws = Workspace(server.workspace)
    doc = ws.load("swot")
    from easymall.swot import edit  # noqa: PLC0415 - the one test that edits before the page opens
    ws.save("swot", edit.update_item(doc, "O4", {"text": LONG_ZH}, "zh"), base_revision=doc.revision, author="王经理")
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN",
                                  reduced_motion=REDUCED_MOTION)
    try:
        page = context.new_page()
        page.set_default_timeout(45_000)
        load(page, server.url + "/swot?lang=zh")
        card = page.locator(".st-key-swot_cards_opportunities [data-testid='stMarkdown']").filter(has_text="O4")
        expect(card).to_contain_text(LONG_ZH[-20:])
        text = card.get_by_text(LONG_ZH[:20]).first
        box = text.evaluate("el => ({sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight,"
                            " w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height,"
                            " text: el.innerText, lines: Math.round(el.getBoundingClientRect().height /"
                            " parseFloat(getComputedStyle(el).lineHeight))})")
        assert box["text"].strip() == LONG_ZH                       # the whole text, not "…"
        assert box["sw"] <= box["cw"] + 1 and box["sh"] <= box["ch"] + 1, box   # nothing cut or scrolled away
        assert box["lines"] >= 3 and box["w"] <= 640, box           # wrapped inside its quadrant's column
        first = page.locator(".st-key-swot_quadrant_strengths").bounding_box()
        s1 = page.locator(".st-key-swot_cards_strengths [data-testid='stMarkdown']").first.bounding_box()
        assert first["y"] < 720 / 2 and s1["y"] + s1["height"] < 720, (first, s1)   # the first screen shows items
        shot(page, "swot-zh-1280")
    finally:
        context.close()

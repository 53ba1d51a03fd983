"""Segments page in Chromium: cluster, save a cluster as a segment, see it on the GE chart; both languages
(every tab in Chinese: tests/e2e/test_frame.py's walk of every page)."""
from __future__ import annotations

from easymall.store import Workspace
from tests.e2e.conftest import eventually, expect, load, shot, sign_in, wait_idle

EXC = '[data-testid="stException"]'


def _tab(page, name: str) -> None:
    wait_idle(page)
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    wait_idle(page)


def test_cluster_saved_as_segment_appears_on_the_ge_chart(server, page) -> None:
    load(page, server.url + "/segments?lang=en")
    sign_in(page, "Zhao Min", ready=page.get_by_role("button", name="Run clustering"))
    page.get_by_role("button", name="Run clustering").click()
    expect(page.get_by_text("Done:", exact=False).first).to_be_visible(timeout=60_000)
    card = page.locator(".st-key-segments_cluster_0")
    expect(card).to_have_count(1)
    wait_idle(page, timeout=60_000)
    name = card.get_by_role("textbox", name="Name")
    name.fill("Branch-sent card users")
    name.press("Enter")
    wait_idle(page)
    expect(name).to_have_value("Branch-sent card users")
    card.get_by_role("button", name="Save as segment").click()
    # the store has it, as a cluster segment with its frozen model
    doc = eventually(lambda: Workspace(server.workspace).load("stp"), lambda d: d.revision >= 1)
    seg = doc.segments[-1]
    assert seg.name == "Branch-sent card users" and seg.source == "cluster" and doc.revision >= 1
    assert Workspace(server.workspace).history("stp")[0].author == "Zhao Min"
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "segments-clustered")
    # and the GE nine-box shows it (legend entry of its bubble), sized from the data
    _tab(page, "Targeting")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="nine-box")
    expect(chart.locator(".legendtext").filter(has_text="Branch-sent card users")).to_have_count(1)
    expect(chart.locator(".scatterlayer .point")).to_have_count(len(doc.segments))
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "segments-ge")


def test_statement_edited_in_chinese_keeps_the_english(server, page) -> None:
    load(page, server.url + "/segments?lang=zh")
    sign_in(page, "赵敏", ready=page.get_by_role("tab", name="市场定位"))
    _tab(page, "市场定位")
    box = page.locator(".st-key-segments_stmt_credit_points")
    need = box.get_by_role("textbox", name="需求")
    need.fill("希望大件商品分期付款")
    expect(need).to_have_value("希望大件商品分期付款")
    box.get_by_role("button", name="保存定位陈述").click()
    expect(box.get_by_text("对于希望大件商品分期付款的", exact=False).first).to_be_visible()
    statement = eventually(lambda: Workspace(server.workspace).load("stp").segment("credit_points").statement,
                           lambda s: s.need.zh == "希望大件商品分期付款")
    assert statement.need.en == "want big-ticket purchases without paying all at once"
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "segments-zh-statement")

"""Segments page in Chromium: cluster, save a cluster as a segment, see it on the GE chart; both languages."""
from __future__ import annotations

from easymall.store import Workspace
from tests.e2e.conftest import eventually, shot, sign_in, wait_idle

EXC = '[data-testid="stException"]'


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def test_cluster_saved_as_segment_appears_on_the_ge_chart(server, page) -> None:
    page.goto(server.url + "/segments?lang=en")
    wait_idle(page)
    sign_in(page, "Zhao Min")
    page.get_by_role("button", name="Run clustering").click()
    wait_idle(page, timeout=60_000)
    page.get_by_text("Done:", exact=False).wait_for()
    assert page.locator(".st-key-segments_cluster_0").count() == 1
    name = page.locator(".st-key-segments_cluster_0").get_by_role("textbox", name="Name")
    name.fill("Branch-sent card users")
    name.press("Enter")
    wait_idle(page)
    page.locator(".st-key-segments_cluster_0").get_by_role("button", name="Save as segment").click()
    wait_idle(page)
    assert page.locator(EXC).count() == 0
    shot(page, "segments-clustered")
    # the store has it, as a cluster segment with its frozen model
    doc = eventually(lambda: Workspace(server.workspace).load("stp"), lambda d: d.revision >= 1)
    seg = doc.segments[-1]
    assert seg.name == "Branch-sent card users" and seg.source == "cluster" and doc.revision >= 1
    assert Workspace(server.workspace).history("stp")[0].author == "Zhao Min"
    # and the GE nine-box shows it (legend entry of its bubble), sized from the data
    _tab(page, "Targeting")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="nine-box")
    chart.get_by_text("Branch-sent card users").first.wait_for()
    assert chart.locator(".legendtext").filter(has_text="Branch-sent card users").count() == 1
    assert chart.locator(".scatterlayer .point").count() == len(doc.segments)
    assert page.locator(EXC).count() == 0
    shot(page, "segments-ge")


def test_all_tabs_in_chinese(server, page) -> None:
    page.goto(server.url + "/segments?lang=zh")
    wait_idle(page)
    assert page.locator("h1").first.inner_text().startswith("市场细分")
    for tab in ("市场细分", "细分对比", "目标市场选择", "市场定位"):
        _tab(page, tab)
        assert page.locator(EXC).count() == 0, tab
        if tab != "市场细分":  # the first tab draws charts only after a clustering run
            page.locator(".js-plotly-plot").first.wait_for()
        shot(page, f"segments-zh-{tab}")
    assert page.get_by_text("感知定位图", exact=False).count() >= 1


def test_statement_edited_in_chinese_keeps_the_english(server, page) -> None:
    page.goto(server.url + "/segments?lang=zh")
    wait_idle(page)
    sign_in(page, "赵敏")
    _tab(page, "市场定位")
    box = page.locator(".st-key-segments_stmt_credit_points")
    need = box.get_by_role("textbox", name="需求")
    need.fill("希望大件商品分期付款")
    box.get_by_role("button", name="保存定位陈述").click()
    wait_idle(page)
    assert page.locator(EXC).count() == 0
    box.get_by_text("对于希望大件商品分期付款的", exact=False).first.wait_for()
    statement = Workspace(server.workspace).load("stp").segment("credit_points").statement
    assert statement.need.zh == "希望大件商品分期付款"
    assert statement.need.en == "want big-ticket purchases without paying all at once"
    shot(page, "segments-zh-statement")

"""Strategy page in Chromium: a slider moves a KPI card and the link; two saved scenarios compared."""
from __future__ import annotations

from easymall.store import Workspace
from tests.e2e.conftest import eventually, shot, wait_idle


def _card(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def _card_value(page, label: str) -> str:
    return _card(page, label).locator('[data-testid="stMetricValue"]').inner_text()


def _slider_to_end(page, key: str, presses: int | None = None) -> None:
    thumb = page.locator(f'.st-key-{key} input[type="range"]')
    thumb.focus()
    if presses is None:
        thumb.press("End")
    else:
        for _ in range(presses):
            thumb.press("ArrowRight")
    wait_idle(page)


def test_slider_changes_kpi_card_and_link(server, page) -> None:
    page.goto(f"{server.url}/strategy?lang=en")
    wait_idle(page)
    before = _card_value(page, "Active users, month 24")
    _slider_to_end(page, "branch_referrals")
    page.wait_for_function(
        "(b) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('Active users, month 24') && !m.innerText.includes(b))", arg=before)
    after = _card_value(page, "Active users, month 24")
    assert after != before
    delta = _card(page, "Active users, month 24").locator('[data-testid="stMetricDelta"]').inner_text()
    assert delta.strip().startswith("+")
    page.wait_for_function("() => location.search.includes('branch_referrals=300')")
    shot(page, "strategy-slider")
    # the address is a shareable link: a fresh page opens the same scenario
    other = page.context.new_page()
    other.goto(page.url)
    wait_idle(other)
    assert _card_value(other, "Active users, month 24") == after
    assert "1 lever(s) changed" in other.locator('[data-testid="stCaptionContainer"]').all_inner_texts().__str__()
    other.close()


def test_save_two_scenarios_and_compare(server, page) -> None:
    page.goto(f"{server.url}/strategy?lang=en")
    wait_idle(page)
    name_box = page.get_by_label("Your name", exact=True)
    name_box.fill("Li Wei")
    name_box.press("Enter")
    wait_idle(page)
    for lever, title, sid in (("online_ad_spend", "Ads push", "ads_push"),
                              ("membership_coverage", "Members push", "members_push")):
        _slider_to_end(page, lever, presses=None if lever == "online_ad_spend" else 8)
        page.get_by_role("button", name="Save scenario").click()
        dialog = page.locator('[data-testid="stPopoverBody"]')
        dialog.get_by_label("Scenario name").fill(title)
        dialog.get_by_role("button", name="Save").click()
        wait_idle(page)
        eventually(lambda: Workspace(server.workspace).load("scenarios"), lambda d, sid=sid: d.get(sid) is not None)
        page.keyboard.press("Escape")
    doc = Workspace(server.workspace).load("scenarios")
    ads, members = doc.get("ads_push"), doc.get("members_push")
    assert ads is not None and ads.levers == {"online_ad_spend": 80.0} and ads.author == "Li Wei"
    assert members is not None and set(members.levers) == {"online_ad_spend", "membership_coverage"}
    page.get_by_role("tab", name="Compare scenarios").click()
    wait_idle(page)
    table = page.locator(".st-key-strategy_cmp_table")
    table.wait_for()
    page.wait_for_function(  # the table fills in after its container appears
        "() => (document.querySelector('.st-key-strategy_cmp_table')?.innerText || '').includes('Members push')")
    joined = table.inner_text()
    assert "Δ Ads push" in joined and "Δ Members push" in joined and "Active users, month 24" in joined
    legend = page.locator(".st-key-strategy_cmp_lines .legend").first.text_content() or ""
    assert "Ads push" in legend and "Members push" in legend
    shot(page, "strategy-compare")


def test_shared_link_opens_cold_in_chinese_inside_the_frame(fresh_server, page) -> None:
    srv = fresh_server()
    page.goto(f"{srv.url}/strategy?lang=zh&online_ad_spend=30&crm_touches=3")
    wait_idle(page)
    page.get_by_text("策略——营销组合与情景模拟").wait_for()
    assert page.locator('.st-key-online_ad_spend input[type="range"]').get_attribute("value") == "30"
    assert page.locator('.st-key-crm_touches input[type="range"]').get_attribute("value") == "3"
    assert "2 个杠杆偏离基准" in " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("营销策略").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "strategy-cold-link-zh")


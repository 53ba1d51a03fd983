"""Strategy page in Chromium: a slider moves a KPI card and the link; two saved scenarios compared."""
from __future__ import annotations

import re

from easymall.store import Workspace
from tests.e2e.conftest import eventually, expect, load, shot, wait_idle

CAPTIONS = '[data-testid="stCaptionContainer"]'


def _card(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def _value(page, label: str):
    return _card(page, label).locator('[data-testid="stMetricValue"]')


def _card_value(page, label: str) -> str:
    value = _value(page, label)
    expect(value).to_be_visible()
    return value.inner_text()


def _slider_to_end(page, key: str, presses: int | None = None) -> None:
    wait_idle(page)
    thumb = page.locator(f'.st-key-{key} input[type="range"]')
    thumb.focus()
    if presses is None:
        thumb.press("End")
    else:
        for _ in range(presses):
            thumb.press("ArrowRight")
    wait_idle(page)


def test_slider_changes_kpi_card_and_link(server, page) -> None:
    load(page, f"{server.url}/strategy?lang=en")
    before = _card_value(page, "Active users, month 24")
    _slider_to_end(page, "branch_referrals")
    expect(page).to_have_url(re.compile(r"[?&]branch_referrals=300(&|$)"))
    expect(_value(page, "Active users, month 24")).not_to_have_text(before)
    after = _card_value(page, "Active users, month 24")
    assert after != before
    delta = _card(page, "Active users, month 24").locator('[data-testid="stMetricDelta"]')
    expect(delta).to_have_text(re.compile(r"^\s*\+"))
    shot(page, "strategy-slider")
    # the address is a shareable link: a fresh page opens the same scenario
    other = page.context.new_page()
    load(other, page.url)
    expect(_value(other, "Active users, month 24")).to_have_text(after)
    expect(other.locator(CAPTIONS).filter(has_text=re.compile(re.escape("1 lever(s) changed"))).first).to_be_visible()
    other.close()


def test_save_two_scenarios_and_compare(server, page) -> None:
    load(page, f"{server.url}/strategy?lang=en")
    name_box = page.get_by_label("Your name", exact=True)
    name_box.fill("Li Wei")
    name_box.press("Enter")
    wait_idle(page)
    expect(name_box).to_have_value("Li Wei")
    for lever, title, sid in (("online_ad_spend", "Ads push", "ads_push"),
                              ("membership_coverage", "Members push", "members_push")):
        # a lever in CNY m has its slider in the language's scale (key <id>__<lang>)
        _slider_to_end(page, "online_ad_spend__en" if lever == "online_ad_spend" else lever,
                       presses=None if lever == "online_ad_spend" else 8)
        page.get_by_role("button", name="Save scenario").click()
        dialog = page.locator('[data-testid="stPopoverBody"]')
        dialog.get_by_label("Scenario name").fill(title)
        dialog.get_by_role("button", name="Save").click()
        eventually(lambda: Workspace(server.workspace).load("scenarios"), lambda d, sid=sid: d.get(sid) is not None)
        wait_idle(page)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
    doc = Workspace(server.workspace).load("scenarios")
    ads, members = doc.get("ads_push"), doc.get("members_push")
    assert ads is not None and ads.levers == {"online_ad_spend": 80.0} and ads.author == "Li Wei"
    assert members is not None and set(members.levers) == {"online_ad_spend", "membership_coverage"}
    wait_idle(page)
    page.get_by_role("tab", name="Compare scenarios").click()
    table = page.locator(".st-key-strategy_cmp_table")
    for text in ("Members push", "Δ Ads push", "Δ Members push", "Active users, month 24"):
        expect(table).to_contain_text(text)  # the table fills in after its container appears
    legend = page.locator(".st-key-strategy_cmp_lines .legend").first
    expect(legend).to_contain_text("Ads push")
    expect(legend).to_contain_text("Members push")
    shot(page, "strategy-compare")


def test_shared_link_opens_cold_in_chinese_inside_the_frame(fresh_server, page) -> None:
    srv = fresh_server()
    load(page, f"{srv.url}/strategy?lang=zh&online_ad_spend=30&crm_touches=3")
    expect(page.get_by_text("策略——营销组合与情景模拟")).to_be_visible()
    # ¥30 m a month reads 3,000 万元/月 in Chinese; the link keeps the lever's own unit
    expect(page.locator('.st-key-online_ad_spend__zh input[type="range"]')).to_have_attribute("value", "3000")
    expect(page.locator('.st-key-online_ad_spend__zh')).to_contain_text("万元/月")
    expect(page.locator('.st-key-crm_touches input[type="range"]')).to_have_attribute("value", "3")
    expect(page.locator(CAPTIONS).filter(has_text="2 个杠杆偏离基准").first).to_be_visible()
    expect(page.locator('[data-testid="stSidebarNav"]').get_by_text("营销策略")).to_have_count(1)
    wait_idle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    shot(page, "strategy-cold-link-zh")


def test_overview_gmv_and_the_strategy_baseline_reconcile(server, page) -> None:
    """The Overview's reported 2017 GMV is the reported figure the Strategy page reconciles its
    baseline against, with the model's GMV that year, the share it covers and why the rest differs."""
    load(page, f"{server.url}/overview?lang=en")
    facts = page.locator('[data-testid="stExpander"]').filter(has_text="All market and platform facts").first
    facts.locator("summary").click()
    row = facts.locator("tr").filter(has_text="Easy Mall GMV").filter(
        has_text="annual report 2017")
    expect(row.first).to_be_visible()
    reported = re.search(r"¥[\d,.]+ bn", row.first.inner_text())
    assert reported is not None, row.first.inner_text()
    load(page, f"{server.url}/strategy?lang=en")
    panel = page.locator('[data-testid="stExpander"]').filter(has_text="calibrated from the active survey").first
    panel.locator("summary").click()
    table = page.locator(".st-key-strategy_reconciliation table")
    expect(table).to_be_visible()
    line = table.locator("tr").filter(has_text="2017")
    expect(line).to_contain_text(reported.group(0))  # the same reported figure as the Overview
    cells = line.locator("td, th").all_inner_texts()
    model_gmv, share = cells[1], cells[3]
    assert re.fullmatch(r"¥[\d,.]+ (bn|m)", model_gmv) and model_gmv != reported.group(0), cells
    assert share.endswith("%")
    gap = page.locator(".st-key-strategy_calibration").get_by_text(re.compile(r"Why the figures differ"))
    expect(gap).to_contain_text(reported.group(0))
    expect(gap).to_contain_text(model_gmv)
    expect(gap).to_contain_text("enterprise procurement and financial products")
    shot(page, "strategy_reconciliation")

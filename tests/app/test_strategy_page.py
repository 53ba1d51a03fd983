"""AppTest for the Strategy page: sliders move KPI cards, links carry lever values, scenarios are
saved through the store, presets apply, goal seek answers, broken documents are reported."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from easymall.store import Workspace
from easymall.ui.strategy import SAVE_OPEN, SHARE_OPEN
from tests.app.helpers import button, open_page, plain
from tests.conftest import shown

STRATEGY = {"author": None, "timeout": 90, "frame": True}  # inside the frame: ?lang= and lever links
CALIBRATION = "strategy_calibration_open"  # the calibration panel's (lazy) expander


def _card(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_simulator_shows_levers_by_4p_and_kpi_cards(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    assert not at.exception
    assert at.title[0].value == "Strategy — marketing mix and scenarios"
    assert len(at.slider) == 15
    assert [e.label for e in at.expander][-5:] == ["Product", "Price", "Place (channels)", "Promotion",
                                                   "Customer management"]
    labels = [m.label for m in at.metric]
    for label in ("Active users, month 24", "GMV, 36 months", "CAC", "CLV", "CLV / CAC", "Payback"):
        assert label in labels
    assert _card(at, "Active users, month 24").value.endswith(" m")
    assert all(not m.delta for m in at.metric)  # the baseline: nothing differs yet
    assert any("calibrated from the active survey" in e.label for e in at.expander)


def test_moving_a_slider_changes_the_kpi_cards(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    before = _card(at, "Active users, month 24").value
    at.slider(key="branch_referrals").set_value(120).run()
    assert not at.exception
    card = _card(at, "Active users, month 24")
    assert card.value != before and card.delta.startswith("+")
    assert "1 lever(s) changed from the baseline" in " ".join(shown(c.value) for c in at.caption)


def test_lever_values_in_the_url_open_that_scenario(ws_path: Path) -> None:
    at = open_page("strategy", query={"online_ad_spend": "30", "crm_touches": "3"}, **STRATEGY)
    assert not at.exception
    assert at.slider(key="online_ad_spend__en").value == 30
    assert at.slider(key="crm_touches").value == 3
    assert "2 lever(s) changed" in " ".join(shown(c.value) for c in at.caption)
    assert _card(at, "Active users, month 24").delta


def test_a_cny_m_lever_reads_in_wan_yuan_in_chinese_and_the_link_stays_in_its_own_unit(ws_path: Path) -> None:
    at = open_page("strategy", "zh", query={"online_ad_spend": "30"}, **STRATEGY)
    assert not at.exception
    slider = at.slider(key="online_ad_spend__zh")
    assert slider.value == 3000 and slider.max == 8000 and "万元/月" in slider.label  # ¥30 m a month
    slider.set_value(1200).run()
    assert at.session_state["online_ad_spend"] == 12  # the model's CNY m
    assert at.query_params["online_ad_spend"] in ("12", ["12"])  # a link that opens the same scenario in English
    assert "百万" not in " ".join(str(e.value) for e in [*at.markdown, *at.caption])


def test_chinese(ws_path: Path) -> None:
    at = open_page("strategy", "zh", **STRATEGY)
    assert not at.exception
    assert at.title[0].value == "策略——营销组合与情景模拟"
    assert "第 24 个月活跃用户" in [m.label for m in at.metric]
    assert _card(at, "第 24 个月活跃用户").value.endswith("万")
    assert "产品" in [e.label for e in at.expander]


def test_save_a_named_scenario_through_the_store(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    assert not any(t.key == "strategy_save_name" for t in at.text_input)  # the closed popover builds nothing
    at.session_state["author"] = "Li Wei"
    at.session_state[SAVE_OPEN] = True
    at.run()
    at.slider(key="membership_coverage").set_value(50).run()
    at.text_input(key="strategy_save_name").input("Members for all")
    at.text_area(key="strategy_save_notes").input("Half the buyers in tiers")
    button(at, "Save").click().run()
    assert not at.exception
    doc = Workspace(ws_path).load("scenarios")
    saved = doc.get("members_for_all")
    assert saved is not None and saved.levers == {"membership_coverage": 50.0}
    assert saved.author == "Li Wei" and saved.name.en == "Members for all"
    assert doc.revision == 1
    assert Workspace(ws_path).history("scenarios")[0].author == "Li Wei"


def test_start_from_a_saved_scenario_and_a_tows_preset(ws_path: Path) -> None:
    swot = ws_path / "config" / "swot.yaml"
    text = re.sub(r"(- id: SO1\n(?:    .*\n)*?    levers: ).*\n", r"\1{mobile_banking_exposure: 40, online_ad_spend: 15}\n",
                  swot.read_text("utf-8"), count=1)
    assert "levers: {mobile_banking_exposure: 40, online_ad_spend: 15}" in text
    swot.write_text(text, "utf-8")
    at = open_page("strategy", **STRATEGY)
    at.selectbox(key="strategy_start").set_value("scenario:loyalty_first").run()
    assert not at.exception
    assert at.slider(key="membership_coverage").value == 60
    assert at.slider(key="crm_touches").value == 3
    assert any(o.startswith("TOWS SO1: ") for o in at.selectbox(key="strategy_start").options)
    at.selectbox(key="strategy_start").set_value("tows:SO1").run()
    assert at.slider(key="mobile_banking_exposure").value == 40
    assert at.slider(key="online_ad_spend__en").value == 15
    assert at.slider(key="membership_coverage").value == 10  # back to the baseline, then the preset


def test_goal_seek_tab_answers_the_branch_referral_question(ws_path: Path) -> None:
    at = open_page("strategy", state={"strategy_tab_en": "Goal seek"}, **STRATEGY)
    assert not at.exception
    button(at, "Seek").click().run()
    assert not at.exception
    assert at.success and "Branch referrals =" in shown(at.success[0].value) and "target 5 m" in shown(at.success[0].value)
    at.number_input(key="strategy_goal_target").set_value(900)  # typed as displayed: 900 m users
    button(at, "Seek").click().run()
    assert at.warning and at.warning[0].value.startswith("Unreachable")
    assert "the target 900 m is outside" in shown(at.warning[0].value)


def test_broken_marketing_yaml_keeps_the_last_good_version(ws_path: Path) -> None:
    path = ws_path / "config" / "marketing.yaml"
    path.write_text(path.read_text("utf-8").replace("    value: 0.9\n", "    value: 1.5\n", 1), "utf-8")
    at = open_page("strategy", **STRATEGY)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "config/marketing.yaml" in errors and "monthly_retention" in errors


def test_another_sessions_scenario_appears_without_reload(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    assert "scenario:night_owls" not in at.selectbox(key="strategy_start").options
    ws = Workspace(ws_path)
    doc = ws.load("scenarios")
    from easymall.models.scenarios import Scenario

    doc.scenarios.append(Scenario(id="night_owls", name="Night owls", author="Wang Fang", levers={"crm_touches": 6}))
    ws.save("scenarios", doc, base_revision=doc.revision, author="Wang Fang", message="scenario night_owls")
    at.run()
    assert not at.exception
    assert any("Night owls" in o for o in at.selectbox(key="strategy_start").options)
    at.selectbox(key="strategy_start").set_value("scenario:night_owls").run()
    assert at.slider(key="crm_touches").value == 6


def test_without_a_survey_the_page_says_it_uses_documented_values(ws_path: Path) -> None:
    (ws_path / "data" / "active.json").unlink(missing_ok=True)
    at = open_page("strategy", **STRATEGY)
    assert not at.exception
    assert any("documented values in marketing.yaml" in shown(i.value) for i in at.info)
    assert _card(at, "Active users, month 24").value.endswith(" m")


def test_a_short_horizon_is_named_in_labels_and_every_tab_still_runs(ws_path: Path) -> None:
    path = ws_path / "config" / "marketing.yaml"
    path.write_text(path.read_text("utf-8").replace("horizon_months: 36", "horizon_months: 18", 1), "utf-8")
    at = open_page("strategy", **STRATEGY)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Active users, month 18" in labels and "GMV, 18 months" in labels
    tabs = [t.label for t in at.tabs]
    assert len(tabs) >= 4
    for label in tabs:
        at.session_state["strategy_tab_en"] = label
        at.run()
        assert not at.exception, label
        if label == "Sensitivity and risk":  # the tornado reads the last month, not a month 24 past the end
            outcome = next(b for b in at.get("button_group") if b.label == "Outcome")
            assert "Active users, month 18" in outcome.options


DETERMINISTIC = "Deterministic plan: run the sensitivity and risk analysis for each figure's P50 and P10–P90 band"


def test_cards_show_their_band_after_a_risk_run(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    captions = [shown(c.value) for c in at.caption]
    assert captions.count(DETERMINISTIC) == 1  # one line under the cards, not one per card
    assert not any(c.startswith("P50 ") for c in captions)
    at.session_state["strategy_tab_en"] = "Sensitivity and risk"
    at.run()
    button(at, "Run 1,000 draws").click().run()
    assert not at.exception
    at.session_state["strategy_tab_en"] = "Simulator"
    at.run()
    captions = [shown(c.value) for c in at.caption]
    bands = [c for c in captions if c.startswith("P50 ")]
    payback = [c for c in captions if c == "Fewer than one draw in ten pays back within the horizon"]
    assert len(bands) + len(payback) == 9 and all("P10–P90" in b for b in bands)  # every card has its band
    assert DETERMINISTIC not in captions
    profit = _card(at, "Profit, 36 months").value
    assert profit.startswith("−¥")  # the calibrated baseline loses money over 36 months
    # the band straddles zero or not: when it does, the page says so in words
    sign = [w for w in at.warning if "may turn out a loss or a profit" in shown(w.value)]
    assert len(sign) <= 1


def test_the_reconciliation_lists_model_vs_reported_per_year(ws_path: Path) -> None:
    at = open_page("strategy", **STRATEGY)
    assert not any("Reported GMV" in t.value.columns for t in at.table)  # built once the panel opens
    at.session_state[CALIBRATION] = True
    at.run()
    assert not at.exception
    table = next(t for t in at.table if "Reported GMV" in t.value.columns)
    frame = table.value.map(shown)  # literal_table escapes Markdown
    assert list(frame.index)[:3] == ["2014", "2015", "2016"] and "2017" in frame.index
    row = frame.loc["2017"]
    assert row["Reported GMV"] == "¥1,030 bn" and row["Model GMV"].startswith("¥") and row["Model GMV"] != "—"
    assert row["Share the model covers"].endswith("%")
    assert frame.loc["2016", "Model GMV"] == "—"  # before the horizon
    text = " ".join(shown(c.value) for c in at.caption)
    assert "enterprise procurement and financial products" in text
    rows = " ".join(shown(m.value) for m in at.markdown)
    assert "Share of the reported GMV the model covers" in rows and "market.yaml" in rows


def test_chinese_reconciliation_and_cards(ws_path: Path) -> None:
    at = open_page("strategy", "zh", state={CALIBRATION: True}, **STRATEGY)
    assert not at.exception
    frame = next(t for t in at.table if "公布交易额" in t.value.columns).value.map(shown)
    assert frame.loc["2017", "公布交易额"] == "10,300 亿元"
    assert _card(at, "36 个月交易额").value.endswith("亿元")
    assert "确定性预测；运行“敏感性与风险”分析可查看各指标的 P50 与 P10–P90 区间" in [shown(c.value) for c in at.caption]


def test_goal_targets_are_typed_in_the_displayed_unit_and_reset_with_the_metric(ws_path: Path) -> None:
    at = open_page("strategy", "zh", state={"strategy_tab_zh": "目标反推"}, **STRATEGY)
    assert not at.exception
    target = at.number_input(key="strategy_goal_target")
    assert target.label == "目标值（万）" and target.value == 500  # 5 m users typed as 500 万
    at = open_page("strategy", state={"strategy_tab_en": "Goal seek"}, **STRATEGY)
    assert at.number_input(key="strategy_goal_target").value == 5  # 5 m
    button(at, "Seek").click().run()
    text = shown(at.success[0].value)
    value = re.search(r"Branch referrals = ([\d,.]+) ", text)
    assert value is not None and float(value.group(1).replace(",", "")) % 5 == 0  # on the lever's step of 5
    assert "(target 5 m)" in text
    at.selectbox(key="strategy_goal_metric").set_value("cumulative_profit").run()
    target = at.number_input(key="strategy_goal_target")
    assert target.label == "Target value (¥ bn)" and target.value != 5  # a yuan goal gets its own default


def test_a_kpi_moving_against_the_levers_shows_its_drivers(ws_path: Path) -> None:
    levers = {"membership_coverage": "50", "crm_touches": "8", "after_sales_guarantee": "20", "points_to_cash": "5"}
    at = open_page("strategy", query=levers, **STRATEGY)
    assert not at.exception
    why = next(e for e in at.expander if e.label.startswith("Why CLV falls"))
    rows = " ".join(shown(m.value) for m in why.markdown)
    assert "Annual retention" in rows and "Yearly margin per active buyer" in rows
    assert "customer-management cost" in rows
    assert not any(e.label.startswith("Why") for e in open_page("strategy", **STRATEGY).expander)


def test_a_scenario_being_saved_survives_a_reload_until_saved(ws_path: Path) -> None:
    """Issue 13: the save form's name and notes are kept for the person server-side: a reload brings
    them back with a note; saving clears the draft (another person never sees it)."""
    mine = {**STRATEGY, "author": "李伟", "state": {"_person_token": "k" * 20}}
    at = open_page("strategy", "zh", **{**mine, "state": {**mine["state"], SAVE_OPEN: True}})
    at.text_input(key="strategy_save_name").input("会员全覆盖").run()
    at.text_area(key="strategy_save_notes").input("一半买家进入会员等级").run()
    again = open_page("strategy", "zh", **mine)                       # the reload
    assert any(t.value == "已恢复页面刷新前您未保存的 正在保存的情景（“保存情景”） 草稿。" for t in again.toast)
    assert again.text_input(key="strategy_save_name").value == "会员全覆盖"
    assert again.text_area(key="strategy_save_notes").value == "一半买家进入会员等级"
    other = open_page("strategy", "zh", **{**STRATEGY, "author": "赵磊", "state": {"_person_token": "m" * 20,
                                                                                  SAVE_OPEN: True}})
    assert other.text_input(key="strategy_save_name").value == "" and not other.toast
    again.slider(key="membership_coverage").set_value(50).run()
    again.button(key="strategy_save_button").click().run()
    saved = [s for s in Workspace(ws_path).load("scenarios").scenarios if s.name.zh == "会员全覆盖"]
    assert len(saved) == 1 and saved[0].levers == {"membership_coverage": 50.0} and saved[0].notes.zh == "一半买家进入会员等级"
    third = open_page("strategy", "zh", **{**mine, "state": {**mine["state"], SAVE_OPEN: True}})
    assert not any("草稿" in t.value for t in third.toast) and third.text_input(key="strategy_save_name").value == ""


def test_action_cards_show_the_whole_strategy_text(ws_path: Path) -> None:
    """Issue 13: a marketing action's card names the TOWS strategy it implements in full (it was cut at 60 characters)."""
    swot = Workspace(ws_path).load("swot")
    at = open_page("strategy", state={"strategy_tab_en": "Marketing mix"}, **STRATEGY)
    captions = " ".join(c.value for c in at.caption)
    implemented = [s for s in swot.strategies if f"Implements: {s.id} · " in captions]
    assert implemented and any(len(s.text.en) > 60 for s in implemented)
    for s in implemented:
        assert s.text.en in plain(captions)


def test_an_expired_draft_is_not_restored(ws_path: Path) -> None:
    """Drafts expire (person.DRAFT_TTL): one kept past its time is gone, and nothing waits for it."""
    token = "n" * 20
    record = {"editors": {"scenario:new": {"rev": None, "values": {"strategy_save_name": "过期的草稿"},
                                           "label": ["strategy.draft_scenario", {}], "select": {}}}}
    ws = Workspace(ws_path)
    ws.put_personal("browser:" + token, "drafts-scenarios", record, ttl=-1)
    at = open_page("strategy", "zh", **{**STRATEGY, "author": "李伟", "state": {"_person_token": token, SAVE_OPEN: True}})
    assert at.text_input(key="strategy_save_name").value == "" and not any("草稿" in t.value for t in at.toast)
    ws.put_personal("browser:" + token, "drafts-scenarios", record, ttl=60)           # the same, still fresh
    again = open_page("strategy", "zh", **{**STRATEGY, "author": "李伟", "state": {"_person_token": token, SAVE_OPEN: True}})
    assert again.text_input(key="strategy_save_name").value == "过期的草稿"


def test_the_share_link_is_built_when_its_popover_opens(ws_path: Path) -> None:
    at = open_page("strategy", query={"membership_coverage": "50"}, **STRATEGY)
    assert not at.code or not any("membership_coverage=50" in c.value for c in at.code)  # closed: not built
    at.session_state[SHARE_OPEN] = True
    at.run()
    assert any("membership_coverage=50" in c.value and "lang=en" in c.value for c in at.code)

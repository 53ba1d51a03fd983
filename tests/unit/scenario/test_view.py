"""What the Strategy page shows: number formats, KPI cards, tables and pure document edits."""
from __future__ import annotations

from datetime import date

import pytest

from easymall.models.marketing import MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.scenario import model as sc
from easymall.scenario import risk, view
from easymall.store import parse_document
from tests.conftest import ROOT

DOC = parse_document("marketing", (ROOT / "config" / "marketing.yaml").read_text("utf-8"))
SCEN = parse_document("scenarios", (ROOT / "config" / "scenarios.yaml").read_text("utf-8"))
assert isinstance(DOC, MarketingDocument) and isinstance(SCEN, ScenariosDocument)
MODEL = sc.build_model(DOC)


def test_number_formats_in_both_languages() -> None:
    assert view.fmt(3_610_000, "users", "en") == "3.61 m"
    assert view.fmt(3_610_000, "users", "zh") == "361 万"
    assert view.fmt(187_810_000_000, "yuan", "en") == "¥187.8 bn"
    assert view.fmt(187_810_000_000, "yuan", "zh") == "1,878 亿元"  # four significant figures, fits a card
    assert view.fmt(15_060_000_000, "yuan", "zh") == "150.6 亿元"
    assert view.fmt(-150_600_000, "yuan", "en") == "-¥150.6 m"
    assert view.fmt(39.74, "yuan", "en") == "¥39.7"
    assert view.fmt(0.367, "share", "en") == "36.7%"
    assert view.fmt(0.05, "share", "en", signed=True) == "+5.0 pp"
    assert view.fmt(None, "yuan", "en") == "—" and view.fmt(float("nan"), "users", "zh") == "—"
    assert view.slider_format(10) == "%.0f" and view.slider_format(0.5) == "%.1f" and view.slider_format(0.05) == "%.2f"


def test_cards_show_deltas_against_the_baseline() -> None:
    base = sc.run(MODEL)
    same = view.cards(base, base, "en")
    assert len(same) == 9 and all(c.delta is None for c in same)
    more = sc.run(MODEL, {"branch_referrals": 120})
    cards = {c.id: c for c in view.cards(more, base, "en")}
    assert cards["active_users_24"].delta.startswith("+")
    assert cards["cac"].delta_color == "inverse"
    zh = {c.id: c for c in view.cards(more, base, "zh")}
    assert zh["active_users_24"].label == "第 24 个月活跃用户"


def test_card_labels_follow_the_horizon() -> None:
    short = sc.build_model(DOC.model_copy(update={"horizon_months": 18}))
    base = sc.run(short)
    cards = {c.id: c for c in view.cards(base, base, "en")}
    assert cards["active_users_24"].label == "Active users, month 18"
    assert cards["active_users_24"].help == f"Monthly active buyers in month 18 ({base.months[17]})."
    assert cards["gmv_total"].label == "GMV, 18 months"
    zh = {c.id: c for c in view.cards(base, base, "zh")}
    assert zh["profit_total"].label == "18 个月利润"
    assert not any("36" in c.label or "24" in c.label for c in cards.values())


def test_comparison_table_has_a_delta_column_per_other_scenario() -> None:
    base = sc.run(MODEL)
    a = sc.run(MODEL, SCEN.get("digital_acquisition").levers, "a")
    b = sc.run(MODEL, SCEN.get("corporate_niche").levers, "b")
    table = view.comparison_table([base, a, b], ["Baseline", "Digital", "Corporate"], "en")
    assert list(table.columns) == ["Metric", "Baseline", "Digital", "Δ Digital", "Corporate", "Δ Corporate"]
    row = table[table["Metric"] == "Active users, month 24"].iloc[0]
    assert row["Δ Digital"].startswith("+") and "%" in row["Δ Digital"]


def test_with_scenario_stores_only_changed_levers_and_a_unique_id() -> None:
    values = {**DOC.baseline(), "online_ad_spend": 20.0}
    doc, sid = view.with_scenario(SCEN, MODEL, "Digital acquisition", "more ads", "Li Wei", values, "en",
                                  today=date(2017, 5, 1))
    assert sid == "digital_acquisition_2"  # the id is taken
    new = doc.get(sid)
    assert new.levers == {"online_ad_spend": 20.0} and new.author == "Li Wei" and new.created == "2017-05-01"
    assert len(doc.scenarios) == len(SCEN.scenarios) + 1
    doc2, sid2 = view.with_scenario(doc, MODEL, "数字化", "", "王芳", values, "zh")
    assert sid2 == "scenario" and doc2.get(sid2).name.zh == "数字化"
    upd, same = view.with_scenario(SCEN, MODEL, "Loyalty v2", "", "Li Wei", {**DOC.baseline(), "crm_touches": 5},
                                   "en", replace="loyalty_first")
    assert same == "loyalty_first" and upd.get(same).levers == {"crm_touches": 5.0}
    assert upd.get(same).name.zh == "忠诚度优先：会员、积分与售后"  # the other language is kept
    with pytest.raises(ValueError, match="name"):
        view.with_scenario(SCEN, MODEL, "  ", "", "x", values, "en")
    assert view.without_scenario(SCEN, "loyalty_first").get("loyalty_first") is None


def test_apply_action_edits_changes_only_the_current_language() -> None:
    frame = view.actions_frame(DOC, "price", "en")
    assert list(frame.index) == ["low_commission", "instalments", "points_to_cash"]
    new = view.apply_action_edits(DOC, "price", {"edited_rows": {1: {"title": "Interest-free instalments", "cost": 55}}},
                                  "en")
    action = next(a for a in new.actions if a.id == "instalments")
    assert action.title.en == "Interest-free instalments" and action.title.zh == "信用卡免息分期"
    assert action.cost == 55
    added = view.apply_action_edits(DOC, "price", {"added_rows": [{"title": "Member prices", "cost": 3,
                                                                   "levers": ["membership_coverage"]}]}, "en")
    assert added.actions[-1].id == "member_prices" and added.actions[-1].group == "price"
    deleted = view.apply_action_edits(DOC, "price", {"deleted_rows": [0]}, "en")
    assert "low_commission" not in {a.id for a in deleted.actions}


def test_apply_action_edits_refuses_bad_values_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="budget"):
        view.apply_action_edits(DOC, "price", {"edited_rows": {0: {"cost": -5}}}, "en")
    with pytest.raises(ValueError, match="unknown lever"):
        view.apply_action_edits(DOC, "price", {"edited_rows": {0: {"levers": ["cashback"]}}}, "en")
    with pytest.raises(ValueError, match="cannot be empty"):
        view.apply_action_edits(DOC, "price", {"edited_rows": {0: {"title": " "}}}, "en")


def test_sweep_and_tables() -> None:
    xs, ys = view.sweep(MODEL, DOC.baseline(), "branch_referrals", "active_users", 24, points=11)
    assert xs[0] == 0 and xs[-1] == 300 and all(b >= a for a, b in zip(ys, ys[1:], strict=False))
    assert len(view.lever_table(DOC, "customer", DOC.baseline(), "zh")) == 3
    assert len(view.parameter_table(MODEL, "en")) == len(DOC.parameters)
    bands = risk.monte_carlo(MODEL, draws=50)
    assert list(view.bands_table(bands, "en").columns) == ["Metric", "P10", "P50", "P90"]
    assert view.group_costs(DOC)["price"] == sum(a.cost for a in DOC.actions if a.group == "price")


def test_share_url_and_lever_edits() -> None:
    q = {"online_ad_spend": "20"}
    assert view.share_url("http://host:8501/strategy?lang=en&x=1", q, "zh") == \
        "http://host:8501/strategy?lang=zh&online_ad_spend=20"
    assert view.share_url("http://host:8501/overview", {}, "en") == "http://host:8501/strategy?lang=en"
    assert view.share_url("https://bank.example/apps/easymall/", q, "en") == \
        "https://bank.example/apps/easymall/strategy?lang=en&online_ad_spend=20"
    frame = view.levers_frame(DOC, "promotion", "zh")
    assert list(frame.index) == ["online_ad_spend", "campaign_discount"]
    assert frame.loc["online_ad_spend", "unit"] == "百万元/月"
    new = view.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"value": 10, "note": "新的说明"}}}, "zh")
    lever = new.lever("online_ad_spend")
    assert lever.value == 10 and lever.note.zh == "新的说明" and lever.note.en.startswith("Paid search")
    with pytest.raises(ValueError, match="outside its range"):
        view.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"value": 500}}}, "en")
    with pytest.raises(ValueError, match="must be below max"):
        view.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"min": 80}}}, "en")
    with pytest.raises(ValueError, match="lever online_ad_spend: triangular low 1.5 is above high 1"):
        view.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"mc_low": 1.5}}}, "en")

"""What the Strategy page shows: figures, KPI cards, tables, picker options and goal-seek answers."""
from __future__ import annotations

import pytest

from easymall.core.units import format_together, format_value
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


def test_figures_read_through_the_one_formatter_in_both_languages() -> None:
    assert format_value(3_610_000, "users", "en") == "3.61 m"
    assert format_value(3_610_000, "users", "zh") == "361 万"
    assert format_value(187_810_000_000, "yuan", "en") == "¥187.8 bn"
    assert format_value(187_810_000_000, "yuan", "zh") == "1,878 亿元"  # four significant figures, fits a card
    assert format_value(15_060_000_000, "yuan", "zh") == "150.6 亿元"
    assert format_value(-150_600_000, "yuan", "en") == "−¥0.1506 bn"  # bn from 10⁸ on, like 亿元
    assert format_value(39.74, "yuan", "en") == "¥39.7"
    assert format_value(0.367, "share", "en") == "36.7%"
    assert format_value(0.05, "share", "en", signed=True) == "+5.0 pp"
    assert format_value(None, "yuan", "en") == "—" and format_value(float("nan"), "users", "zh") == "—"
    assert view.slider_format(10) == "%.0f" and view.slider_format(0.5) == "%.1f" and view.slider_format(0.05) == "%.2f"


def test_cards_show_deltas_against_the_baseline() -> None:
    base = sc.run(MODEL)
    same = view.cards(base, base, "en")
    assert len(same) == 9 and all(c.delta is None for c in same)
    more = sc.run(MODEL, {"branch_referrals": 120})
    cards = {c.id: c for c in view.cards(more, base, "en")}
    assert cards["active_users_24"].delta.startswith("+")
    assert cards["cac"].delta.startswith("−") and cards["cac"].delta_color == "green"  # CAC fell: better
    assert cards["active_users_24"].delta_color == "green"
    zh = {c.id: c for c in view.cards(more, base, "zh")}
    assert zh["active_users_24"].label == "第 24 个月活跃用户"
    # the arrow follows the numbers: a fall reads "−…" (the minus sign) and points down
    assert cards["active_users_24"].delta_arrow == "up" and all(c.delta_arrow == "off" for c in same)
    less = {c.id: c for c in view.cards(sc.run(MODEL, {"online_ad_spend": 80}), base, "zh")}
    falls = [c for c in less.values() if c.delta and c.delta.startswith("−")]
    assert falls and all(c.delta_arrow == "down" for c in falls)
    assert less["profit_total"].delta.startswith("−") and less["profit_total"].delta_color == "red"


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


def test_sweep_and_tables() -> None:
    xs, ys = view.sweep(MODEL, DOC.baseline(), "branch_referrals", "active_users", 24, points=11)
    assert xs[0] == 0 and xs[-1] == 300 and all(b >= a for a, b in zip(ys, ys[1:], strict=False))
    assert len(view.lever_table(DOC, "customer", DOC.baseline(), "zh")) == 3
    assert len(view.parameter_table(MODEL, "en")) == len(DOC.parameters)
    bands = risk.monte_carlo(MODEL, draws=50)
    assert list(view.bands_table(bands, "en").columns) == ["Metric", "P10", "P50", "P90"]
    assert view.group_costs(DOC)["price"] == sum(a.cost for a in DOC.actions if a.group == "price")


def test_share_url() -> None:
    q = {"online_ad_spend": "20"}
    assert view.share_url("http://host:8501/strategy?lang=en&x=1", q, "zh") == \
        "http://host:8501/strategy?lang=zh&online_ad_spend=20"
    assert view.share_url("http://host:8501/overview", {}, "en") == "http://host:8501/strategy?lang=en"
    assert view.share_url("https://bank.example/apps/easymall/", q, "en") == \
        "https://bank.example/apps/easymall/strategy?lang=en&online_ad_spend=20"


def test_levers_frame() -> None:
    frame = view.levers_frame(DOC, "promotion", "zh")
    assert list(frame.index) == ["online_ad_spend", "campaign_discount"]
    assert frame.loc["online_ad_spend", "unit"] == "万元/月"


def test_budgets_and_axes_read_in_the_one_scale() -> None:
    assert view.budget(108, "en") == "¥0.108 bn" and view.budget(108, "zh") == "1.08 亿元"
    assert view.scale("yuan", "en") == (1e9, "¥ bn") and view.scale("users", "zh") == (1e4, "万")


def test_pickers_and_their_defaults() -> None:
    options = view.compare_options(SCEN, "en")
    assert list(options)[:2] == [view.BASELINE, view.CURRENT]
    assert view.compare_picks(None, options, SCEN, moved=False)[0] == view.BASELINE
    assert view.compare_picks(None, options, SCEN, moved=True)[:2] == [view.BASELINE, view.CURRENT]
    assert view.compare_picks(["gone", view.CURRENT], options, SCEN, moved=False) == [view.CURRENT]
    assert view.picks_after_save(["scenario:a", "scenario:b"], "b") == [view.BASELINE, view.CURRENT, "scenario:b",
                                                                       "scenario:a"]
    assert view.tornado_metrics(18) == {"cumulative_profit": None, "active_users@18": 18, "gmv": None,
                                        "clv_cac": None}
    assert view.GOAL_LEVER in MODEL.lever_ids and view.goal_month(36) == 24 and view.goal_month(12) == 12
    start = view.start_from(MODEL, SCEN, [], "scenario:loyalty_first")
    assert start is not None and start.loaded == "loyalty_first" and start.values["crm_touches"] == 3
    assert view.start_from(MODEL, SCEN, [], "scenario:gone") is None
    rows = view.saved_rows(MODEL, SCEN, "en")
    assert [r.id for r in rows] == [s.id for s in SCEN.scenarios]
    assert any("`loyalty_first`" in r.title for r in rows)


def test_goal_answer_names_the_lever_value_and_the_target() -> None:
    g = view.goal_seek(MODEL, view.GOAL_LEVER, "active_users", view.GOAL_TARGET, month=24)
    answer = view.goal_answer(MODEL, g, "en")
    assert answer.reached and "Branch referrals =" in answer.text and "target 5 m" in answer.text
    zh = view.goal_answer(MODEL, g, "zh")
    assert "500 万" in zh.text and zh.metric == "active_users@24"


def _calibrated():  # noqa: ANN202
    from tests.unit.scenario.test_risk import _calibrated as build

    return build()


def test_cards_carry_their_band_once_risk_has_run_and_a_sign_flip_is_said() -> None:
    from easymall.scenario import risk

    m = _calibrated()
    base = view.run(m)
    assert all(c.band is None for c in view.cards(base, base, "en"))
    bands = risk.monte_carlo(m, draws=300)
    cards = {c.id: c for c in view.cards(base, base, "en", bands)}
    lo, mid, hi = bands.summary["profit_total"]
    p10, p50, p90 = format_together([lo, mid, hi], "yuan", "en")
    assert cards["profit_total"].band == f"P50 {p50} · P10–P90 {p10} to {p90}"
    assert len({b.split(" ")[-1] for b in (p10, p50, p90)}) == 1  # one scale across the band
    assert all(c.band for c in cards.values())
    au = cards["active_users_24"].band
    assert au is not None and format_value(float(bands.p50["active_users"][23]), "users", "en") in au
    notes = view.sign_notes(base, bands, "zh")
    assert (lo < 0 < hi) == bool(notes)
    flipped = risk.Bands(bands.draws, bands.seed, bands.months, bands.p10, bands.p50, bands.p90,
                         {**bands.summary, "profit_total": (-1e8, 2e7, 3e8)}, bands.uncertain)
    assert "可能亏损，也可能盈利" in view.sign_notes(base, flipped, "zh")[0]


def test_a_kpi_that_moves_against_the_levers_gets_its_drivers_from_the_model() -> None:
    m = _calibrated()
    base = view.run(m)
    levers = {"membership_coverage": 50, "crm_touches": 8, "after_sales_guarantee": 20, "points_to_cash": 5}
    r = view.run(m, levers)
    assert r.summary["retention_annual"] > base.summary["retention_annual"] and r.summary["clv"] < base.summary["clv"]
    why = {e.kpi: e for e in view.explanations(m, r, base, "en")}
    assert set(why) == {"clv", "profit_total"}
    clv = why["clv"]
    assert clv.headline.startswith("Why CLV falls")
    assert clv.rows[0].startswith("Annual retention") and "CLV +" in clv.rows[0]
    assert clv.rows[1].startswith("Yearly margin per active buyer") and "CLV −" in clv.rows[1]
    assert any("customer-management cost" in row and "margin −" in row for row in clv.rows)
    # the profit drivers sum to the change in profit
    parts = view.explain.PROFIT_PARTS
    total = sum(sign * float(r.kpis[k].sum() - base.kpis[k].sum()) for k, sign in parts)
    assert total == pytest.approx(r.summary["profit_total"] - base.summary["profit_total"], rel=1e-9)
    assert view.explanations(m, base, base, "en") == []  # nothing moved
    assert view.explanations(m, view.run(m, {"membership_coverage": 0}), base, "en") == []  # fewer stay: obvious


def test_a_cny_m_lever_reads_and_is_edited_in_wan_yuan_in_chinese(ws_path) -> None:
    from easymall.scenario import edit as scenario_edit
    from easymall.store import Workspace

    doc = Workspace(ws_path).load("marketing")
    lever = doc.lever("online_ad_spend")  # CNY m per month, baseline 6
    assert view.lever_value(6, lever.unit, "zh", lever.step) == "600 万元/月"
    assert view.lever_value(6, lever.unit, "en", lever.step) == "6 CNY m per month"
    frame = view.levers_frame(doc, lever.group, "zh")
    assert frame.loc["online_ad_spend", ["value", "min", "max", "step"]].tolist() == [600, 0, 8000, 100]
    pos = list(frame.index).index("online_ad_spend")
    edited = scenario_edit.apply_lever_edits(doc, lever.group, {"edited_rows": {pos: {"value": 1200}}}, "zh")
    assert edited.lever("online_ad_spend").value == 12  # typed as shown: 1,200 万元 = 12 CNY m
    action = next(a for a in doc.actions if a.group == "promotion")
    actions = view.actions_frame(doc, "promotion", "zh")
    assert actions.loc[action.id, "cost"] == action.cost * 100
    row = list(actions.index).index(action.id)
    changed = scenario_edit.apply_action_edits(doc, "promotion", {"edited_rows": {row: {"cost": 250}}}, "zh")
    assert next(a for a in changed.actions if a.id == action.id).cost == 2.5  # 250 万元 = 2.5 CNY m
    # a link carries the lever's own unit whatever the language
    assert view.lever_from_link(lever, "30") == 30 and view.lever_from_link(lever, "999") == 6
    assert view.lever_link(lever, 6) is None and view.lever_link(lever, 12.5) == "12.5"


def test_the_model_is_built_once_per_documents_dataset_and_language(ws_path, monkeypatch) -> None:
    from easymall.store import Workspace

    builds: list[str] = []
    real = view._model_for
    monkeypatch.setattr(view, "_model_for", lambda m, ws, lang: builds.append(lang) or real(m, ws, lang))
    monkeypatch.setattr(view, "MODELS", view.Memo(32))
    monkeypatch.setattr(view, "DIGESTS", view.Memo(64))
    ws = Workspace(ws_path)
    marketing = ws.load("marketing")
    first, _ = view.model_for(marketing, ws, "en")
    assert view.model_for(marketing.model_copy(deep=True), ws, "en")[0] is first  # another session's copy
    assert builds == ["en"]
    hashed: list[int] = []
    blake2b = view.hashlib.blake2b
    monkeypatch.setattr(view.hashlib, "blake2b", lambda *a, **kw: hashed.append(1) or blake2b(*a, **kw))
    assert view.model_for(marketing, ws, "en")[0] is first
    assert hashed == []  # the same document again: its hash is remembered, not computed on every rerun
    view.model_for(marketing, ws, "zh")  # the calibration's sentences are in the reader's language
    changed = marketing.model_copy(deep=True)
    changed.horizon_months = changed.horizon_months + 1
    assert view.model_for(changed, ws, "en")[0] is not first
    survey = ws.load("survey")  # a changed questionnaire (or another active dataset) is a new object
    ws.save("survey", survey, base_revision=survey.revision, author="t", message="again")
    assert view.model_for(marketing, ws, "en")[0] is not first
    assert builds == ["en", "zh", "en", "en"]
    view.MODELS.entries = 2
    view.model_for(marketing, ws, "zh")
    assert len(view.MODELS) == 2  # bounded: the oldest went

"""The driver model: formulas on small hand-computed cases, monotonicity, CLV, calibration and lever
handling (risk analysis: test_risk.py)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.models.marketing import LEVER_SPECS, MarketingDocument
from easymall.scenario import model as sc
from easymall.scenario import risk
from easymall.store import parse_document
from tests.conftest import ROOT

DOC = parse_document("marketing", (ROOT / "config" / "marketing.yaml").read_text("utf-8"))
assert isinstance(DOC, MarketingDocument)


def model(**params: float) -> sc.Model:
    m = sc.build_model(DOC)
    return sc.Model(m.doc, {**m.params, **params})


def levers(**over: float) -> dict[str, np.ndarray]:
    """Lever arrays (1 draw, 3 months) at the baseline with ``over`` applied."""
    values = {**DOC.baseline(), **over}
    return {k: np.full((1, 3), float(v)) for k, v in values.items()}


def simple_params(**over: float) -> dict[str, float]:
    """Round numbers, so every KPI can be computed by hand; levers with no effect zeroed."""
    p = {pid: 0.0 for pid in sc.build_model(DOC).params}
    p.update(dict(initial_registered_users=1000, initial_active_users=100, monthly_retention=0.5,
                  ad_max_registrations=100, ad_spend_scale=2, activation_online=0.5, activation_branch=0.5,
                  activation_mobile=0.5, activation_partner=0.5, brand_scale=1, orders_per_active=2, aov=10,
                  discount_rate=0.1))
    p.update(over)
    return p


def zero_levers(**over: float) -> dict[str, np.ndarray]:
    values = {k: 0.0 for k in LEVER_SPECS}
    values.update(over)
    return {k: np.full((1, 3), float(v)) for k, v in values.items()}


# ------------------------------------------------------------------ formulas, by hand


def test_online_ads_registrations_follow_the_saturation_curve() -> None:
    k = sc.simulate(zero_levers(online_ad_spend=2), simple_params(), 3)
    assert k["registrations"][0, 0] == pytest.approx(100 * (1 - math.exp(-1)))
    assert k["new_users_online"][0, 0] == pytest.approx(50 * (1 - math.exp(-1)))


def test_branch_mobile_and_partner_registrations() -> None:
    p = simple_params(branches=10, branch_referral_conversion=0.5, mobile_banking_users=1000,
                      mobile_monthly_active_share=0.5, awareness=0.4, aware_register_rate=0.1,
                      partner_registrations=7)
    k = sc.simulate(zero_levers(branch_referrals=4, mobile_banking_exposure=50, partner_channels=3), p, 3)
    assert k["new_users_branch"][0, 0] == pytest.approx(10 * 4 * 0.5 * 0.5)  # 10
    assert k["new_users_mobile"][0, 0] == pytest.approx(1000 * 0.5 * 0.5 * 0.4 * 0.1 * 0.5)  # 5
    assert k["new_users_partner"][0, 0] == pytest.approx(3 * 7 * 0.5)  # 10.5


def test_active_users_retention_orders_gmv_by_hand() -> None:
    p = simple_params()
    k = sc.simulate(zero_levers(online_ad_spend=2), p, 3)
    new = 50 * (1 - math.exp(-1))
    a1 = 0.5 * 100 + new
    a2 = 0.5 * a1 + new
    a3 = 0.5 * a2 + new
    assert k["active_users"][0].tolist() == pytest.approx([a1, a2, a3])
    assert k["retention"][0, 0] == 0.5
    assert k["repurchase_rate"][0, 0] == pytest.approx(0.5 ** 12)
    assert k["orders"][0, 0] == pytest.approx(2 * a1)
    assert k["aov"][0, 0] == 10
    assert k["gmv"][0, 0] == pytest.approx(20 * a1)


def test_revenue_streams_costs_and_profit_by_hand() -> None:
    p = simple_params(deposit_balance_per_active=1200, deposit_spread=0.1, fin_margin_per_user=10,
                      fixed_cost=1, cost_per_order=1, instalment_share=0.5, instalment_fee_rate=0.1)
    lv = zero_levers(commission_rate=10, financial_tools_attach=50, enterprise_cloud_clients=2)
    p["b2b_gmv_per_client"] = 1000
    k = sc.simulate(lv, p, 3)
    a1 = 50.0  # no acquisition: 0.5 × 100
    gmv_b2c = a1 * 2 * 10
    assert k["gmv"][0, 0] == pytest.approx(gmv_b2c + 2000)
    assert k["revenue_commission"][0, 0] == pytest.approx(0.1 * (gmv_b2c + 2000))
    assert k["revenue_financial"][0, 0] == pytest.approx(a1 * 0.5 * 10 + gmv_b2c * 0.5 * 0.1)
    assert k["revenue_deposit"][0, 0] == pytest.approx(a1 * 1200 * 0.1 / 12)
    assert k["costs"][0, 0] == pytest.approx(1e6 + a1 * 2 * 1)
    assert k["profit"][0, 0] == pytest.approx(k["revenue"][0, 0] - k["costs"][0, 0])
    assert k["cumulative_profit"][0, -1] == pytest.approx(k["profit"][0].sum())


def test_churn_cuts_multiply_and_retention_stays_below_one() -> None:
    p = simple_params(membership_churn_cut=0.5, crm_churn_cut=0.1)
    k = sc.simulate(zero_levers(membership_coverage=100, crm_touches=2), p, 3)
    assert k["retention"][0, 0] == pytest.approx(1 - 0.5 * 0.5 * 0.8)
    m = sc.build_model(DOC)
    top = {lv.id: lv.max for lv in DOC.levers}
    assert sc.run(m, top).kpis["retention"].max() < 1


def test_cac_is_acquisition_cost_per_activated_user() -> None:
    k = sc.simulate(zero_levers(online_ad_spend=2), simple_params(), 3)
    assert k["cac"][0, 0] == pytest.approx(2e6 / (50 * (1 - math.exp(-1))))
    s = sc.summarise(k, simple_params())
    assert s["cac"][0] == pytest.approx(2e6 / (50 * (1 - math.exp(-1))))


def test_clv_formula() -> None:
    assert sc.clv(100.0, 0.5, 0.1) == pytest.approx(100 * 0.5 / 0.6)
    assert sc.clv(60.0, 0.8, 0.0) == pytest.approx(240.0)  # m·r/(1−r) without discounting
    assert sc.clv(0.0, 0.9, 0.08) == 0


def test_payback_month_is_the_first_month_cumulative_profit_is_not_negative() -> None:
    k = {key: np.zeros((1, 4)) for key in sc.KPIS}
    k["cumulative_profit"] = np.array([[-3.0, -1.0, 0.5, 2.0]])
    k["retention"] = np.full((1, 4), 0.5)
    assert sc.summarise(k, simple_params())["payback_month"][0] == 3
    k["cumulative_profit"] = np.array([[-3.0, -2.0, -1.0, -0.5]])
    assert math.isnan(sc.summarise(k, simple_params())["payback_month"][0])


def test_lever_change_ramps_in_linearly() -> None:
    m = model(ramp_months=4)
    base = DOC.lever("online_ad_spend").value
    L = sc._lever_matrix(m, [{**DOC.baseline(), "online_ad_spend": base + 8}], 6)
    assert L["online_ad_spend"][0].tolist() == pytest.approx([base + 2, base + 4, base + 6, base + 8, base + 8, base + 8])


# ------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 80), st.floats(0, 80))
def test_more_ad_spend_never_gives_fewer_new_users(a: float, b: float) -> None:
    m = sc.build_model(DOC)
    lo, hi = sorted((a, b))
    k, _ = sc.run_many(m, [{**DOC.baseline(), "online_ad_spend": lo}, {**DOC.baseline(), "online_ad_spend": hi}])
    assert np.all(k["new_users"][1] >= k["new_users"][0] - 1e-9)
    assert np.all(k["active_users"][1] >= k["active_users"][0] - 1e-6)


def test_every_lever_moves_some_kpi() -> None:
    m = sc.build_model(DOC)
    base = sc.run(m)
    for lv in DOC.levers:
        other = sc.run(m, {lv.id: lv.max if lv.value != lv.max else lv.min})
        moved = [k for k in sc.KPIS if not np.allclose(other.kpis[k], base.kpis[k], equal_nan=True)]
        assert moved, f"lever {lv.id} moves nothing"


def test_baseline_run_is_deterministic_and_horizon_default_is_36() -> None:
    m = sc.build_model(DOC)
    a, b = sc.run(m), sc.run(m)
    assert len(a.months) == 36 and a.months[0] == "2017-01" and a.months[-1] == "2019-12"
    for key in sc.KPIS:
        assert a.kpis[key].shape == (36,)
        assert np.array_equal(a.kpis[key], b.kpis[key], equal_nan=True)
    assert sc.run(m, horizon=12).kpis["gmv"].shape == (12,)


# ------------------------------------------------------------------ calibration


def test_calibration_from_survey_kpis_is_pure_and_documented() -> None:
    params, notes = sc.calibrate(DOC, {"repurchase_rate": 0.3, "awareness": 0.7, "aov": 500.0,
                                       "channel_branch_share": 0.5, "nps": -20})
    assert params["monthly_retention"] == pytest.approx(0.3 ** (1 / 12))
    assert params["awareness"] == 0.7 and params["aov"] == 500
    assert {n.parameter for n in notes} == {"monthly_retention", "awareness", "aov", "branch_referral_conversion"}
    m = sc.Model(DOC, params, notes, "test")
    k = sc.run(m).kpis
    branch_share = k["registrations"][0] and (
        DOC.lever("branch_referrals").value * params["branches"] * params["branch_referral_conversion"]
        / k["registrations"][0])
    assert branch_share == pytest.approx(0.5)
    assert DOC.parameter("monthly_retention").value == 0.9  # the document is untouched


def test_calibration_ignores_missing_or_absurd_values() -> None:
    params, notes = sc.calibrate(DOC, {"repurchase_rate": float("nan"), "awareness": 1.7, "aov": -3})
    assert notes == ()
    assert params == {p.id: p.value for p in DOC.parameters}
    m = sc.build_model(DOC, {})
    assert m.source is None and m.calibration == ()


def test_clipped_calibration_is_flagged() -> None:
    _, notes = sc.calibrate(DOC, {"repurchase_rate": 0.0001})
    assert notes[0].after == 0.5 and notes[0].clipped


# ------------------------------------------------------------------ levers, links, comparison, presets


def test_resolve_levers_clamps_and_collects_unknown() -> None:
    m = sc.build_model(DOC)
    r = sc.resolve_levers(m, {"online_ad_spend": 500, "nope": 1, "commission_rate": "abc"})
    assert r.values["online_ad_spend"] == 80
    assert r.unknown == ["nope"]
    assert any("clamped to 80" in str(w) for w in r.warnings)
    assert any("not a number" in str(w) for w in r.warnings)
    assert r.values["commission_rate"] == DOC.lever("commission_rate").value


def test_query_params_round_trip_only_changed_levers() -> None:
    m = sc.build_model(DOC)
    values = {**DOC.baseline(), "online_ad_spend": 12.5, "crm_touches": 3}
    q = sc.levers_to_query(m, values)
    assert q == {"online_ad_spend": "12.5", "crm_touches": "3"}
    back = sc.levers_from_query(m, {**q, "lang": "zh"})
    assert back.values == values and not back.unknown


def test_parse_assignments() -> None:
    assert sc.parse_assignments(["a=1", " b = 2.5 "]) == {"a": "1", "b": "2.5"}
    with pytest.raises(ValueError, match="not LEVER=VALUE"):
        sc.parse_assignments(["a"])


def test_compare_gives_deltas_against_the_first() -> None:
    m = sc.build_model(DOC)
    base, more = sc.run(m), sc.run(m, {"online_ad_spend": 30}, "ads")
    rows = {r.metric: r for r in sc.compare([base, more])}
    row = rows["active_users@24"]
    assert row.deltas[0] == 0 and row.deltas[1] == pytest.approx(more.at("active_users", 24) - base.at("active_users", 24))
    assert row.deltas[1] > 0 and row.pct[1] == pytest.approx(row.deltas[1] / base.at("active_users", 24))
    assert rows["gmv"].values[0] == pytest.approx(base.kpis["gmv"].sum())
    assert rows["clv"].values[1] == more.summary["clv"]


def test_incremental_payback() -> None:
    m = sc.build_model(DOC)
    base = sc.run(m)
    cloud = sc.run(m, {"enterprise_cloud_clients": 12000})
    month = sc.incremental_payback(cloud, base)
    assert month is not None and 1 <= month <= 36
    assert sc.incremental_payback(sc.run(m, {"campaign_discount": 10}), base) is None
    assert sc.incremental_payback(sc.run(m), base) is None  # the same plan


def test_tows_presets_read_strategies_with_levers() -> None:
    from pydantic import BaseModel

    class Strategy(BaseModel):
        id: str
        text: str
        type: str
        levers: dict[str, float] = {}

    class Doc(BaseModel):
        strategies: list[Strategy]
        other: int = 1

    doc = Doc(strategies=[Strategy(id="SO1", text="x", type="SO", levers={"online_ad_spend": 20}),
                          Strategy(id="WT1", text="y", type="WT")])
    presets = sc.tows_presets(doc)
    assert [(p.id, p.kind, p.levers) for p in presets] == [("SO1", "SO", {"online_ad_spend": 20.0})]
    assert sc.tows_presets(None) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=len(LEVER_SPECS), max_size=len(LEVER_SPECS)))
def test_retention_stays_below_one_anywhere_in_the_lever_ranges(fractions: list[float]) -> None:
    m = sc.build_model(DOC)
    values = {lv.id: lv.min + f * (lv.max - lv.min) for lv, f in zip(DOC.levers, fractions, strict=True)}
    k = sc.run(m, values).kpis
    assert np.all(k["retention"] < 1) and np.all(k["retention"] > 0)
    assert np.all(np.isfinite(k["active_users"])) and np.all(k["active_users"] >= 0)


def test_survey_kpis_from_the_workspace_and_the_documented_fallback(ws_path) -> None:
    from easymall.store import Workspace

    ws = Workspace(ws_path)
    kpis = sc.survey_kpis(ws)
    assert kpis.problem is None
    if kpis.dataset is not None:  # the sample workspace has an active survey
        assert kpis.n > 0 and 0 < kpis.values["repurchase_rate"] < 1
        assert sc.build_model(DOC, kpis.values, kpis.dataset).source == kpis.dataset
    (ws_path / "data" / "active.json").unlink(missing_ok=True)
    empty = sc.survey_kpis(Workspace(ws_path))
    assert empty.values == {} and empty.dataset is None
    assert sc.build_model(DOC, empty.values, empty.dataset).source is None


def test_a_short_horizon_reads_months_past_it_as_the_last_month() -> None:
    short = DOC.model_copy(update={"horizon_months": 12})
    m = sc.build_model(short)
    r = sc.run(m)
    assert len(r.months) == 12 and r.months[-1] == "2017-12"
    rows = {row.metric: row for row in sc.compare([r, sc.run(m, {"online_ad_spend": 20})])}
    assert rows["active_users@24"].values[0] == pytest.approx(r.at("active_users"))
    assert len(risk.tornado(m, metric="active_users", month=24)) == len(DOC.levers)

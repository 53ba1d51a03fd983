"""Risk analysis: goal seek, tornado sensitivity, Monte Carlo bands and triangular draws."""
from __future__ import annotations

import numpy as np
import pytest

from easymall.models.marketing import LEVER_SPECS, MarketingDocument
from easymall.scenario import model as sc
from easymall.scenario import risk
from easymall.store import parse_document
from tests.conftest import ROOT

DOC = parse_document("marketing", (ROOT / "config" / "marketing.yaml").read_text("utf-8"))
assert isinstance(DOC, MarketingDocument)



def test_goal_seek_converges_on_branch_referrals() -> None:
    m = sc.build_model(DOC)
    g = risk.goal_seek(m, "branch_referrals", "active_users", 5e6, month=24)
    assert g.reachable and g.value is not None
    lever = DOC.lever("branch_referrals")
    assert lever.min <= g.value <= lever.max
    assert g.achieved == pytest.approx(5e6, rel=1e-3) and g.achieved >= 5e6
    check = sc.run(m, {"branch_referrals": g.value}).at("active_users", 24)
    assert check == pytest.approx(g.achieved)
    below = sc.run(m, {"branch_referrals": g.value - lever.step}).at("active_users", 24)
    assert below < 5e6


def test_goal_seek_reports_an_unreachable_target() -> None:
    m = sc.build_model(DOC)
    g = risk.goal_seek(m, "branch_referrals", "active_users", 1e9, month=24)
    assert not g.reachable and g.value is None
    assert g.best_value == DOC.lever("branch_referrals").max and g.achieved == g.at_max < 1e9
    g = risk.goal_seek(m, "commission_rate", "cumulative_profit", 1e12)
    assert not g.reachable


def test_goal_seek_on_a_decreasing_metric() -> None:
    m = sc.build_model(DOC)
    base = sc.metric_value(m, {}, "new_users", 12)  # a flow: summed over months 1–12
    g = risk.goal_seek(m, "commission_rate", "new_users", base * 0.8, month=12)
    assert g.reachable and g.value is not None and g.value > DOC.lever("commission_rate").value
    assert g.achieved == pytest.approx(base * 0.8, rel=1e-3)


def test_tornado_has_every_lever_sorted_by_swing() -> None:
    m = sc.build_model(DOC)
    bars = risk.tornado(m, metric="active_users", month=24)
    assert {b.lever for b in bars} == set(LEVER_SPECS)
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    base = sc.run(m).at("active_users", 24)
    assert all(b.base == pytest.approx(base) for b in bars)
    ads = next(b for b in bars if b.lever == "online_ad_spend")
    assert ads.at_high > ads.at_low
    assert ads.at_low == pytest.approx(sc.run(m, {"online_ad_spend": 0}).at("active_users", 24))


def test_monte_carlo_is_reproducible_ordered_and_reports_progress() -> None:
    m = sc.build_model(DOC)
    calls: list[tuple[int, int]] = []
    a = risk.monte_carlo(m, draws=400, seed=7, progress=lambda d, n: calls.append((d, n)), chunk=100)
    b = risk.monte_carlo(m, draws=400, seed=7, chunk=400)
    assert calls == [(100, 400), (200, 400), (300, 400), (400, 400)]
    assert np.array_equal(a.p50["active_users"], b.p50["active_users"])  # chunking does not change draws
    assert np.all(a.p10["active_users"] <= a.p50["active_users"])
    assert np.all(a.p50["active_users"] <= a.p90["active_users"])
    assert a.p90["active_users"][-1] > a.p10["active_users"][-1]  # the ranges do spread the outcome
    c = risk.monte_carlo(m, draws=400, seed=8)
    assert not np.array_equal(a.p50["gmv"], c.p50["gmv"])
    assert "monthly_retention" in a.uncertain and "online_ad_spend" not in a.uncertain
    lo, mid, hi = a.summary["active_users_end"]
    assert lo <= mid <= hi


def test_triangular_draws_stay_in_range_and_degenerate_gives_the_mode() -> None:
    rng = np.random.default_rng(1)
    x = risk.triangular(rng, 1.0, 2.0, 5.0, 5000)
    assert x.min() >= 1.0 and x.max() <= 5.0
    assert abs(x.mean() - (1 + 2 + 5) / 3) < 0.05
    assert np.all(risk.triangular(rng, 3.0, 3.0, 3.0, 10) == 3.0)


def _calibrated() -> sc.Model:
    from easymall.scenario import calibration as cal
    from easymall.store import Workspace

    ws = Workspace(ROOT)
    survey = sc.survey_kpis(ws)
    return cal.build(ws.load("marketing"), survey.values, survey.dataset, ws.load("market"))


@pytest.mark.parametrize("scenario", [None, "loyalty_first", "digital_acquisition"])
def test_the_monte_carlo_median_of_each_kpi_is_near_the_baseline(scenario: str | None) -> None:
    from easymall.store import Workspace

    m = _calibrated()
    levers = Workspace(ROOT).load("scenarios").get(scenario).levers if scenario else None
    plan = sc.run(m, levers)
    b = risk.monte_carlo(m, levers, draws=1000)
    for key in ("active_users_end", "gmv_total", "revenue_total", "profit_total", "cac", "clv", "clv_cac",
                "retention_annual"):
        lo, mid, hi = b.summary[key]
        base = plan.summary[key]
        assert lo < hi
        assert abs(mid - base) <= risk.MEDIAN_TOLERANCE * max(abs(base), hi - lo), (key, base, lo, mid, hi)
    for kpi in ("active_users", "gmv", "cumulative_profit"):
        lo, mid, hi, base = (float(x[kpi][-1]) for x in (b.p10, b.p50, b.p90, plan.kpis))
        assert abs(mid - base) <= risk.MEDIAN_TOLERANCE * max(abs(base), hi - lo), kpi


def test_centred_draws_have_the_mode_as_median_and_stay_in_range() -> None:
    x = risk.centred(np.random.default_rng(3), 0.6, 1.0, 1.1, 20_000)
    assert x.min() >= 0.6 and x.max() <= 1.1
    assert np.median(x) == pytest.approx(1.0, abs=0.01)
    assert np.all(risk.centred(np.random.default_rng(3), 2.0, 2.0, 2.0, 5) == 2.0)


def test_the_risk_tornado_uses_the_monte_carlo_ranges() -> None:
    m = _calibrated()
    inputs = {u.id: u for u in risk.uncertain_inputs(m)}
    bars = risk.tornado(m, metric="profit", ranges="uncertainty")
    assert {b.lever for b in bars} == set(inputs) == set(risk.monte_carlo(m, draws=10).uncertain)
    for b in bars:
        assert (b.low_value, b.high_value) == (inputs[b.lever].low, inputs[b.lever].high)
    ret = next(b for b in bars if b.lever == "monthly_retention")
    p = dict(m.params, monthly_retention=ret.high_value)
    k, _ = sc.run_many(m, [m.baseline()], params=p)
    assert ret.at_high == pytest.approx(float(k["profit"][0].sum()))
    assert inputs["monthly_retention"].high < 1  # a calibrated range moves with the value and stays valid

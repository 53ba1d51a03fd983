"""The calibrated baseline: fitted to market.yaml's reported users and GMV and to the active survey,
each calibrated parameter with its source; the reconciliation of model and reported figures."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.core.yamlio import dump, parse
from easymall.scenario import calibration as cal
from easymall.scenario import model as sc
from easymall.store import Workspace, parse_document
from tests.conftest import ROOT

WS = Workspace(ROOT)


def _model(market=None) -> sc.Model:  # noqa: ANN001
    survey = sc.survey_kpis(WS)
    return cal.build(WS.load("marketing"), survey.values, survey.dataset,
                     market if market is not None else WS.load("market"))


def test_the_baseline_reproduces_the_reported_gmv_and_users_within_the_stated_tolerance() -> None:
    m = _model()
    rep = cal.reported(WS.load("market"))
    rows = {r.year: r for r in m.reconciliation}
    share = m.covered_share
    assert share is not None and 0 < share < 1
    checked_gmv = checked_users = 0
    for year in cal.full_years(m.doc):
        r = rows.get(year)
        if r is None:
            continue
        if r.reported_gmv is not None:  # the model's GMV ÷ its covered share is the reported GMV
            assert r.model_gmv / share == pytest.approx(rep.gmv[year], rel=cal.GMV_TOLERANCE)
            checked_gmv += 1
        if r.reported_users is not None:
            assert r.model_users == pytest.approx(rep.users[year], rel=cal.USERS_TOLERANCE)
            checked_users += 1
    assert checked_gmv == 2 and checked_users == 2  # 2017, 2018 GMV; 2018, 2019 users


def test_each_calibrated_parameter_names_its_source() -> None:
    m = _model()
    by = {n.parameter: n for n in m.calibration}
    assert {"monthly_retention", "aov", "orders_per_active", "initial_registered_users", "unmodelled_registrations",
            "initial_active_users"} <= set(by)
    assert by["orders_per_active"].source == "survey" and by["orders_per_active"].kpi == "purchases_per_buyer"
    assert by["initial_active_users"].source == "market"
    assert by["initial_active_users"].facts == ("easymall_gmv_2017", "easymall_gmv_2018")
    assert by["initial_registered_users"].facts == ("easymall_users_2015", "easymall_users_2018")
    # the survey's 1.6 purchases a buyer a year, not the documented 1.3 orders a month
    orders = sc.run(m).kpis["orders"].sum() / sc.run(m).kpis["active_users"].sum() * 12
    assert orders == pytest.approx(by["orders_per_active"].kpi_value, rel=1e-9)


def test_the_fit_follows_the_facts_rather_than_constants() -> None:
    base = _model()
    raw, _ = parse((ROOT / "config" / "market.yaml").read_text("utf-8"))
    for f in raw["facts"]:
        if f["id"] == "easymall_gmv_2018":
            f["value"] = 1300  # faster reported growth 2017 → 2018
        if f["id"] == "easymall_users_2019":
            f["value"] = 120
    market = parse_document("market", dump(raw))
    moved = _model(market)
    a0 = {n.parameter: n.after for n in base.calibration}
    a1 = {n.parameter: n.after for n in moved.calibration}
    assert a1["initial_active_users"] < a0["initial_active_users"]  # more growth: a smaller start base
    assert a1["unmodelled_registrations"] < a0["unmodelled_registrations"]
    rows = {r.year: r for r in moved.reconciliation}
    assert rows[2018].model_gmv / rows[2017].model_gmv == pytest.approx(1300 / 1030, rel=1e-6)


def test_without_market_facts_the_baseline_is_the_survey_calibration() -> None:
    survey = sc.survey_kpis(WS)
    m = cal.build(WS.load("marketing"), survey.values, survey.dataset, None)
    assert m.covered_share is None and m.reconciliation == ()
    assert all(n.source == "survey" for n in m.calibration)


def test_the_workspace_copy_gives_the_same_baseline(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    survey = sc.survey_kpis(ws)
    m = cal.build(ws.load("marketing"), survey.values, survey.dataset, sc.market_document(ws))
    assert m.covered_share == pytest.approx(_model().covered_share)

"""What the Overview shows: problem views with live evidence, figures through the one formatter."""
from __future__ import annotations

import pytest

from easymall.overview.view import fact_note, fact_value, kpi_value, market_cards, problem_views
from easymall.store import Workspace
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def market():
    return Workspace(ROOT).load("market")


def test_problem_views_carry_live_evidence(ws_path) -> None:
    ws = Workspace(ws_path)
    views = problem_views(ws, ws.load("market"))
    assert [v.problem.id for v in views] == ["few_users", "low_repurchase", "vague_profit", "backward_acquisition"]
    assert all(v.kpis for v in views)
    assert all(v.n > 500 for v in views)
    rep = next(k for k in views[1].kpis if k.id == "repurchase_rate")
    assert 0 < rep.low < rep.value < rep.high < 1


def test_figures_read_through_the_one_formatter(market) -> None:
    fact = market.fact("double11_2016")
    assert (fact_value(fact, "en"), fact_value(fact, "zh")) == ("¥120.7 bn", "1,207 亿元")
    assert fact_value(market.fact("walmart_cn_staff"), "zh") == "6 万"
    assert [f.id for f, _ in market_cards(market)][:2] == ["double11_2016", "walmart_cn_sales_2016"]
    assert kpi_value("nps", -28.4, "score", "en") == "−28"
    assert kpi_value("repurchase_rate", 0.234, "share", "zh") == "23.4%"
    assert kpi_value("satisfaction_mean", 3.4166, "score", "en") == "3.42"
    assert fact_note(market.fact("walmart_cn_staff"), "en") == ("The study: more than 60,000 employees — Walmart "
                                                                "China's own page says more than 100,000 associates")

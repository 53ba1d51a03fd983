"""Overview charts built from the sample workspace's market.yaml."""
from __future__ import annotations

import pytest

from easymall.charts import overview as charts
from easymall.store import Workspace
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def market():
    return Workspace(ROOT).load("market")


def test_double11_chart_compares_one_day_with_one_year(market) -> None:
    fig = charts.double11_vs_walmart(market, "en")
    assert list(fig.data[0].y) == pytest.approx([74.7, 120.749])
    assert fig.layout.annotations[0].text == "162% of Walmart China's year"
    assert fig.data[0].x[0].endswith(" *")  # the unverified Walmart figure is marked


def test_online_retail_shows_forecast_and_sourced_alternative(market) -> None:
    fig = charts.online_retail(market, "zh")
    stated, sourced = fig.data
    assert list(stated.x) == ["2016", "2019（预测）"]
    assert list(stated.y) == pytest.approx([49_000, 81_000])  # the Chinese money axis is in 亿元
    assert stated.text[0].startswith("49,000 亿元") and fig.layout.yaxis.title.text == "亿元"
    assert stated.marker.pattern.shape == ("", "/")
    assert sourced.y[0] == pytest.approx(51_600) and sourced.y[1] is None


def test_deposit_chart_puts_outflow_beside_all_bank_figure(market) -> None:
    fig = charts.deposit_pressure(market, "en")
    stated, sourced = fig.data
    assert list(stated.y) == pytest.approx([180, 1430])  # oldest first
    assert sourced.y[0] == pytest.approx(83.39)


def test_gmv_series_is_in_year_order(market) -> None:
    fig = charts.easymall_gmv(market, "en")
    assert list(fig.data[0].x) == [2014, 2015, 2016, 2017, 2018]


def test_long_chart_titles_break_once_where_a_reader_would() -> None:
    from easymall.charts.theme import fitted_title, title_space

    en = fitted_title("One day vs one year: Double 11 (2016) vs Walmart China's 2016 sales")
    assert en == "One day vs one year: Double 11<br>(2016) vs Walmart China's 2016 sales"
    zh = fitted_title("一天对一年：2016 年“双 11”与沃尔玛中国 2016 年全年销售额")
    assert zh == "一天对一年：<br>2016 年“双 11”与沃尔玛中国 2016 年全年销售额"  # never inside “双 11”
    assert fitted_title("GMV (monthly)") == "GMV (monthly)" and title_space("GMV (monthly)") == 0
    assert title_space(en) == 20

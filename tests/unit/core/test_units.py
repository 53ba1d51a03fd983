"""The one formatter: every unit in both languages, scaling, signs, missing values."""
from __future__ import annotations

import math

import pytest

from easymall.core.units import (
    display_factor,
    format_together,
    format_value,
    from_display,
    input_suffix,
    scale,
    to_display,
)


@pytest.mark.parametrize(("value", "unit", "en", "zh"), [
    (120.749, "CNY bn", "¥120.7 bn", "1,207 亿元"),
    (3.092, "CNY tn", "¥3,092 bn", "30,920 亿元"),  # one scale: never tn / 万亿元
    (74.7, "CNY bn", "¥74.7 bn", "747 亿元"),
    (1.878e11, "yuan", "¥187.8 bn", "1,878 亿元"),
    (1.5e8, "yuan", "¥0.15 bn", "1.5 亿元"),
    (285, "yuan", "¥285", "285 元"),
    (253, "million users", "253 m", "25,300 万"),
    (12, "million users", "12 m", "1,200 万"),
    (163_580_000, "orders", "163.6 m", "16,358 万"),
    (0.234, "share", "23.4%", "23.4%"),
    (26.2, "%", "26.2%", "26.2%"),
    (3.4166, "score", "3.42", "3.42"),
    (-12.3, "nps", "−12", "−12"),
    (12.3, "nps", "+12", "+12"),
])
def test_each_unit_in_both_languages(value: float, unit: str, en: str, zh: str) -> None:
    assert format_value(value, unit, "en") == en
    assert format_value(value, unit, "zh") == zh


def test_the_same_amount_reads_the_same_whatever_unit_it_is_stored_in() -> None:
    for lang in ("en", "zh"):
        assert format_value(120.749, "CNY bn", lang) == format_value(120_749e6, "yuan", lang) \
            == format_value(0.120749, "CNY tn", lang) == format_value(120_749, "CNY m", lang)


def test_signs_and_missing_values() -> None:
    assert format_value(-3.9e8, "yuan", "zh") == "−3.9 亿元"
    assert format_value(-3.9e8, "yuan", "en") == "−¥0.39 bn"
    assert format_value(0.012, "share", "en", signed=True) == "+1.2 pp"
    assert format_value(5e6, "yuan", "en", signed=True) == "+¥5 m"
    for missing in (None, math.nan, math.inf):
        assert format_value(missing, "yuan", "zh") == "—"
    assert format_value(None, "date", "en") == ""


def test_axis_scale_is_one_per_language_and_kind() -> None:
    assert scale("yuan", "zh") == (1e8, "亿元") and scale("CNY bn", "zh") == (0.1, "亿元")
    assert scale("yuan", "en") == (1e9, "¥ bn")
    assert scale("users", "zh") == (1e4, "万") and scale("users", "en") == (1e6, "m")
    assert scale("share", "en") == (0.01, "%")


@pytest.mark.parametrize(("unit", "lang", "typed", "value"), [
    ("yuan", "zh", 50, 5e9), ("yuan", "en", 5, 5e9), ("users", "zh", 500, 5e6), ("users", "en", 5, 5e6),
    ("CNY bn", "zh", 10_300, 1030), ("share", "en", 23.4, 0.234),
])
def test_an_input_typed_as_displayed_gives_that_value(unit: str, lang: str, typed: float, value: float) -> None:
    assert from_display(typed, unit, lang) == pytest.approx(value)
    assert to_display(value, unit, lang) == pytest.approx(typed)
    assert to_display(from_display(typed, unit, lang), unit, lang) == pytest.approx(typed)


def test_cards_axes_and_inputs_share_one_scale_per_language() -> None:
    for lang, money, people in (("en", "bn", "m"), ("zh", "亿元", "万")):
        assert format_value(2.5e10, "yuan", lang).endswith(money)
        assert format_value(1.03e12, "yuan", lang).endswith(money)
        assert money in input_suffix("yuan", lang) and scale("yuan", lang)[1].endswith(money)
        assert format_value(2.53e8, "users", lang).endswith(people) and input_suffix("users", lang) == people


def test_figures_read_together_share_the_scale_of_the_largest() -> None:
    assert format_together([-8.455e8, -4.641e8, -3.32e7], "yuan", "en") == ["−¥0.8455 bn", "−¥0.4641 bn", "−¥0.0332 bn"]
    assert format_together([-8.455e8, -3.32e7, None], "yuan", "zh") == ["−8.455 亿元", "−0.332 亿元", "—"]
    assert format_together([2.77e6, 4.4e6], "users", "zh") == ["277 万", "440 万"]
    assert format_together([35.0, 46.3], "yuan", "en") == ["¥35", "¥46.3"]  # below the scales: as format_value
    assert format_together([0.2, 0.3], "share", "en") == ["20.0%", "30.0%"]


@pytest.mark.parametrize(("unit", "lang", "factor"), [
    ("CNY m per month", "zh", 100.0), ("CNY m per partner per month", "zh", 100.0), ("CNY m", "zh", 100.0),
    ("CNY m per month", "en", 1.0), ("yuan per registration", "zh", 1.0), ("%", "zh", 1.0), ("users", "zh", 1.0),
])
def test_amounts_in_cny_m_are_shown_and_typed_in_the_languages_scale(unit, lang, factor) -> None:
    # ¥6 m a month reads 6 (m) in English and 600 (万元) in Chinese — never 百万元, a third scale
    assert display_factor(unit, lang) == factor

"""The Present page's projector layout: every slide fits a 1280 × 720 window for the room and the
presenter, two-chart slides put their charts side by side, figures are sized on copies, and the
Chinese deck uses full-width punctuation."""
from __future__ import annotations

import re

import pytest

from easymall.charts import swot as swot_charts
from easymall.deck import view
from easymall.store import Workspace
from tests.conftest import ROOT

WS = Workspace(ROOT)


@pytest.fixture(scope="module")
def decks() -> dict:
    return {lang: view.build_deck(WS, lang) for lang in ("en", "zh")}


@pytest.mark.parametrize("role", [view.AUDIENCE, view.PRESENTER])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_slide_fits_the_window_and_charts_get_a_real_height(decks: dict, lang: str, role: str) -> None:
    stage = view.STAGES[role]
    for s in decks[lang]:
        lay = view.slide_layout(s, role, live=s.key == view.SCENARIO_SLIDE)
        assert set(lay.bullets) <= set(s.bullets) and (not s.bullets or lay.bullets), s.key
        if not s.figures:
            assert lay.kind in ("title", "text") and lay.chart_height == 0
            continue
        assert lay.chart_height >= view.MIN_CHART and lay.chart_height <= stage.body, s.key
        if len(s.figures) == 2 and s.key != view.SCENARIO_SLIDE:
            assert lay.kind == "pair" and lay.chart_width < stage.width // 2 + 1, s.key
            assert len(lay.bullets) <= 2 * view.PAIR_LINES
        elif not s.bullets:
            assert lay.kind == "chart" and lay.chart_height == stage.body
    one = next(s for s in decks[lang] if len(s.figures) == 1 and not s.bullets)
    assert view.slide_layout(one, view.AUDIENCE).chart_height >= 0.6 * 637  # 60% of the room's slide


def test_projector_figures_are_sized_copies_with_fitted_titles(decks: dict) -> None:
    market = next(s for s in decks["zh"] if s.key == "market")
    before = market.figures[0].to_json()
    shown = view.projector_slides([market], view.AUDIENCE)[0]
    assert market.figures[0].to_json() == before  # the cached figures are never mutated
    lay = view.slide_layout(market, view.AUDIENCE)
    for fig in shown.figures:
        assert fig.layout.height == lay.chart_height
        lines = fig.layout.title.text.split("<br>")
        assert len(lines) <= 2 and not any(re.search(r"\d[,，]$", line) for line in lines)
    small = view.projector_slides([market], view.PRESENTER)[0].figures[0]
    assert small.layout.height < shown.figures[0].layout.height
    assert small.layout.title.font.size < shown.figures[0].layout.title.font.size


def test_the_swot_slide_uses_the_projector_variant() -> None:
    doc = WS.load("swot")
    page, slide = swot_charts.quadrant_chart(doc, "zh"), swot_charts.quadrant_chart(doc, "zh", projector=True)
    assert [list(tr.x) for tr in page.data] == [list(tr.x) for tr in slide.data]  # the same data
    assert all(t == f"{x:.2f}" for tr in slide.data for t, x in zip(tr.text, tr.x, strict=True))
    assert slide.layout.xaxis2.domain[0] - slide.layout.xaxis.domain[1] > page.layout.xaxis2.domain[0] - page.layout.xaxis.domain[1]
    assert slide.layout.yaxis.dtick == 1 and slide.layout.yaxis.tickfont.size >= 14
    assert max(len(y) for tr in slide.data for y in tr.y) < max(len(y) for tr in page.data for y in tr.y)


def test_the_chinese_deck_uses_full_width_punctuation(decks: dict) -> None:
    ascii_after_cjk = re.compile(r"[\u4e00-\u9fff][(:;]|[(:][\u4e00-\u9fff]")
    for s in decks["zh"]:
        for text in (s.title, *s.bullets, *s.notes.splitlines()):
            assert not ascii_after_cjk.search(text), (s.key, text)

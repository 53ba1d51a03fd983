"""The app frame in a real browser: navigation, languages, cold deep links, broken documents."""
from __future__ import annotations

import re

from tests.e2e.conftest import shot, wait_idle

NAV = 'a[data-testid="stSidebarNavLink"]'


def _nav(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(NAV, "els => els.map(e => [e.innerText.trim(), e.getAttribute('href')])")


def test_every_page_loads_without_exception(server, page) -> None:
    page.goto(server.url)
    wait_idle(page)
    assert re.search(r"/overview\?lang=en$", page.url), page.url  # "/" is the Overview at its own URL
    links = _nav(page)
    labels = [label.split("\n")[-1] for label, _ in links]
    assert labels == ["Overview", "Survey", "SWOT", "Segments", "Strategy"]
    for label, href in links:
        page.goto(server.url + "/" + href.rsplit("/", 1)[-1].split("?")[0])
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, label
        assert page.locator("h1").count() >= 1, label
        shot(page, "frame-" + href.rsplit("/", 1)[-1].split("?")[0])


def test_overview_shows_figures_with_status_and_charts(server, page) -> None:
    page.goto(server.url + "/overview")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot")
    assert page.locator(".js-plotly-plot").count() == 4
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("unverified").count() >= 1
    assert main.get_by_text("conflicting").count() >= 1
    assert main.get_by_text("Few users").count() == 1


def test_lang_zh_in_url_and_switch_keeps_url_in_step(server, page) -> None:
    page.goto(server.url + "/overview?lang=zh")
    wait_idle(page)
    assert [label.split("\n")[-1] for label, _ in _nav(page)][:2] == ["总览", "问卷调研"]
    assert page.locator("h1").first.inner_text().startswith("融e购")
    shot(page, "frame-overview-zh")
    page.get_by_role("radio", name="English").click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("h1").first.inner_text().startswith("Easy Mall")
    page.get_by_role("link", name=re.compile("SWOT")).click()
    wait_idle(page)
    assert re.search(r"/swot\?lang=en$", page.url), page.url


def test_cold_deep_link_lands_inside_the_frame(fresh_server, page) -> None:
    srv = fresh_server()
    page.goto(srv.url + "/strategy?lang=zh")  # the first request this server ever gets
    wait_idle(page)
    assert re.search(r"/strategy\?lang=zh$", page.url), page.url
    labels = [label.split("\n")[-1] for label, _ in _nav(page)]
    assert labels == ["总览", "问卷调研", "SWOT 分析", "市场细分", "营销策略"]  # the frame's titles, not file names
    active = page.locator(f'{NAV}[aria-current="page"]')
    assert active.count() == 1 and active.inner_text().endswith("营销策略")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_broken_yaml_shows_banner_and_keeps_serving_last_good(fresh_server, page) -> None:
    srv = fresh_server()
    page.goto(srv.url + "/overview")
    wait_idle(page)
    path = srv.workspace / "config" / "market.yaml"
    text = path.read_text("utf-8").replace("value: 120.749", "value: [unclosed", 1)
    path.write_text(text, "utf-8")
    line = text.splitlines().index("    value: [unclosed") + 1
    page.reload()
    wait_idle(page)
    banner = page.locator('[data-testid="stAlertContentError"]')
    assert banner.count() == 1
    assert f"config/market.yaml, line {line + 1}:" in banner.inner_text()  # YAML reports where it noticed
    assert "last good version" in banner.inner_text()
    assert page.locator(".js-plotly-plot").count() == 4  # still serving the last good document
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "frame-broken-yaml")
    assert path.read_text("utf-8") == text  # never overwritten


CUT = ("els => els.filter(e => [e, ...e.querySelectorAll('*')].some(c => c.scrollWidth > c.clientWidth + 1))"
       ".map(e => e.innerText)")


TITLE_CUT = ("charts => charts.map(c => [c.querySelector('.gtitle'), c.getBoundingClientRect()])"
             ".filter(([t, box]) => t && t.getBoundingClientRect().right > box.right + 1).map(([t]) => t.textContent)")


def test_no_kpi_figure_or_label_is_cut_off_on_a_laptop_screen(server, page) -> None:
    # five market cards in a row, nine scenario cards in two thirds of the page: at 1280 px wide the
    # figures scale with their card, long labels wrap and long chart titles break, in both languages
    page.set_viewport_size({"width": 1280, "height": 800})
    for lang in ("zh", "en"):
        for name, view in (("overview", None), ("survey", {"en": "Easy Mall KPIs", "zh": "融e购关键指标"}),
                           ("strategy", None)):
            page.goto(f"{server.url}/{name}?lang={lang}")
            wait_idle(page)
            if view:
                page.get_by_text(view[lang], exact=True).click()
                wait_idle(page)
            page.locator('[data-testid="stMetricValue"]').first.wait_for()
            cards = page.locator('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')
            assert cards.evaluate_all(CUT) == [], f"{lang} /{name}"
            page.locator(".js-plotly-plot .gtitle").first.wait_for()
            assert page.locator(".js-plotly-plot").evaluate_all(TITLE_CUT) == [], f"{lang} /{name} chart titles"

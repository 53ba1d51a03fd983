"""The app frame in a real browser: navigation, languages, cold deep links, broken documents; every page and
every tab in both languages on a laptop screen (nothing cut off, no English word in the Chinese UI)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import expect, load, shot, wait_idle

NAV = 'a[data-testid="stSidebarNavLink"]'
EXC = '[data-testid="stException"]'
CHARTS = ".js-plotly-plot"


def _titles(*labels: str) -> list[re.Pattern]:
    """The nav links' texts: each ends with its page title (an icon may come first)."""
    return [re.compile(rf"(^|\s){re.escape(label)}\s*$") for label in labels]


def _nav(page, *labels: str) -> list[str]:
    """Wait for the nav to show exactly ``labels``; their hrefs."""
    links = page.locator(NAV)
    expect(links).to_have_text(_titles(*labels), use_inner_text=True)
    return [links.nth(i).get_attribute("href") for i in range(len(labels))]


def test_lang_zh_in_url_and_switch_keeps_url_in_step(server, page) -> None:
    load(page, server.url + "/overview?lang=zh")
    expect(page.locator(NAV).nth(0)).to_have_text(_titles("总览")[0], use_inner_text=True)
    expect(page.locator(NAV).nth(1)).to_have_text(_titles("问卷调研")[0], use_inner_text=True)
    expect(page.locator("h1").first).to_have_text(re.compile(r"^\s*融e购"))
    shot(page, "frame-overview-zh")
    wait_idle(page)
    page.get_by_role("radio", name="English").click()
    expect(page).to_have_url(re.compile(r"lang=en"))
    expect(page.locator("h1").first).to_have_text(re.compile(r"^\s*Easy Mall"))
    wait_idle(page)
    page.get_by_role("link", name=re.compile("SWOT")).click()
    expect(page).to_have_url(re.compile(r"/swot\?lang=en$"))


def test_cold_deep_link_lands_inside_the_frame(fresh_server, page) -> None:
    srv = fresh_server()
    load(page, srv.url + "/strategy?lang=zh")  # the first request this server ever gets
    expect(page).to_have_url(re.compile(r"/strategy\?lang=zh$"))
    _nav(page, "总览", "问卷调研", "SWOT 分析", "市场细分", "营销策略", "演示")  # the frame's titles, not file names
    active = page.locator(f'{NAV}[aria-current="page"]')
    expect(active).to_have_count(1)
    expect(active).to_have_text(_titles("营销策略")[0], use_inner_text=True)
    expect(page.locator("h1").first).to_be_visible()
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)


def test_broken_yaml_shows_banner_and_keeps_serving_last_good(fresh_server, page) -> None:
    srv = fresh_server()
    load(page, srv.url + "/overview")
    expect(page.locator(CHARTS)).to_have_count(4)  # the server has read the good document
    wait_idle(page)
    path = srv.workspace / "config" / "market.yaml"
    text = path.read_text("utf-8").replace("value: 120.749", "value: [unclosed", 1)
    path.write_text(text, "utf-8")
    line = text.splitlines().index("    value: [unclosed") + 1
    load(page, page.url)  # a new session: it reads the (now broken) file
    banner = page.locator('[data-testid="stAlertContentError"]')
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text(f"config/market.yaml, line {line + 1}:")  # YAML reports where it noticed
    expect(banner).to_contain_text("last good version")
    expect(page.locator(CHARTS)).to_have_count(4)  # still serving the last good document
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "frame-broken-yaml")
    assert path.read_text("utf-8") == text  # never overwritten


CUT = ("els => els.filter(e => [e, ...e.querySelectorAll('*')].some(c => c.scrollWidth > c.clientWidth + 1))"
       ".map(e => e.innerText)")


TITLE_CUT = ("charts => charts.map(c => [c.querySelector('.gtitle'), c.getBoundingClientRect()])"
             ".filter(([t, box]) => t && t.getBoundingClientRect().right > box.right + 1).map(([t]) => t.textContent)")


#: Words that only appear when an English string or a code name leaks into the Chinese UI.
ENGLISH = ("None", "Someone", "workspace file", "revert to revision", "Upload", "per file", "Browse files",
           "Drag and drop", "Save", "Cancel", "Remove", "Keep mine", "Keep theirs", "Strengths", "Weaknesses",
           "Opportunities", "Threats", "weight", "rating", "owner", "Revision", "History", "Download", "Edit",
           "instalment_fee_waiver", "points_to_cash", "(en)", "(zh)", "nan", "NaN")
_PATTERN = re.compile("|".join(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])" for w in ENGLISH))
PAGES = ("overview", "survey", "swot", "segments", "strategy", "present")
#: The pages with KPI cards (five market cards in a row, nine scenario cards in two thirds of the page),
#: and the survey view that shows its cards.
KPI_PAGES = {"overview": None, "survey": {"en": "Easy Mall KPIs", "zh": "融e购关键指标"}, "strategy": None}


def _leaks(page) -> list[str]:
    text = page.locator('[data-testid="stMain"]').inner_text() + "\n" + page.locator(
        '[data-testid="stSidebar"]').inner_text()
    return sorted({m.group(0) + " ← " + text[max(0, m.start() - 30):m.end() + 10].replace("\n", " ")
                   for m in _PATTERN.finditer(text)})


#: The Segments page's tabs in Chinese; each is drawn without an exception, and each but the first
#: (its charts come after a clustering run) draws its charts (formerly test_segments.py's test_all_tabs_in_chinese).
SEGMENT_TABS_ZH = ("市场细分", "细分对比", "目标市场选择", "市场定位")


def _segments_tab_zh(page, i: int) -> None:
    expect(page.get_by_role("tab").nth(i)).to_have_attribute("aria-selected", "true")
    if i > 0:
        expect(page.locator(CHARTS).first).to_be_visible()
    wait_idle(page)
    expect(page.locator(EXC), SEGMENT_TABS_ZH[i]).to_have_count(0)
    shot(page, f"segments-zh-{SEGMENT_TABS_ZH[i]}")


def _every_view_in_chinese(page, name: str) -> dict[str, list[str]]:
    """Every tab and every survey view of the page shown, each read for English words and ``None``
    (issue 13: history, presets, tables, Streamlit's own uploader labels); the leaks by view."""
    found: dict[str, list[str]] = {}
    views: list = [None, *range(page.get_by_role("tab").count()),
                   *[("view", i) for i in range(page.locator(".st-key-survey_view button").count())]]
    if name == "segments":
        expect(page.locator("h1").first).to_have_text(re.compile(r"^\s*市场细分"))
        expect(page.get_by_role("tab")).to_have_text(SEGMENT_TABS_ZH)
    for v in views:
        if isinstance(v, int):
            page.get_by_role("tab").nth(v).click()
        elif isinstance(v, tuple):
            page.locator(".st-key-survey_view button").nth(v[1]).click()
        if v is not None:
            wait_idle(page, timeout=90_000)
        if name == "segments" and isinstance(v, int):
            _segments_tab_zh(page, v)
        leaks = _leaks(page)
        if leaks:
            found[f"{name} {v}"] = leaks
            shot(page, f"zh-leak-{name}-{v}")
    return found


def _no_kpi_cut_off(page, name: str, lang: str) -> None:
    """At 1280 px wide the figures scale with their card, long labels wrap and long chart titles break."""
    view = KPI_PAGES[name]
    if view:
        page.get_by_text(view[lang], exact=True).click()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    expect(page.locator(".js-plotly-plot .gtitle").first).to_be_visible()
    wait_idle(page)
    _nothing_cut(page, '[data-testid="stMetricValue"], [data-testid="stMetricLabel"]', CUT, f"{lang} /{name}")
    _nothing_cut(page, ".js-plotly-plot", TITLE_CUT, f"{lang} /{name} chart titles")


def _overview_figures(page) -> None:
    """The Overview shows its figures with their status, and its charts."""
    expect(page.locator(CHARTS)).to_have_count(4)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("unverified").first).to_be_visible()
    expect(main.get_by_text("conflicting").first).to_be_visible()
    expect(main.get_by_text("Few users")).to_have_count(1)


@pytest.mark.timeout(900)  # twelve pages and every Chinese tab on one (possibly loaded) server
def test_every_page_in_both_languages_on_a_laptop_screen(server, page) -> None:
    """One walk of every page on a 1280 x 800 screen: in Chinese every tab and view (no English word,
    no ``None``, no exception), in English each page (no exception); on the KPI pages, in both
    languages, no figure, label or chart title is cut off; the English Overview shows its figures
    with their status and its charts; the Chinese Segments page shows each tab and its charts.
    (Five walks before: test_every_page_loads_without_exception,
    test_no_kpi_figure_or_label_is_cut_off_on_a_laptop_screen, test_overview_shows_figures_with_status_and_charts,
    test_language.py's test_every_tab_of_each_page_in_chinese_has_no_english_word_and_no_none and
    test_segments.py's test_all_tabs_in_chinese.)"""
    page.set_viewport_size({"width": 1280, "height": 800})
    load(page, server.url)
    expect(page).to_have_url(re.compile(r"/overview\?lang=en$"))  # "/" is the Overview at its own URL
    hrefs = _nav(page, "Overview", "Survey", "SWOT", "Segments", "Strategy", "Present")
    names = [href.rsplit("/", 1)[-1].split("?")[0] for href in hrefs]
    assert names == list(PAGES)
    leaks: dict[str, list[str]] = {}
    for name in names:
        load(page, f"{server.url}/{name}?lang=zh")
        if name in KPI_PAGES:
            _no_kpi_cut_off(page, name, "zh")
        leaks.update(_every_view_in_chinese(page, name))
        if name == "segments":  # on its last tab
            expect(page.get_by_text("感知定位图", exact=False).first).to_be_visible()
        wait_idle(page)
        expect(page.locator(EXC), f"zh /{name}").to_have_count(0)
    for name in names:
        load(page, server.url + "/" + name)
        expect(page.locator("h1, .st-key-present_slide h2").first).to_be_visible()  # a page's or a slide's title
        wait_idle(page)
        expect(page.locator(EXC), name).to_have_count(0)
        shot(page, "frame-" + name)
        if name in KPI_PAGES:
            _no_kpi_cut_off(page, name, "en")
        if name == "overview":
            _overview_figures(page)
    assert leaks == {}, leaks


def _nothing_cut(page, selector: str, script: str, where: str, timeout_ms: int = 10_000) -> None:
    """Wait (fonts loaded, layout settled) until ``script`` finds nothing cut in ``selector``; if it
    still does after ``timeout_ms``, fail naming what is cut."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    try:
        page.wait_for_function(f"() => ({script})([...document.querySelectorAll({selector!r})]).length === 0",
                               timeout=timeout_ms)
    except PlaywrightTimeout:
        assert page.locator(selector).evaluate_all(script) == [], where

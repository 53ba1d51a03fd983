"""In a real browser: Markdown and HTML planted in names never run. A fresh session loading the
pages that show those names fetches nothing from the tracking URL, shows no link to the planted
address, and no request leaves the app's own server (the favicon included)."""
from __future__ import annotations

from tests.e2e.conftest import shot, wait_idle
from tests.hostile import EVIL, FILE_NAME, TRACKER, plant


def _shown(page) -> str:
    """The page's text as a reader sees it (without the invisible word joiners that stop autolinks)."""
    return page.eval_on_selector('[data-testid="stMain"]', "e => e.innerText.replaceAll('\\u2060', '')")


def test_planted_names_fetch_nothing_and_link_nowhere(fresh_server, page) -> None:
    server = fresh_server(plant)
    page.set_default_timeout(90_000)  # a shared, loaded machine
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    def visit(path: str, click: str | None = None, name: str = "") -> None:
        page.goto(server.url + path)
        wait_idle(page, 120_000)
        if click:
            page.get_by_text(click, exact=True).first.click()
            wait_idle(page, 120_000)
        page.wait_for_timeout(500)  # let any image the page asks for be requested
        assert page.locator('[data-testid="stException"]').count() == 0, path
        assert page.locator(f'a[href^="{EVIL}"]').count() == 0, path
        assert page.locator(f'img[src^="{TRACKER}"]').count() == 0, path
        if name:
            shot(page, name)

    visit("/survey?lang=en", "Datasets & import", "user-text-survey-en")
    assert FILE_NAME in _shown(page)  # the file name is shown, as typed
    visit("/segments?lang=en")
    visit("/strategy?lang=en", "Compare scenarios")
    visit("/swot?lang=en", "TOWS · QSPM")
    visit("/overview?lang=zh")
    visit("/survey?lang=zh", "数据集与导入", "user-text-survey-zh")
    assert FILE_NAME in _shown(page)
    assert not [u for u in requests if u.startswith(TRACKER)], "the planted image was fetched"
    away = [u for u in requests if not u.startswith((server.url, "data:", "blob:"))]
    assert away == [], f"requests left the server: {away[:5]}"

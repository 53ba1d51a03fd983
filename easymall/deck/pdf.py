"""The deck as PDF: the HTML deck in print mode, printed by the system Chromium through Playwright
(one 13.333 × 7.5 in page per slide, background printed, fonts embedded by Chromium). Kaleido's own
PDF output is not used: its text extracts as wrong code points for Chinese and drops digits."""
from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.offline
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from easymall.core.text import Lang
from easymall.deck.html import render_html
from easymall.deck.slide import DeckError, Slide

#: Chromium's flags: no sandbox (containers), no GPU, and no network of its own.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: How long the charts may take to draw before printing (ms).
READY_TIMEOUT = 60_000


def chromium_path() -> str:
    """The system Chromium (never a downloaded browser)."""
    path = os.environ.get("EASYMALL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise DeckError("the PDF export needs Chromium, and none was found (install the chromium package)",
                        code="no_chromium")
    return path


#: One thread owns the warm browser (Playwright's sync objects belong to the thread that made them).
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="easymall-pdf")
_WARM: dict[str, Any] = {}


def _browser() -> Any:
    """The warm Chromium, started on first use (on the pool's thread)."""
    browser = _WARM.get("browser")
    if browser is None or not browser.is_connected():
        if "playwright" not in _WARM:
            _WARM["playwright"] = sync_playwright().start()
        browser = _WARM["browser"] = _WARM["playwright"].chromium.launch(executable_path=chromium_path(),
                                                                         args=BROWSER_ARGS)
    return browser


def _print_once(src: Path) -> bytes:
    page = _browser().new_page(viewport={"width": 1280, "height": 720})
    try:
        page.route("http*://**", lambda route: route.abort())  # nothing leaves the file
        page.goto(src.as_uri())
        page.wait_for_function("window.deckReady === true", timeout=READY_TIMEOUT)
        return page.pdf(width="1280px", height="720px", print_background=True, prefer_css_page_size=True,
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    finally:
        page.close()


def _print(page_html: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="easymall-deck-") as tmp:
        src = Path(tmp) / "deck.html"
        src.write_bytes(page_html)
        try:
            return _print_once(src)
        except PlaywrightError:  # a browser that died: start afresh once
            _WARM.pop("browser", None)
            return _print_once(src)


def render_pdf(slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck as PDF bytes, one page per slide. Runs Playwright on its own thread, so it also works
    when the caller's thread has an event loop running."""
    return _in_browser(_print, render_html(slides, lang, print_mode=True), "the deck", "PDF")


def _in_browser(work, arg, what: str, fmt: str):  # noqa: ANN001, ANN202
    """``work(arg)`` on the warm browser's thread; a browser failure as one :class:`DeckError`."""
    try:
        return _POOL.submit(work, arg).result()
    except DeckError:
        raise
    except PlaywrightError as exc:
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DeckError(f"{what} could not be rendered as {'pictures' if fmt == 'PPTX' else fmt} ({problem})",
                        code="render", format=fmt, problem=problem) from None


# --------------------------------------------------------------------------- chart pictures

_TO_IMAGE = """async (jobs) => Promise.all(jobs.map(([spec, w, h]) =>
    Plotly.toImage({data: spec.data || [], layout: spec.layout || {}}, {format: 'png', width: w, height: h, scale: 2})))"""


def _png_page() -> Any:
    """One warm page of the warm Chromium with plotly.js parsed once (on the pool's thread)."""
    page = _WARM.get("png_page")
    if page is None or page.is_closed() or not _browser().is_connected():
        page = _browser().new_page()
        page.route("http*://**", lambda route: route.abort())
        page.set_content(f"<!DOCTYPE html><html><head><meta charset='utf-8'><script>{plotly.offline.get_plotlyjs()}"
                         "</script></head><body></body></html>")
        page.wait_for_function("typeof Plotly !== 'undefined'")
        _WARM["png_page"] = page
    return page


#: Charts drawn per call to the page (all at once would hold every picture in memory twice).
BATCH = 6


def _pngs(jobs: list[tuple[str, int, int]]) -> list[bytes]:
    out = []
    for k in range(0, len(jobs), BATCH):
        batch = [[json.loads(spec), w, h] for spec, w, h in jobs[k:k + BATCH]]
        try:
            urls = _png_page().evaluate(_TO_IMAGE, batch)
        except PlaywrightError:  # a page or browser that died: start afresh once
            _WARM.pop("png_page", None)
            _WARM.pop("browser", None)
            urls = _png_page().evaluate(_TO_IMAGE, batch)
        out += [base64.b64decode(url.split(",", 1)[1]) for url in urls]
    return out


def figure_pngs(figures: Sequence[tuple[go.Figure, int, int]]) -> list[bytes]:
    """Each ``(figure, width, height)`` as PNG at scale 2, drawn by ``Plotly.toImage`` in one warm
    Chromium page (the PDF export's browser): no browser start and no plotly.js parse per chart."""
    return _in_browser(_pngs, [(fig.to_json(), int(w), int(h)) for fig, w, h in figures], "the charts", "PPTX")

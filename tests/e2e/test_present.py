"""Present in Chromium: the presenter steps with the arrow keys and the address follows; a second
session follows the presenter; an edit saved through the store appears on the SWOT slide; each export
(HTML, PDF, PPTX) downloads from the page."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect
from pptx import Presentation

from easymall.deck import build_deck
from easymall.store import Workspace
from tests.e2e.conftest import REDUCED_MOTION, wait_idle

SLIDE = '.st-key-present_slide h2'


def _open(page, server, query: str) -> None:
    page.goto(f"{server.url}/present?{query}")
    wait_idle(page, 120_000)
    expect(page.locator(SLIDE)).to_be_visible(timeout=60_000)


def test_presenter_steps_with_the_keys_and_a_follower_follows(server, page, browser) -> None:
    titles = [s.title for s in build_deck(Workspace(server.workspace), "en")]
    _open(page, server, "lang=en&role=presenter")
    expect(page.locator(SLIDE)).to_have_text(titles[0])
    follower = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion=REDUCED_MOTION).new_page()
    try:
        _open(follower, server, "lang=en")
        expect(follower.locator(SLIDE)).to_have_text(titles[0])
        page.locator(SLIDE).click()  # focus the page, not a widget
        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(r"slide=2"), timeout=45_000)
        expect(page.locator(SLIDE)).to_have_text(titles[1], timeout=45_000)
        wait_idle(page)
        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(r"slide=3"), timeout=45_000)
        expect(page.locator(SLIDE)).to_have_text(titles[2])
        expect(page.locator(".st-key-present_notes")).to_be_visible()
        expect(follower.locator(SLIDE)).to_have_text(titles[2], timeout=60_000)  # the room follows
        expect(follower).to_have_url(re.compile(r"slide=3"))
        wait_idle(page)
        page.keyboard.press("ArrowLeft")
        expect(page).to_have_url(re.compile(r"slide=2"), timeout=45_000)
        expect(follower.locator(SLIDE)).to_have_text(titles[1], timeout=60_000)
    finally:
        follower.context.close()


def test_an_edit_saved_elsewhere_appears_on_the_swot_slide(server, page) -> None:
    ws = Workspace(server.workspace)
    keys = [s.key for s in build_deck(ws, "en")]
    _open(page, server, f"lang=en&slide={keys.index('swot') + 1}")
    slide = page.locator(".st-key-present_slide")
    doc = ws.load("swot")
    marker = "Branch network in every county"
    expect(slide).not_to_contain_text(marker)
    first = doc.strengths[0]
    doc.strengths[0] = first.model_copy(update={"text": first.text.model_copy(update={"en": f"{marker}: 16,000 outlets"})})
    ws.save("swot", doc, base_revision=doc.revision, author="Li Wei", message="e2e: S1 text")
    expect(slide.locator("h2")).to_contain_text(marker, timeout=30_000)  # live, within the poll


#: What each export's file starts with: HTML, PDF, and PPTX (a zip holding ppt/presentation.xml).
MAGIC = {"html": b"<!doctype html", "pdf": b"%PDF-", "pptx": b"PK\x03\x04"}


def test_each_export_downloads_from_the_page(server, page) -> None:
    slides = len(build_deck(Workspace(server.workspace), "en"))
    _open(page, server, "lang=en&slide=2")
    for fmt, magic in MAGIC.items():
        panel = page.locator(f".st-key-present_prepare_{fmt} button, .st-key-present_download_{fmt} button")
        if not panel.first.is_visible():
            page.get_by_role("button", name=re.compile("Export")).click()
        page.locator(f".st-key-present_prepare_{fmt} button").click()
        button = page.locator(f".st-key-present_download_{fmt} button")
        expect(button).to_be_visible(timeout=120_000)  # a PDF prints every slide in Chromium
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == f"easymall-all-en.{fmt}"
        data = Path(download.path()).read_bytes()
        assert data[:len(magic)].lower() == magic.lower(), (fmt, data[:20])
        if fmt == "pptx":  # one slide per slide of the deck
            assert len(Presentation(io.BytesIO(data)).slides) == slides
        elif fmt == "pdf":  # one page per slide
            info_ = subprocess.run(["pdfinfo", download.path()], capture_output=True, text=True, check=True).stdout
            assert re.search(r"^Pages:\s+(\d+)", info_, re.M).group(1) == str(slides)

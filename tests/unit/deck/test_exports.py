"""Read-back of the exports: PPTX (python-pptx + its XML), PDF (pdftotext, pdffonts), HTML (Chromium)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.offline
import pytest
from pptx import Presentation
from pptx.util import Inches

from easymall.deck import render_html, render_pdf, render_pptx

CJK = re.compile(r"[\u3400-\u9fff]")
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no /usr/bin/chromium")


@needs_chromium
def test_pptx_is_16_9_with_titles_notes_pictures_alt_text_and_east_asian_fonts(short_zh: list) -> None:
    prs = Presentation(io.BytesIO(render_pptx(short_zh, "zh")))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(short_zh)
    pictures = 0
    for slide, s in zip(prs.slides, short_zh, strict=True):
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert s.title in texts
        assert slide.notes_slide.notes_text_frame.text.strip() == s.notes.strip()
        for sh in slide.shapes:
            if sh.shape_type == 13:  # picture
                pictures += 1
                descr = sh._element.nvPicPr.cNvPr.get("descr")
                assert descr and descr.startswith("图表")
        assert len([sh for sh in slide.shapes if sh.shape_type == 13]) == len(s.figures)
        runs = [r for sh in slide.shapes for r in sh._element.iter(f"{A}r")]
        runs += list(slide.notes_slide.notes_text_frame._txBody.iter(f"{A}r"))
        chinese = [r for r in runs if CJK.search("".join(r.itertext()))]
        assert chinese, "a Chinese slide has Chinese runs"
        for r in chinese:
            rpr = r.find(f"{A}rPr")
            assert rpr is not None and rpr.find(f"{A}ea") is not None, "".join(r.itertext())
            assert rpr.find(f"{A}ea").get("typeface") == "Noto Sans CJK SC"
            tags = [c.tag for c in rpr]
            assert tags.index(f"{A}latin") < tags.index(f"{A}ea") < tags.index(f"{A}cs")  # schema order
    assert pictures == sum(len(s.figures) for s in short_zh) >= 3


@needs_chromium
@needs_poppler
def test_pdf_has_one_page_per_slide_chinese_titles_and_embedded_fonts(short_zh: list, tmp_path: Path) -> None:
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(render_pdf(short_zh, "zh"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{len(short_zh)}\b", info)
    assert re.search(r"Page size:\s+960 x 540 pts", info)  # 13.333 × 7.5 in
    for i, s in enumerate(short_zh, start=1):
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert s.title in re.sub(r"\s*\n\s*", "", text) or s.title.replace(" ", "") in re.sub(r"\s+", "", text)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column


@needs_chromium
def test_html_is_self_contained_navigates_with_arrows_and_resizes_charts(short_zh: list, tmp_path: Path) -> None:
    # on its own thread: another test in this worker may hold Playwright's sync API (and its loop) on this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_html_checks, short_zh, tmp_path).result()


def _html_checks(short_zh: list, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    data = render_html(short_zh, "zh")
    text = data.decode("utf-8")
    assert text.count("* plotly.js v") == 1
    own = text.replace(plotly.offline.get_plotlyjs(), "")  # the deck's own markup, style and script
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", own)
    assert "@import" not in own and "url(" not in own and "http" not in own.split("<body", 1)[0]
    path = tmp_path / "deck.html"
    path.write_bytes(data)
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("request", lambda r: None if r.url == path.as_uri() or r.url.startswith("data:") else outside.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_function("window.deckReady === true")
        shown = "document.querySelector('.slide.shown').dataset.key"
        assert page.evaluate(shown) == "title"
        page.keyboard.press("ArrowRight")
        assert page.evaluate(shown) == "market"
        width = page.evaluate("document.querySelector('.slide.shown .chart .main-svg').getAttribute('width')")
        assert float(width) > 200  # drawn at its slide's size, not at zero while hidden
        page.keyboard.press("End")
        assert page.evaluate(shown) == short_zh[-1].key
        page.keyboard.press("Home")
        assert page.evaluate(shown) == "title"
        browser.close()
    assert outside == []

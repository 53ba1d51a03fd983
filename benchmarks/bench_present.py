"""Present timings as a browser waits: stepping a slide with the → key in present mode, measured in
Chromium against a running ``streamlit run`` on a temporary workspace — from the key press until the
next slide's title is on screen and the script has finished (the websocket round trip, the rerun,
Plotly's serialisation and the browser's drawing all included).

Run with ``make bench``. Exits 1 when the target is missed.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.deck import build_deck  # noqa: E402
from easymall.store import Workspace, copy_workspace  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402

TARGET_STEP_MS = 150
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SLIDE = ".st-key-present_slide h2"  # the slide's title
#: Slide N (1-based) is drawn: the address says so, its title is on screen and the script has finished.
DRAWN = f"""([n, title]) => new URLSearchParams(location.search).get("slide") === String(n)
  && document.querySelector('{SLIDE}')?.innerText.trim() === title
  && document.querySelector('{IDLE}') !== null"""


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    ws = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
    titles = [s.title for s in build_deck(Workspace(ws), "en")]
    server = start_server(ws)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{server.url}/present?role=presenter&slide=1", timeout=180_000)
            page.wait_for_selector(IDLE, timeout=180_000)
            heading = page.locator(SLIDE)
            heading.click()  # focus the page, not a widget: the arrow keys are the buttons' shortcuts

            def step(n: int) -> float:
                # one condition checked on every animation frame (Playwright's expect() polls at 100,
                # 250, 500 ms ... and would round every step up to its next poll)
                start = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(DRAWN, arg=[n + 1, titles[n]], polling="raf", timeout=60_000)
                return (time.perf_counter() - start) * 1000

            for n in range(1, len(titles)):  # warm: every slide built and drawn once
                step(n)
            page.keyboard.press("Home")
            expect(heading).to_have_text(titles[0], timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            times = [step(n) for n in range(1, len(titles))]
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(ws.parent, ignore_errors=True)
    median, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
    print(f"present: step a slide with → in Chromium, key press to next slide drawn ({len(times)} steps): "
          f"median {median:.0f} ms, p95 {p95:.0f} ms, max {max(times):.0f} ms  target < {TARGET_STEP_MS} ms")
    return 0 if median < TARGET_STEP_MS else 1


if __name__ == "__main__":
    sys.exit(main())

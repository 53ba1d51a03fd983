"""Deck export timings: a 20-slide deck with its charts, exported once per format (target < 20 s each
on the 2-core machine). The first export of each format includes starting its browser (kaleido's for
the PPTX pictures, Chromium for the PDF); a second PPTX export of the same deck shows the chart cache.

Run with ``make bench``. Exits 1 when a target is missed.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.deck import build_deck, render_html, render_pdf, render_pptx  # noqa: E402
from easymall.store import Workspace, copy_workspace  # noqa: E402

TARGET_S = 20.0
SLIDES = 20


def main() -> int:
    ws = Workspace(copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws"))
    failed = False
    for lang in ("en", "zh"):
        t0 = time.perf_counter()
        slides = build_deck(ws, lang)
        slides = (slides + slides[2:])[:SLIDES]  # 18 slides of the story + 2 more charted ones
        built = time.perf_counter() - t0
        print(f"{lang}: build {len(slides)} slides ({sum(len(s.figures) for s in slides)} charts): {built:.2f} s")
        for name, render in (("html", render_html), ("pdf", render_pdf), ("pptx", render_pptx)):
            t0 = time.perf_counter()
            data = render(slides, lang)
            took = time.perf_counter() - t0
            total = built + took
            ok = total < TARGET_S
            failed |= not ok
            print(f"{lang}: {name:4s} {took:6.2f} s (+ build = {total:5.2f} s, {len(data) / 1e6:.1f} MB) "
                  f"{'ok' if ok else 'SLOW'} (target < {TARGET_S:.0f} s)")
        t0 = time.perf_counter()
        render_pptx(slides, lang)
        print(f"{lang}: pptx again (cached charts) {time.perf_counter() - t0:.2f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

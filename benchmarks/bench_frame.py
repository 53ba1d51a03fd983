"""Frame timings: Overview rerun server time, and what a post-script full GC would add to each rerun.

Run with ``make bench``. Exits 1 when a target is missed.
"""
from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.store import copy_workspace  # noqa: E402

TARGET_RERUN_MS = 300


def main() -> int:
    from streamlit.testing.v1 import AppTest

    ws = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
    os.environ["EASYMALL_WORKSPACE"] = str(ws)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    times = []
    for _ in range(10):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    gcs = []
    for _ in range(5):
        start = time.perf_counter()
        gc.collect()
        gcs.append((time.perf_counter() - start) * 1000)
    rerun, full_gc = statistics.median(times), statistics.median(gcs)
    print(f"overview rerun (AppTest, median of 10): {rerun:.0f} ms  target < {TARGET_RERUN_MS} ms")
    print(f"full gc.collect() with the app loaded: {full_gc:.1f} ms per rerun if runner.postScriptGC were on "
          f"(off in .streamlit/config.toml)")
    shutil.rmtree(ws.parent, ignore_errors=True)
    return 0 if rerun < TARGET_RERUN_MS else 1


if __name__ == "__main__":
    sys.exit(main())

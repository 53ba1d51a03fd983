"""Present timings: stepping a slide (the next button) in present mode, server time of the rerun.

Run with ``make bench``. Exits 1 when the target is missed.
"""
from __future__ import annotations

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

TARGET_STEP_MS = 150


def main() -> int:
    from streamlit.testing.v1 import AppTest

    ws = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
    os.environ["EASYMALL_WORKSPACE"] = str(ws)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["role"] = "presenter"
    at.switch_page("pages/present.py")
    at.run()
    for _ in range(17):  # warm: every slide built and drawn once
        at.button(key="present_next").click().run()
    at.button(key="present_first").click().run()
    times = []
    for _ in range(16):
        start = time.perf_counter()
        at.button(key="present_next").click().run()
        times.append((time.perf_counter() - start) * 1000)
    assert not at.exception, at.exception
    step = statistics.median(times)
    print(f"present: step a slide as presenter (AppTest rerun, median of 16): {step:.0f} ms "
          f"(max {max(times):.0f} ms)  target < {TARGET_STEP_MS} ms")
    shutil.rmtree(ws.parent, ignore_errors=True)
    return 0 if step < TARGET_STEP_MS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Segments timings: clustering 100,000 respondents × 20 questions (target < 10 s, k chosen from the
silhouette curve over k = 2..8), and the Segments page's rerun server time per tab (target < 200 ms).

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_segments.py``). Exits 1 when a
target is missed.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.store import copy_workspace  # noqa: E402
from easymall.stp.clustering import run_clustering  # noqa: E402

TARGET_CLUSTER_S = 10.0
TARGET_RERUN_MS = 200.0
N = 100_000


def big_dataset():
    """The synthetic survey (planted groups) plus five more questions: 20 questions in all."""
    from easymall.survey.dataset import Dataset, Question
    from tests.segments_data import make_dataset

    ds = make_dataset(N, seed=2017, name="bench-100k")
    rng = np.random.default_rng(1)
    frame = ds.frame.copy()
    qs = list(ds.questions)
    group = frame["_group"].to_numpy()
    shift = np.select([group == "young", group == "card"], [1.0, 3.0], 2.0)
    for i in range(1, 4):
        col = f"X{i}"
        frame[col] = np.clip(np.round(shift + rng.normal(0, 1.2, N)), 0, 10)
        qs.append(Question(col, col, "scale", options=[str(v) for v in range(11)], columns=[col]))
    opts = ["a", "b", "c", "d"]
    for i in range(4, 6):
        col = f"X{i}"
        frame[col] = rng.choice(np.array(opts, dtype=object), N)
        qs.append(Question(col, col, "single", options=opts, columns=[col]))
    return Dataset(qs, frame, ds.name)


def bench_clustering() -> tuple[float, int, int]:
    ds = big_dataset()
    questions = [q.id for q in ds.questions]
    assert len(questions) == 20, questions
    steps: list[tuple[int, int, str]] = []
    start = time.perf_counter()
    run = run_clustering(ds, questions, k_range=(2, 8), seed=2017, ordinal=["Q2", "Q4", "Q6", "Q8", "Q13", "Q15"],
                         progress=lambda d, t, w: steps.append((d, t, w)))
    elapsed = time.perf_counter() - start
    return elapsed, run.k, len(steps)


SCRIPT = """
import time
import streamlit as st
from pages.segments import render
start = time.perf_counter()
render()
st.session_state["bench_ms"] = (time.perf_counter() - start) * 1000
"""


def _reruns(at, n: int = 10) -> tuple[float, float]:
    """Median (server ms, AppTest round-trip ms) over ``n`` reruns of the page as it stands."""
    times, server = [], []
    for _ in range(n):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        server.append(at.session_state["bench_ms"])
    assert not at.exception, at.exception
    return statistics.median(server), statistics.median(times)


def bench_page() -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    ws = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
    os.environ["EASYMALL_WORKSPACE"] = str(ws)
    out = {}
    at = AppTest.from_string(SCRIPT, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    for tab in ("Segmentation", "Explorer", "Targeting", "Positioning"):
        at.session_state["segments_tab"] = tab
        at.run()
        out[f"{tab} tab"] = _reruns(at)
    # the Segmentation tab after a clustering run (silhouette, sizes, one profile per cluster)
    at.session_state["segments_tab"] = "Segmentation"
    at.run()
    at.selectbox(key="segments_k").set_value(4)
    next(b for b in at.button if b.label == "Run clustering").click().run()
    out["Segmentation tab with 4 clusters shown"] = _reruns(at)
    shutil.rmtree(ws.parent, ignore_errors=True)
    return out


def main() -> int:
    ok = True
    elapsed, k, steps = bench_clustering()
    print(f"clustering {N:,} respondents × 20 questions, k = 2..8 by silhouette (chose k = {k}, "
          f"{steps} progress updates): {elapsed:.2f} s  target < {TARGET_CLUSTER_S:.0f} s")
    ok &= elapsed < TARGET_CLUSTER_S
    for tab, (ms, whole) in bench_page().items():
        print(f"segments page rerun — {tab} (render() server time, median of 10): {ms:.0f} ms  "
              f"target < {TARGET_RERUN_MS:.0f} ms   (whole AppTest run incl. protobuf: {whole:.0f} ms)")
        ok &= ms < TARGET_RERUN_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

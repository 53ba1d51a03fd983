"""The PostgreSQL backend on loopback: a save and a load of a document through the store, p95.

Starts its own cluster (initdb + pg_ctl in a temporary folder, tests/pgcluster.py), copies the
embedded workspace in with ``easymall copy`` and times, on the SWOT document (the one a meeting edits
live), what the app does:

* save — ``Workspace.save`` of a one-field edit (validate, YAML, one transaction under the
  document's lock); the database's share of it is shown beside it;
* load — ``Workspace.load`` as every rerun calls it (the change stamp checked, the document copied);
* load after another replica saved — the same with the new revision read from the database and parsed
  (shown, no target: it happens once per save per replica, not per rerun);
* the live-sync poll — ``Workspace.revision`` as each session's fragment calls it every second.

Run with ``make bench``. Exits 1 when a target is missed; skipped (exit 0) without PostgreSQL.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.store import Workspace, copy_workspace, pg, transfer  # noqa: E402
from tests.pgcluster import PgCluster, pg_bin  # noqa: E402

TARGET_SAVE_MS = 20.0
TARGET_LOAD_MS = 20.0
TARGET_POLL_MS = 1.0
N = 200
DOC = "swot"


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def _timed_backend(ws: Workspace) -> list[float]:
    """Wrap the backend's database calls of a save so their time adds up per save (in ms)."""
    spent: list[float] = [0.0]
    backend = ws._backend
    for name in ("lock", "read", "has_revision", "commit", "stamp"):
        real = getattr(backend, name)
        if name == "lock":
            def lock(doc, _real=real):  # noqa: ANN001
                start = time.perf_counter()
                cm = _real(doc)
                cm.__enter__()
                spent[0] += (time.perf_counter() - start) * 1000

                class _Exit:
                    def __enter__(self):  # noqa: ANN204
                        return None

                    def __exit__(self, *exc):  # noqa: ANN002, ANN204
                        t = time.perf_counter()
                        cm.__exit__(*exc)
                        spent[0] += (time.perf_counter() - t) * 1000
                return _Exit()
            backend.lock = lock
        else:
            def wrapped(*a, _real=real, **k):  # noqa: ANN002, ANN003
                start = time.perf_counter()
                try:
                    return _real(*a, **k)
                finally:
                    spent[0] += (time.perf_counter() - start) * 1000
            setattr(backend, name, wrapped)
    return spent


def main() -> int:
    if not pg_bin("initdb"):
        print("PostgreSQL is not installed (apt-get install postgresql): skipped")
        return 0
    with PgCluster() as cluster:
        folder = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
        url = cluster.url(cluster.create_database(), workspace="bench")
        transfer.copy(folder, url)
        ws, other = Workspace(url), Workspace(url)
        spent = _timed_backend(ws)
        saves, db_share, loads, cold, polls = [], [], [], [], []
        for i in range(N):
            doc = ws.load(DOC)
            doc.strengths[0].weight = round(0.05 + (i % 5) / 100, 2)
            spent[0] = 0.0
            start = time.perf_counter()
            ws.save(DOC, doc, base_revision=doc.revision, author="bench", message=f"weight {i}")
            saves.append((time.perf_counter() - start) * 1000)
            db_share.append(spent[0])
            start = time.perf_counter()
            ws.load(DOC)
            loads.append((time.perf_counter() - start) * 1000)
            if i % 10 == 0:  # another replica's object sees the new revision: read and parse once
                start = time.perf_counter()
                other.load(DOC)
                cold.append((time.perf_counter() - start) * 1000)
        for _ in range(N):
            start = time.perf_counter()
            ws.revision(DOC)
            polls.append((time.perf_counter() - start) * 1000)
        pg._close_all()
    ok = True
    for label, values, target in (
        (f"save ({DOC}, one transaction)", saves, TARGET_SAVE_MS),
        ("  of which the database", db_share, None),
        (f"load ({DOC}, as every rerun)", loads, TARGET_LOAD_MS),
        ("load after another replica saved (read + parse)", cold, None),
        ("live-sync revision check", polls, TARGET_POLL_MS),
    ):
        worst = p95(values)
        verdict = "" if target is None else (f"  target < {target:.0f} ms  " + ("ok" if worst < target else "SLOW"))
        print(f"{label}: p95 {worst:.2f} ms, median {statistics.median(values):.2f} ms (n={len(values)}){verdict}")
        if target is not None:
            ok &= worst < target
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

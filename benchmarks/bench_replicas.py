"""Team deployment at room scale (issue 17): 30 sessions spread over two replicas on one PostgreSQL
workspace hold the p95 that one replica holds with 15.

Starts its own PostgreSQL cluster (initdb + pg_ctl in a temporary folder on a free loopback port,
``tests/pgcluster.py``), copies the embedded workspace into it with ``easymall copy``, and starts
``easymall serve`` replicas on it. Sessions speak Streamlit's websocket protocol exactly as
``bench_load.py`` does (one session per simulated user, a full rerun of the page, thinking
0.5–1.5 s, driving their live-sync fragments) and are assigned to the replicas alternately — what
nginx's sticky sessions do (``deploy/nginx.conf``), without the proxy's own cost in the figure.

Measured, on one page (default: Survey, the heaviest rerun on the sample workspace):

* one replica, 15 sessions: p50 / p95 and errors;
* two replicas, 30 sessions (15 each): p50 / p95 and errors.

Target: the two-replica p95 within 20% of the one-replica p95 (the same room, twice the people, twice
the servers), with no errors. Exits 1 when it is missed; skipped (exit 0) without PostgreSQL::

    .venv/bin/python benchmarks/bench_replicas.py [--page survey] [--seconds 20]

Only loopback traffic; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_load as bl  # noqa: E402  (the websocket client and the server starter)

from tests.pgcluster import PgCluster, pg_bin  # noqa: E402

#: How far the two-replica p95 may sit above the one-replica p95.
TOLERANCE = 1.2


async def _spread(urls: list[str], page: str, n: int, seconds: float) -> bl.Result:
    """``n`` sessions on ``page``, assigned to ``urls`` in turn (sticky: a session stays on its replica)."""
    result = bl.Result()
    until = time.monotonic() + seconds

    async def one(i: int) -> None:
        await asyncio.sleep(random.uniform(0, min(1.5, seconds / 4)))  # people arrive apart
        await bl.Session(urls[i % len(urls)], page).run(until, result)

    await asyncio.gather(*(one(i) for i in range(n)))
    return result


def _row(label: str, res: bl.Result) -> tuple[float, str]:
    p50, p95 = bl.pct(res.times_ms, 50), bl.pct(res.times_ms, 95)
    errs = f"{len(res.errors)} errors ({res.errors[0][:80]})" if res.errors else "0 errors"
    return p95, (f"{label}: p50 {p50:.0f} ms · p95 {p95:.0f} ms ({len(res.times_ms)} reruns, {errs}; "
                 f"load {os.getloadavg()[0]:.1f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", default="survey")
    ap.add_argument("--seconds", type=float, default=20, help="length of each level (default 20 s)")
    args = ap.parse_args(argv)
    if not pg_bin("initdb"):
        print("skipped: PostgreSQL is not installed (apt-get install postgresql)")
        return 0
    from easymall.store import transfer

    print(f"bench_replicas — {dt.date.today()} · {bl.machine()} · load {bl.loadavg()}", flush=True)
    with PgCluster() as cluster:
        url = cluster.url(cluster.create_database("bench"), workspace="team")
        sample = bl.sample_workspace()
        transfer.copy(sample, url)
        servers = []
        try:
            servers = [bl.start_server(url) for _ in range(2)]  # type: ignore[arg-type]
            for srv in servers:  # first loads: imports, parse, the survey read once per replica
                asyncio.run(bl.Session(srv.url, args.page).run(time.monotonic() + 60, bl.Result(), warm=True))
            one_p95, line = _row(f"one replica · {args.page} · 15 sessions",
                                 asyncio.run(_spread([servers[0].url], args.page, 15, args.seconds)))
            print("   " + line, flush=True)
            res_two = asyncio.run(_spread([s.url for s in servers], args.page, 30, args.seconds))
            two_p95, line = _row(f"two replicas · {args.page} · 30 sessions", res_two)
            print("   " + line, flush=True)
        finally:
            for srv in servers:
                srv.stop()
    ok = two_p95 <= TOLERANCE * one_p95 and not res_two.errors
    print(f"{'ok' if ok else 'MISSED'}: two replicas with 30 sessions p95 {two_p95:.0f} ms vs one replica with 15 "
          f"p95 {one_p95:.0f} ms (target ≤ {TOLERANCE:.0%} of it, no errors)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

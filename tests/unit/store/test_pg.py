"""What only the PostgreSQL backend has to prove: migrations by the app, a refused write that changes
nothing, saves from other processes seen within 2 s, polling that costs next to nothing per session."""
from __future__ import annotations

import select
import subprocess
import sys
import time

import psycopg
import pytest

from easymall.core.i18n import error_text, problem_text
from easymall.store import Workspace, WriteError, address, pg, transfer
from tests.conftest import pg_workspace_url


@pytest.fixture
def url(pg_cluster, pg_db, ws_path) -> str:
    target = pg_workspace_url(pg_cluster, pg_db)
    transfer.copy(ws_path, target)
    return target


def _sql(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(address.parse_pg(url).dsn, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def test_the_app_creates_and_migrates_the_schema_in_a_new_database(pg_cluster) -> None:
    db = pg_cluster.create_database()
    target = pg_cluster.url(db, workspace="w")
    procs = [subprocess.Popen([sys.executable, "-c", "import sys; from easymall.store import Workspace; "
                               "Workspace(sys.argv[1])", target]) for _ in range(3)]  # replicas starting together
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    versions = [v for (v,) in _sql(target, f"SELECT version FROM {pg.SCHEMA}.migrations ORDER BY version")]
    assert versions == [v for v, _ in pg.MIGRATIONS]
    tables = {t for (t,) in _sql(target, "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                 (pg.SCHEMA,))}
    assert {"documents", "revisions", "files", "workspaces", "migrations"} <= tables


def test_a_write_the_database_refuses_changes_nothing(url: str) -> None:
    ws = Workspace(url)
    doc = ws.load("swot")
    before = (doc.revision, [h.revision for h in ws.history("swot")])
    _sql(url, f"""CREATE OR REPLACE FUNCTION {pg.SCHEMA}.refuse() RETURNS trigger AS $$
                  BEGIN RAISE EXCEPTION 'disk quota exceeded'; END $$ LANGUAGE plpgsql""")
    _sql(url, f"CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON {pg.SCHEMA}.documents FOR EACH ROW "
              f"EXECUTE FUNCTION {pg.SCHEMA}.refuse()")
    try:
        doc.strengths[0].text = "changed"
        with pytest.raises(WriteError) as info:
            ws.save("swot", doc, base_revision=doc.revision, author="a", message="m")
    finally:
        _sql(url, f"DROP TRIGGER refuse ON {pg.SCHEMA}.documents")
    assert info.value.code == "err.database" and "nothing was changed" in str(info.value)
    assert "数据库" in error_text(info.value, "zh", "store")
    fresh = Workspace(url)
    assert (fresh.load("swot").revision, [h.revision for h in fresh.history("swot")]) == before
    assert fresh.load("swot").strengths[0].text != "changed"  # and no revision half-written
    assert ws.save("swot", doc, base_revision=before[0], author="a") == before[0] + 1  # the next save works


_SAVE_LATER = """
import sys, time
from easymall.store import Workspace
time.sleep(float(sys.argv[2]))
ws = Workspace(sys.argv[1])
doc = ws.load("market")
doc.facts[0].label = "from the other replica"
ws.save("market", doc, base_revision=doc.revision, author="B")
"""


def test_a_save_in_another_process_is_seen_within_2_seconds(url: str) -> None:
    ws = Workspace(url)
    start_rev = ws.revision("market")
    proc = subprocess.Popen([sys.executable, "-c", _SAVE_LATER, url, "1.0"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while ws.revision("market") == start_rev and time.monotonic() < deadline and proc.poll() in (None, 0):
        time.sleep(0.05)
    seen = time.time()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, f"the other process's save failed: {err.strip()[-2000:]}"
    saved = _sql(url, f"SELECT updated FROM {pg.SCHEMA}.documents WHERE workspace = %s AND name = 'market'",
                 (address.parse_pg(url).workspace,))[0][0]
    assert seen - saved.timestamp() < 2.0, "the save reached this process more than 2 s after its commit"
    assert ws.load("market").facts[0].label == "from the other replica"


def test_polling_costs_one_query_per_process_not_per_session(url: str, monkeypatch) -> None:
    ws = Workspace(url)
    ws.revision("swot")
    db = ws._backend.db
    calls = []
    real = db.pool.connection
    monkeypatch.setattr(db.pool, "connection", lambda *a, **k: calls.append(1) or real(*a, **k))
    start = time.monotonic()
    for _ in range(30):  # 30 sessions, each polling seven documents and the presenter, for ~1 s
        for name in ws.documents():
            ws.revision(name)
        ws.presenter_position("default")
        time.sleep(1.0 / 30)
    elapsed = time.monotonic() - start
    # one shared stamp read per TTL at most, whatever the sessions (30 sessions × 8 reads would be 240 per
    # round); +3 for the listener connecting meanwhile on a loaded machine (its TTL is longer once it listens)
    assert len(calls) <= elapsed / pg.STAMP_TTL + 3


def test_a_save_while_the_database_is_unreachable_is_one_sentence_and_changes_nothing(pg_cluster, ws_path) -> None:
    db = pg_cluster.create_database()  # a database of its own: refusing connections touches no other test
    target = pg_cluster.url(db, workspace="w")
    transfer.copy(ws_path, target)
    ws = Workspace(target)
    doc = ws.load("swot")
    before = doc.revision
    admin = pg_cluster.url()
    _sql(admin, f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')  # the database goes away under the pool
    _sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,))
    try:
        doc.strengths[0].text = "changed while the database was down"
        ws._backend.db.forget()  # nothing cached: the access list and the document are read from the database
        start = time.monotonic()
        with pytest.raises(WriteError) as info:
            ws.save("swot", doc, base_revision=before, author="a")
        assert time.monotonic() - start < 12, "the save should fail within the pool's timeout, not hang"
    finally:
        _sql(admin, f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
    assert info.value.code == "err.database" and "nothing was changed" in str(info.value)
    assert "数据库" in error_text(info.value, "zh", "store")
    assert Workspace(target).load("swot").revision == before  # nothing written
    assert ws.save("swot", doc, base_revision=before, author="a") == before + 1  # back up: the next save works
    # reads while it is down: the last good state with one sentence, in both languages
    _sql(admin, f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
    _sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,))
    try:
        ws._backend.db.forget()
        result = ws.load_safe("swot")
    finally:
        _sql(admin, f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
    assert result.stale and result.doc is not None and result.doc.revision == before + 1
    assert "the database cannot be reached" in str(result.error)
    assert "无法连接数据库" in problem_text(result.error.first, "zh")


def test_the_first_save_after_the_server_dropped_every_connection_works(pg_cluster, ws_path) -> None:
    """A restart or failover closes pooled connections: the pool's check replaces them before use,
    while a healthy connection is handed out without a round trip."""
    db = pg_cluster.create_database()
    target = pg_cluster.url(db, workspace="w")
    transfer.copy(ws_path, target)
    ws = Workspace(target)
    doc = ws.load("swot")
    conn = ws._backend.db.pool.getconn()
    try:
        pg._check_connection(conn)  # healthy: nothing to read, no error
        _sql(pg_cluster.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
             "AND pid <> pg_backend_pid()", (db,))
        deadline = time.monotonic() + 5
        while not select.select([conn.fileno()], [], [], 0)[0] and time.monotonic() < deadline:
            time.sleep(0.05)  # the server's termination notice arrives
        with pytest.raises(psycopg.OperationalError):
            pg._check_connection(conn)
    finally:
        ws._backend.db.pool.putconn(conn)
    doc.strengths[0].text = "saved right after the connections were dropped"
    assert ws.save("swot", doc, base_revision=doc.revision, author="a") == doc.revision + 1

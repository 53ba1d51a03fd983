"""Shared fixtures: every test works on a temporary copy of the embedded workspace."""
from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from easymall import store
from easymall.store import pg, transfer
from tests.pgcluster import PgCluster, pg_bin

ROOT = Path(__file__).resolve().parent.parent
#: A small real Wenjuanxing export in both download modes (see its PROVENANCE.md).
WJX = ROOT / "tests" / "fixtures" / "wjx-format"


def copy_workspace(dst: Path) -> Path:
    """Copy the repo's default workspace (config/ and data/, not history/) into ``dst``."""
    return store.copy_workspace(ROOT, dst)


@pytest.fixture
def ws_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the default workspace, also set as ``EASYMALL_WORKSPACE``."""
    path = copy_workspace(tmp_path / "ws")
    monkeypatch.setenv("EASYMALL_WORKSPACE", str(path))
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A real PostgreSQL cluster of this test session (initdb + pg_ctl in a temporary folder on a
    free loopback port), stopped at the end. Skipped where PostgreSQL is not installed — except on
    CI, where that is a failure (.ci/run installs it)."""
    if not pg_bin("initdb") or not pg_bin("pg_ctl"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (initdb, pg_ctl); .ci/run installs it")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = PgCluster().start()
    try:
        yield cluster
    finally:
        pg._close_all()
        cluster.stop()


@pytest.fixture(scope="session")
def pg_db(pg_cluster: PgCluster) -> str:
    """One database for the session; tests take a workspace of their own in it (``?workspace=``)."""
    return pg_cluster.create_database("easymall_test")


def pg_workspace_url(cluster: PgCluster, db: str) -> str:
    """The address of a new, empty workspace in ``db``."""
    return cluster.url(db, workspace="t" + uuid.uuid4().hex[:12])


@pytest.fixture(params=["folder", "postgresql"])
def ws_address(request: pytest.FixtureRequest, ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The default workspace's copy as a folder, then (the same content, by ``easymall copy``) as a
    workspace in PostgreSQL: the store contract holds for both backends."""
    if request.param == "folder":
        return str(ws_path)
    cluster, db = request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_db")
    url = pg_workspace_url(cluster, db)
    transfer.copy(ws_path, url)
    monkeypatch.setenv("EASYMALL_WORKSPACE", url)
    return url


def stored_text(address: str, name: str) -> str:
    """The bytes a workspace holds for document ``name`` now, as text (what a reader finds)."""
    raw = store.Workspace(address)._backend.read(name)
    return raw.decode("utf-8") if raw is not None else ""


def store_text(address: str, name: str, text: str) -> None:
    """Put ``text`` in place of document ``name`` behind the store's back — a hand edit of the file,
    or a foreign writer's UPDATE in the database — to test what the app does with it."""
    if not store.address.is_database_url(address):
        (Path(address) / "config" / f"{name}.yaml").write_text(text, "utf-8")
        return
    parsed = store.address.parse_pg(address)
    with psycopg.connect(parsed.dsn, autocommit=True) as conn:
        conn.execute(f"UPDATE {pg.SCHEMA}.documents SET body = %s, stamp = nextval('{pg.SCHEMA}.stamp') "
                     "WHERE workspace = %s AND name = %s", (text.encode("utf-8"), parsed.workspace, name))
    for db in list(pg._DATABASES.values()):
        db.forget()


def shown(markdown: str) -> str:
    """A Markdown body as the reader sees it: user text in it is backslash-escaped (and carries
    invisible word joiners that stop autolinks) — see easymall.core.text.markdown_literal."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")

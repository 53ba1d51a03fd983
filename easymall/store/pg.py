"""The PostgreSQL backend: a workspace's documents, every revision, uploaded files and live state in
one database, shared by any number of app replicas.

Same interface as :class:`~easymall.store.backends.FileBackend` (the :class:`Workspace` does not
know which it has). A save runs in one transaction: :meth:`PgBackend.lock` begins it and takes a
transaction-scoped advisory lock on the document (released by the server when the transaction
ends, or when the client dies — a ``kill -9`` leaves neither a lock nor half a revision);
:meth:`PgBackend.commit` writes the revision and the document and commits. The schema lives in its
own ``easymall`` schema and is created and migrated by the app (:data:`MIGRATIONS`, applied once
per database under an advisory lock, so replicas starting together do not race).

Polling is cheap: one query reads the change stamps of every document and file of a workspace and
is shared by every session of the process for :data:`STAMP_TTL` seconds; a write in this process,
a ``NOTIFY`` from another one (a listener thread per database) or the TTL refreshes it.
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import select
import threading
import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from easymall.store.address import PgAddress

SCHEMA = "easymall"
CHANNEL = "easymall_changes"
#: How long one read of the change stamps serves every poll of the process (seconds).
STAMP_TTL = 0.25
_AREAS = ("data", "state")
_MIGRATION_LOCK = 0x45_4D_4D_31  # pg_advisory_lock key for running migrations ("EMM1")

#: Versioned migrations, applied in order; never edit one that has shipped, add the next.
MIGRATIONS: list[tuple[int, str]] = [
    (1, f"""
        CREATE SEQUENCE IF NOT EXISTS {SCHEMA}.stamp;
        CREATE TABLE IF NOT EXISTS {SCHEMA}.workspaces (
            name     text PRIMARY KEY,
            created  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS {SCHEMA}.documents (
            workspace text NOT NULL REFERENCES {SCHEMA}.workspaces(name) ON DELETE CASCADE,
            name      text NOT NULL,
            revision  integer NOT NULL,
            body      bytea NOT NULL,
            stamp     bigint NOT NULL DEFAULT nextval('{SCHEMA}.stamp'),
            updated   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workspace, name)
        );
        CREATE TABLE IF NOT EXISTS {SCHEMA}.revisions (
            workspace text NOT NULL REFERENCES {SCHEMA}.workspaces(name) ON DELETE CASCADE,
            name      text NOT NULL,
            revision  integer NOT NULL,
            author    text NOT NULL DEFAULT '',
            time      timestamptz NOT NULL,
            message   text NOT NULL DEFAULT '',
            body      bytea NOT NULL,
            PRIMARY KEY (workspace, name, revision)
        );
        CREATE TABLE IF NOT EXISTS {SCHEMA}.files (
            workspace text NOT NULL REFERENCES {SCHEMA}.workspaces(name) ON DELETE CASCADE,
            area      text NOT NULL CHECK (area IN ('data', 'state')),
            name      text NOT NULL,
            data      bytea NOT NULL,
            stamp     bigint NOT NULL DEFAULT nextval('{SCHEMA}.stamp'),
            updated   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workspace, area, name)
        );
    """),
]


class DatabaseWriteError(OSError):
    """The database refused or lost a write (the transaction was rolled back: nothing changed)."""

    database = True

    def __init__(self, exc: BaseException):
        super().__init__(errno.EIO, f"the database refused the write ({_first_line(exc)})")


class DatabaseUnreachable(OSError):
    """The database stopped answering while the app runs (a read or a save's start): the store keeps
    what it last read and says so; nothing is changed."""

    database = True

    def __init__(self, exc: BaseException):
        super().__init__(errno.EIO, f"the database cannot be reached ({_first_line(exc)})")


class DatabaseUnavailable(Exception):
    """The database cannot be reached or used (one sentence naming it, never the password)."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- one pool per database


def _check_connection(conn: psycopg.Connection[Any]) -> None:
    """Raise for a connection the server dropped, before the pool hands it out.

    An idle pooled connection hears nothing from the server unless it is going away: a restart or a
    failover sends its termination notice and closes the socket. So the socket is looked at without
    waiting, and only a connection with something to read (or already marked broken) gets the empty
    round trip of psycopg's own check — a healthy one costs a save nothing (the check on every
    checkout was two round trips of each save)."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)


class _Database:
    """What every workspace of one database shares in a process: the pool, the change stamps, the
    listener thread."""

    def __init__(self, address: PgAddress):
        self.display = address.display.split("?", 1)[0]
        try:  # fail fast with libpq's own sentence (the pool would retry quietly, then time out)
            psycopg.connect(address.dsn, connect_timeout=5).close()
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"could not connect to {self.display}: {_first_line(exc)}") from None
        # check: a connection the server dropped (a restart, a failover) is replaced before it is handed
        # out, so the first request after the database is back works (see _check_connection)
        self.pool = ConnectionPool(address.dsn, min_size=1, max_size=8, open=False, timeout=5,
                                   check=_check_connection,
                                   kwargs={"autocommit": True, "connect_timeout": 5},
                                   name=f"easymall:{self.display}")
        try:
            self.pool.open(wait=True, timeout=10)
        except PoolTimeout:
            self.pool.close()
            raise DatabaseUnavailable(f"could not connect to {self.display}: no connection within 10 s") from None
        try:
            self._migrate()
        except psycopg.Error as exc:
            self.pool.close()
            raise DatabaseUnavailable(f"could not prepare {self.display}: {_first_line(exc)}") from None
        self.mutex = threading.Lock()
        self.stamps: dict[str, tuple[float, dict[tuple[str, str], int]]] = {}
        self.notified = threading.Event()
        self.listening = False
        self.closed = False
        self._dsn = address.dsn
        threading.Thread(target=self._listen, name=f"easymall-listen:{self.display}", daemon=True).start()

    def _migrate(self) -> None:
        with self.pool.connection() as conn:
            if conn.execute(f"SELECT to_regclass('{SCHEMA}.migrations')").fetchone()[0] is not None:
                done = {r[0] for r in conn.execute(f"SELECT version FROM {SCHEMA}.migrations")}
                if all(v in done for v, _ in MIGRATIONS):
                    return
            # under the lock from the first statement: CREATE ... IF NOT EXISTS is not safe against a
            # replica running it at the same moment (a duplicate-key error on the catalogue)
            conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
            try:
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.migrations "
                             "(version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())")
                done = {r[0] for r in conn.execute(f"SELECT version FROM {SCHEMA}.migrations")}
                for version, sql in MIGRATIONS:
                    if version in done:
                        continue
                    with conn.transaction():
                        conn.execute(sql)
                        conn.execute(f"INSERT INTO {SCHEMA}.migrations (version) VALUES (%s)", (version,))
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))

    # change stamps ---------------------------------------------------------
    def snapshot(self, workspace: str) -> dict[tuple[str, str], int]:
        """(kind, name) → stamp of every document (kind "doc") and file (kind = area)."""
        now = time.monotonic()
        with self.mutex:
            hit = self.stamps.get(workspace)
            ttl = STAMP_TTL * (4 if self.listening else 1)  # a live listener says when anything changed
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
            try:
                with self.pool.connection() as conn:
                    rows = conn.execute(
                        f"SELECT 'doc', name, stamp FROM {SCHEMA}.documents WHERE workspace = %s "
                        f"UNION ALL SELECT area, name, stamp FROM {SCHEMA}.files WHERE workspace = %s",
                        (workspace, workspace)).fetchall()
            except (psycopg.Error, PoolTimeout) as exc:
                raise DatabaseUnreachable(exc) from None
            stamps = {(kind, name): stamp for kind, name, stamp in rows}
            self.stamps[workspace] = (time.monotonic(), stamps)
            return stamps

    def forget(self, workspace: str | None = None) -> None:
        with self.mutex:
            if workspace is None:
                self.stamps.clear()
            else:
                self.stamps.pop(workspace, None)

    def _listen(self) -> None:
        """LISTEN for other processes' writes; on each, drop the cached stamps. Reconnects."""
        while not self.closed:
            try:
                with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening = True
                    self.forget()
                    while not self.closed:
                        for note in conn.notifies(timeout=5.0):
                            self.forget(note.payload or None)
            except psycopg.Error:
                pass
            self.listening = False
            self.forget()
            time.sleep(1.0)

    def close(self) -> None:
        self.closed = True
        self.pool.close()


_DATABASES: dict[str, _Database] = {}
_DATABASES_LOCK = threading.Lock()


def database(address: PgAddress) -> _Database:
    with _DATABASES_LOCK:
        db = _DATABASES.get(address.dsn)
        if db is None:
            db = _DATABASES[address.dsn] = _Database(address)
        return db


@atexit.register
def _close_all() -> None:
    with _DATABASES_LOCK:
        for db in _DATABASES.values():
            with contextlib.suppress(Exception):
                db.close()
        _DATABASES.clear()


# --------------------------------------------------------------------------- backend


class PgBackend:
    """One workspace (``?workspace=NAME``) of a PostgreSQL database."""

    root = None  # no folder

    def __init__(self, address: PgAddress):
        self.address = address
        self.workspace = address.workspace
        self.db = database(address)
        self._tx = threading.local()  # the connection of the save this thread is inside, if any

    # connections -------------------------------------------------------------
    @contextlib.contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        tx = getattr(self._tx, "conn", None)
        if tx is not None:
            yield tx
            return
        try:
            with self.db.pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
            raise DatabaseUnreachable(exc) from None  # the server went away (not a refused statement)

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        with self._conn() as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _changed(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, self.workspace))
        self.db.forget(self.workspace)

    def _ensure_workspace(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f"INSERT INTO {SCHEMA}.workspaces (name) VALUES (%s) ON CONFLICT DO NOTHING", (self.workspace,))

    # documents ---------------------------------------------------------------
    def exists(self) -> bool:
        return self._one(f"SELECT 1 FROM {SCHEMA}.workspaces WHERE name = %s", (self.workspace,)) is not None

    @staticmethod
    def label(name: str) -> str:
        return f"config/{name}.yaml"

    def read(self, name: str) -> bytes | None:
        try:
            with self._conn() as conn:
                row = conn.execute(f"SELECT body, stamp FROM {SCHEMA}.documents WHERE workspace = %s AND name = %s",
                                   (self.workspace, name)).fetchone()
        except psycopg.Error as exc:
            if getattr(self._tx, "conn", None) is not None:
                raise DatabaseWriteError(exc) from None  # inside a save: the save fails, nothing changed
            raise
        if getattr(self._tx, "conn", None) is not None:
            self.db.forget(self.workspace)  # read under the lock: the caller may learn it is stale; refresh stamps
        return bytes(row[0]) if row else None

    def stamp(self, name: str) -> tuple[int, int] | None:
        stamp = self.db.snapshot(self.workspace).get(("doc", name))
        return None if stamp is None else (stamp, 0)

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Begin this save's transaction, holding the document's advisory lock until it ends."""
        with contextlib.ExitStack() as stack:
            try:  # the database down or the connection lost before the save began: nothing changes
                conn = stack.enter_context(self.db.pool.connection())
                with conn.pipeline():  # one round trip
                    conn.execute("BEGIN")
                    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", (self.workspace, name))
            except (psycopg.Error, PoolTimeout) as exc:
                raise DatabaseWriteError(exc) from None
            try:
                self._tx.conn = conn
                yield
            finally:
                self._tx.conn = None
                if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    with contextlib.suppress(psycopg.Error):
                        conn.execute("ROLLBACK")

    def write(self, name: str, data: bytes, revision: int | None = None) -> None:
        with self._conn() as conn, conn.pipeline():
            self._ensure_workspace(conn)
            self._put_document(conn, name, data, revision if revision is not None else 0)
            self._changed(conn)

    def _put_document(self, conn: psycopg.Connection[Any], name: str, data: bytes, revision: int) -> None:
        conn.execute(
            f"INSERT INTO {SCHEMA}.documents (workspace, name, revision, body) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (workspace, name) DO UPDATE SET revision = EXCLUDED.revision, body = EXCLUDED.body, "
            f"stamp = nextval('{SCHEMA}.stamp'), updated = now()",
            (self.workspace, name, revision, data))

    def write_snapshot(self, name: str, revision: int, data: bytes, meta: dict[str, Any]) -> None:
        try:
            with self._conn() as conn:
                self._ensure_workspace(conn)
                self._put_revision(conn, name, revision, data, meta)
        except psycopg.Error as exc:
            raise DatabaseWriteError(exc) from None

    def _put_revision(self, conn: psycopg.Connection[Any], name: str, revision: int, data: bytes,
                      meta: dict[str, Any]) -> None:
        conn.execute(
            f"INSERT INTO {SCHEMA}.revisions (workspace, name, revision, author, time, message, body) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (workspace, name, revision) DO UPDATE SET "
            "author = EXCLUDED.author, time = EXCLUDED.time, message = EXCLUDED.message, body = EXCLUDED.body",
            (self.workspace, name, revision, meta.get("author", ""), meta["time"], meta.get("message", ""), data))

    def commit(self, name: str, revision: int, data: bytes, meta: dict[str, Any], old: bytes | None) -> None:
        """Write revision ``revision`` and make it the document, then commit: all or nothing."""
        try:
            with self._conn() as conn:
                in_tx = getattr(self._tx, "conn", None) is conn
                with conn.pipeline():  # one round trip: revision, document, notice, commit
                    if not in_tx:
                        conn.execute("BEGIN")
                    self._ensure_workspace(conn)
                    self._put_revision(conn, name, revision, data, meta)
                    self._put_document(conn, name, data, revision)
                    self._changed(conn)
                    conn.execute("COMMIT")
        except psycopg.Error as exc:
            raise DatabaseWriteError(exc) from None
        finally:
            self.db.forget(self.workspace)

    def read_log(self, name: str) -> list[dict[str, Any]]:
        with self._conn() as conn:
            rows = conn.execute(
                f"SELECT revision, author, time, message FROM {SCHEMA}.revisions WHERE workspace = %s AND name = %s "
                "ORDER BY revision", (self.workspace, name)).fetchall()
        return [{"revision": r, "author": a, "time": t.astimezone(UTC).isoformat(), "message": m}
                for r, a, t, m in rows]

    def has_revision(self, name: str, revision: int) -> bool:
        """True when ``revision`` of ``name`` is in history (one row looked up, not the whole log)."""
        return bool(self._one(f"SELECT EXISTS (SELECT 1 FROM {SCHEMA}.revisions WHERE workspace = %s AND name = %s "
                              "AND revision = %s)", (self.workspace, name, revision)))

    def read_snapshot(self, name: str, revision: int) -> bytes | None:
        raw = self._one(f"SELECT body FROM {SCHEMA}.revisions WHERE workspace = %s AND name = %s AND revision = %s",
                        (self.workspace, name, revision))
        return bytes(raw) if raw is not None else None

    # files -------------------------------------------------------------------
    @staticmethod
    def _area(area: str) -> str:
        if area not in _AREAS:
            raise ValueError(f"unknown file area {area!r}")
        return area

    def put_file(self, area: str, name: str, data: bytes) -> None:
        with self._conn() as conn:
            self._ensure_workspace(conn)
            conn.execute(
                f"INSERT INTO {SCHEMA}.files (workspace, area, name, data) VALUES (%s, %s, %s, %s) "
                f"ON CONFLICT (workspace, area, name) DO UPDATE SET data = EXCLUDED.data, "
                f"stamp = nextval('{SCHEMA}.stamp'), updated = now()",
                (self.workspace, self._area(area), name, data))
            self._changed(conn)

    def read_file(self, area: str, name: str) -> bytes | None:
        raw = self._one(f"SELECT data FROM {SCHEMA}.files WHERE workspace = %s AND area = %s AND name = %s",
                        (self.workspace, self._area(area), name))
        return bytes(raw) if raw is not None else None

    def get_file(self, area: str, name: str) -> bytes:
        data = self.read_file(area, name)
        if data is None:
            raise FileNotFoundError(f"{area}/{name}")
        return data

    def list_files(self, area: str) -> list[str]:
        with self._conn() as conn:
            rows = conn.execute(f"SELECT name FROM {SCHEMA}.files WHERE workspace = %s AND area = %s ORDER BY name",
                                (self.workspace, self._area(area))).fetchall()
        return [r[0] for r in rows]

    def delete_file(self, area: str, name: str) -> None:
        with self._conn() as conn:
            conn.execute(f"DELETE FROM {SCHEMA}.files WHERE workspace = %s AND area = %s AND name = %s",
                         (self.workspace, self._area(area), name))
            self._changed(conn)

    def file_stamp(self, area: str, name: str) -> tuple[int, int, int] | None:
        stamp = self.db.snapshot(self.workspace).get((self._area(area), name))
        return None if stamp is None else (stamp, 0, 0)

    # a whole workspace (easymall copy) ------------------------------------------
    def is_empty(self) -> bool:
        return self._one(
            f"SELECT 1 FROM {SCHEMA}.documents WHERE workspace = %s UNION ALL "
            f"SELECT 1 FROM {SCHEMA}.revisions WHERE workspace = %s UNION ALL "
            f"SELECT 1 FROM {SCHEMA}.files WHERE workspace = %s LIMIT 1",
            (self.workspace,) * 3) is None

    def replace_all(self, content: Any) -> None:
        """Make the workspace exactly ``content`` (a :class:`~easymall.store.transfer.Content`), in one
        transaction: a failure leaves it as it was."""
        try:
            self._replace_all(content)
        except psycopg.Error as exc:
            raise DatabaseWriteError(exc) from None

    def _replace_all(self, content: Any) -> None:
        with self.db.pool.connection() as conn, conn.transaction():
            conn.execute(f"DELETE FROM {SCHEMA}.workspaces WHERE name = %s", (self.workspace,))
            self._ensure_workspace(conn)
            for doc in content.documents:
                for meta, body in doc.history:
                    self._put_revision(conn, doc.name, int(meta["revision"]), body, meta)
                if doc.body is not None:
                    conn.execute(f"INSERT INTO {SCHEMA}.documents (workspace, name, revision, body) "
                                 "VALUES (%s, %s, %s, %s)", (self.workspace, doc.name, doc.revision, doc.body))
            for area, name, data in content.files:
                conn.execute(f"INSERT INTO {SCHEMA}.files (workspace, area, name, data) VALUES (%s, %s, %s, %s)",
                             (self.workspace, area, name, data))
            self._changed(conn)

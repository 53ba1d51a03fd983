"""A real, throw-away PostgreSQL cluster for tests and benchmarks: ``initdb`` in a temporary folder,
``pg_ctl start`` on a free loopback port, ``pg_ctl stop`` at the end (no mocks).

The server refuses to run as root, so as root it runs as the ``postgres`` user (Debian's package
creates it). Binaries are found on ``PATH`` or in ``/usr/lib/postgresql/*/bin``.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def pg_bin(tool: str) -> str | None:
    found = shutil.which(tool)
    if found:
        return found
    for cand in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), reverse=True):
        return cand
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """``with PgCluster() as pg: pg.url("mydb")`` — a cluster of its own, gone afterwards."""

    def __init__(self) -> None:
        initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        if not initdb or not self.pg_ctl:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
        self.initdb = initdb
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="easymall-pg-"))
        self.data = self.dir / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def _run(self, *cmd: str) -> None:
        subprocess.run(cmd, check=True, capture_output=True, user=self.user, cwd=self.dir, timeout=120)

    def start(self) -> PgCluster:
        self._run(self.initdb, "-D", str(self.data), "-U", "easymall", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
                "-c fsync=on -c max_connections=200 -c shared_buffers=32MB")
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.dir / "server.log"), "-o", opts, "-w",
                  "-t", "60", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, dbname: str = "postgres", workspace: str | None = None) -> str:
        query = f"?workspace={workspace}" if workspace else ""
        return f"postgresql://easymall@127.0.0.1:{self.port}/{dbname}{query}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its name."""
        name = name or "db_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

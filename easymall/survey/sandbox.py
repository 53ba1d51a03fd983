"""The parse of an upload with a memory and a time budget: no file can take the process down.

:func:`bounded_load` checks the bytes against the workspace limits (no reader runs), then reads
them in a child process whose address space is capped (``RLIMIT_AS``) and which is killed after
the time limit; the parsed dataset comes back pickled. Children are forked from a small parse
server (``python -m easymall.survey.parse_server``: one process, started on first use, that has the
readers imported and forks one child per file), so a parse costs a fork and the pickling of its
result — a few tenths of a second — not an interpreter start. The server is a module run in its
own interpreter, not :mod:`multiprocessing`: a Streamlit page is the ``__main__`` module, which a
multiprocessing child would import and run. A child that runs out of memory, crashes or overruns
gives one sentence, never a dead server.
"""
from __future__ import annotations

import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from easymall.survey.decode import check_bounds
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import Parsed, load_survey
from easymall.survey.limits import DEFAULT, Limits, check_size

#: Set to "0" to parse in-process (a debugger; never in a deployment).
ISOLATE_ENV = "EASYMALL_PARSE_ISOLATED"
#: Seconds the parse server may take to start (it imports pandas and the readers once).
START_TIMEOUT = 120
_LOCK = threading.Lock()
_SERVER: dict[str, Any] = {}


def _start_server() -> tuple[str, bytes]:
    """The running parse server's socket and key (started, or restarted when it died)."""
    with _LOCK:
        proc = _SERVER.get("proc")
        if proc is not None and proc.poll() is None:
            return _SERVER["address"], _SERVER["key"]
        key = secrets.token_bytes(32)
        address = os.path.join(tempfile.mkdtemp(prefix="easymall-parse-"), "socket")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        proc = subprocess.Popen([sys.executable, "-m", "easymall.survey.parse_server"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(key.hex().encode() + b" " + address.encode() + b"\n")
        proc.stdin.flush()
        ready = proc.stdout.readline()  # "ready" once listening (EOF: it could not start)
        if ready.strip() != b"ready":
            proc.kill()
            raise OSError("the parse server did not start")
        _SERVER.update(proc=proc, address=address, key=key)
        return address, key


def serve() -> None:
    """The parse server: accept a connection, fork a child that parses the file it is sent."""
    key_hex, address = sys.stdin.buffer.readline().decode().split(" ", 1)
    # die with the app: its end of our stdin closes when it exits (a raw read: no lock a fork could inherit)
    threading.Thread(target=lambda: (os.read(0, 1), os._exit(0)), daemon=True).start()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    listener = Listener(address.strip(), family="AF_UNIX", authkey=bytes.fromhex(key_hex))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        try:
            conn = listener.accept()
        except (OSError, EOFError, ValueError):  # a client that failed the handshake
            continue
        if os.fork() == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _child(conn)
            finally:
                os._exit(0)
        conn.close()


class _suppress_os:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], (OSError, AttributeError))  # type: ignore[arg-type]


def _child(conn: Connection) -> None:
    conn.send(os.getpid())
    data, file, multi_sep, limits, platform = conn.recv()
    cap = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    null = os.open(os.devnull, os.O_WRONLY)  # a native reader's abort message is not for the app's log
    os.dup2(null, 2)
    try:
        out: tuple[str, Any] = ("ok", load_survey(data, file, multi_sep=multi_sep, limits=limits, platform=platform))
    except SurveyImportError as exc:
        out = ("error", (str(exc), exc.code, exc.file, exc.row, exc.column, exc.params))
    except MemoryError:
        out = ("memory", None)
    del data
    try:
        conn.send(out)
    except MemoryError:  # the result itself does not fit in the budget
        conn.send(("memory", None))
    conn.close()


def _memory_error(file: str, limits: Limits) -> SurveyImportError:
    limit = f"{limits.memory_mb:,}"
    return SurveyImportError(f"{file} needs more than {limit} MB of memory to read; the limit is {limit} MB",
                             file=file, code="parse_memory", limit=limit)


def bounded_load(data: bytes, file: str = "the file", *, multi_sep: str | None = None,
                 limits: Limits = DEFAULT, platform: str | None = None) -> Parsed:
    """:func:`easymall.survey.ingest.load_survey` within ``limits``; raises only :class:`SurveyImportError`."""
    check_size(file, len(data), limits)
    check_bounds(data, file, limits)
    if os.environ.get(ISOLATE_ENV, "1") == "0":
        return load_survey(data, file, multi_sep=multi_sep, limits=limits, platform=platform)
    address, key = _start_server()
    conn = Client(address, family="AF_UNIX", authkey=key)
    pid = None
    try:
        pid = conn.recv()
        conn.send((data, file, multi_sep, limits, platform))
        if not conn.poll(limits.timeout_s):
            raise SurveyImportError(f"{file} takes more than {limits.timeout_s:,} seconds to read; "
                                    f"the limit is {limits.timeout_s:,} seconds", file=file, code="parse_timeout",
                                    limit=f"{limits.timeout_s:,}")
        kind, payload = conn.recv()
    except (EOFError, OSError):  # the child died: out of memory in a native reader, or a crash
        raise _memory_error(file, limits) from None
    finally:
        conn.close()
        if pid is not None:
            with _suppress_os():
                os.kill(pid, signal.SIGKILL)  # done or overrun: it never outlives its file
    if kind == "ok":
        return payload
    if kind == "memory":
        raise _memory_error(file, limits)
    message, code, efile, row, column, params = payload
    raise SurveyImportError(message, file=efile, row=row, column=column, code=code,
                            **{k: v for k, v in params.items() if k != "file"})

"""The parse of an upload with a memory and a time budget: no file can take the process down.

:func:`bounded_load` checks the bytes against the workspace limits (no reader runs), then reads
them in a child process whose address space is capped (``RLIMIT_AS``) and which is killed after
the time limit; the parsed dataset comes back pickled. Children are forked from a small
``forkserver`` that has the readers imported already (started once, on first use), so a parse costs
a fork and the pickling of its result — a few tenths of a second — not an interpreter start.
A child that runs out of memory, crashes or overruns gives one sentence, never a dead server.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import threading
from multiprocessing.connection import Connection
from typing import Any

from easymall.survey.decode import check_bounds
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import Parsed, load_survey
from easymall.survey.limits import DEFAULT, Limits, check_size

#: Set to "0" to parse in-process (a debugger; never in a deployment).
ISOLATE_ENV = "EASYMALL_PARSE_ISOLATED"
_PRELOAD = ["easymall.survey.sandbox", "python_calamine", "pyreadstat", "pyarrow.csv"]
_LOCK = threading.Lock()
_CTX: Any = None


def _context() -> Any:
    global _CTX
    with _LOCK:
        if _CTX is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _CTX = ctx
        return _CTX


def _child(conn: Connection, data: bytes, file: str, multi_sep: str | None, limits: Limits) -> None:
    cap = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    null = os.open(os.devnull, os.O_WRONLY)  # a native reader's abort message is not for the server's log
    os.dup2(null, 2)
    try:
        out: tuple[str, Any] = ("ok", load_survey(data, file, multi_sep=multi_sep, limits=limits))
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
                 limits: Limits = DEFAULT) -> Parsed:
    """:func:`easymall.survey.ingest.load_survey` within ``limits``; raises only :class:`SurveyImportError`."""
    check_size(file, len(data), limits)
    check_bounds(data, file, limits)
    if os.environ.get(ISOLATE_ENV, "1") == "0":
        return load_survey(data, file, multi_sep=multi_sep, limits=limits)
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, data, file, multi_sep, limits), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(limits.timeout_s):
            raise SurveyImportError(f"{file} takes more than {limits.timeout_s:,} seconds to read; "
                                    f"the limit is {limits.timeout_s:,} seconds", file=file, code="parse_timeout",
                                    limit=f"{limits.timeout_s:,}")
        kind, payload = recv.recv()
    except (EOFError, OSError):  # the child died: out of memory in a native reader, or a crash
        raise _memory_error(file, limits) from None
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if kind == "ok":
        return payload
    if kind == "memory":
        raise _memory_error(file, limits)
    message, code, efile, row, column, params = payload
    raise SurveyImportError(message, file=efile, row=row, column=column, code=code,
                            **{k: v for k, v in params.items() if k != "file"})

"""Where a workspace lives. :class:`FileBackend`: a folder with ``config/``, ``history/`` and
``data/``; writes are atomic (temp file, fsync, ``os.replace``) and serialised by a lock the OS drops
when its holder dies."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock

_AREAS = ("data", "state")  # uploaded datasets; small live state (the presenter's position)


# --------------------------------------------------------------------------- backend


class FileBackend:
    """Documents as ``config/<name>.yaml``; history in ``history/<name>/``; blobs in ``<area>/``."""

    def __init__(self, root: Path):
        self.root = root
        self.config = root / "config"
        self.locks = root / ".locks"

    def exists(self) -> bool:
        return self.config.is_dir()

    def doc_file(self, name: str) -> Path:
        return self.config / f"{name}.yaml"

    def label(self, name: str) -> str:
        return f"config/{name}.yaml"

    def read(self, name: str) -> bytes | None:
        try:
            return self.doc_file(name).read_bytes()
        except FileNotFoundError:
            return None

    def stamp(self, name: str) -> tuple[int, int] | None:
        try:
            st = self.doc_file(name).stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        self.locks.mkdir(exist_ok=True)
        # flock-based: the OS drops it when the holder dies, so kill -9 never leaves it stuck
        with FileLock(str(self.locks / f"{name}.lock"), timeout=30):
            self._sweep_temp_files(name)
            yield

    def _sweep_temp_files(self, name: str) -> None:
        """Remove temp files a writer killed mid-save left behind (safe: we hold the document's lock)."""
        for leftover in [*self.config.glob(f".{name}.yaml.*.tmp"), *self._hdir(name).glob(".*.tmp")]:
            leftover.unlink(missing_ok=True)

    def write(self, name: str, data: bytes) -> None:
        atomic_write(self.doc_file(name), data)

    # history -------------------------------------------------------------
    def _hdir(self, name: str) -> Path:
        return self.root / "history" / name

    def write_snapshot(self, name: str, revision: int, data: bytes, meta: dict[str, Any]) -> None:
        """Record ``data`` as revision ``revision`` in the history: the snapshot file, then its log line."""
        hdir = self._hdir(name)
        hdir.mkdir(parents=True, exist_ok=True)
        atomic_write(hdir / f"{revision:06d}.yaml", data)
        self._append_log(name, meta)

    def commit(self, name: str, revision: int, data: bytes, meta: dict[str, Any], old: bytes | None) -> None:
        """Make ``data`` the document and revision ``revision`` of its history, all or nothing.

        Order: (1) the snapshot file, (2) the document (atomic replace), (3) the log line. A crash
        between any two leaves a consistent state — a snapshot without a log line is ignored (and
        overwritten by the next save of that revision); a document without its log line is
        recorded by the next save ("state before first save"). A failure raises the ``OSError``
        after undoing what was done: the snapshot file removed, the document put back to ``old``
        (the bytes it held; removed when there were none), so no revision appears that never
        became current. Only when the log line fails *and* the old document cannot be put back
        does the save stand without raising (the new document is current and durable).
        """
        hdir = self._hdir(name)
        snap = hdir / f"{revision:06d}.yaml"
        hdir.mkdir(parents=True, exist_ok=True)
        atomic_write(snap, data)
        try:
            self.write(name, data)
        except BaseException:
            snap.unlink(missing_ok=True)
            raise
        try:
            self._append_log(name, meta)
        except OSError:
            try:  # the document is new but its history line is not: put the old document back
                if old is None:
                    self.doc_file(name).unlink(missing_ok=True)
                else:
                    self.write(name, old)
            except OSError:
                return  # cannot undo: the new document stands (saved); the next save logs it
            snap.unlink(missing_ok=True)
            raise

    def _append_log(self, name: str, meta: dict[str, Any]) -> None:
        """Append one line to the history log; on failure the log is cut back to where it was."""
        path = self._hdir(name) / "log.jsonl"
        line = (json.dumps(meta, ensure_ascii=False) + "\n").encode()
        with open(path, "ab") as fh:
            start = fh.tell()
            try:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            except BaseException:
                with contextlib.suppress(OSError):
                    fh.truncate(start)
                raise

    def read_log(self, name: str) -> list[dict[str, Any]]:
        try:
            lines = (self._hdir(name) / "log.jsonl").read_text("utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:  # a torn last line after a crash: ignore it
                continue
        return out

    def has_revision(self, name: str, revision: int) -> bool:
        """True when ``revision`` of ``name`` is in history."""
        return any(int(m["revision"]) == revision for m in self.read_log(name))

    def read_snapshot(self, name: str, revision: int) -> bytes | None:
        try:
            return (self._hdir(name) / f"{revision:06d}.yaml").read_bytes()
        except FileNotFoundError:
            return None

    # blobs (uploaded datasets and their reports) -------------------------
    def _area(self, area: str) -> Path:
        if area not in _AREAS:
            raise ValueError(f"unknown file area {area!r}")
        return self.root / area

    def put_file(self, area: str, name: str, data: bytes) -> None:
        d = self._area(area)
        d.mkdir(parents=True, exist_ok=True)
        atomic_write(d / name, data, durable=area != "state")  # the presenter's position moves every step

    def get_file(self, area: str, name: str) -> bytes:
        return (self._area(area) / name).read_bytes()

    def list_files(self, area: str) -> list[str]:
        d = self._area(area)
        return sorted(p.name for p in d.iterdir() if p.is_file() and not p.name.startswith(".")) if d.is_dir() else []

    def delete_file(self, area: str, name: str) -> None:
        (self._area(area) / name).unlink(missing_ok=True)

    def file_stamp(self, area: str, name: str) -> tuple[int, int, int] | None:
        """(mtime_ns, size, inode) of a blob, or None when there is none: one stat, for cheap polling
        (every atomic write makes a new inode, so two writes within one clock tick still differ)."""
        try:
            st = (self._area(area) / name).stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    def read_file(self, area: str, name: str) -> bytes | None:
        try:
            return (self._area(area) / name).read_bytes()
        except FileNotFoundError:
            return None


    # a whole workspace (easymall copy) ---------------------------------------
    _PARTS = ("config", "history", *_AREAS)

    def is_empty(self) -> bool:
        """Nothing in the folder at all (or no folder): a copy may land here without ``--force``."""
        return not self.root.exists() or (self.root.is_dir() and not any(self.root.iterdir()))

    def replace_all(self, content: Any) -> None:
        """Make the folder hold exactly ``content`` (a :class:`~easymall.store.transfer.Content`):
        built in a sibling folder first, then each part (``config/``, ``history/``, ``data/``,
        ``state/``) swapped in by rename; other files in the folder are left alone."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(dir=self.root.parent, prefix=f".{self.root.name}.copy-"))
        try:
            staged = FileBackend(build)
            staged.config.mkdir()
            for doc in content.documents:
                if doc.body is not None:
                    atomic_write(staged.doc_file(doc.name), doc.body)
                for meta, body in doc.history:
                    staged.write_snapshot(doc.name, int(meta["revision"]), body, meta)
            for area, name, data in content.files:
                staged.put_file(area, name, data)
            if not self.root.exists():
                os.replace(build, self.root)
                return
            trash = Path(tempfile.mkdtemp(dir=self.root.parent, prefix=f".{self.root.name}.old-"))
            for part in self._PARTS:
                if (self.root / part).exists():
                    os.replace(self.root / part, trash / part)
                if (build / part).exists():
                    os.replace(build / part, self.root / part)
            shutil.rmtree(trash, ignore_errors=True)
        finally:
            shutil.rmtree(build, ignore_errors=True)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so a crash leaves the old or the new file, never a torn one;
    ``durable`` also waits until the disk has it (fsync of the file and its folder), which live state
    that the next second overwrites does not need."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if not durable:
        return
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)



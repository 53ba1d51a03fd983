"""``easymall copy``: a whole workspace — documents, every revision, uploaded datasets, live state —
from one address to another (a folder into a database to migrate, a database into a folder to back
up or inspect, or any two of either).

The source is read completely (and every current document validated: a broken one is named and
nothing is copied) before the destination is touched; the destination is then replaced in one
step — one transaction in a database, one rename per part in a folder."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from easymall.core.errors import UserError
from easymall.models import DOCUMENTS
from easymall.store import address as addresses
from easymall.store.backends import FileBackend
from easymall.store.documents import DocumentError, parse_document
from easymall.store.pg import DatabaseUnavailable, PgBackend

AREAS = ("data", "state")


@dataclass
class DocContent:
    name: str
    body: bytes | None  # the current document (None: the workspace has none)
    revision: int
    history: list[tuple[dict[str, Any], bytes]] = field(default_factory=list)  # (meta, snapshot), oldest first


@dataclass
class Content:
    documents: list[DocContent]
    files: list[tuple[str, str, bytes]]  # (area, name, bytes)

    @property
    def revisions(self) -> int:
        return sum(len(d.history) for d in self.documents)


@dataclass(frozen=True)
class CopySummary:
    source: str
    dest: str
    documents: int
    revisions: int
    files: int


def _backend(address: str | os.PathLike[str]) -> FileBackend | PgBackend:
    try:
        if addresses.is_database_url(address):
            return PgBackend(addresses.parse_pg(str(address)))
    except (addresses.AddressError, DatabaseUnavailable) as exc:
        raise UserError(str(exc)) from None
    return FileBackend(addresses.folder(address))


def _label(backend: FileBackend | PgBackend) -> str:
    return str(backend.root) if backend.root is not None else backend.address.display


def read_content(backend: FileBackend | PgBackend) -> Content:
    """Everything a workspace holds; :class:`UserError` naming file and line when a current document
    does not validate (a broken document is never copied)."""
    docs = []
    for name in DOCUMENTS:
        body = backend.read(name)
        revision = 0
        if body is not None:
            try:
                revision = parse_document(name, body, backend.label(name)).revision
            except DocumentError as exc:
                raise UserError(f"{exc.first} — fix it, then copy again (nothing was copied)") from None
        latest: dict[int, dict[str, Any]] = {}
        for meta in backend.read_log(name):
            latest[int(meta["revision"])] = meta
        history = []
        for rev, meta in sorted(latest.items()):
            snap = backend.read_snapshot(name, rev)
            if snap is not None:
                history.append(({"revision": rev, "author": meta.get("author", ""), "time": meta["time"],
                                 "message": meta.get("message", "")}, snap))
        if body is not None or history:
            docs.append(DocContent(name, body, revision, history))
    files = [(area, f, backend.get_file(area, f)) for area in AREAS for f in backend.list_files(area)]
    return Content(docs, files)


def copy(source: str | os.PathLike[str], dest: str | os.PathLike[str], *, force: bool = False) -> CopySummary:
    """Copy the workspace at ``source`` to ``dest``; :class:`UserError` (one sentence) for a bad
    address, a source that is no workspace, the same place twice, or a destination that is not
    empty (unless ``force``: then it is replaced)."""
    src, dst = _backend(source), _backend(dest)
    if _label(src) == _label(dst):
        raise UserError(f"{_label(src)} is both the source and the destination")
    if not src.exists():
        raise UserError(f"{_label(src)} is not a workspace (nothing to copy)")
    if not force and not dst.is_empty():
        raise UserError(f"{_label(dst)} is not empty; add --force to replace what it holds")
    content = read_content(src)
    try:
        dst.replace_all(content)
    except OSError as exc:
        raise UserError(f"could not write {_label(dst)}: {exc.strerror or exc} (nothing was copied)") from None
    return CopySummary(_label(src), _label(dst), sum(d.body is not None for d in content.documents),
                       content.revisions, len(content.files))

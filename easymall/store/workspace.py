"""The workspace store: validated documents, optimistic saves, history.

Public contract (tools outside the app rely on it exactly)::

    from easymall.store import Workspace, ConflictError
    ws = Workspace(path)                   # folder that holds config/
    doc = ws.load("swot")                  # validated model; doc.revision is an int
    new_rev = ws.save("swot", doc, base_revision=doc.revision, author="name", message="why")
    # raises ConflictError (carrying the current document) when the stored revision != base_revision
    ws.history("swot")                     # revisions, newest first: revision, author, time, message

Access (``config/access.yaml``, see :mod:`easymall.access`): in ``accounts`` and ``oidc`` modes
``save`` checks the author's role and raises :class:`PermissionError` (``AccessDenied``) for a viewer or
an unknown person; ``revert``, deleting and activating datasets and managing access need an admin.
``open`` mode (no access.yaml: the embedded default) lets everyone do everything, as before::

    ws.access_mode()                       # "open" | "accounts" | "oidc"
    ws.may("li", "revert")                 # True / False; ws.authorize(...) raises instead
    ws.login("li", password)               # the account name, or LoginError (wrong / locked)
    ws.audit()                             # every revision of every document: time, author, ...

The public API speaks of documents, revisions and files by name only; where they live (a folder
with ``config/``, ``history/`` and ``data/`` today, PostgreSQL for a team tomorrow) is the
backend's business: :class:`FileBackend` for a folder, :class:`~easymall.store.pg.PgBackend` for a
``postgresql://`` address (see :mod:`easymall.store.address`).
"""
from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from easymall.access import AccessDocument, AccessUser
from easymall.core import yamlio
from easymall.core.errors import CodedError, UserError
from easymall.core.i18n import t
from easymall.models import DOCUMENTS, Document
from easymall.models.crossref import check_references
from easymall.store import address as addresses
from easymall.store.backends import FileBackend
from easymall.store.documents import (
    DocumentError,
    Problem,
    document_yaml,
    parse_document,
    validation_problems,
)
from easymall.store.guard import Guard
from easymall.store.pg import DatabaseUnavailable, PgBackend

D = TypeVar("D", bound=Document)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")


class ConflictError(Exception):
    """The stored revision is not the one the editor started from.

    ``current`` is the document as it is stored now, so the caller can merge or show both.
    """

    def __init__(self, name: str, base_revision: int, current: Document):
        self.name = name
        self.base_revision = base_revision
        self.current = current
        super().__init__(
            f"{name} was changed by someone else (you started from revision {base_revision}, "
            f"it is now at revision {current.revision})"
        )


class WriteError(CodedError):
    """A save the file system refused (disk full, read-only folder, no permission): nothing was
    changed — the document, its revision and its history are as they were. ``code`` is
    ``err.disk_full``, ``err.read_only`` or ``err.write_failed`` (catalogue ``store.<code>``)."""

    def __init__(self, name: str, exc: OSError):
        if getattr(exc, "database", False):
            code, why = "err.database", "the database refused the write"
        elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
            code, why = "err.disk_full", "the disk is full"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            code, why = "err.read_only", "the workspace folder is read-only"
        else:
            code, why = "err.write_failed", "the file system refused the write"
        super().__init__(f"Could not save {name}: {why} (nothing was changed)", code=code, name=name)
        self.name = name


@dataclass(frozen=True)
class Revision:
    """One saved revision of a document."""

    revision: int
    author: str
    time: datetime
    message: str


@dataclass(frozen=True)
class Position:
    """Where a presenter is in a deck: the slide (0-based index and, when known, its key), who moved
    there and when. Stored by the backend, so every replica's followers see the same position."""

    deck: str
    slide: int
    author: str
    time: datetime
    key: str = ""


# --------------------------------------------------------------------------- workspace


@dataclass
class _Cached:
    stamp: tuple[int, int] | None
    doc: Document | None
    error: DocumentError | None
    raw: bytes | None = None  # the bytes ``doc`` was parsed from (a save under the lock reuses the parse)


@dataclass
class LoadResult:
    """What the app shows: the document to use and, when the file is broken, why.

    ``doc`` is the last good version (``None`` only if there never was one) and ``error`` the
    problem with the file as it is now.
    """

    doc: Document | None
    error: DocumentError | None = None
    stale: bool = field(default=False)


class Workspace:
    """A workspace: the YAML documents, their history and the uploaded files."""

    def __init__(self, path: str | os.PathLike[str]):
        self._backend = _open_backend(path)
        self.name = self._backend.workspace if self._backend.root is None else self._backend.root.name
        self._cache: dict[str, _Cached] = {}
        self._good: dict[str, Document] = {}
        self._mutex = threading.Lock()
        self._positions: dict[str, tuple[tuple[int, int, int], Position | None]] = {}
        self._guard = Guard(self._backend)

    def __repr__(self) -> str:
        return f"Workspace({self.label!r})"

    @property
    def root(self) -> Path:
        """The folder (file backend only — ``None`` for a database; used by tests, not by pages)."""
        return self._backend.root

    @property
    def address(self) -> str:
        """The address that opens this workspace again (a folder, or the URL as given — it may hold a
        password: hand it on, never print it; print :attr:`label`)."""
        return str(self._backend.root) if self._backend.root is not None else self._backend.address.full

    @property
    def label(self) -> str:
        """Where the workspace is, for people: the folder, or the URL without its password."""
        return str(self._backend.root) if self._backend.root is not None else self._backend.address.display

    @staticmethod
    def documents() -> list[str]:
        return list(DOCUMENTS)

    def _check(self, name: str) -> None:
        if name not in DOCUMENTS:
            raise KeyError(f"unknown document {name!r}; expected one of {', '.join(DOCUMENTS)}")

    # reading ------------------------------------------------------------------
    def _read(self, name: str) -> _Cached:
        self._check(name)
        try:
            stamp = self._backend.stamp(name)
            with self._mutex:
                hit = self._cache.get(name)
                if hit is not None and hit.stamp == stamp and stamp is not None:
                    return hit
            raw = self._backend.read(name)
        except OSError as exc:  # the database stopped answering: load_safe gives the last good state
            if not getattr(exc, "database", False):
                raise
            why = "the database cannot be reached; the page shows the last version this server read"
            return _Cached(None, None, DocumentError([Problem(self._backend.label(name), None, "", why,
                                                              "database_unreachable")]))
        if raw is None:
            entry = _Cached(None, None, DocumentError([Problem(self._backend.label(name), None, "", "file is missing", "file_missing")]))
        else:
            try:
                entry = _Cached(stamp, parse_document(name, raw, self._backend.label(name)), None, raw)
            except DocumentError as exc:
                entry = _Cached(stamp, None, exc)
        with self._mutex:
            self._cache[name] = entry
            if entry.doc is not None:
                self._good[name] = entry.doc
        return entry

    def load(self, name: str) -> Document:
        """The validated document; raises :class:`DocumentError` if the file is invalid or missing.

        The returned model is a private copy: edit it freely and pass it to :meth:`save`.
        """
        entry = self._read(name)
        if entry.error is not None:
            raise entry.error
        assert entry.doc is not None
        return entry.doc.model_copy(deep=True)

    def load_safe(self, name: str) -> LoadResult:
        """For the app: the current document, or the last good one plus the error.

        The last good version is the last one this process loaded successfully, else the newest
        valid snapshot in history. The broken file is left untouched.
        """
        entry = self._read(name)
        if entry.error is None:
            return LoadResult(entry.doc)
        good = self._good.get(name) or self._newest_good_snapshot(name)
        if good is not None:
            self._good[name] = good
        return LoadResult(good, entry.error, stale=good is not None)

    def _newest_good_snapshot(self, name: str) -> Document | None:
        for rev in sorted({int(m["revision"]) for m in self._backend.read_log(name)}, reverse=True):
            raw = self._backend.read_snapshot(name, rev)
            if raw is None:
                continue
            try:
                return parse_document(name, raw)
            except DocumentError:
                continue
        return None

    def revision(self, name: str) -> int | None:
        """The stored revision, cheaply (a stat when nothing changed); ``None`` if unreadable."""
        entry = self._read(name)
        return entry.doc.revision if entry.doc is not None else None

    def validate(self) -> list[Problem]:
        """Every problem in every document, including references between documents."""
        problems: list[Problem] = []
        docs: dict[str, Document] = {}
        for name in DOCUMENTS:
            entry = self._read(name)
            if entry.error is not None:
                problems.extend(entry.error.problems)
            elif entry.doc is not None:
                docs[name] = entry.doc
        for finding in check_references(docs):
            name, path, message = finding
            raw = self._backend.read(name)
            line = None
            if raw is not None:
                try:
                    _, node = yamlio.parse(raw)
                    line = yamlio.line_of(node, tuple(int(p) if p.isdigit() else p for p in path.split(".")))
                except yamlio.YamlProblem:
                    pass
            problems.append(Problem(self._backend.label(name), line, path, message, finding.code,
                                    tuple(finding.params.items())))
        return problems

    # writing ------------------------------------------------------------------
    def save(self, name: str, doc: Document, *, base_revision: int, author: str, message: str = "") -> int:
        """Save ``doc`` as the next revision if the stored one is still ``base_revision``.

        Returns the new revision. Raises :class:`ConflictError` (with the current document) when
        someone saved in between, :class:`DocumentError` when the stored file is broken (it is
        never overwritten) or ``doc`` is invalid, and :class:`WriteError` when the file system
        refuses the write (nothing is changed: no revision, no history entry). In accounts and
        oidc modes :class:`PermissionError` (``AccessDenied``) when ``author`` may not edit.
        """
        self._check(name)
        try:
            self._guard.authorize(author, "edit")
        except OSError as exc:  # the access list could not be read (the database is down): nothing changes
            if not getattr(exc, "database", False):
                raise  # AccessDenied is a PermissionError
            raise WriteError(name, exc) from None
        model = DOCUMENTS[name]
        try:  # re-validate: callers may have built the model with model_construct or mutated it
            candidate = model.model_validate(doc.model_dump())
        except ValidationError as exc:
            raise DocumentError(validation_problems(exc, self._backend.label(name))) from None
        try:  # a lock or read the backend cannot take (database down, folder read-only) changes nothing
            with self._backend.lock(name):
                raw = self._backend.read(name)
                current: Document | None = None
                if raw is not None:
                    current = self._parsed(name, raw)  # raises if broken
                current_rev = current.revision if current is not None else 0
                if current is not None and current_rev != base_revision:
                    raise ConflictError(name, base_revision, current)
                new = candidate.model_copy(update={"revision": current_rev + 1})
                text = document_yaml(new).encode("utf-8")
                try:
                    if current is not None and not self._backend.has_revision(name, current_rev):
                        # the state it starts from (it is current: recording it first is never a phantom)
                        self._snapshot(name, current, author="(workspace file)", message="state before first save",
                                       text=raw)
                    self._backend.commit(name, new.revision, text, self._meta(new.revision, author, message), raw)
                except OSError as exc:
                    raise WriteError(name, exc) from None
        except OSError as exc:
            raise WriteError(name, exc) from None
        with self._mutex:  # cache what was written, so no session re-parses it
            self._cache[name] = _Cached(self._backend.stamp(name), new, None, text)
            self._good[name] = new
        return new.revision

    def _parsed(self, name: str, raw: bytes) -> Document:
        """``raw`` as a document: the cached parse when these are the bytes it came from."""
        with self._mutex:
            hit = self._cache.get(name)
        if hit is not None and hit.doc is not None and hit.raw == raw:
            return hit.doc
        return parse_document(name, raw, self._backend.label(name))

    @staticmethod
    def _meta(revision: int, author: str, message: str) -> dict[str, Any]:
        return {"revision": revision, "author": author, "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "message": message}

    def _snapshot(self, name: str, doc: Document, *, author: str, message: str, text: bytes | None = None) -> None:
        self._backend.write_snapshot(name, doc.revision, text or document_yaml(doc).encode("utf-8"),
                                     self._meta(doc.revision, author, message))

    def history(self, name: str) -> list[Revision]:
        """Saved revisions, newest first (a revision re-saved after a crash counts once)."""
        self._check(name)
        latest: dict[int, dict[str, Any]] = {}
        for meta in self._backend.read_log(name):
            latest[int(meta["revision"])] = meta
        return [
            Revision(rev, m.get("author", ""), datetime.fromisoformat(m["time"]), m.get("message", ""))
            for rev, m in sorted(latest.items(), reverse=True)
        ]

    def load_revision(self, name: str, revision: int) -> Document:
        """The document as it was saved at ``revision``."""
        self._check(name)
        raw = self._backend.read_snapshot(name, revision)
        if raw is None:
            raise KeyError(f"{name} has no saved revision {revision}")
        return parse_document(name, raw, f"history/{name}/{revision:06d}.yaml")

    def revert(self, name: str, revision: int, *, base_revision: int, author: str) -> int:
        """Make the content of ``revision`` current again, as a new revision (admins only where
        roles are enforced)."""
        self._guard.authorize(author, "revert")
        old = self.load_revision(name, revision)
        return self.save(name, old, base_revision=base_revision, author=author,
                         message=f"revert to revision {revision}")

    # files (uploaded datasets) ------------------------------------------------------
    def _fname(self, name: str) -> str:
        if not _NAME.match(name) or ".." in name:
            raise ValueError(f"invalid file name {name!r}")
        return name

    def put_file(self, area: str, name: str, data: bytes, *, author: str | None = None) -> None:
        """Store a file. With ``author`` (every write the app makes) the store checks that person may
        upload; ``None`` is the operator on the machine (command line, scripts): no check."""
        if author is not None:
            self._guard.authorize(author, "upload")
        self._backend.put_file(area, self._fname(name), data)

    def get_file(self, area: str, name: str) -> bytes:
        return self._backend.get_file(area, self._fname(name))

    def list_files(self, area: str) -> list[str]:
        return self._backend.list_files(area)

    def delete_file(self, area: str, name: str, *, author: str | None = None) -> None:
        """Delete a file; with ``author``, only an admin may (where roles are enforced)."""
        if author is not None:
            self._guard.authorize(author, "dataset.delete")
        self._backend.delete_file(area, self._fname(name))

    # access (config/access.yaml: never a document, never in history, never served) -----------
    def access_mode(self) -> str:
        """``open`` (everyone edits; no access.yaml), ``accounts`` or ``oidc``."""
        return self._guard.document().mode

    def access_problem(self) -> Problem | None:
        """Why access.yaml cannot be read (then nobody logs in or saves until it is fixed), or None."""
        return self._guard.problem()

    def access_settings(self) -> AccessDocument:
        """The access settings (for the command line and the login form; never shown on a page)."""
        return self._guard.document()

    def role(self, who: str) -> str | None:
        """``who``'s role (``viewer``/``editor``/``admin``), None for an unknown person; everyone is
        an admin in open mode."""
        return self._guard.role(who)

    def may(self, who: str, action: str) -> bool:
        """True when ``who`` may do ``action`` (:data:`easymall.access.ACTIONS`)."""
        return self._guard.may(who, action)

    def authorize(self, who: str, action: str) -> None:
        """Raise ``AccessDenied`` (a :class:`PermissionError`) unless ``who`` may do ``action``."""
        self._guard.authorize(who, action)

    def login(self, name: str, password: str, now: datetime | None = None) -> str:
        """The account name when the password is right, else ``LoginError`` (wrong / locked)."""
        return self._guard.login(name, password, now)

    def users(self) -> list[AccessUser]:
        return list(self._guard.document().users)

    def set_user(self, name: str, role: str, password: str | None = None, *, email: str | None = None,
                 author: str | None = None) -> AccessUser:
        """Add or change an account (``author``: an admin; ``None``: the operator)."""
        return self._guard.set_user(name, role, password, email=email, author=author)

    def remove_user(self, name: str, *, author: str | None = None) -> bool:
        return self._guard.remove_user(name, author=author)

    def audit(self) -> list[dict[str, Any]]:
        """Every saved revision of every document, newest first: time, author, document, revision, message."""
        rows = [{"time": r.time, "author": r.author, "document": name, "revision": r.revision, "message": r.message}
                for name in DOCUMENTS for r in self.history(name)]
        return sorted(rows, key=lambda r: (r["time"], r["revision"]), reverse=True)

    # live state (not documents: no revisions, no history) -------------------------------
    @staticmethod
    def _position_file(deck: str) -> str:
        if not _NAME.match(deck) or ".." in deck:
            raise ValueError(f"invalid deck name {deck!r}")
        return f"presenter-{deck}.json"

    def presenter_position(self, deck: str) -> Position | None:
        """The presenter's position in ``deck``, or None when nobody presented it (or the stored
        state is unreadable). Cheap to poll: a stat when nothing changed."""
        fname = self._position_file(deck)
        stamp = self._backend.file_stamp("state", fname)
        if stamp is None:
            return None
        with self._mutex:
            hit = self._positions.get(deck)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        position = _parse_position(deck, self._backend.read_file("state", fname))
        with self._mutex:
            self._positions[deck] = (stamp, position)
        return position

    def set_presenter_position(self, deck: str, slide: int, author: str, key: str = "") -> Position:
        """Store that ``author`` now shows slide ``slide`` (0-based) of ``deck``; atomic, last write wins."""
        if slide < 0:
            raise ValueError(f"slide must be 0 or more, not {slide}")
        position = Position(deck, int(slide), author, datetime.now(UTC), key)
        data = json.dumps({"deck": deck, "slide": position.slide, "key": key, "author": author,
                           "time": position.time.isoformat(timespec="milliseconds")}, ensure_ascii=False)
        self._backend.put_file("state", self._position_file(deck), data.encode("utf-8"))
        return position

    # per-person state: drafts, pending conflicts, a name (no revisions, no history) -------------
    @staticmethod
    def _personal_file(person: str, kind: str) -> str:
        if not _NAME.match(kind) or ".." in kind:
            raise ValueError(f"invalid state kind {kind!r}")
        digest = hashlib.sha256(person.encode("utf-8")).hexdigest()[:24]  # no name or token in a file name
        return f"person-{digest}-{kind}.json"

    def put_personal(self, person: str, kind: str, data: dict[str, Any], *, ttl: float) -> None:
        """Keep ``data`` (JSON-able) for ``person`` under ``kind`` (e.g. ``draft-swot``) for ``ttl``
        seconds: atomic, last write wins, and nobody else ever waits for it or sees it."""
        body = json.dumps({"person": person, "expires": time.time() + ttl, "data": data}, ensure_ascii=False)
        self._backend.put_file("state", self._personal_file(person, kind), body.encode("utf-8"))

    def get_personal(self, person: str, kind: str) -> dict[str, Any] | None:
        """What :meth:`put_personal` kept for ``person``, or None (none, expired — then removed — or unreadable)."""
        fname = self._personal_file(person, kind)
        raw = self._backend.read_file("state", fname)
        if raw is None:
            return None
        try:
            body = json.loads(raw)
            if body.get("person") != person or not isinstance(body.get("data"), dict):
                return None
            if float(body["expires"]) < time.time():
                self._backend.delete_file("state", fname)
                return None
            return body["data"]
        except (ValueError, KeyError, TypeError):
            return None

    def drop_personal(self, person: str, kind: str) -> None:
        """Forget what :meth:`put_personal` kept (nothing happens when there is nothing)."""
        self._backend.delete_file("state", self._personal_file(person, kind))


def _parse_position(deck: str, raw: bytes | None) -> Position | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return Position(deck, int(data["slide"]), str(data.get("author", "")),
                        datetime.fromisoformat(data["time"]), str(data.get("key", "")))
    except (ValueError, KeyError, TypeError):  # a hand-edited or foreign file: nobody is presenting
        return None


def copy_workspace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Path:
    """Copy a file workspace's documents and datasets (``config/``, ``data/``; not its history) to
    ``dst`` and return it: tests, benchmarks and demos work on such a copy."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    for part in ("config", "data"):
        if (src / part).is_dir():
            shutil.copytree(src / part, dst / part)
    return dst


def _open_backend(address: str | os.PathLike[str]) -> FileBackend | PgBackend:
    """The backend an address names: a ``postgresql://`` URL → :class:`PgBackend` (raises
    :class:`~easymall.store.address.AddressError` or :class:`~easymall.store.pg.DatabaseUnavailable`
    with one sentence), anything else → a folder."""
    if addresses.is_database_url(address):
        return PgBackend(addresses.parse_pg(str(address)))
    return FileBackend(addresses.folder(address))


def default_workspace_address() -> str:
    """``EASYMALL_WORKSPACE`` if set (a folder or a ``postgresql://`` URL), else the repository."""
    env = os.environ.get("EASYMALL_WORKSPACE")
    if env and addresses.is_database_url(env):
        return env
    return str(default_workspace_path())


def default_workspace_path() -> Path:
    """``EASYMALL_WORKSPACE`` if set (a folder), else the folder holding the repository's ``config/``."""
    return _resolved(os.environ.get("EASYMALL_WORKSPACE") or "")


@functools.lru_cache(maxsize=8)
def _resolved(env: str) -> Path:
    """The folder ``env`` names (resolved once: the app asks on every run)."""
    if env and not addresses.is_database_url(env):
        return Path(env).expanduser().resolve()
    return EMBEDDED


#: The embedded default workspace: the folder of the repository that holds the package.
EMBEDDED = Path(__file__).resolve().parents[2]


def workspace_label(ws: Workspace, lang: str) -> str:
    """How people name the workspace ``ws`` (sidebar, a deck's title slide): its name, or "Embedded
    default (sample, 2017)" for the repository's own — never a path or an address."""
    return t("workspace.embedded", lang) if ws.root is not None and ws.root == EMBEDDED else ws.name


def open_workspace(address: str | os.PathLike[str], *, must_exist: bool = True) -> Workspace:
    """:class:`Workspace` at ``address`` for a command; :class:`UserError` (one sentence) when the
    address is bad, the database cannot be reached, or (``must_exist``) there is no workspace there."""
    try:
        ws = Workspace(address)
    except (addresses.AddressError, DatabaseUnavailable) as exc:
        raise UserError(str(exc)) from None
    if must_exist and not ws._backend.exists():
        if ws.root is not None:
            raise UserError(f"{ws.label} is not a workspace (it has no config/ folder)")
        raise UserError(f"{ws.label} is not a workspace yet (copy one into it: easymall copy FOLDER URL)")
    return ws


def workspace_arg(value: str | None) -> Workspace:
    """The workspace a command names (a folder or a ``postgresql://`` URL), else
    ``EASYMALL_WORKSPACE``, else the repository; :class:`~easymall.core.errors.UserError` when
    there is no workspace there."""
    return open_workspace(value if value else default_workspace_address())

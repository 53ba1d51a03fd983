"""Roles checked by the store: ``config/access.yaml`` read (never served, never in history), the
role of an author looked up for every write, logins checked with their lockout.

:class:`Guard` is the Workspace's part that knows who may do what; it speaks to the backend through
the same calls the Workspace uses for documents (``read``/``stamp``/``lock``/``write`` of the name
``access``) and keeps the lockout counters in the backend's ``state`` area, so every replica of a
team deployment counts the same failures.

Fail closed: a broken ``access.yaml`` means accounts mode with nobody in it (nobody logs in, nobody
saves) until it is fixed, never "open".
"""
from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from easymall.access import (
    AccessDenied,
    AccessDocument,
    AccessUser,
    LoginError,
    Policy,
    hash_password,
    lockout,
    verify_password,
)
from easymall.access.roles import allows
from easymall.core import yamlio
from easymall.core.errors import CodedError
from easymall.store.documents import Problem, validation_problems

ACCESS = "access"            # config/access.yaml
LOGINS = "logins.json"       # state/logins.json: failures in a row and locks, per account
LABEL = "config/access.yaml"


class AccessFileError(CodedError):
    """``config/access.yaml`` cannot be read, so it cannot be changed by a command either."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(f"{problem}; fix the file by hand first", code="err.broken_file", problem=str(problem))


def parse_access(raw: bytes) -> AccessDocument:
    """``access.yaml`` text as a model; raises :class:`AccessFileError` with file, line and field."""
    try:
        data, node = yamlio.parse(raw)
    except yamlio.YamlProblem as exc:
        raise AccessFileError(Problem(LABEL, exc.line, "", exc.message, exc.code, exc.ctx)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AccessFileError(Problem(LABEL, 1, "", "the file must be a mapping of keys to values", "not_a_mapping"))
    try:
        return AccessDocument.model_validate(data)
    except ValidationError as exc:
        raise AccessFileError(validation_problems(exc, LABEL, node)[0]) from None


def access_yaml(doc: AccessDocument) -> bytes:
    head = "# Who may do what (never served to a browser). Manage accounts with `easymall user add|remove|list`.\n"
    return (head + yamlio.dump(doc.model_dump(mode="json", exclude_none=True))).encode("utf-8")


class Guard:
    def __init__(self, backend: Any):
        self._backend = backend
        self._mutex = threading.Lock()
        self._cached: tuple[Any, AccessDocument, Problem | None] | None = None

    # reading ---------------------------------------------------------------------------
    def _load(self) -> tuple[AccessDocument, Problem | None]:
        stamp = self._backend.stamp(ACCESS)
        with self._mutex:
            hit = self._cached
        if hit is not None and hit[0] == stamp:  # unchanged, or still missing (open mode: asked on every control)
            return hit[1], hit[2]
        raw = self._backend.read(ACCESS)
        doc, problem = AccessDocument(), None
        if raw is not None:
            try:
                doc = parse_access(raw)
            except AccessFileError as exc:
                doc, problem = AccessDocument(mode="accounts"), exc.problem  # fail closed
        if stamp is not None or raw is None:  # a file that appeared after the stat is read again next time
            with self._mutex:
                self._cached = (stamp, doc, problem)
        return doc, problem

    def document(self) -> AccessDocument:
        return self._load()[0]

    def problem(self) -> Problem | None:
        """Why ``access.yaml`` cannot be read (then nobody may change anything), or None."""
        return self._load()[1]

    def role(self, who: str) -> str | None:
        return self.document().role_of(who)

    def may(self, who: str, action: str) -> bool:
        return allows(self.role(who), action)

    def authorize(self, who: str, action: str) -> None:
        role = self.role(who)
        if not allows(role, action):
            raise AccessDenied(who, action, role)

    # logging in ------------------------------------------------------------------------
    def _logins(self) -> lockout.State:
        raw = self._backend.read_file("state", LOGINS)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}

    def login(self, name: str, password: str, now: datetime | None = None) -> str:
        """The account's name when ``password`` is right; else :class:`LoginError` (wrong, with the
        tries left; locked, with the time the lock lifts). The hash is checked even for an unknown
        name or a locked account, so timing tells nothing."""
        doc, problem = self._load()
        now = now or datetime.now(UTC)
        policy = Policy(doc.max_failures, doc.lockout_minutes)
        user = doc.account(name) if doc.mode == "accounts" and problem is None else None
        right = verify_password(password, user.password if user is not None else None)
        with self._backend.lock(ACCESS + "-logins"):
            state = self._logins()
            until = lockout.locked_until(state, name, now)
            if until is not None:
                raise LoginError("err.locked", until=until, minutes=policy.minutes)
            if problem is not None:
                raise LoginError("err.broken")
            if right and user is not None:
                if lockout.key(name) in state:
                    self._backend.put_file("state", LOGINS, json.dumps(lockout.record_success(state, name)).encode())
                return user.name or name
            state, until = lockout.record_failure(state, name, now, policy)
            self._backend.put_file("state", LOGINS, json.dumps(state).encode())
        if until is not None:
            raise LoginError("err.locked", until=until, minutes=policy.minutes)
        left = policy.max_failures - lockout.failures(state, name, now)
        raise LoginError("err.wrong", left=left, minutes=policy.minutes)

    # managing access -------------------------------------------------------------------
    def _change(self, change: Any, author: str | None) -> AccessDocument:
        if author is not None:
            self.authorize(author, "access")
        with self._backend.lock(ACCESS):
            raw = self._backend.read(ACCESS)
            doc = parse_access(raw) if raw is not None else AccessDocument()
            new = AccessDocument.model_validate(change(doc).model_dump())
            self._backend.write(ACCESS, access_yaml(new))
        with self._mutex:
            self._cached = None
        return new

    def set_user(self, name: str, role: str, password: str | None = None, *, email: str | None = None,
                 author: str | None = None) -> AccessUser:
        """Add account ``name`` (or change its role, and its password when one is given)."""

        def change(doc: AccessDocument) -> AccessDocument:
            old = doc.account(name) if name else doc.by_email(email or "")
            stored = hash_password(password) if password else (old.password if old is not None else "")
            user = AccessUser(name=name or None, email=email or (old.email if old else None), role=role,
                              password=stored)
            users = [u for u in doc.users if u is not old]
            at = doc.users.index(old) if old is not None else len(users)
            return doc.model_copy(update={"users": [*users[:at], user, *users[at:]]})

        new = self._change(change, author)
        return (new.account(name) if name else new.by_email(email or ""))  # type: ignore[return-value]

    def remove_user(self, name: str, *, author: str | None = None) -> bool:
        """Remove the account (or e-mail) ``name``; False when there was none."""
        found = []

        def change(doc: AccessDocument) -> AccessDocument:
            old = doc.account(name) or doc.by_email(name)
            found.append(old is not None)
            return doc.model_copy(update={"users": [u for u in doc.users if u is not old]})

        self._change(change, author)
        return found[0]

"""Roles and what each may do. viewer: read, explore, present; editor: also edit documents, upload
surveys, save scenarios; admin: also revert history, delete and activate datasets, manage access and
read the audit log."""
from __future__ import annotations

from typing import Literal

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")

Action = Literal["view", "present", "edit", "upload", "revert", "dataset.delete", "dataset.activate",
                 "access", "audit"]

#: The least role each action needs.
NEEDS: dict[str, Role] = {
    "view": "viewer",
    "present": "viewer",
    "edit": "editor",
    "upload": "editor",
    "revert": "admin",
    "dataset.delete": "admin",
    "dataset.activate": "admin",
    "access": "admin",
    "audit": "admin",
}
ACTIONS: tuple[str, ...] = tuple(NEEDS)


def allows(role: str | None, action: str) -> bool:
    """True when ``role`` may do ``action``; no role (an unknown person) may do nothing, and an
    action nobody listed is refused (fail closed)."""
    need = NEEDS.get(action)
    if role not in ROLES or need is None:
        return False
    return ROLES.index(role) >= ROLES.index(need)  # type: ignore[arg-type]

"""Lockout after repeated wrong passwords, as pure functions over a small state mapping.

State: ``{account key: {"failures": int, "until": ISO time or ""}}``. After ``max_failures``
failures in a row the account is locked until ``now + minutes``; once that time has passed the lock
lifts and counting starts again. A successful login clears the account's entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

State = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Policy:
    max_failures: int = 5
    minutes: int = 15


def key(name: str) -> str:
    """The account a login attempt is counted against (names compare without case or outer spaces)."""
    return name.strip().casefold()


def _until(entry: dict[str, Any] | None) -> datetime | None:
    raw = (entry or {}).get("until") or ""
    try:
        return datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def locked_until(state: State, name: str, now: datetime) -> datetime | None:
    """When the lock on ``name`` lifts, or None when it is not locked (an expired lock is no lock)."""
    until = _until(state.get(key(name)))
    return until if until is not None and until > now else None


def failures(state: State, name: str, now: datetime) -> int:
    """Wrong passwords in a row since the last success or the last lock that has lifted."""
    entry = state.get(key(name)) or {}
    until = _until(entry)
    if until is not None and until <= now:
        return 0
    try:
        return max(0, int(entry.get("failures", 0)))
    except (TypeError, ValueError):
        return 0


def record_failure(state: State, name: str, now: datetime, policy: Policy) -> tuple[State, datetime | None]:
    """The state after one more wrong password, and the time the lock lifts when this one locks it."""
    count = failures(state, name, now) + 1
    out = {k: v for k, v in state.items() if k != key(name)}
    until = now + timedelta(minutes=policy.minutes) if count >= policy.max_failures else None
    out[key(name)] = {"failures": 0 if until else count, "until": until.isoformat(timespec="seconds") if until else ""}
    return prune(out, now), until


def record_success(state: State, name: str) -> State:
    return {k: v for k, v in state.items() if k != key(name)}


def prune(state: State, now: datetime, keep: int = 1000) -> State:
    """Drop lifted locks with no failures counted; keep at most ``keep`` entries (the newest)."""
    live = {k: v for k, v in state.items() if failures(state, k, now) or locked_until(state, k, now)}
    return dict(list(live.items())[-keep:])

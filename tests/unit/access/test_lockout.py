"""Lockout after repeated wrong passwords, and its expiry."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from easymall.access import lockout
from easymall.access.lockout import Policy

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
POLICY = Policy(max_failures=3, minutes=10)


def test_locks_after_n_failures_and_lifts_after_the_time() -> None:
    state: lockout.State = {}
    for k in range(1, 3):
        state, until = lockout.record_failure(state, "Li", T0, POLICY)
        assert until is None and lockout.failures(state, "li", T0) == k
    state, until = lockout.record_failure(state, " LI ", T0 + timedelta(seconds=5), POLICY)
    assert until == T0 + timedelta(minutes=10, seconds=5)
    assert lockout.locked_until(state, "li", T0 + timedelta(minutes=9)) == until
    assert lockout.locked_until(state, "li", until) is None  # lifted at the time it names
    assert lockout.failures(state, "li", until + timedelta(seconds=1)) == 0  # counting starts again
    state, again = lockout.record_failure(state, "li", until + timedelta(seconds=1), POLICY)
    assert again is None and lockout.failures(state, "li", until + timedelta(seconds=1)) == 1


def test_success_clears_and_accounts_are_separate() -> None:
    state, _ = lockout.record_failure({}, "li", T0, POLICY)
    state, _ = lockout.record_failure(state, "wang", T0, POLICY)
    state = lockout.record_success(state, "LI")
    assert lockout.failures(state, "li", T0) == 0 and lockout.failures(state, "wang", T0) == 1


def test_a_hand_edited_state_is_no_lock() -> None:
    state = {"li": {"failures": "many", "until": "not a time"}}
    assert lockout.locked_until(state, "li", T0) is None and lockout.failures(state, "li", T0) == 0


def test_prune_keeps_the_state_small() -> None:
    state: lockout.State = {}
    for k in range(30):
        state, _ = lockout.record_failure(state, f"u{k}", T0, POLICY)
    assert len(lockout.prune(state, T0, keep=10)) == 10
    assert lockout.prune(state, T0 + timedelta(days=1)) == state  # failures without a lock are kept ...
    locked = {"x": {"failures": 0, "until": (T0 - timedelta(minutes=1)).isoformat()}}
    assert lockout.prune(locked, T0) == {}  # ... a lock that has lifted is dropped

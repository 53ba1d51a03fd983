"""Live sync without a poll per tab: the server reruns a session when what it shows moved.

Each page run tells the hub what its session follows (:func:`publish`: a topic and a check that
says whether the session is behind — for documents, :func:`moved` over the revisions it shows, the
same rule the browser-driven poll applies; for the Present page's follow view, the presenter's
position). One thread per server process runs every check each :data:`TICK_S` seconds — a ``stat``
per document for a folder, the change stamp kept by LISTEN/NOTIFY for PostgreSQL — and asks a
session that is behind to rerun its page the way Streamlit's own "run on save" does: ``AppSession.request_rerun`` with the session's last
client state — the same page and query string, every widget value kept in session state. Nothing
is cut short: a session whose script is running (a click in flight) is asked again on the next tick,
once idle, so a user's own run is never replaced; and one request per publication, so a page that
fails before publishing again is never rerun in a loop. An idle tab costs the server no script run
(the browser poll this replaces cost one run, about 6 ms, per tab every 1.5 s: 12 % of a core for 30
tabs).

This reaches into Streamlit's runtime — ``Runtime._session_mgr``, ``AppSession._event_loop``,
``_scriptrunner``, ``_state`` and ``_client_state`` (Streamlit is pinned in requirements.lock; the
nudge runs on the session's event loop, where Streamlit reads and writes them). :func:`available`
checks they are there; without them (or outside a server, as in AppTest) :mod:`easymall.ui.live`
and the follow view poll from the browser as before.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

_LOG = logging.getLogger(__name__)

#: Seconds between two checks of what every session follows: a save shows elsewhere within this plus
#: the page's rerun.
TICK_S = 0.5


class Shown(Protocol):
    """What holds the revision of a document as a session shows it (``live``'s slot)."""

    revision: int | None


def moved(revision_of: Callable[[str], int | None], page: Mapping[str, Shown],
          watched: Mapping[str, int | None]) -> bool:
    """True when a stored revision differs from what the session shows: a document of the page
    (both known), or a line of the sidebar (any change, a broken document too)."""
    for name, slot in page.items():
        rev, shown = revision_of(name), slot.revision
        if rev is not None and shown is not None and rev != shown:
            return True
    return any(revision_of(name) != shown for name, shown in watched.items())


@dataclass(eq=False)
class _Follower:
    behind: Callable[[], bool]  # True when what the session shows is older than the store's
    nudged: bool = field(default=False)


def _runtime() -> Any:
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def _session(session_id: str) -> Any:
    runtime = _runtime()
    info = runtime._session_mgr.get_active_session_info(session_id) if runtime is not None else None
    return None if info is None else info.session


def available() -> bool:
    """True inside a running Streamlit server whose runtime has what the hub uses."""
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    runtime = _runtime()
    if ctx is None or runtime is None or not hasattr(runtime, "_session_mgr"):
        return False
    session = _session(ctx.session_id)
    return isinstance(session, AppSession) and all(
        hasattr(session, a) for a in ("_event_loop", "_scriptrunner", "_state", "_client_state"))


class _Hub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._followers: dict[tuple[str, str], _Follower] = {}  # (session id, topic) -> follower
        self._thread: threading.Thread | None = None

    def publish(self, session_id: str, topic: str, behind: Callable[[], bool] | None) -> None:
        with self._lock:
            if behind is None:
                self._followers.pop((session_id, topic), None)
                return
            self._followers[(session_id, topic)] = _Follower(behind)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="easymall-live-sync", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(TICK_S)
            try:
                self.tick()
            except Exception:  # a tick that fails must not end live sync for everyone
                _LOG.exception("live sync: checking what sessions show failed")

    def tick(self) -> None:
        """Check every follower once; ask the sessions that are behind to rerun."""
        with self._lock:
            followers = list(self._followers.items())
        for key, follower in followers:
            session = _session(key[0])
            if session is None:  # the tab closed or lost its connection: a reconnect publishes again
                self._forget(key, follower)
                continue
            try:
                behind = not follower.nudged and follower.behind()
            except Exception:  # the store cannot answer now (the database is down): ask again next tick
                _LOG.debug("live sync: a check failed", exc_info=True)
                continue
            if behind:
                session._event_loop.call_soon_threadsafe(self._nudge, key, follower, session)

    def _nudge(self, key: tuple[str, str], follower: _Follower, session: Any) -> None:
        """On the session's event loop: rerun its page, unless a run is under way (then next tick)."""
        from streamlit.runtime.app_session import AppSessionState

        if session._scriptrunner is not None or session._state == AppSessionState.SHUTDOWN_REQUESTED:
            return
        with self._lock:
            if self._followers.get(key) is not follower:  # the session published since: it is up to date
                return
            follower.nudged = True
        session.request_rerun(session._client_state)

    def _forget(self, key: tuple[str, str], follower: _Follower) -> None:
        with self._lock:
            if self._followers.get(key) is follower:
                del self._followers[key]

    def followers(self) -> int:
        with self._lock:
            return len(self._followers)


HUB = _Hub()


def publish(topic: str, behind: Callable[[], bool] | None) -> None:
    """This session follows ``topic``: rerun it when ``behind()`` (called from the hub's thread: it may
    read the store and plain values, never Streamlit) turns true; replaces this session's previous
    ``topic``; ``None`` stops following it."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        HUB.publish(ctx.session_id, topic, behind)

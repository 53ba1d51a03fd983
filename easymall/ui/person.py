"""Who is at this browser, in one place: the person's key, their name, and what is kept for them
server-side so a reload or a dropped connection loses nothing.

Roles and accounts build on this module (the key is the account once people log in)::

    from easymall.ui import person

    person.key()                      # "user:li@bank" when logged in, else "browser:<token>" (a cookie)
    person.restore_name()             # the frame calls it before the sidebar: a reloaded page knows the name again
    person.remember_name(name)        # live.save calls it: the name someone saves under is kept
    person.keep(kind, data)           # JSON-able data for this person (and workspace), for DRAFT_TTL seconds
    person.kept(kind) -> dict | None  # what was kept (None when nothing, or it expired)
    person.forget(kind)

The name typed once in open mode is ``st.session_state["author"]`` (the sidebar field's key); it is
kept server-side under ``name`` so a reload restores it. In open mode the person is a random token in
a cookie (``easymall_person``, set by the page itself, path ``/``, 30 days) — never in the URL, so a
shared link never shares someone's drafts. Everything kept expires after :data:`DRAFT_TTL` seconds
and is private: nobody else waits for it, sees it or is blocked by it.
"""
from __future__ import annotations

import contextlib
import re
import secrets
from typing import Any

import streamlit as st

from easymall.ui.context import logged_in, workspace

COOKIE = "easymall_person"
#: How long a draft, a pending conflict or a name is kept for a person (seconds).
DRAFT_TTL = 7 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SESSION_KEY = "_person_token"
_NAME_KIND = "name"


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser request behind this run (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def key() -> str:
    """The person's key: the account when logged in, else this browser's token."""
    if logged_in():
        return "user:" + str(st.user.get("email") or st.user.get("name") or "")
    token = st.session_state.get(_SESSION_KEY) or _cookie()
    if not token:
        token = secrets.token_urlsafe(18)
    st.session_state[_SESSION_KEY] = token
    return "browser:" + token


def set_cookie() -> None:
    """Give this browser its token for good (once per session, when the browser has no cookie yet)."""
    if logged_in() or st.session_state.get("_person_cookie_set"):
        return
    token = key().split(":", 1)[1]
    st.session_state["_person_cookie_set"] = True
    if _cookie() == token:
        return
    st.html(f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={30 * 24 * 3600}; SameSite=Lax';"
            "</script>", unsafe_allow_javascript=True)


def keep(kind: str, data: dict[str, Any]) -> None:
    """Keep ``data`` for this person under ``kind`` (server-side, for :data:`DRAFT_TTL` seconds)."""
    with contextlib.suppress(OSError):  # a read-only workspace: the session still has it
        workspace().put_personal(key(), kind, data, ttl=DRAFT_TTL)


def kept(kind: str) -> dict[str, Any] | None:
    """What was kept for this person under ``kind``; None when nothing was (or it expired)."""
    return workspace().get_personal(key(), kind)


def forget(kind: str) -> None:
    with contextlib.suppress(OSError):
        workspace().drop_personal(key(), kind)


def restore_name() -> None:
    """Before the sidebar draws: a session without a name takes the one this person gave before;
    a session whose name changed keeps the new one. Logged-in people are named by their account."""
    if logged_in():
        return
    name = (st.session_state.get("author") or "").strip()
    saved = st.session_state.get("_person_name_kept")
    if not name and saved is None:
        stored = (kept(_NAME_KIND) or {}).get("name")
        st.session_state["_person_name_kept"] = stored or ""
        if isinstance(stored, str) and stored.strip():
            st.session_state["author"] = stored.strip()
        return
    remember_name(name)


def remember_name(name: str) -> None:
    """Keep ``name`` as this person's name (a write only when it changed in this session)."""
    if name and not logged_in() and name != st.session_state.get("_person_name_kept"):
        keep(_NAME_KIND, {"name": name})
        st.session_state["_person_name_kept"] = name

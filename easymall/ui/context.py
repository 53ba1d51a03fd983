"""Per-session context every page uses: language, workspace, author, translated strings."""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from easymall.core.i18n import t
from easymall.core.text import LANGS, Lang, html_literal, markdown_literal, text_in
from easymall.models.common import Text
from easymall.store import Workspace, default_workspace_address

_T = TypeVar("_T")


def _run_memo() -> dict[str, object] | None:
    """This script run's memo (a new one for every run and fragment run; None outside a run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    memo = getattr(ctx, "_easymall_run_memo", None)
    if memo is None or memo[0] is not ctx.cursors:  # Streamlit gives every run a new cursors dict
        memo = (ctx.cursors, {})
        ctx._easymall_run_memo = memo  # type: ignore[attr-defined]
    return memo[1]


def _memo_key(fn: Callable[[], object]) -> str:
    fn = getattr(fn, "__wrapped__", fn)
    return f"{fn.__module__}.{fn.__qualname__}"


def once_per_run(fn: Callable[[], _T]) -> Callable[[], _T]:
    """Ask ``fn`` once per script run and reuse its answer for the rest of the run: for facts a
    run cannot change (the identity provider's login, the secrets' ``[auth]``), which a page asks
    dozens of times and Streamlit answers slowly (``st.user`` re-reads secrets.toml on every call)."""
    key = _memo_key(fn)

    @functools.wraps(fn)
    def ask() -> _T:
        memo = _run_memo()
        if memo is None:
            return fn()
        if key not in memo:
            memo[key] = fn()
        return memo[key]  # type: ignore[return-value]
    return ask


@once_per_run
def lang() -> Lang:
    """The UI language of this session (set by the sidebar switch or ``?lang=``; a page asks it a
    hundred times a run, so the answer is kept for the run and every change goes through
    :func:`set_lang`)."""
    value = st.session_state.get("lang")
    if value not in LANGS:
        value = st.query_params.get("lang", "en")
        value = value if value in LANGS else "en"
        st.session_state["lang"] = value
    return value


def set_lang(value: Lang) -> None:
    """Switch this session's UI language (from a widget's callback, before the run draws)."""
    st.session_state["lang"] = value
    memo = _run_memo()
    if memo is not None:
        memo.pop(_memo_key(lang), None)  # the run asks again


def tr(key: str, /, **fields: object) -> str:
    """UI string ``key`` in the session's language."""
    return t(key, lang(), **fields)


#: User text made inert for Markdown (captions, labels, toasts, alerts) / for HTML and Plotly text:
#: the one pair of helpers (:mod:`easymall.core.text`), re-exported for pages.
literal = markdown_literal
html_text = html_literal


def fine_print(markdown: str) -> str:
    """Markdown shown small and grey inside a larger Markdown element (a card's evidence, source or
    definition): ``st.caption``'s look without an element of its own."""
    return f":small[:gray[{markdown}]]"


def tr_literal(key: str, /, **fields: object) -> str:
    """UI string ``key`` with every field (user text: names, labels, titles) shown literally in
    Markdown — the catalogue's own markup still applies."""
    return t(key, lang(), **{k: markdown_literal(v) for k, v in fields.items()})


def txt(value: Text | None) -> str:
    """A content field (plain or ``{en, zh}``) in the session's language."""
    return text_in(value, lang())


_WORKSPACES: dict[str, Workspace] = {}
_OPENING = threading.Lock()


def workspace() -> Workspace:
    """The shared :class:`Workspace` for this server (``EASYMALL_WORKSPACE`` — a folder or a
    ``postgresql://`` URL — or the repo root): one object per address for every session, as
    ``st.cache_resource`` would keep it, without hashing the address on each of a run's many calls."""
    address = default_workspace_address()
    ws = _WORKSPACES.get(address)
    if ws is None:
        with _OPENING:  # one object (one connection pool) per address, however many sessions start at once
            ws = _WORKSPACES.get(address) or _WORKSPACES.setdefault(address, Workspace(address))
    return ws


#: Session key of the account that logged in (accounts mode; never a widget's key, so no browser can set it).
ACCOUNT = "_access_account"


def author() -> str:
    """Who is editing: in accounts mode the account that logged in; in oidc mode the e-mail the
    identity provider vouches for (the store looks the role up by it); else the logged-in user when
    the server uses ``st.login``, or the name this session gave once in the sidebar (open mode); ""
    until known."""
    mode = workspace().access_mode()
    if mode == "accounts":
        return str(st.session_state.get(ACCOUNT) or "")
    if logged_in():
        if mode == "oidc":
            return str(st.user.get("email") or "").strip()
        return str(st.user.get("name") or st.user.get("email") or "").strip()
    if mode == "oidc":
        return ""
    return (st.session_state.get("author") or "").strip()


@once_per_run
def login_configured() -> bool:
    """An ``[auth]`` section in secrets.toml: people log in (``st.login``) instead of typing a name."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all: open mode
        return False


@once_per_run
def logged_in() -> bool:
    """True when an identity provider vouches for this session. Without ``[auth]`` in secrets.toml
    nobody can log in, and ``st.user`` (which looks for the secrets files again on every call when
    there are none) is not asked."""
    return login_configured() and bool(st.user.get("is_logged_in"))

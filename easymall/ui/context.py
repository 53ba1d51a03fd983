"""Per-session context every page uses: language, workspace, author, translated strings."""
from __future__ import annotations

import threading

import streamlit as st

from easymall.core.i18n import t
from easymall.core.text import LANGS, Lang, html_literal, markdown_literal, text_in
from easymall.models.common import Text
from easymall.store import Workspace, default_workspace_address


def lang() -> Lang:
    """The UI language of this session (set by the sidebar switch or ``?lang=``)."""
    value = st.session_state.get("lang")
    if value not in LANGS:
        value = st.query_params.get("lang", "en")
        value = value if value in LANGS else "en"
        st.session_state["lang"] = value
    return value


def tr(key: str, /, **fields: object) -> str:
    """UI string ``key`` in the session's language."""
    return t(key, lang(), **fields)


#: User text made inert for Markdown (captions, labels, toasts, alerts) / for HTML and Plotly text:
#: the one pair of helpers (:mod:`easymall.core.text`), re-exported for pages.
literal = markdown_literal
html_text = html_literal


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


def login_configured() -> bool:
    """An ``[auth]`` section in secrets.toml: people log in (``st.login``) instead of typing a name."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all: open mode
        return False


def logged_in() -> bool:
    """True when an identity provider vouches for this session (``[auth]`` in secrets.toml)."""
    return bool(st.user.get("is_logged_in"))

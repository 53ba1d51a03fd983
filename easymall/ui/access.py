"""Who this session is and what they may do: the login form, the read-only view, the audit download.

:func:`rights` is the one helper every page asks before it shows a save, add, delete, upload or
revert control. In ``open`` mode (no ``config/access.yaml``) everyone may do everything, as before;
in ``accounts`` and ``oidc`` modes the role comes from the store (which checks it again on every
write). ``?view=present`` is the read-only view for meeting-room screens: the Present page's follow
view, with no login and no edit control, in every mode.

``access.yaml`` is never shown: only a person's own name and role appear on a page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import pandas as pd
import streamlit as st

from easymall.access import LoginError
from easymall.core.export import to_csv
from easymall.ui.context import ACCOUNT, author, lang, literal, logged_in, login_configured, tr, workspace

#: ``?view=present``: the read-only follow view.
VIEW_PARAM, PRESENT_VIEW = "view", "present"


def read_only_view() -> bool:
    """True on the read-only link (``?view=present``): nothing can be changed from this session."""
    return st.query_params.get(VIEW_PARAM) == PRESENT_VIEW


@dataclass(frozen=True)
class Rights:
    """What the current person may do (``role`` is None for nobody known)."""

    role: str | None
    edit: bool = False      # edit documents, save scenarios and decks, add and delete items
    upload: bool = False    # upload surveys
    revert: bool = False    # revert history
    delete: bool = False    # delete datasets
    activate: bool = False  # choose the active dataset
    audit: bool = False     # download the audit log


def rights() -> Rights:
    """What this session's person may do, from the store's roles (every control asks this)."""
    if read_only_view():
        return Rights("viewer")
    ws = workspace()
    who = author()
    if ws.access_mode() != "open" and not who:
        return Rights(None)
    return Rights(ws.role(who), edit=ws.may(who, "edit"), upload=ws.may(who, "upload"),
                  revert=ws.may(who, "revert"), delete=ws.may(who, "dataset.delete"),
                  activate=ws.may(who, "dataset.activate"), audit=ws.may(who, "audit"))


def denied_text(exc: PermissionError) -> str:
    """A refused action as one sentence in the session's language."""
    action, role, who = (getattr(exc, "action", "edit"), getattr(exc, "role", None), getattr(exc, "who", ""))
    if not role:
        return tr("access.denied_unknown", action=tr(f"access.action.{action}"))
    return tr("access.denied", who=literal(who), role=tr(f"access.role.{role}"), action=tr(f"access.action.{action}"))


# --------------------------------------------------------------------------- the gate


def admitted() -> bool:
    """True when this session may see the app (open mode, the read-only view, or a person the
    workspace knows); draws nothing."""
    if read_only_view():
        return True
    ws = workspace()
    mode = ws.access_mode()
    if mode == "open":
        return True
    if mode == "oidc" and not _oidc_ready():
        return False
    return bool(author()) and ws.role(author()) is not None


def login_screen() -> None:
    """What a session sees before :func:`admitted`: the login form (accounts), the identity
    provider's button (oidc) or why it cannot get in."""
    ws = workspace()
    if ws.access_mode() == "accounts":
        st.session_state.pop(ACCOUNT, None)  # an account removed meanwhile logs in again
        _login_form()
        return
    with _panel():
        if not _oidc_ready():
            st.error(tr("access.oidc_unconfigured"), icon=":material/error:")
        elif not logged_in():
            st.info(tr("access.oidc_intro"), icon=":material/badge:")
            st.button(tr("sidebar.login"), key="access_oidc_login", on_click=st.login, type="primary",
                      icon=":material/login:")
        else:
            st.error(tr("access.oidc_refused", email=literal(author())), icon=":material/block:")
            st.button(tr("access.logout"), key="access_oidc_logout", on_click=st.logout, icon=":material/logout:")


def _oidc_ready() -> bool:
    """``[auth]`` with a ``cookie_secret`` in secrets.toml: the cookie secret comes from there only."""
    if not login_configured():
        return False
    try:
        return bool(st.secrets["auth"].get("cookie_secret"))
    except (KeyError, AttributeError, FileNotFoundError):
        return False


def _panel():  # noqa: ANN202 - a container
    _, mid, _ = st.columns([1, 2, 1])
    box = mid.container(border=True, key="access_panel")
    with box:
        st.subheader(tr("access.login_title"), anchor=False)
    return box


def _login_form() -> None:
    with _panel():
        st.caption(tr("access.login_intro"))
        problem = workspace().access_problem()
        if problem is not None:
            st.error(tr("access.err.broken"), icon=":material/error:")
            return
        with st.form("access_login", border=False, clear_on_submit=True):
            st.text_input(tr("access.user"), key="access_user", max_chars=60, autocomplete="username")
            st.text_input(tr("access.password"), key="access_password", type="password", max_chars=200,
                          autocomplete="current-password")
            st.form_submit_button(tr("access.submit"), type="primary", icon=":material/login:", on_click=_log_in)
        error = st.session_state.pop("access_error", "")
        if error:
            st.error(literal(error), icon=":material/error:")


def _log_in() -> None:
    name = (st.session_state.get("access_user") or "").strip()
    password = st.session_state.get("access_password") or ""
    st.session_state["access_password"] = ""  # never kept in the session
    if not name or not password:
        st.session_state["access_error"] = tr("access.err.empty")
        return
    try:
        st.session_state[ACCOUNT] = workspace().login(name, password)
    except LoginError as exc:
        st.session_state["access_error"] = tr(f"access.{exc.code}", **exc.params)


def log_out() -> None:
    st.session_state.pop(ACCOUNT, None)


# --------------------------------------------------------------------------- sidebar


def sidebar_account() -> bool:
    """Accounts mode: who is logged in, their role and a log-out button; True when shown."""
    if workspace().access_mode() != "accounts" or not author():
        return False
    st.caption(tr("access.signed_in"))
    st.markdown(f"**{literal(author())}**")
    role_line()
    st.button(tr("access.logout"), key="access_logout", on_click=log_out, icon=":material/logout:")
    return True


def role_line() -> None:
    """The person's role where roles are enforced (and, for a viewer, what that means)."""
    if workspace().access_mode() == "open":
        return
    r = rights()
    if r.role:
        st.caption(tr("access.your_role", role=tr(f"access.role.{r.role}")))
    if not r.edit:
        st.caption(tr("access.viewer_note"))


def audit_frame(lang_: str) -> pd.DataFrame:
    """The audit log (every revision of every document), newest first, with headers in ``lang_``."""
    rows = workspace().audit()
    cols = ["time", "author", "document", "revision", "message"]
    frame = pd.DataFrame(rows, columns=cols)
    if len(frame):
        frame["time"] = [t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for t in frame["time"]]
    return frame.rename(columns={c: tr(f"access.audit.{c}") for c in cols})


def audit_csv(lang_: str) -> bytes:
    """The audit log as CSV; a cell a spreadsheet would run as a formula is neutralised (core.export)."""
    return to_csv(audit_frame(lang_))


def audit_download() -> None:
    """The audit log download, for admins only (open mode's sidebar stays as it was)."""
    if read_only_view() or workspace().access_mode() == "open" or not rights().audit:
        return
    st.download_button(tr("access.audit_download"), data=lambda: audit_csv(lang()), file_name="audit-log.csv",
                       mime="text/csv", key="access_audit_csv", icon=":material/receipt_long:", on_click="ignore",
                       help=tr("access.audit_caption"))


def read_only_link() -> None:
    """The read-only link for a meeting-room screen."""
    if read_only_view():
        return
    with st.popover(tr("access.readonly_link"), icon=":material/cast:"):
        st.caption(tr("access.readonly_link_help"))
        base = str(st.context.url or "").split("?")[0].rsplit("/", 1)[0]
        st.code(f"{base}/present?{VIEW_PARAM}={PRESENT_VIEW}&lang={lang()}", language=None, wrap_lines=True)

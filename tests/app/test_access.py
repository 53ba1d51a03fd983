"""Access in the app: the login form, what a viewer / editor / admin sees, the read-only link, the audit
download, and that access.yaml never reaches a page."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

#: Labels of controls that change something: none may show for a viewer (built from the catalogue).
from easymall.core.i18n import catalogue
from easymall.store import Workspace
from easymall.ui.access import audit_csv
from easymall.ui.context import ACCOUNT
from tests.app.helpers import AUTH, open_page, plain
from tests.conftest import shown

EDIT_WORDS = ("save", "delete", "remove", "revert", "upload", "make_active", "deactivate", "normalise", "paste_add",
              "add", "apply_choice", "reset_data", "decks.edit", "manage", "rb_heading", "edit_scores")
#: Each such label as a pattern (a placeholder matches anything: "Revert to revision {revision}").
EDIT_LABELS = [re.compile(re.sub(r"\\\{\w+\\\}", ".*", re.escape(v["en"])))
               for k, v in catalogue().items()
               if any(w in k.split(".")[-1] or k.endswith(w) for w in EDIT_WORDS) and not k.startswith("error.")]


def edit_controls(at) -> set[str]:  # noqa: ANN001
    """The labels of the controls on the page that change something."""
    return {label for label in controls(at) if any(p.fullmatch(label) for p in EDIT_LABELS)}


def _accounts(ws_path: Path) -> Workspace:
    ws = Workspace(ws_path)
    for name, role in (("ada", "admin"), ("ed", "editor"), ("vi", "viewer")):
        ws.set_user(name, role, f"{name}-password")
    path = ws_path / "config" / "access.yaml"
    path.write_text(path.read_text("utf-8").replace("mode: open", "mode: accounts").replace(
        "max_failures: 5", "max_failures: 3"), "utf-8")
    return Workspace(ws_path)


def controls(at) -> set[str]:  # noqa: ANN001
    """Labels of every button, download, popover, expander and uploader on the page."""
    out = {b.label for b in at.button}
    for kind in ("download_button", "popover", "expander", "file_uploader"):
        out |= {getattr(e, "label", "") or getattr(e.proto, "label", "") for e in at.get(kind)}
    return out


def test_accounts_mode_asks_for_a_login_first_and_keeps_wrong_passwords_out(ws_path: Path) -> None:
    _accounts(ws_path)
    at = open_page(None, author=None)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"] and at.text_input[1].proto.type == 1
    assert not at.title  # no page before logging in
    at.text_input[0].input("ed")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert plain(at.error[0].value).startswith("The user name or the password is wrong. 2 more wrong tries lock the account")
    assert at.session_state["access_password"] == "" and ACCOUNT not in at.session_state
    at.text_input[0].input("ed")
    at.text_input[1].input("ed-password")
    at.button[0].click().run()
    assert not at.exception and ACCOUNT in at.session_state
    assert at.title[0].value == "Easy Mall Strategy Studio" or at.title  # the Overview
    sidebar = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert "ed" in sidebar and "Role: editor" in sidebar
    assert "Log out" in {b.label for b in at.sidebar.button}


def test_lockout_message_in_chinese(ws_path: Path) -> None:
    _accounts(ws_path)
    at = open_page(None, lang="zh", author=None)
    for _ in range(3):
        at.text_input[0].input("vi")
        at.text_input[1].input("nope")
        at.button[0].click().run()
    assert plain(at.error[0].value).startswith("密码错误次数过多：此账户已锁定至 ")
    at.text_input[0].input("vi")
    at.text_input[1].input("vi-password")  # the right one, while locked
    at.button[0].click().run()
    assert plain(at.error[0].value).startswith("密码错误次数过多") and ACCOUNT not in at.session_state


@pytest.mark.parametrize(("page", "state"), [
    ("overview", {}), ("swot", {}), ("swot", {"swot_tab": "History"}), ("segments", {}), ("strategy", {}),
    ("survey", {"survey_view": "data"}), ("present", {})])
def test_a_viewer_sees_no_edit_control(ws_path: Path, page: str, state: dict) -> None:
    _accounts(ws_path)
    at = open_page(page, author=None, state={ACCOUNT: "vi", **state}, timeout=120)
    assert not at.exception
    assert edit_controls(at) == set()
    assert not at.get("file_uploader")
    assert not [t for t in at.text_input if t.key in ("live_author_input", "author")]


def test_editor_edits_but_does_not_revert_or_activate(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    doc = ws.load("swot")
    ws.save("swot", doc, base_revision=doc.revision, author="ed", message="by ed")
    at = open_page("survey", author=None, state={ACCOUNT: "ed", "survey_view": "data"}, timeout=120)
    labels = controls(at)
    assert at.get("file_uploader")
    assert "Remove" not in labels and "Make active" not in labels
    at = open_page("swot", author=None, state={ACCOUNT: "ed"}, timeout=120)
    assert {"Save item", "Add lines"} <= edit_controls(at)  # the check sees edit controls where they are
    at = open_page("swot", author=None, state={ACCOUNT: "ed", "swot_tab": "History"}, timeout=120)
    assert not [b for b in at.button if b.label.startswith("Revert")]
    at = open_page("swot", author=None, state={ACCOUNT: "ada", "swot_tab": "History"}, timeout=120)
    assert [b for b in at.button if b.label.startswith("Revert")]


def test_admin_downloads_the_audit_log_with_formulas_neutralised(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    doc = ws.load("swot")
    ws.save("swot", doc, base_revision=doc.revision, author="ed", message='=HYPERLINK("http://x","y")')
    at = open_page(None, author=None, state={ACCOUNT: "ada"})
    assert "Download the audit log (CSV)" in {d.proto.label for d in at.sidebar.get("download_button")}
    at = open_page(None, author=None, state={ACCOUNT: "ed"})
    assert not at.sidebar.get("download_button")  # an editor does not
    rows = list(csv.reader(io.StringIO(audit_csv("en").decode("utf-8-sig"))))
    assert rows[0] == ["time (UTC)", "author", "document", "revision", "message"]
    assert rows[1][1:] == ["ed", "swot", str(doc.revision + 1), "'=HYPERLINK(\"http://x\",\"y\")"]


def test_read_only_link_needs_no_login_and_offers_no_edit(ws_path: Path) -> None:
    _accounts(ws_path)
    at = open_page(None, author=None, query={"view": "present", "role": "presenter"}, timeout=120)
    assert not at.exception
    assert not at.text_input or all(t.label != "Password" for t in at.text_input)
    assert edit_controls(at) == set()
    assert "Edit deck" not in controls(at) and not at.get("file_uploader")
    assert [t for t in at.toggle if t.label == "Follow"]  # the follow view, even with ?role=presenter


def test_access_yaml_is_never_shown(ws_path: Path) -> None:
    _accounts(ws_path)
    secret = (ws_path / "config" / "access.yaml").read_text("utf-8")
    hashes = [line.split("password: ")[1] for line in secret.splitlines() if "password: " in line]
    for state in ({ACCOUNT: "ada", "swot_tab": "History"}, {}):
        at = open_page("swot" if state else None, author=None, state=state, timeout=120)
        text = repr([e.proto for e in at.main]) + repr([e.proto for e in at.sidebar])
        assert all(h[:20] not in text for h in hashes) and "access.yaml" not in text


def test_account_names_show_as_typed_never_as_markup(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    name = "**big**_[x](y)_![i](z)"
    ws.set_user(name, "editor", "pw")
    at = open_page(None, author=None, state={ACCOUNT: name})
    assert not at.exception
    bodies = [m.value for m in at.sidebar.markdown]
    assert any(shown(b) == f"**{name}**" for b in bodies)  # shown as typed (in bold) ...
    assert not any(name in b for b in bodies)                # ... never as Markdown to run



def test_oidc_roles_by_email_and_unknown_emails_refused(ws_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import streamlit

    (ws_path / "config" / "access.yaml").write_text(
        "mode: oidc\nusers:\n  - {email: boss@bank.example, role: editor}\n", "utf-8")
    at = open_page(None, author=None)  # no [auth] in secrets: it says so, shows no page
    assert "single sign-on" in at.error[0].value and not at.title
    at = open_page(None, author=None, secrets=AUTH)
    assert [b.label for b in at.button] == ["Log in"] and not at.title
    monkeypatch.setattr(streamlit, "user", {"is_logged_in": True, "name": "Stranger", "email": "who@else.example"})
    at = open_page(None, author=None, secrets=AUTH)
    assert "is not on this workspace's access list" in plain(at.error[0].value) and not at.title
    monkeypatch.setattr(streamlit, "user", {"is_logged_in": True, "name": "Boss", "email": "Boss@bank.example"})
    at = open_page("swot", author=None, secrets=AUTH, frame=True, timeout=120)
    assert not at.exception and at.title[0].value.startswith("SWOT")
    assert "Role: editor" in " ".join(c.value for c in at.sidebar.caption)

"""Roles enforced by the store: save, revert, datasets and access management; logins and lockout."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from easymall.access import AccessDenied, LoginError
from easymall.store import Workspace
from easymall.survey import datasets
from tests.unit.survey.samples import CSV


def _accounts(ws_path: Path, **extra: object) -> Workspace:
    ws = Workspace(ws_path)
    for name, role in (("ada", "admin"), ("ed", "editor"), ("vi", "viewer")):
        ws.set_user(name, role, f"{name}-pw")
    text = (ws_path / "config" / "access.yaml").read_text("utf-8").replace("mode: open", "mode: accounts")
    for k, v in extra.items():
        text = text.replace(f"{k}: ", f"{k}: {v}\n#", 1)
    (ws_path / "config" / "access.yaml").write_text(text, "utf-8")
    return Workspace(ws_path)


def test_open_mode_is_todays_behaviour(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    assert ws.access_mode() == "open" and not (ws_path / "config" / "access.yaml").exists()
    doc = ws.load("swot")
    rev = ws.save("swot", doc, base_revision=doc.revision, author="anyone")
    assert ws.revert("swot", rev, base_revision=rev, author="") == rev + 1
    assert ws.may("", "access")


def test_an_access_file_written_later_is_seen_by_a_running_workspace(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    assert ws.access_mode() == "open" and ws.access_mode() == "open"  # missing: the same answer, kept
    other = Workspace(ws_path)  # another process's view of the folder sets accounts mode up
    other.set_user("ada", "admin", "ada-pw")
    path = ws_path / "config" / "access.yaml"
    path.write_text(path.read_text("utf-8").replace("mode: open", "mode: accounts"), "utf-8")
    assert ws.access_mode() == "accounts" and ws.role("ada") == "admin" and not ws.may("", "edit")
    path.unlink()  # and removed again: back to open
    assert ws.access_mode() == "open"


def test_save_checks_the_authors_role(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    doc = ws.load("swot")
    for who in ("vi", "nobody", ""):
        with pytest.raises(PermissionError):
            ws.save("swot", doc, base_revision=doc.revision, author=who)
    assert ws.load("swot").revision == doc.revision and ws.history("swot") == []  # nothing was written
    rev = ws.save("swot", doc, base_revision=doc.revision, author="ED", message="editor saves")
    assert rev == doc.revision + 1 and ws.history("swot")[0].author == "ED"


def test_revert_needs_an_admin(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    doc = ws.load("swot")
    rev = ws.save("swot", doc, base_revision=doc.revision, author="ed")
    with pytest.raises(AccessDenied) as exc:
        ws.revert("swot", rev, base_revision=rev, author="ed")
    assert exc.value.code == "err.denied" and exc.value.params["role"] == "editor"
    assert ws.revert("swot", rev, base_revision=rev, author="ada") == rev + 1


def test_dataset_operations(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    data = CSV
    with pytest.raises(PermissionError):
        datasets.store_dataset(ws, "v.csv", data, author="vi")
    before = datasets.active_name(ws)
    stored, _ = datasets.store_dataset(ws, "e.csv", data + b"\n", author="ed")  # an editor uploads ...
    assert not stored.active and datasets.active_name(ws) == before             # ... an admin activates
    for op in (lambda: datasets.set_active(ws, stored.name, author="ed"),
               lambda: datasets.clear_active(ws, author="ed"),
               lambda: datasets.delete_dataset(ws, stored.name, author="ed"),
               lambda: ws.delete_file("data", stored.name + ".report.json", author="vi"),
               lambda: ws.put_file("data", "x.csv", b"a", author="vi")):
        with pytest.raises(PermissionError):
            op()
    assert stored.name in {d.name for d in datasets.list_datasets(ws)}
    datasets.set_active(ws, stored.name, author="ada")
    assert datasets.active_name(ws) == stored.name
    datasets.delete_dataset(ws, stored.name, author="ada")
    assert stored.name not in {d.name for d in datasets.list_datasets(ws)}


def test_managing_access_needs_an_admin(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    with pytest.raises(PermissionError):
        ws.set_user("eve", "admin", "pw", author="ed")
    with pytest.raises(PermissionError):
        ws.remove_user("ada", author="vi")
    ws.set_user("eve", "viewer", "pw", author="ada")
    assert ws.role("eve") == "viewer"
    assert ws.remove_user("eve", author="ada") and ws.role("eve") is None


def test_login_wrong_password_lockout_and_expiry(ws_path: Path) -> None:
    ws = _accounts(ws_path, max_failures=3, lockout_minutes=10)
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert ws.login("ED", "ed-pw", now=t0) == "ed"
    for left in (2, 1):
        with pytest.raises(LoginError) as exc:
            ws.login("ed", "guess", now=t0)
        assert exc.value.code == "err.wrong" and exc.value.left == left
    with pytest.raises(LoginError) as exc:
        ws.login("ed", "guess", now=t0)
    assert exc.value.code == "err.locked" and exc.value.until == t0 + timedelta(minutes=10)
    with pytest.raises(LoginError, match="locked until 09:10 UTC"):  # even the right password, while locked
        ws.login("ed", "ed-pw", now=t0 + timedelta(minutes=9))
    assert ws.login("ed", "ed-pw", now=t0 + timedelta(minutes=10)) == "ed"  # the lock has lifted
    with pytest.raises(LoginError):
        ws.login("nobody", "ed-pw", now=t0)  # an unknown name: the same sentence as a wrong password
    assert "ed-pw" not in (ws_path / "config" / "access.yaml").read_text("utf-8")
    assert "ed-pw" not in (ws_path / "state" / "logins.json").read_text("utf-8")


def test_a_broken_access_file_fails_closed(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    (ws_path / "config" / "access.yaml").write_text("mode: accounts\nusers: [\n", "utf-8")
    doc = ws.load("swot")
    with pytest.raises(PermissionError):
        ws.save("swot", doc, base_revision=doc.revision, author="ada")
    assert ws.access_problem() is not None and ws.access_mode() == "accounts"
    with pytest.raises(LoginError) as exc:
        ws.login("ada", "ada-pw")
    assert exc.value.code == "err.broken"


def test_oidc_roles_by_email(ws_path: Path) -> None:
    (ws_path / "config" / "access.yaml").write_text(
        "mode: oidc\nunknown_email: viewer\nusers:\n  - {email: boss@bank.example, role: admin}\n", "utf-8")
    ws = Workspace(ws_path)
    doc = ws.load("swot")
    with pytest.raises(PermissionError):
        ws.save("swot", doc, base_revision=doc.revision, author="stranger@bank.example")
    assert ws.role("stranger@bank.example") == "viewer"
    assert ws.save("swot", doc, base_revision=doc.revision, author="Boss@bank.example") == doc.revision + 1


def test_audit_lists_every_revision_with_its_author(ws_path: Path) -> None:
    ws = _accounts(ws_path)
    for name, who in (("swot", "ed"), ("stp", "ada"), ("swot", "ada")):
        doc = ws.load(name)
        ws.save(name, doc, base_revision=doc.revision, author=who, message=f"{name} by {who}")
    rows = ws.audit()
    saved = [(r["document"], r["author"], r["message"]) for r in rows if r["message"].endswith(("ed", "ada"))]
    assert sorted(saved) == sorted([("swot", "ed", "swot by ed"), ("stp", "ada", "stp by ada"), ("swot", "ada", "swot by ada")])
    assert set(rows[0]) == {"time", "author", "document", "revision", "message"}
    assert [r["time"] for r in rows] == sorted((r["time"] for r in rows), reverse=True)

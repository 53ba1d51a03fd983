"""Access in Chromium, accounts mode: a viewer sees no edit control on any page and a save forged
through the store under their name is refused; an editor edits; an admin reverts and downloads the
audit CSV; a wrong password gets a clear message and the account locks after N tries."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from easymall.store import Workspace
from tests.e2e.conftest import eventually, expect, pick, shot, wait_idle

ACCOUNTS = (("ada", "admin"), ("ed", "editor"), ("vi", "viewer"), ("lou", "viewer"))
#: Buttons and controls that change something (English labels); none may show for a viewer.
EDIT = re.compile(r"^(Save|Delete|Remove|Revert|Upload|Add|Make active|Deactivate|Normalise|Edit decks|"
                  r"Rename or remove|Define a rule segment|Edit platform scores|Use the survey's ratings|Browse files)",
                  re.I)


def _prepare(ws) -> None:  # noqa: ANN001
    w = Workspace(ws)
    for name, role in ACCOUNTS:
        w.set_user(name, role, f"{name}-pw")
    path = ws / "config" / "access.yaml"
    path.write_text(path.read_text("utf-8").replace("mode: open", "mode: accounts")
                    .replace("max_failures: 5", "max_failures: 3"), "utf-8")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    from tests.conftest import copy_workspace
    from tests.e2e.conftest import start_server

    ws = copy_workspace(tmp_path_factory.mktemp("ws"))
    _prepare(ws)
    server = start_server(ws)
    yield server
    server.stop()


def _log_in(page, srv, name: str, password: str, path: str = "/overview?lang=en") -> None:  # noqa: ANN001
    page.goto(srv.url + path)
    wait_idle(page, 120_000)
    box = page.locator(".st-key-access_panel")
    expect(box).to_be_visible(timeout=90_000)
    _attempt(page, name, password)


def _attempt(page, name: str, password: str) -> None:  # noqa: ANN001
    box = page.locator(".st-key-access_panel")
    box.locator(".st-key-access_user input").fill(name)
    box.locator(".st-key-access_password input").fill(password)
    box.locator('[data-testid="stFormSubmitButton"] button').click()
    wait_idle(page, 120_000)


def _no_edit_control(page, where: str) -> None:  # noqa: ANN001
    wait_idle(page, 120_000)
    main = page.locator('[data-testid="stMain"], [data-testid="stSidebar"]')
    expect(page.locator('[data-testid="stMain"]')).to_be_visible()
    labels = [t.strip() for t in main.locator("button, summary").all_inner_texts()]
    assert not [t for t in labels if EDIT.search(t)], (where, [t for t in labels if EDIT.search(t)])
    assert page.locator('[data-testid="stFileUploader"]').count() == 0, where
    assert page.locator(".st-key-live_author_gate").count() == 0, where
    assert page.locator('[data-testid="stException"]').count() == 0, where


def test_wrong_password_then_lockout(srv, page) -> None:  # noqa: ANN001
    _log_in(page, srv, "lou", "wrong")
    alert = page.locator(".st-key-access_panel [data-testid='stAlert']")
    expect(alert).to_contain_text("The user name or the password is wrong. 2 more wrong tries lock the account")
    shot(page, "access-login-wrong-en")
    for _ in range(2):
        _attempt(page, "lou", "wrong")
    expect(alert).to_contain_text("Too many wrong passwords: this account is locked until")
    _attempt(page, "lou", "lou-pw")  # right, but locked
    expect(alert).to_contain_text("locked until")
    expect(page.locator('[data-testid="stMain"] h1')).to_have_count(0)  # no page behind the form
    _log_in(page, srv, "lou", "wrong", "/overview?lang=zh")
    expect(page.locator(".st-key-access_panel [data-testid='stAlert']")).to_contain_text("此账户已锁定至")
    shot(page, "access-login-locked-zh")


@pytest.mark.timeout(900)  # every page and tab of the app, on a loaded machine
def test_viewer_sees_no_edit_control_and_a_forged_save_is_refused(srv, page) -> None:  # noqa: ANN001
    _log_in(page, srv, "vi", "vi-pw", "/swot?lang=en")
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text("SWOT")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Role: viewer")
    _no_edit_control(page, "swot")
    shot(page, "access-viewer-swot-en")
    for tab in ("IFE · EFE · IE · SPACE", "TOWS · QSPM", "History"):
        page.get_by_role("tab", name=tab).click()
        _no_edit_control(page, f"swot {tab}")
    # through the sidebar (a login lasts for the browser tab's session: a new address would ask again)
    for path, tabs in (("Overview", ()), ("Survey", ()), ("Segments", ("Explorer", "Targeting", "Positioning")),
                       ("Strategy", ("Compare scenarios", "Marketing mix")), ("Present", ())):
        page.locator('a[data-testid="stSidebarNavLink"]').filter(has_text=path).click()
        expect(page).to_have_url(re.compile(f"/{path.lower()}"))
        wait_idle(page, 120_000)
        _no_edit_control(page, path)
        if path == "Survey":
            page.get_by_text("Datasets & import", exact=True).first.click()
            _no_edit_control(page, "survey data")
        for tab in tabs:
            page.get_by_role("tab", name=tab).click()
            _no_edit_control(page, f"{path} {tab}")
    page.goto(srv.url + "/swot?lang=zh")  # a new session: log in again
    expect(page.locator(".st-key-access_panel")).to_contain_text("用户名")
    shot(page, "access-login-zh")
    _attempt(page, "vi", "vi-pw")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("角色：查看者")
    wait_idle(page)
    shot(page, "access-viewer-swot-zh")
    ws = Workspace(srv.workspace)
    doc = ws.load("swot")
    with pytest.raises(PermissionError):
        ws.save("swot", doc, base_revision=doc.revision, author="vi", message="forged")
    assert ws.load("swot").revision == doc.revision and all(r.message != "forged" for r in ws.history("swot"))


def test_editor_edits_admin_reverts_and_downloads_the_audit(srv, sessions) -> None:  # noqa: ANN001
    ed = sessions(height=1400)
    _log_in(ed, srv, "ed", "ed-pw", "/swot?lang=en")
    start = Workspace(srv.workspace).load("swot")
    ed.locator(".st-key-swot_paste_text textarea").fill("Editors can add this line")
    ed.get_by_role("button", name="Add lines").click()
    doc = eventually(lambda: Workspace(srv.workspace).load("swot"), lambda d: d.revision == start.revision + 1)
    assert any("Editors can add this line" in str(i.text) for i in doc.items())
    # the revision's log line lands just after its document: read the history once it is there
    eventually(lambda: Workspace(srv.workspace).history("swot")[0], lambda r: r.author == "ed")
    wait_idle(ed)
    ed.get_by_role("tab", name="History").click()
    wait_idle(ed)
    expect(ed.get_by_role("button", name=re.compile("^Revert"))).to_have_count(0)  # an editor does not revert

    ada = sessions(height=1400)
    _log_in(ada, srv, "ada", "ada-pw", "/swot?lang=en")
    ada.get_by_role("tab", name="History").click()
    wait_idle(ada)
    revert = ada.get_by_role("button", name=f"Revert to revision {start.revision}")
    pick(ada, ada.locator(".st-key-swot_hist_view"), ada.get_by_role("option", name=str(start.revision), exact=True),
         revert)
    wait_idle(ada)
    revert.click()
    eventually(lambda: Workspace(srv.workspace).history("swot")[0], lambda r: r.author == "ada"
               and r.message == f"revert to revision {start.revision}")
    shot(ada, "access-admin-history-en")
    wait_idle(ada)
    with ada.expect_download() as dl:
        ada.locator('[data-testid="stSidebar"]').get_by_role("button", name="Download the audit log (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["time (UTC)", "author", "document", "revision", "message"]
    assert rows[1][1:4] == ["ada", "swot", str(start.revision + 2)] and rows[2][1] == "ed"


def test_read_only_link_follows_without_a_login(srv, page) -> None:  # noqa: ANN001
    for lang in ("en", "zh"):
        page.goto(srv.url + f"/swot?view=present&role=presenter&lang={lang}")  # any path, even as "presenter"
        expect(page.locator(".st-key-present_slide h2").first).to_be_visible(timeout=90_000)
        wait_idle(page, 120_000)
        expect(page.locator(".st-key-access_panel")).to_have_count(0)
        expect(page.get_by_role("dialog")).to_have_count(0)  # the path is known (no "page not found")
        expect(page.locator(".st-key-present_bar").get_by_text(re.compile("^(Follow|跟随)$"))).to_be_visible()
        _no_edit_control(page, f"read-only link {lang}")
        expect(page.locator(".st-key-present_notes")).to_have_count(0)  # never the presenter view
        shot(page, f"access-read-only-link-{lang}")

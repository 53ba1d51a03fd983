"""End-to-end fixtures: ``streamlit run app.py`` on a free port and a temporary workspace,
driven by Playwright in Debian's ``chromium`` (``playwright install`` cannot download here).

* ``server`` — one app per test module on its own workspace copy (``.url``, ``.workspace``).
* ``fresh_server`` — a factory for a brand-new server (cold deep links, broken files ...).
* ``browser`` — one Chromium per session; ``page`` — a fresh context and page per test.
* ``load(page, url)`` — open a page and wait for its (possibly slow, first) run to finish.
* ``wait_idle(page)`` — wait until the script has finished running.
* ``sign_in(page, name)`` — give the author's name once in the sidebar (open mode).
* ``eventually(get, check)`` — ``get()`` once ``check`` holds (a saved file, after a click).
* ``expect`` — Playwright's retrying assertions, with a 20 s default: every check on the page
  waits for the state it asserts (never a count or a text read once after a wait).
* ``pick(page, box, option, done)`` — choose from a drop-down list until ``done`` shows (bounded).
* ``metric_value(scope, label)`` — the value of the metric card with exactly that label.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.conftest import ROOT, copy_workspace

__all__ = ["REDUCED_MOTION", "expect", "eventually", "load", "metric_value", "pick", "shot", "sign_in", "wait_idle"]

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
#: Playwright's retrying assertions wait this long by default (a loaded two-core machine).
EXPECT_MS = 45_000  # a rerun on a loaded 2-core machine (CI with -n 2) can take many seconds
expect.set_options(timeout=EXPECT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    workspace: Path
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_server(workspace: Path | str, env: dict[str, str] | None = None) -> Server:
    """``streamlit run app.py`` (as ``easymall serve`` starts it: :mod:`easymall.ui.server`) on ``workspace`` (a folder or a ``postgresql://`` address; more
    environment in ``env``), healthy before it returns."""
    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    env = dict(os.environ, **(env or {}), EASYMALL_WORKSPACE=str(workspace))
    proc = subprocess.Popen(
        [sys.executable, "-m", "easymall.ui.server", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)  # noqa: SIM115 - the server outlives this call
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return Server(url, workspace, proc, log)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(copy_workspace(tmp_path_factory.mktemp("ws")))
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path_factory):
    started: list[Server] = []

    def make(prepare=None) -> Server:
        ws = copy_workspace(tmp_path_factory.mktemp("ws"))
        if prepare:
            prepare(ws)
        srv = start_server(ws)
        started.append(srv)
        return srv

    make.started = started
    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.e2e_failed = rep.failed


def _keep_evidence(request, pages) -> None:
    """After a failed test: a screenshot of each of its pages and the tail of each server's log."""
    if not getattr(request.node, "e2e_failed", False):
        return
    name = re.sub(r"\W+", "-", request.node.name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for i, pg in enumerate(pages):
        with contextlib.suppress(Exception):  # evidence is best effort; the failure itself is reported
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{name}-{i}.png"), full_page=True)
    for fixture in ("server", "fresh_server"):
        if fixture in request.fixturenames:
            value = request.getfixturevalue(fixture)
            for i, srv in enumerate([value] if fixture == "server" else value.started):
                (ARTIFACTS / f"FAILED-{name}-{fixture}-{i}.log").write_text(srv.log.read_text()[-20_000:])


#: Every browser context prefers reduced motion: Streamlit then draws no skeleton shimmer or entry
#: animation, which kept Chromium's compositor busy while a test waited (test_survey.py: the GPU
#: process's CPU 25.6 -> 7.8 s, the whole file's CPU 197 -> 181 s). What the page shows is the same.
REDUCED_MOTION = "reduce"


def new_page(browser, height: int = 900):
    context = browser.new_context(viewport={"width": 1440, "height": height}, locale="en-US",
                                  reduced_motion=REDUCED_MOTION)
    pg = context.new_page()
    pg.set_default_timeout(EXPECT_MS)
    return pg


@pytest.fixture
def page(browser, request):
    pg = new_page(browser)
    yield pg
    _keep_evidence(request, pg.context.pages)
    pg.context.close()


@pytest.fixture
def sessions(browser, request):
    """A factory of extra browser sessions (own context each), closed after the test."""
    opened = []

    def make(height: int = 900):
        pg = new_page(browser, height)
        opened.append(pg)
        return pg

    yield make
    _keep_evidence(request, [p for pg in opened for p in pg.context.pages])
    for pg in opened:
        pg.context.close()


#: A page's first run on a server (imports, reading the workspace, the survey) on a loaded machine.
FIRST_RUN_MS = 90_000


def load(page, url: str, timeout: int = FIRST_RUN_MS) -> None:
    """Open ``url`` and wait until its script has drawn the page title and finished the run.

    Right after ``goto`` the app can report "not running" before its first run even started, so
    the title (drawn early in every page's run) is waited for first, then the end of the run."""
    page.goto(url)
    expect(page.locator('[data-testid="stMain"] h1, .st-key-present_slide h2').first).to_be_visible(timeout=timeout)
    wait_idle(page, timeout=timeout)


def wait_idle(page, timeout: int = 30_000) -> None:
    """Wait until the app is connected and the script has finished its run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_timeout(150)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def eventually(get, check, timeout: float = 15.0):
    """``get()`` as soon as ``check(value)`` holds, polled every 0.1 s; fails after ``timeout`` s.

    For what a click leaves in the workspace: the rerun it starts can begin after ``wait_idle``
    looked, on a loaded machine."""
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if check(value):
            return value
        assert time.monotonic() < deadline, f"still not so after {timeout:.0f} s: {value!r:.300}"
        time.sleep(0.1)


def sign_in(page, name: str, ready=None) -> None:
    """Type the author's name in the sidebar (open mode) until the page stops asking for it and
    ``ready`` (a locator, e.g. the editor's Save button) shows.

    On a loaded machine the page's first run can redraw the box while it is typed into, or a rerun
    can hide the prompt for a moment, so the check is repeated after the page settles and the name
    is typed again (at most three times) rather than waiting for a prompt that is gone."""
    box = page.locator('[data-testid="stSidebar"] input[type="text"]').first
    gate = page.locator(".st-key-live_author_gate")
    gate.wait_for(state="attached")  # the page is drawn and asks for a name
    for attempt in range(3):
        last = attempt == 2
        box.fill(name)
        box.press("Enter")
        wait_idle(page)
        try:
            gate.wait_for(state="detached", timeout=EXPECT_MS if last else 8000)
            if ready is not None:
                ready.wait_for(timeout=EXPECT_MS if last else 8000)
            wait_idle(page)
            if gate.count() == 0:
                return
        except PlaywrightTimeout:
            if last:
                raise
    raise AssertionError(f"the page still asks for a name after typing {name!r} three times")


def pick(page, box, option, done, tries: int = 5) -> None:
    """Open the drop-down ``box``, click ``option`` (a locator in ``page``) and wait for ``done``.

    A live refresh can re-run the page while the list is open and close it under the click, so each
    try is short; the list is then closed and opened again. The last try waits the full default
    timeout and lets Playwright's own message through."""
    for attempt in range(tries):
        last = attempt == tries - 1
        ms = EXPECT_MS if last else 5000
        try:
            wait_idle(page)
            box.click(timeout=ms)
            option.click(timeout=ms)
            expect(done).to_be_visible(timeout=ms)
            return
        except (PlaywrightTimeout, AssertionError):
            if last:
                raise
            page.keyboard.press("Escape")


def metric_value(scope, label: str):
    """The value of the (visible) metric card in ``scope`` whose label reads exactly ``label``."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    root = getattr(scope, "page", scope)  # the inner locator of ``has=`` must start at the page
    card = scope.locator('[data-testid="stMetric"]').filter(visible=True).filter(
        has=root.locator('[data-testid="stMetricLabel"]').filter(has_text=exact))
    return card.locator('[data-testid="stMetricValue"]')


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/e2e/ (to look at after the run)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

"""A team deployment in Chromium: one workspace in PostgreSQL, two app replicas behind nginx with
sticky sessions (deploy/nginx/easymall.conf as shipped, on loopback ports), two browser sessions on
different replicas."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from easymall.store import Workspace, transfer
from easymall.survey import datasets
from tests.conftest import ROOT, copy_workspace, pg_workspace_url
from tests.e2e.conftest import (
    FIRST_RUN_MS,
    _free_port,
    expect,
    load,
    metric_value,
    shot,
    sign_in,
    start_server,
    wait_idle,
)
from tests.e2e.test_swot import SEEN_WITHIN_MS, _edit_text, _pick_item, _told

# The store's promise (a save seen by another process within 2 s) is timed in tests/unit/store/test_pg.py.
# Here the toast also waits for the other replica to parse the new revision and rerun its page, with two
# replicas, nginx and two browsers on a loaded two-core machine: twice test_swot's budget.
REPLICA_SEEN_MS = 2 * SEEN_WITHIN_MS

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
COOKIE = "easymall_route"
SECRET = "the-same-secret-on-every-replica"


class Nginx:
    """nginx from deploy/nginx/easymall.conf, its upstream pointed at ``replicas``, on a free port;
    for the test only, each response names the replica that answered (X-Easymall-Upstream)."""

    def __init__(self, replicas: list[str]):
        self.dir = Path(tempfile.mkdtemp(prefix="easymall-nginx-"))
        self.port = _free_port()
        conf = (ROOT / "deploy" / "nginx" / "easymall.conf").read_text("utf-8")
        servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", conf, flags=re.M)
        assert len(servers) == 2, "the shipped config lists two replicas"
        for line, replica in zip(servers, replicas, strict=True):
            conf = conf.replace(line, re.sub(r"127\.0\.0\.1:\d+", replica, line))
        conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{self.port};")
        conf = conf.replace("add_header Set-Cookie", "add_header X-Easymall-Upstream $upstream_addr always;\n"
                                                      "        add_header Set-Cookie")
        (self.dir / "easymall.conf").write_text(conf)
        d = self.dir
        (d / "nginx.conf").write_text(f"""
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    include {d}/easymall.conf;
}}
""")
        self.proc = subprocess.Popen([NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                assert self.proc.poll() is None, (d / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.2)

    def upstream(self, route: str) -> str:
        req = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"{COOKIE}={route}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.headers["X-Easymall-Upstream"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def team(pg_cluster, pg_db, tmp_path):
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    url = pg_workspace_url(pg_cluster, pg_db)
    transfer.copy(copy_workspace(tmp_path / "ws"), url)
    replicas = [start_server(url, {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET}) for _ in range(2)]
    proxy = Nginx([r.url.removeprefix("http://") for r in replicas])
    yield url, replicas, proxy
    proxy.stop()
    for r in replicas:
        r.stop()


def _route_to(proxy: Nginx, replica) -> str:
    """A route cookie value that nginx's hash sends to ``replica``."""
    want = replica.url.removeprefix("http://")
    return next(f"r{i}" for i in range(200) if proxy.upstream(f"r{i}") == want)


T0 = time.monotonic()


def _mark(what: str) -> None:
    print(f"{time.monotonic() - T0:7.1f} s  {what}", flush=True)


def _session(sessions, proxy: Nginx, replica, author: str):
    page = sessions(height=1400)
    page.context.add_cookies([{"name": COOKIE, "value": _route_to(proxy, replica), "url": proxy.url}])
    load(page, proxy.url + "/swot?lang=en")
    sign_in(page, author, ready=page.get_by_role("button", name="Save item"))
    return page


def _datasets_view(page, proxy: Nginx) -> None:
    load(page, proxy.url + "/survey?lang=en")
    # the first run on a replica reads the active survey; plotly.js is parsed at the first chart: until
    # both are done the page re-renders under a click (as tests/e2e/test_survey.py waits)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=FIRST_RUN_MS)
    wait_idle(page, timeout=FIRST_RUN_MS)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    expect(page.locator(".st-key-survey_upload")).to_be_visible()


@pytest.mark.timeout(900)  # two replicas, nginx and two browsers on a loaded two-core machine
def test_two_replicas_share_edits_uploads_conflicts_and_survive_a_stopped_replica(team, sessions, tmp_path) -> None:
    url, (one, two), proxy = team
    a = _session(sessions, proxy, one, "Li Wei")      # on replica one
    b = _session(sessions, proxy, two, "Wang Fang")   # on replica two
    before = Workspace(url).load("swot").revision

    _mark("an edit on one replica reaches")
    # an edit on one replica reaches the other within the promised time
    _pick_item(a, "S4")
    _pick_item(b, "O2")
    _edit_text(a, "S4", "Zero commission for famous brands")
    _told(b, f"Li Wei saved revision {before + 1}", "S4 text", within=REPLICA_SEEN_MS)
    assert Workspace(url).load("swot").item("S4").text.en == "Zero commission for famous brands"

    _mark("both edit the same item")
    # both edit the same item on different replicas: the second is shown both, nothing overwritten
    _pick_item(a, "O2")
    _edit_text(a, "O2", "A: festivals")
    # (the sidebar's revision line, polled every 2 s, is the lasting sign: a toast can come and go while
    # A's own rerun is still being waited for on a loaded machine)
    expect(b.locator('[data-testid="stSidebar"]').get_by_text(re.compile(rf"SWOT r{before + 2}\b"))).to_be_visible(
        timeout=REPLICA_SEEN_MS)
    wait_idle(b)
    _edit_text(b, "O2", "B: festivals and live streams")
    panel = b.locator(".st-key-live_conflict_swot")
    expect(panel).to_contain_text("Someone else changed the same thing")
    expect(panel).to_contain_text("A: festivals")
    shot(b, "replicas-conflict")
    assert Workspace(url).load("swot").item("O2").text.en == "A: festivals"

    _mark("an upload on replica one")
    # an upload on replica one is listed on replica two
    data = tmp_path / "replica-upload.csv"
    data.write_text("channel,score\n" + "\n".join(f"{'app' if i % 2 else 'web'},{i % 5 + 1}" for i in range(30)) + "\n")
    _datasets_view(a, proxy)
    a.locator(".st-key-survey_upload input[type=file]").set_input_files(str(data))
    expect(a.get_by_text(re.compile("replica-upload.csv was imported and stored"))).to_be_visible()
    # stored, not yet the team's dataset (issue 13); make it active through the store
    datasets.set_active(Workspace(url), "replica-upload", author="e2e")
    _datasets_view(b, proxy)
    expect(metric_value(b.locator('[data-testid="stMain"]'), "Rows read")).to_have_text(re.compile(r"^\s*30\s*$"))
    expect(b.get_by_text("replica-upload.csv", exact=True).first).to_be_visible()

    _mark("replica one stops")
    # replica one stops: its user reloads onto replica two and finds every saved edit
    one.stop()
    load(a, proxy.url + "/swot?lang=en")
    tried = proxy.upstream(a.context.cookies(proxy.url)[0]["value"])  # "dead one, two" or "two" once marked down
    assert tried.split(", ")[-1] == two.url.removeprefix("http://")
    # the name given before is kept server-side for this browser (issue 13): the other replica knows it
    expect(a.get_by_role("button", name="Save item")).to_be_visible(timeout=FIRST_RUN_MS)
    expect(a.locator('[data-testid="stSidebar"] input[type="text"]').first).to_have_value("Li Wei")
    assert a.locator(".st-key-live_author_gate").count() == 0
    _pick_item(a, "S4")
    expect(a.locator('[class*="st-key-swot_f_S4_"][class*="_en"] textarea')).to_have_value(
        "Zero commission for famous brands", timeout=SEEN_WITHIN_MS * 5)
    _pick_item(a, "O2")
    expect(a.locator('[class*="st-key-swot_f_O2_"][class*="_en"] textarea')).to_have_value("A: festivals")
    shot(a, "replicas-after-failover")
    _mark("done")

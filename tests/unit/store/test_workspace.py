"""The store contract: load / save / history / ConflictError, atomicity, locking, concurrency —
for both backends (``ws_address``: a folder, and a workspace in a real PostgreSQL cluster)."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from easymall.models.market import MarketDocument
from easymall.store import ConflictError, DocumentError, Workspace, parse_document
from tests.conftest import store_text, stored_text


def _edit(doc: MarketDocument, i: int) -> MarketDocument:
    doc.facts[0].value = float(i)
    return doc


def test_load_returns_validated_model_with_int_revision(ws_address: str) -> None:
    ws = Workspace(ws_address)
    doc = ws.load("market")
    assert isinstance(doc, MarketDocument)
    assert isinstance(doc.revision, int)
    assert doc.fact("double11_2016").value == pytest.approx(120.749)


def test_save_increments_revision_and_records_history(ws_address: str) -> None:
    ws = Workspace(ws_address)
    doc = ws.load("market")
    start = doc.revision
    new = ws.save("market", _edit(doc, 70), base_revision=start, author="Li Wei", message="fix Walmart")
    assert new == start + 1
    assert ws.load("market").revision == new
    assert ws.load("market").facts[0].value == 70
    hist = ws.history("market")
    assert [h.revision for h in hist] == [new, start]  # newest first; the pre-save state is kept
    assert hist[0].author == "Li Wei" and hist[0].message == "fix Walmart"
    assert hist[0].time.tzinfo is not None
    assert ws.load_revision("market", start).facts[0].value == pytest.approx(74.7)


def test_stale_base_raises_conflict_carrying_current(ws_address: str) -> None:
    a, b = Workspace(ws_address), Workspace(ws_address)
    doc_a, doc_b = a.load("market"), b.load("market")
    a.save("market", _edit(doc_a, 1), base_revision=doc_a.revision, author="a")
    with pytest.raises(ConflictError) as info:
        b.save("market", _edit(doc_b, 2), base_revision=doc_b.revision, author="b")
    assert info.value.current.facts[0].value == 1
    assert info.value.current.revision == doc_a.revision + 1
    assert b.load("market").facts[0].value == 1  # nothing overwritten


def test_model_round_trips_through_dump(ws_address: str) -> None:
    ws = Workspace(ws_address)
    for name in ws.documents():
        doc = ws.load(name)
        again = type(doc).model_validate(doc.model_dump())
        assert again == doc
        rev = ws.save(name, again, base_revision=doc.revision, author="t")
        assert ws.load(name).model_dump(exclude={"revision"}) == doc.model_dump(exclude={"revision"})
        assert rev == doc.revision + 1


def test_revert_is_a_new_revision(ws_address: str) -> None:
    ws = Workspace(ws_address)
    doc = ws.load("market")
    r1 = ws.save("market", _edit(doc, 5), base_revision=doc.revision, author="a")
    r2 = ws.revert("market", doc.revision, base_revision=r1, author="b")
    assert r2 == r1 + 1
    assert ws.load("market").facts[0].value == pytest.approx(74.7)
    assert ws.history("market")[0].message == f"revert to revision {doc.revision}"


def test_broken_file_is_reported_with_line_and_never_overwritten(ws_address: str) -> None:
    ws = Workspace(ws_address)
    good = ws.load("market")
    text = stored_text(ws_address, "market").replace("value: 74.7", "value: lots", 1)
    store_text(ws_address, "market", text)
    line = text.splitlines().index("    value: lots") + 1
    with pytest.raises(DocumentError) as info:
        ws.load("market")
    p = info.value.first
    assert (p.file, p.line, p.path) == ("config/market.yaml", line, "facts.0.value")
    assert str(p).startswith(f"config/market.yaml:{line}: facts.0.value: ")
    result = ws.load_safe("market")
    assert result.error is not None and result.stale
    assert result.doc == good  # last good version keeps serving
    with pytest.raises(DocumentError):
        ws.save("market", good, base_revision=good.revision, author="x")
    assert stored_text(ws_address, "market") == text


def test_last_good_comes_from_history_in_a_new_process(ws_address: str) -> None:
    ws = Workspace(ws_address)
    doc = ws.load("market")
    ws.save("market", _edit(doc, 9), base_revision=doc.revision, author="a")
    store_text(ws_address, "market", "facts: [")
    fresh = Workspace(ws_address)
    result = fresh.load_safe("market")
    assert result.error is not None and result.error.first.line == 1
    assert result.doc is not None and result.doc.facts[0].value == 9


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("facts: [\n", "expected the node content"),
        ("a: &x [1]\nb: *x\n", "anchors"),
        ("a: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system is not allowed"),
        ("revision: 1\nrevision: 2\n", "duplicate key 'revision'"),
        ("- just\n- a list\n", "must be a mapping"),
        ("typo_key: 1\nfacts: []\n", "Extra inputs are not permitted"),
    ],
)
def test_loader_refuses_bad_yaml(text: str, expect: str) -> None:
    with pytest.raises(DocumentError) as info:
        parse_document("market", text)
    assert any(expect in str(p) for p in info.value.problems)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 12)]
    start = time.perf_counter()
    with pytest.raises(DocumentError, match="anchors"):
        parse_document("market", "\n".join(lines))
    assert time.perf_counter() - start < 1


def test_oversize_file_is_refused() -> None:
    with pytest.raises(DocumentError, match="limit is 1,000,000"):
        parse_document("market", "facts: []\n" + "#" * 1_000_001)


def _saver(path: str, worker: int, n: int) -> int:
    ws = Workspace(path)
    done = 0
    while done < n:
        doc = ws.load("market")
        doc.facts[worker].label = f"w{worker}-{done}"
        try:
            ws.save("market", doc, base_revision=doc.revision, author=f"w{worker}", message=str(done))
            done += 1
        except ConflictError:
            continue  # reload and try again: the contract for a stale base
    return done


def test_concurrent_processes_lose_no_update(ws_address: str) -> None:
    workers, per = 4, 8
    start = Workspace(ws_address).load("market").revision
    with mp.get_context("spawn").Pool(workers) as pool:
        results = pool.starmap(_saver, [(ws_address, w, per) for w in range(workers)])
    assert results == [per] * workers
    ws = Workspace(ws_address)
    final = ws.load("market")
    assert final.revision == start + workers * per
    assert [final.facts[w].label for w in range(workers)] == [f"w{w}-{per - 1}" for w in range(workers)]
    revs = [h.revision for h in ws.history("market")]
    assert revs == list(range(final.revision, start - 1, -1))  # every revision, once, in order


_KILLER = """
import sys
from easymall.store import Workspace
ws = Workspace(sys.argv[1])
i = 0
while True:
    doc = ws.load("market")
    doc.facts[0].label = "x" * (i % 500 + 1)
    ws.save("market", doc, base_revision=doc.revision, author="loop")
    i += 1
    if i == 3:
        print("ready", flush=True)
"""


def test_kill_9_mid_save_leaves_valid_file_and_no_stuck_lock(ws_address: str) -> None:
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _KILLER, ws_address], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        ws = Workspace(ws_address)
        doc = ws.load("market")  # valid, not torn
        newest = ws.history("market")[0].revision
        if ws.root is None:  # one transaction: no half-written revision, the newest one is current
            assert newest == doc.revision and ws.load_revision("market", doc.revision) == doc
        else:  # the file order: a document whose log line was cut is recorded by the next save
            assert newest in (doc.revision, doc.revision - 1)
        start = time.perf_counter()
        rev = ws.save("market", doc, base_revision=doc.revision, author="after")  # lock is free
        assert time.perf_counter() - start < 5
        assert rev == doc.revision + 1 and ws.history("market")[0].revision == rev
        if ws.root is not None:
            assert not list((ws.root / "config").glob(".*.tmp"))  # a killed writer's temp file is swept
            assert not list((ws.root / "history" / "market").glob(".*.tmp"))


def test_file_names_are_checked(ws_address: str) -> None:
    ws = Workspace(ws_address)
    ws.put_file("data", "a.csv", b"x,y\n1,2\n")
    assert ws.get_file("data", "a.csv") == b"x,y\n1,2\n"
    assert "a.csv" in ws.list_files("data")
    for bad in ["../config/swot.yaml", "a/b.csv", ".hidden", ""]:
        with pytest.raises(ValueError):
            ws.put_file("data", bad, b"")
    with pytest.raises(ValueError):
        ws.put_file("config", "x.yaml", b"")


def test_personal_state_is_private_expires_and_never_touches_documents(ws_path: Path) -> None:
    """Drafts, pending conflicts and a name kept per person (issue 13): another person never sees
    them, they expire, an unreadable one is nothing, and no document or revision changes."""
    ws = Workspace(ws_path)
    ws.put_personal("browser:aaaa", "conflict-swot", {"base_revision": 3, "text": "李伟的措辞"}, ttl=60)
    assert ws.get_personal("browser:aaaa", "conflict-swot") == {"base_revision": 3, "text": "李伟的措辞"}
    assert ws.get_personal("browser:bbbb", "conflict-swot") is None
    assert ws.get_personal("browser:aaaa", "draft-swot") is None
    assert not any("aaaa" in f for f in ws.list_files("state"))        # no token in a file name
    assert ws.revision("swot") == 0 and ws.history("swot") == []
    ws.put_personal("browser:aaaa", "name", {"name": "李伟"}, ttl=-1)    # already expired
    assert ws.get_personal("browser:aaaa", "name") is None
    assert len(ws.list_files("state")) == 1                             # the expired one was removed
    (name,) = ws.list_files("state")
    ws.put_file("state", name, b"{not json")
    assert ws.get_personal("browser:aaaa", "conflict-swot") is None
    ws.drop_personal("browser:aaaa", "conflict-swot")
    ws.drop_personal("browser:aaaa", "conflict-swot")                   # twice: nothing there, no error
    assert ws.list_files("state") == []
    with pytest.raises(ValueError):
        ws.put_personal("browser:aaaa", "../x", {}, ttl=1)

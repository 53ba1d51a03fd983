"""All-or-nothing writes: a refused write (disk full, read-only, permission) at any step leaves the
document, its revision and its history as they were, and raises one WriteError."""
from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path

import pytest

from easymall.core.i18n import error_text
from easymall.store import Workspace, WriteError, backends


def _state(ws_path: Path, name: str) -> tuple:
    ws = Workspace(ws_path)  # a fresh reader: nothing cached
    hdir = ws_path / "history" / name
    snaps = sorted(p.name for p in hdir.glob("*.yaml")) if hdir.is_dir() else []
    log = (hdir / "log.jsonl").read_bytes() if (hdir / "log.jsonl").exists() else b""
    return (ws.load(name).revision, (ws_path / "config" / f"{name}.yaml").read_bytes(),
            [h.revision for h in ws.history(name)], snaps, log)


def _saved_once(ws_path: Path) -> Workspace:
    ws = Workspace(ws_path)
    doc = ws.load("swot")
    ws.save("swot", doc, base_revision=doc.revision, author="a", message="first")
    return ws


def _edited(ws: Workspace):
    doc = ws.load("swot")
    doc.strengths[0].text = "changed"
    return doc


def _failing_replace(monkeypatch: pytest.MonkeyPatch, err: int, at: int) -> None:
    """``os.replace`` raises ``OSError(err)`` from its ``at``-th call on (1 = the first)."""
    real, calls = os.replace, {"n": 0}

    def replace(src, dst):  # noqa: ANN001
        calls["n"] += 1
        if calls["n"] >= at:
            raise OSError(err, os.strerror(err), str(dst))
        return real(src, dst)

    monkeypatch.setattr(backends.os, "replace", replace)


@pytest.mark.parametrize("at", [1, 2], ids=["snapshot", "document"])
@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO])
def test_a_refused_replace_leaves_document_and_history_as_they_were(ws_path: Path, monkeypatch, err, at) -> None:
    ws = _saved_once(ws_path)
    before = _state(ws_path, "swot")
    doc = _edited(ws)
    _failing_replace(monkeypatch, err, at)
    with pytest.raises(WriteError) as info:
        ws.save("swot", doc, base_revision=doc.revision, author="b", message="second")
    monkeypatch.undo()
    assert _state(ws_path, "swot") == before  # same revision, bytes, history, snapshots and log
    assert ws.load("swot").strengths[0].text != "changed"
    code = {errno.ENOSPC: "err.disk_full", errno.EROFS: "err.read_only", errno.EACCES: "err.read_only"}
    assert info.value.code == code.get(err, "err.write_failed")
    assert "nothing was changed" in str(info.value) and "swot" in str(info.value)
    assert "无法保存" in error_text(info.value, "zh", "store")
    # and the next save works and is the next revision
    rev = ws.save("swot", _edited(ws), base_revision=before[0], author="b", message="second")
    assert rev == before[0] + 1 and [h.revision for h in ws.history("swot")][0] == rev


def test_a_refused_history_line_puts_the_old_document_back(ws_path: Path, monkeypatch) -> None:
    ws = _saved_once(ws_path)
    before = _state(ws_path, "swot")
    real_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):  # noqa: ANN001
        fh = real_open(file, mode, *args, **kwargs)
        if str(file).endswith("log.jsonl") and "a" in mode:
            def write(_data):  # noqa: ANN001
                raise OSError(errno.ENOSPC, "No space left on device")
            fh.write = write
        return fh

    monkeypatch.setattr(builtins, "open", open_)
    doc = _edited(ws)
    with pytest.raises(WriteError):
        ws.save("swot", doc, base_revision=doc.revision, author="b")
    monkeypatch.undo()
    assert _state(ws_path, "swot") == before


def test_a_first_save_refused_leaves_no_history_of_the_new_revision(ws_path: Path, monkeypatch) -> None:
    ws = Workspace(ws_path)
    doc = _edited(ws)
    start = doc.revision
    _failing_replace(monkeypatch, errno.ENOSPC, 2)  # the "state before" snapshot is written, then the disk fills
    with pytest.raises(WriteError):
        ws.save("swot", doc, base_revision=start, author="b")
    monkeypatch.undo()
    fresh = Workspace(ws_path)
    assert fresh.load("swot").revision == start
    assert all(h.revision <= start for h in fresh.history("swot"))


def test_a_snapshot_without_its_log_line_is_ignored_and_overwritten(ws_path: Path) -> None:
    """A crash after the snapshot file, before the document: readers never see that revision."""
    ws = _saved_once(ws_path)
    rev = ws.load("swot").revision
    (ws_path / "history" / "swot" / f"{rev + 1:06d}.yaml").write_text("stale: crash leftover\n")
    assert [h.revision for h in ws.history("swot")][0] == rev
    new = ws.save("swot", _edited(ws), base_revision=rev, author="b")
    assert new == rev + 1 and ws.load_revision("swot", new).strengths[0].text == "changed"

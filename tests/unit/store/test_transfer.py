"""``easymall copy SOURCE DEST [--force]``: a whole workspace between a folder and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.cli import main
from easymall.core.errors import UserError
from easymall.store import Workspace, workspace_arg
from tests.conftest import pg_workspace_url, store_text


def _everything(address: str) -> dict:
    """Documents (bytes), history (revision, author, time, message, snapshot) and files of a workspace."""
    ws = Workspace(address)
    b = ws._backend
    return {
        "documents": {n: b.read(n) for n in ws.documents()},
        "history": {n: [(h.revision, h.author, h.time, h.message, b.read_snapshot(n, h.revision))
                        for h in ws.history(n)] for n in ws.documents()},
        "files": {a: {f: b.get_file(a, f) for f in b.list_files(a)} for a in ("data", "state")},
    }


def _with_history(path: Path) -> None:
    ws = Workspace(path)
    for i in range(3):
        doc = ws.load("swot")
        doc.strengths[0].text = f"edit {i} 中文"
        ws.save("swot", doc, base_revision=doc.revision, author=f"王芳 {i}", message=f"step {i}")
    ws.set_presenter_position("default", 3, "Li Wei", key="swot")


def test_folder_to_database_to_folder_is_identical(ws_path: Path, pg_cluster, pg_db, tmp_path: Path,
                                                    capsys) -> None:
    _with_history(ws_path)
    url = pg_workspace_url(pg_cluster, pg_db)
    assert main(["copy", str(ws_path), url]) == 0
    assert "copied 7 documents, 4 revisions and 4 files" in capsys.readouterr().out
    back = tmp_path / "back"
    assert main(["copy", url, str(back)]) == 0
    original = _everything(str(ws_path))
    assert original["history"]["swot"][0][1:4][:2] == ("王芳 2", original["history"]["swot"][0][2])
    assert _everything(url) == original
    assert _everything(str(back)) == original
    assert Workspace(url).presenter_position("default").slide == 3
    assert main(["validate", url]) == 0


def test_a_non_empty_destination_is_refused_unless_forced(ws_path: Path, pg_cluster, pg_db, tmp_path: Path,
                                                          capsys) -> None:
    url = pg_workspace_url(pg_cluster, pg_db)
    assert main(["copy", str(ws_path), url]) == 0
    ws = Workspace(url)
    doc = ws.load("market")
    ws.save("market", doc, base_revision=doc.revision, author="db only")
    capsys.readouterr()
    assert main(["copy", str(ws_path), url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not empty; add --force" in err and "Traceback" not in err
    assert Workspace(url).history("market")[0].author == "db only"  # untouched
    assert main(["copy", str(ws_path), url, "--force"]) == 0
    assert Workspace(url).history("market") == [] and _everything(url) == _everything(str(ws_path))
    # a folder with something in it is refused too, then replaced (config/ history/ data/ state/ only)
    other = tmp_path / "other"
    (other / "config").mkdir(parents=True)
    (other / "notes.txt").write_text("keep me")
    assert main(["copy", url, str(other)]) == 1
    assert main(["copy", url, str(other), "--force"]) == 0
    assert (other / "notes.txt").read_text() == "keep me" and _everything(str(other)) == _everything(url)


def test_bad_input_is_one_sentence_and_nothing_is_copied(ws_path: Path, pg_cluster, pg_db, tmp_path: Path,
                                                         capsys) -> None:
    url = pg_workspace_url(pg_cluster, pg_db)
    cases = [
        ([str(tmp_path / "nowhere"), url], "is not a workspace"),
        ([str(ws_path), str(ws_path)], "is both the source and the destination"),
        ([str(ws_path), "postgresql://u:pw@127.0.0.1:1/db"], "could not connect"),
        ([str(ws_path), "postgresql://u:pw@host/db?workspace=a/b"], "is not a valid workspace name"),
    ]
    for argv, says in cases:
        assert main(["copy", *argv]) == 1
        err = capsys.readouterr().err
        assert says in err and err.count("\n") == 1 and "pw" not in err
    store_text(str(ws_path), "stp", "segments: [\n")
    assert main(["copy", str(ws_path), url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: config/stp.yaml:") and "nothing was copied" in err
    with pytest.raises(UserError, match="not a workspace yet"):
        workspace_arg(url)  # the database workspace was not created
    assert main(["copy", str(ws_path), str(tmp_path / "x")]) == 1 and not (tmp_path / "x").exists()

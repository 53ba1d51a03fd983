"""``easymall user add|remove|list``: exit codes 0 / 1 with one sentence / 2, no password in clear anywhere.

Run in-process (``easymall.cli.main``) — the CLI contract itself is tested by subprocess in tests/unit/test_cli.py."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from easymall.cli import main
from easymall.store import Workspace


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
         stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # not a terminal
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_remove(ws_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    code, out, err = _run(capsys, monkeypatch, "user", "add", "li", "--role", "admin", "--password-stdin",
                          str(ws_path), stdin="s3cret!\n")
    assert code == 0, err
    assert "li is admin" in out
    text = (ws_path / "config" / "access.yaml").read_text("utf-8")
    assert "s3cret" not in text and "scrypt$" in text
    (ws_path / "config" / "access.yaml").write_text(text.replace("mode: open", "mode: accounts"), "utf-8")
    assert Workspace(ws_path).login("li", "s3cret!") == "li"
    code, _, _ = _run(capsys, monkeypatch, "user", "add", "li", "--role", "viewer", "--password-stdin", str(ws_path),
                      stdin="other\n")
    assert code == 0 and Workspace(ws_path).role("li") == "viewer"
    code, out, _ = _run(capsys, monkeypatch, "user", "list", str(ws_path))
    assert code == 0 and "mode: accounts" in out and "li  viewer  password set" in out
    assert "scrypt" not in out and "other" not in out
    assert _run(capsys, monkeypatch, "user", "remove", "li", str(ws_path))[0] == 0
    assert Workspace(ws_path).users() == []


@pytest.mark.parametrize(("args", "stdin", "words"), [
    (("user", "remove", "nobody"), "", "no account called nobody"),
    (("user", "add", "li", "--role", "editor"), "", "--password-stdin"),  # stdin is not a terminal
    (("user", "add", "li", "--role", "editor", "--password-stdin"), "\n", "empty"),
    (("user", "add", "<b>", "--role", "editor", "--password-stdin"), "pw\n", "user name"),
])
def test_bad_input_is_one_sentence_exit_1(ws_path: Path, capsys, monkeypatch, args, stdin, words) -> None:  # noqa: ANN001
    code, out, err = _run(capsys, monkeypatch, *args, str(ws_path), stdin=stdin)
    assert code == 1, (out, err)
    assert err.startswith("error: ") and words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (ws_path / "config" / "access.yaml").exists() or "<b>" not in (ws_path / "config" / "access.yaml").read_text()


def test_a_broken_access_file_is_reported_not_overwritten(ws_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    (ws_path / "config" / "access.yaml").write_text("mode: [\n", "utf-8")
    code, _, err = _run(capsys, monkeypatch, "user", "list", str(ws_path))
    assert code == 1 and err.startswith("error: config/access.yaml:")
    code, _, err = _run(capsys, monkeypatch, "user", "add", "li", "--role", "admin", "--password-stdin", str(ws_path),
                        stdin="pw\n")
    assert code == 1 and (ws_path / "config" / "access.yaml").read_text("utf-8") == "mode: [\n"


@pytest.mark.parametrize("args", [("user", "add", "li", "--role", "boss"), ("user", "add"), ("user", "frob"), ("user",)])
def test_usage_errors_exit_2(ws_path: Path, capsys, monkeypatch, args) -> None:  # noqa: ANN001
    assert _run(capsys, monkeypatch, *args)[0] == 2


def test_oidc_mode_adds_emails_without_passwords(ws_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    (ws_path / "config" / "access.yaml").write_text("mode: oidc\n", "utf-8")
    code, _, err = _run(capsys, monkeypatch, "user", "add", "wang@bank.example", "--role", "editor", str(ws_path))
    assert code == 0, err
    assert Workspace(ws_path).role("WANG@bank.example") == "editor"

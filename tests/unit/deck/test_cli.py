"""``easymall export``: exit 0 with the file written, 1 with one sentence on bad input, 2 on usage."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.cli import main


def test_export_html_of_a_named_deck(ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deck.html"
    code = main(["export", str(ws_path), "--format", "html", "--out", str(out), "--deck", "board_zh"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert "18 slides" in stdout and "zh" in stdout
    assert '<html lang="zh-CN">' in out.read_text("utf-8")


def test_an_unknown_deck_is_one_sentence(ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(ws_path), "--format", "html", "--out", str(tmp_path / "x.html"), "--deck", "nope"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: no deck named 'nope'") and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_an_unwritable_path_is_one_sentence(ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(ws_path), "--format", "html", "--out", str(tmp_path / "no" / "such" / "d.html")])
    err = capsys.readouterr().err
    assert code == 1 and "cannot write" in err and err.count("\n") == 1
    code = main(["export", str(ws_path), "--format", "html", "--out", str(tmp_path)])
    assert code == 1 and "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["export"], ["export", "--format", "doc", "--out", "x"],
                                  ["export", "--format", "html"], ["export", "--format", "html", "--out", "x",
                                                                   "--lang", "fr"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2

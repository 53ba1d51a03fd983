"""Hostile YAML: each case is a located, coded problem from `easymall validate` (exit 1, never a
traceback) and the app keeps the last good version; loading is bounded in time."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from easymall import cli
from easymall.core.i18n import problem_text
from easymall.store import Workspace
from easymall.store.documents import MAX_PROBLEMS, DocumentError, parse_document

CASES = {
    "yaml_key_not_scalar": lambda good: good + "? [a, b]\n: 2\n",
    "yaml_too_deep": lambda good: good + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "yaml_number_too_long": lambda good: good.replace("revision: ", "revision: " + "9" * 5000, 1),
    "yaml_too_many_nodes": lambda good: good + "".join(f"k{i}: {i}\n" for i in range(48_000))[: 900_000 - len(good)],
}


@pytest.mark.parametrize("code", list(CASES))
def test_hostile_yaml_is_one_located_problem(ws_path: Path, code: str) -> None:
    path = ws_path / "config" / "swot.yaml"
    good = path.read_text("utf-8")
    path.write_text(CASES[code](good), "utf-8")
    start = time.monotonic()
    with pytest.raises(DocumentError) as info:
        parse_document("swot", path.read_bytes())
    assert time.monotonic() - start < 15
    (p,) = info.value.problems
    assert p.code == code and p.line is not None and p.file == "config/swot.yaml"
    assert str(p).startswith(f"config/swot.yaml:{p.line}: ")
    assert problem_text(p, "zh") != p.message  # said in Chinese from errors.yaml


@pytest.mark.parametrize("code", list(CASES))
def test_the_app_keeps_the_last_good_version(ws_path: Path, code: str) -> None:
    ws = Workspace(ws_path)
    good = ws.load("swot")
    path = ws_path / "config" / "swot.yaml"
    path.write_text(CASES[code](path.read_text("utf-8")), "utf-8")
    result = ws.load_safe("swot")
    assert result.stale and result.doc == good
    assert result.error is not None and result.error.first.code == code


def test_validate_says_file_and_line_and_exits_1(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # in-process (easymall.cli.main, as the entry point runs it): the contract of the command as a process
    # (exit codes, one sentence, no traceback) is tested by subprocess in tests/unit/test_cli.py
    path = ws_path / "config" / "swot.yaml"
    path.write_text(CASES["yaml_key_not_scalar"](path.read_text("utf-8")), "utf-8")
    stp = ws_path / "config" / "stp.yaml"
    stp.write_text(CASES["yaml_number_too_long"](stp.read_text("utf-8")), "utf-8")
    code = cli.main(["validate", str(ws_path)])
    out = capsys.readouterr()
    assert code == 1
    lines = out.out.splitlines()
    assert any(ln.startswith("config/swot.yaml:") and "a key must be a plain value" in ln for ln in lines)
    assert any(ln.startswith("config/stp.yaml:1: a number has 5,001 digits") for ln in lines)
    assert "Traceback" not in out.err and "TypeError" not in out.out + out.err


def test_many_problems_are_capped_and_counted() -> None:
    text = "facts: []\n" + "".join(f"typo{i}: {i}\n" for i in range(3000))
    start = time.monotonic()
    with pytest.raises(DocumentError) as info:
        parse_document("market", text)
    assert time.monotonic() - start < 10
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    more = problems[-1].ctx[0][1]
    assert int(more.replace(",", "")) >= 3000 - MAX_PROBLEMS
    assert str(problems[-1]) == f"config/market.yaml: and {more} more problems"
    assert problem_text(problems[-1], "zh") == f"另有 {more} 处问题"

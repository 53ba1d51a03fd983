"""``easymall validate`` and the CLI contract: exit codes, one sentence, file:line: path: message."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "easymall", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_validate_clean_workspace(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from easymall import cli

    code = cli.main(["validate", str(ws_path)])  # in-process; exit 1 and 2 go through a real process below
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert out.out.startswith("ok:")


def test_cli_validate_reports_file_line_path(ws_path: Path) -> None:
    path = ws_path / "config" / "market.yaml"
    lines = path.read_text("utf-8").splitlines()
    n = lines.index("    year: 2016") + 1
    lines[n - 1] = "    year: 1850"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (ws_path / "config" / "scenarios.yaml").write_text("revision: 0\nrevision: 1\n", "utf-8")
    res = _cli("validate", str(ws_path))
    assert res.returncode == 1
    out = res.stdout.splitlines()
    assert f"config/market.yaml:{n}: facts.0.year: Input should be greater than or equal to 1990" in out
    assert "config/scenarios.yaml:2: duplicate key 'revision'" in out
    assert "Traceback" not in res.stderr


def test_cli_usage_and_missing_workspace(tmp_path: Path) -> None:
    assert _cli("nonsense").returncode == 2
    res = _cli("validate", str(tmp_path / "nowhere"))
    assert res.returncode == 1
    assert res.stderr.strip() == f"error: {tmp_path / 'nowhere'} is not a workspace (it has no config/ folder)"


@pytest.mark.parametrize("argv", [["serve", "--", "--server.port", "8600"], ["serve", "WS", "--", "--server.port", "8600"]])
def test_serve_passes_what_follows_dashes_to_streamlit_with_the_workspace_upload_cap(ws_path: Path, monkeypatch,
                                                                                      argv: list[str]) -> None:
    from easymall import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execvpe", lambda file, cmd, env: seen.append([*cmd, env["EASYMALL_WORKSPACE"]]))
    assert cli.main([str(ws_path) if a == "WS" else a for a in argv]) == 0
    cmd = seen[0]
    assert cmd[-3:] == ["--server.port", "8600", str(ws_path)]
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == "100"
    assert cmd[1:4] == ["-m", "easymall.ui.server", "run"]  # Streamlit's command line, sockets without Nagle


def test_serve_turns_off_the_full_collection_after_every_run_unless_told(ws_path: Path, monkeypatch) -> None:
    from easymall import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execvpe", lambda file, cmd, env: seen.append(list(cmd)))
    cli.main(["serve", str(ws_path)])
    cli.main(["serve", str(ws_path), "--", "--runner.postScriptGC", "true"])
    assert seen[0][seen[0].index("--runner.postScriptGC") + 1] == "false"
    last = len(seen[1]) - 1 - seen[1][::-1].index("--runner.postScriptGC")  # the user's flag comes last and wins
    assert seen[1][last + 1] == "true"

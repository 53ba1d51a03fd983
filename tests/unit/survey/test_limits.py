"""Hostile uploads: each refused within seconds with one sentence naming the limit, nothing stored,
and memory bounded (the parse runs in a child with a budget)."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from easymall.cli import main
from easymall.core.i18n import error_text
from easymall.store import Workspace
from easymall.survey import datasets
from easymall.survey.errors import SurveyImportError
from easymall.survey.limits import DEFAULT
from easymall.survey.sandbox import bounded_load
from tests.conftest import ROOT
from tests.hostile import wide_csv, wide_xlsx, zip_bomb

SAMPLE = ROOT / "sample_data" / "easymall_survey_2017_by_text.xlsx"


def _refused(data: bytes, name: str, limits=DEFAULT) -> tuple[SurveyImportError, float]:
    start = time.monotonic()
    with pytest.raises(SurveyImportError) as info:
        bounded_load(data, name, limits=limits)
    return info.value, time.monotonic() - start


@pytest.mark.parametrize(("name", "make", "code", "limit"), [
    ("bomb.xlsx", lambda: zip_bomb(20), "zip_ratio", "the limit is 100-fold"),
    ("wide.xlsx", wide_xlsx, "too_many_columns", "20,000 columns; the limit is 5,000"),
    ("wide.csv", wide_csv, "too_many_columns", "20,000 columns; the limit is 5,000"),
])
def test_hostile_files_are_refused_from_their_bytes(name, make, code, limit) -> None:
    exc, seconds = _refused(make(), name)
    assert exc.code == code and limit in str(exc) and str(exc).startswith(name)
    assert seconds < 2  # no reader ran
    assert "\n" not in str(exc)
    assert error_text(exc, "zh", "import") != str(exc)  # a Chinese sentence in the catalogue


def test_a_sheet_without_a_dimension_is_checked_before_it_becomes_a_table() -> None:
    exc, seconds = _refused(wide_xlsx(dimension=False), "nodim.xlsx")
    assert exc.code == "too_many_columns" and seconds < 30


def test_a_bomb_that_passes_the_checks_is_stopped_by_the_memory_budget() -> None:
    limits = dataclasses.replace(DEFAULT, zip_ratio=100_000, memory_mb=700)
    exc, _ = _refused(zip_bomb(400), "bomb.xlsx", limits)
    assert exc.code == "parse_memory"
    assert str(exc) == "bomb.xlsx needs more than 700 MB of memory to read; the limit is 700 MB"
    assert bounded_load(SAMPLE.read_bytes(), "after.xlsx").dataset.n == 812  # the parse server is still there


def test_a_slow_parse_is_stopped_by_the_time_budget() -> None:
    limits = dataclasses.replace(DEFAULT, zip_ratio=100_000, timeout_s=5)
    exc, seconds = _refused(zip_bomb(400), "slow.xlsx", limits)
    assert exc.code == "parse_timeout" and seconds < 15


def test_the_bounded_parse_costs_little_more_than_the_parse() -> None:
    data = SAMPLE.read_bytes()
    bounded_load(data, "warm.xlsx")  # the parse server is started once
    start = time.monotonic()
    parsed = bounded_load(data, "s.xlsx")
    assert parsed.dataset.n == 812 and len(parsed.dataset.questions) == 18
    assert time.monotonic() - start < 5


def test_rows_and_cells_have_limits_too() -> None:
    few_rows = dataclasses.replace(DEFAULT, rows=10)
    exc, _ = _refused(b"a,b\n" + b"1,2\n" * 50, "long.csv", few_rows)
    assert exc.code == "too_many_rows" and "50 rows; the limit is 10" in str(exc)
    few_cells = dataclasses.replace(DEFAULT, cells=1000)
    exc, _ = _refused(wide_csv(100, 20), "cells.csv", few_cells)
    assert exc.code == "too_many_cells"


def test_a_refused_upload_stores_nothing(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    before = sorted(ws.list_files("data"))
    for name, data in (("bomb.xlsx", zip_bomb()), ("wide.csv", wide_csv())):
        with pytest.raises(SurveyImportError):
            datasets.store_dataset(ws, name, data)
    assert sorted(ws.list_files("data")) == before


def test_the_limits_come_from_the_workspace(ws_path: Path) -> None:
    survey = ws_path / "config" / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace("max_upload_mb: 100", "max_upload_mb: 100\n"
                                                                   "max_columns: 10"), encoding="utf-8")
    ws = Workspace(ws_path)
    with pytest.raises(SurveyImportError, match="the limit is 10$"):
        datasets.store_dataset(ws, "eleven.csv", wide_csv(11, 5))


#: Runs ``python -m easymall ARGS`` and, as it exits, writes its peak memory in kB to the file named
#: first: its own high-water mark since exec (VmHWM) or its largest child's, whichever is larger. The
#: rusage of a process started from this worker would also count the worker's own memory at the fork.
_PEAK = """
import atexit, resource, runpy, sys
out = sys.argv.pop(1)
def peak():
    own = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))
    open(out, 'w').write(str(max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))
atexit.register(peak)
sys.argv[0] = 'easymall'
runpy.run_module('easymall', run_name='__main__', alter_sys=True)
"""


def _cli(*args: str) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the CLI: its output, seconds and peak memory in MB."""
    with tempfile.NamedTemporaryFile("r", suffix=".kb") as peak:
        start = time.monotonic()
        out = subprocess.run([sys.executable, "-c", _PEAK, peak.name, *args], capture_output=True, text=True,
                             cwd=ROOT, timeout=300)
        seconds = time.monotonic() - start
        kb = peak.read().strip()
    assert kb, f"the CLI did not report its memory: {out.stderr[-500:]}"
    return out, seconds, int(kb) / 1024


def test_the_cli_refuses_hostile_files_with_one_sentence_and_bounded_memory(tmp_path: Path) -> None:
    for name, data in (("bomb.xlsx", zip_bomb(400)), ("wide.xlsx", wide_xlsx()), ("wide.csv", wide_csv())):
        path = tmp_path / name
        path.write_bytes(data)
        out, seconds, peak_mb = _cli("survey-report", str(path))
        assert out.returncode == 1, out.stderr
        assert out.stderr.count("\n") == 1 and out.stderr.startswith(f"error: {name} ")
        assert "Traceback" not in out.stderr and "limit" in out.stderr
        assert seconds < 60
        assert peak_mb < 600  # the bomb unpacks to 400 MB; nothing near that is ever allocated


def _main(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_lists_deactivates_and_deletes_datasets(ws_path: Path, capsys) -> None:
    ws = str(ws_path)
    code, out, _ = _main(capsys, "survey-dataset", "list", ws)
    assert code == 0 and out.startswith("* easymall_survey_2017_by_text ")
    assert _main(capsys, "survey-dataset", "deactivate", ws)[0] == 0
    assert json.loads((ws_path / "data" / "active.json").read_text()) == {"name": None}
    assert datasets.active_name(Workspace(ws_path)) is None
    assert _main(capsys, "survey-dataset", "activate", "easymall_survey_2017_by_text", ws)[0] == 0
    assert datasets.active_name(Workspace(ws_path)) == "easymall_survey_2017_by_text"
    code, _, err = _main(capsys, "survey-dataset", "delete", "nope", ws)
    assert code == 1 and err == f"error: {ws} has no stored dataset called nope\n"
    assert _main(capsys, "survey-dataset", "delete", "easymall_survey_2017_by_text", ws)[0] == 0
    assert datasets.list_datasets(Workspace(ws_path)) == []

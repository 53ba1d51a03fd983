"""The ``easymall survey-report`` command: JSON and text reports, exit codes, the twin join."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from easymall.cli import main
from tests.unit.survey.platforms.conftest import PLATFORMS
from tests.unit.survey.samples import CSV, FRUIT, SAMPLE


def test_cli_survey_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey-report", str(SAMPLE / "easymall_survey_2017_by_text.xlsx"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"format", "encoding", "rows", "questions", "issues", "quality"} <= set(out)
    assert out["format"] == "xlsx" and out["rows"] > 600 and out["wenjuanxing"] == "text"
    assert {"id", "title", "type", "options"} <= set(out["questions"][0])
    assert {"speeders", "straightliners", "duplicates"} <= set(out["quality"])
    assert out["quality"]["speeders"] > 0 and out["quality"]["duplicates"] > 0


def test_cli_survey_report_text_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(CSV.decode().encode("gbk"))
    assert main(["survey-report", str(gbk)]) == 0
    out = capsys.readouterr().out
    assert "encoding gbk" in out and "30 rows" in out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["survey-report", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.csv is not a text, Excel or SPSS file" in err and "Traceback" not in err
    assert main(["survey-report", str(tmp_path / "missing.csv")]) == 1


def test_separator_option_reads_a_multi_choice_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(FRUIT)
    assert main(["survey-report", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["questions"][0]["type"] == "text"
    assert main(["survey-report", str(path), "--separator", "/", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["questions"][0]["type"] == "multi"


def test_cli_twin_joins_the_two_wenjuanxing_modes(capsys: pytest.CaptureFixture[str]) -> None:
    text, number = SAMPLE / "easymall_survey_2017_by_text.xlsx", SAMPLE / "easymall_survey_2017_by_number.xlsx"
    assert main(["survey-report", str(number), "--twin", str(text), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["wenjuanxing"] == "number" and out["twin"]["matched"] == out["rows"]
    assert out["twin"]["codebooks"]["Q13"] == {"1": "0次", "2": "1次", "3": "2-3次", "4": "4-6次", "5": "7次及以上"}
    assert out["twin"]["issues"] == []
    assert main(["survey-report", str(text), "--twin", str(text)]) == 1
    assert "not a Wenjuanxing by-text and by-number pair" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "platform", "rows", "questions"), [
    ("qualtrics_sample.csv", "qualtrics", 1, 2), ("qualtrics_matrix_legacy.csv", "qualtrics", 5, 5),
    ("qualtrics.sav", "qualtrics", 5, 3), ("surveymonkey.csv", "surveymonkey", 8, 5),
    ("google_forms.csv", "google-forms", 6, 4), ("tencent.csv", "tencent", 6, 4), ("alchemer.sav", "alchemer", 6, 4),
    ("wjx_quiz.csv", "wenjuanxing", 5, 3)])
def test_survey_report_json_names_the_platform_and_its_metadata(name: str, platform: str, rows: int, questions: int,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey-report", str(PLATFORMS / name), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"format", "encoding", "rows", "questions", "issues", "quality", "platform", "metadata",
            "signature"} <= set(out)
    assert (out["platform"], out["rows"], len(out["questions"])) == (platform, rows, questions)
    assert out["metadata"] and {"column", "key"} == set(out["metadata"][0])
    metadata_columns = {m["column"] for m in out["metadata"]}
    assert not metadata_columns & {q["title"] for q in out["questions"]}


def test_platform_option_forces_a_platform_and_refuses_a_wrong_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey-report", str(PLATFORMS / "tencent.csv"), "--platform", "generic", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["platform"] == "generic"
    assert main(["survey-report", str(PLATFORMS / "tencent.csv"), "--platform", "surveymonkey"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tencent.csv is not a SurveyMonkey export" in err and "Traceback" not in err
    with pytest.raises(SystemExit):  # argparse: not a platform it knows
        main(["survey-report", str(PLATFORMS / "tencent.csv"), "--platform", "typeform"])
    assert main(["survey-report", str(PLATFORMS / "surveymonkey.csv")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("surveymonkey.csv: CSV, SurveyMonkey,") and "metadata: Respondent ID (_id)" in text

"""SurveyMonkey CSV and XLSX: two header rows, one column per option, ranks, metadata columns."""
from __future__ import annotations

import csv
import io

import openpyxl

from easymall.survey.ingest import load_survey
from easymall.survey.quality import quality_flags
from tests.unit.survey.platforms.conftest import PLATFORMS, load, meta_keys, types


def _check(p) -> None:  # noqa: ANN001
    assert p.platform == "surveymonkey" and p.dataset.n == 8  # the second header row is not a respondent
    assert types(p) == {"Q1": "single", "Q2": "multi", "Q3": "ranking", "Q4": "matrix", "Q5": "text"}
    ds = p.dataset
    assert ds.question("Q1").options == ["Weekly", "Monthly", "Rarely", "Never"]
    q2 = ds.question("Q2")
    assert q2.title == "Which channels do you use to pay?"
    assert q2.options == ["Mobile app", "Website", "Branch counter"]  # "Other (please specify)" is its other text
    assert ds.frame["Q2::Mobile app"].tolist() == [True, True, False, False, True, True, False, False]
    assert ds.frame["_other::Q2"].dropna().tolist() == ["WeChat Pay", "Cash"]
    q3 = ds.question("Q3")
    assert q3.options == ["Price", "Delivery", "Service"] and ds.frame["Q3::Price"].tolist()[:3] == [1, 2, 3]
    q4 = ds.question("Q4")
    assert q4.rows == ["Speed", "Quality"] and ds.frame["Q4::Speed"].tolist()[:3] == [5, 4, 3]  # Likert words
    assert {"_id", "_collector", "_started", "_ended", "_ip", "_email", "_name", "_custom"} == set(meta_keys(p))
    assert not [i for i in p.issues if i["code"] == "blank_header"]  # continuation columns are expected


def test_csv_export() -> None:
    p = load("surveymonkey.csv")
    _check(p)
    flags = quality_flags(p.dataset)
    assert flags.rows("repeated_ips") == [1, 2, 3]
    assert flags.rows("speeders") == [3]  # 20 s from start to end, the median is about 5 minutes
    assert p.dataset.frame.loc[1, "_duration_s"] == 310


def test_xlsx_export_reads_the_same() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in csv.reader((PLATFORMS / "surveymonkey.csv").read_text().splitlines()):
        ws.append([int(c) if c.isdigit() and len(c) < 3 else (c or None) for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    _check(load_survey(buf.getvalue(), "surveymonkey.xlsx"))

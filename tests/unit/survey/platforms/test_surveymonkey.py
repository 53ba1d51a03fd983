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


def test_real_export() -> None:
    """A real SurveyMonkey export (PROVENANCE.md): a "Contact information" question, a ranking with N/A
    cells, closed and open questions told apart by the second header row, sessions resumed days later."""
    p = load("surveymonkey_real.csv")
    ds = p.dataset
    assert p.platform == "surveymonkey" and ds.n == 6 and len(ds.questions) == 23
    t = types(p)
    assert t["Q3"] == "single" and ds.question("Q3").options == ["01", "04", "06", "08", "10"]  # codes, not a scale
    assert t["Q4"] == t["Q5"] == "text"  # "Open-Ended Response": the photo's file name, a free answer
    assert t["Q6"] == "single" and len(ds.question("Q6").options) == 2
    assert [q for q, kind in t.items() if kind == "text"] == ["Q4", "Q5", "Q18", "Q19", "Q20", "Q21", "Q22"]
    q7 = ds.question("Q7")  # one ranking of 8 options, N/A = not ranked (no "not a number" issue)
    assert q7.type == "ranking" and len(q7.options) == 8 and q7.options[4] == "A Capital Bikeshare station"
    assert ds.frame[q7.columns[6]].isna().tolist() == [True, False, False, True, True, False]
    assert ds.frame[q7.columns[0]].tolist() == [2, 4, 3, 3, 1, 2]
    assert ds.question("Q15").options[0].startswith("2. on their residence")
    # the contact question's Name and Email are metadata; its two other fields stay questions
    assert meta_keys(p).count("_name") == 3 and meta_keys(p).count("_email") == 2
    assert ds.question("Q1_1").title == "Contact information — Campaign-related social media accounts"
    assert not p.issues
    flags = quality_flags(ds)  # three responses span 19 h to 7 days: resumed, left out of the median
    assert flags.median_duration_s == 3765 and flags.rows("speeders") == [] and flags.rows("repeated_ips") == []


def test_an_open_ended_number_stays_a_number() -> None:
    rows = ["Respondent ID,Collector ID,Start Date,End Date,How many years have you banked with us?,Anything else?",
            ",,,,Open-Ended Response,Open-Ended Response", "1,9,,,3,Fine", "2,9,,,12,Slow app", "3,9,,,7,"]
    p = load_survey("\n".join(rows).encode(), "sm.csv")
    assert p.platform == "surveymonkey" and types(p) == {"Q1": "numeric", "Q2": "text"}


def test_real_condensed_export_without_collector_id() -> None:
    """A real export whose owner deleted Collector ID … Custom Data and the contact question's title, with
    each multi-select's choices joined by "; " in one cell (PROVENANCE.md): it was read as a generic table
    with the second header row as a respondent."""
    p = load("surveymonkey_condensed_real.csv")
    ds = p.dataset
    assert p.platform == "surveymonkey" and ds.n == 3 and len(ds.questions) == 35
    assert meta_keys(p) == ["_id", "_name", "_email"]
    assert ds.question("Q1_1").title == "Campaign-related social media accounts"
    t = types(p)
    assert [q for q, kind in t.items() if kind == "multi"] == ["Q6", "Q7", "Q9"]
    q9 = ds.question("Q9")  # options holding ", " stay whole: the separator is "; "
    assert len(q9.options) == 4 and all(o.startswith("District-owned housing on District-owned land, built by")
                                        for o in q9.options)
    assert ds.frame[q9.columns[3]].tolist() == [False, False, True]
    assert ds.question("Q6").options[:3] == ["Means-tested or income-restricted", "Built by the government", "Cheap"]
    assert t["Q3"] == "single" and ds.question("Q3").options == ["5B07", "7D10", "8E01"]
    assert [q for q, kind in t.items() if kind == "text"] == ["Q1_1", "Q1_2", "Q8", "Q10", "Q19", "Q22", "Q30", "Q31",
                                                               "Q32", "Q33", "Q34"]
    assert "\n\n" in ds.question("Q24").title  # a question text over several lines stays one header
    assert sorted(i["code"] for i in p.issues) == ["empty_column", "empty_column"]  # the two unused contact fields

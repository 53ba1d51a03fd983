"""The import report: what it says about a file, and its round trip through the stored JSON."""
from __future__ import annotations

from easymall.survey.datasets import parse_bytes
from easymall.survey.ingest import load_survey
from easymall.survey.quality import FLAGS, quality_flags
from easymall.survey.report import MAX_ROWS_LISTED, ImportReport, build_report
from tests.unit.survey.samples import GENERIC, SAMPLE


def test_report_names_format_rows_questions_and_quality() -> None:
    parsed = load_survey(GENERIC.encode("gbk"), "g.csv")
    report = build_report(parsed, quality_flags(parsed.dataset))
    assert (report.file, report.format, report.encoding, report.wjx_mode) == ("g.csv", "csv", "gbk", None)
    assert report.rows == 60 and report.format_label == "CSV"
    assert [q["id"] for q in report.questions] == [q.id for q in parsed.dataset.questions]
    assert set(report.quality) == set(FLAGS) == set(report.quality_rows)


def test_report_round_trips_through_its_dict() -> None:
    report = parse_bytes((SAMPLE / "easymall_survey_2017_by_text.xlsx").read_bytes(), "s.xlsx").report
    assert report.format_label == "Excel (.xlsx)" and report.wjx_mode == "text"
    assert all(len(rows) <= MAX_ROWS_LISTED for rows in report.quality_rows.values())
    assert report.quality["speeders"] >= len(report.quality_rows["speeders"])
    assert ImportReport.from_dict(report.to_dict()) == report

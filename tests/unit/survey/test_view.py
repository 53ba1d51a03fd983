"""What the Survey page shows: the 5% level, the low-expected-count warning, defaults, KPI cards,
the upload types and the sentences an import leaves."""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from easymall.store import Workspace
from easymall.survey import view
from easymall.survey.analysis import crosstab
from easymall.survey.datasets import EXT, list_datasets
from easymall.survey.kpis import Kpi
from tests.unit.survey.samples import CSV, tiny_dataset


@pytest.fixture
def ct():
    return crosstab(tiny_dataset(), "Q1", "Q2")


@pytest.mark.parametrize("p,sig", [(0.0001, True), (0.0499, True), (0.05, False), (0.2, False), (math.nan, False)])
def test_significant_below_five_percent_only(p: float, sig: bool) -> None:
    assert view.SIGNIFICANCE == 0.05
    assert view.significant(p) is sig


def test_the_verdict_metric_follows_the_threshold(ct) -> None:
    verdicts = {p: view.crosstab_metrics(replace(ct, p_value=p), "en")[3].value for p in (0.01, 0.05)}
    assert verdicts == {0.01: "Related", 0.05: "No evidence"}
    metrics = view.crosstab_metrics(replace(ct, p_value=0.0004, cramers_v=0.234), "en")
    assert [m.value for m in metrics[:3]] == [f"{ct.n:,}", "< 0.001", "0.23"]
    nan = view.crosstab_metrics(replace(ct, p_value=math.nan, chi2=math.nan, cramers_v=math.nan), "en")
    assert [m.value for m in nan[1:3]] == ["—", "—"]


def test_low_expected_warning_above_a_fifth_of_the_cells(ct) -> None:
    assert view.low_expected_warning(replace(ct, low_expected_share=0.2), "en") is None
    assert view.low_expected_warning(replace(ct, low_expected_share=0.0), "en") is None
    en = view.low_expected_warning(replace(ct, low_expected_share=0.25), "en")
    zh = view.low_expected_warning(replace(ct, low_expected_share=0.25), "zh")
    assert en and "25%" in en and zh and "25%" in zh and en != zh


def test_default_crosstab_is_q2_by_q8_when_present() -> None:
    assert view.default_crosstab(["Q1", "Q2", "Q5", "Q8"]) == ("Q2", "Q8")
    assert view.default_crosstab(["Q1", "Q5", "Q8"]) == ("Q1", "Q8")
    assert view.default_crosstab(["A", "B"]) == ("A", "B")


def test_kpi_figures_go_through_the_one_formatter() -> None:
    assert view.kpi_figure("nps", 12.4, "score", "en") == "+12"
    assert view.kpi_figure("nps", -5.2, "score", "zh") == "−5"
    assert view.kpi_figure("satisfaction_mean", 3.421, "score", "en") == "3.42"
    assert view.kpi_figure("awareness", 0.2345, "share", "en") == "23.4%"
    assert view.kpi_figure("aov", 285.0, "yuan", "zh") == "285 元"
    assert view.kpi_figure("trial", math.nan, "share", "en") == "—"


def test_kpi_cards_follow_the_kpi_order_five_to_a_row() -> None:
    values = {kid: Kpi(kid, 0.5, 100, 0.4, 0.6, "share") for kid in reversed(view.KPI_ORDER)}
    rows = view.kpi_cards(values, "en")
    assert [len(r) for r in rows] == [5, 4]
    assert [c.metric.label for c in rows[0]][:2] == ["Awareness", "Trial"]
    assert rows[0][0].metric.value == "50.0%" and "40.0%" in rows[0][0].caption and "60.0%" in rows[0][0].caption


def test_upload_types_are_the_stored_formats_and_their_aliases() -> None:
    assert view.UPLOAD_TYPES == list(EXT) == ["csv", "txt", "tsv", "xlsx", "xls", "sav"]
    assert view.TWIN_TYPES == ["csv", "xlsx", "xls"]


def test_flag_rows_are_listed_up_to_the_limit() -> None:
    assert view.flag_rows_text([1, 2, 3]) == "1, 2, 3"
    long = view.flag_rows_text(list(range(view.MAX_FLAG_ROWS + 1)))
    assert long.endswith(" …") and long.count(",") == view.MAX_FLAG_ROWS - 1


def test_import_outcomes_read_in_the_ui_language(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    doc = ws.load("survey")
    kind, zh = view.import_upload(ws, "bad.csv", b"\x00\x01\x02\x03" * 100, doc=doc, author="li", lang="zh")
    assert kind == "error" and "bad.csv 不是文本、Excel 或 SPSS 文件" in zh and "binary" not in zh
    kind, en = view.import_upload(ws, "bad.csv", b"\x00\x01\x02\x03" * 100, doc=doc, author="li", lang="en")
    assert kind == "error" and "bad.csv is not a text, Excel or SPSS file" in en
    kind, ok = view.import_upload(ws, "new.csv", CSV, doc=doc, author="li", lang="en")
    assert kind == "ok" and "new.csv" in ok
    stored = next(d for d in list_datasets(ws) if d.original_name == "new.csv")
    assert not stored.active and stored.author == "li"  # stored, not yet the team's dataset (issue 13)
    assert view.remove_dataset(ws, stored.name) and not view.remove_dataset(ws, stored.name)
    view.make_active(ws, stored.name)  # gone meanwhile: nothing happens


def test_a_report_lists_the_first_problems_and_counts_the_rest() -> None:
    from easymall.survey.report import ImportReport

    issues = [{"row": i, "column": "Q1", "code": "not_a_number", "message": f"row {i}"} for i in range(1, 1001)]
    report = ImportReport("f.csv", "csv", "utf-8", None, 1000, [], issues, {})
    assert len(view.issue_rows(report, "en")) == view.MAX_ISSUES_SHOWN
    assert view.issues_more(report, "en") == "The first 200 problems are listed; 800 more are not."
    assert view.issues_more(report, "zh") == "仅列出前 200 个问题，另有 800 个未列出。"
    assert view.issues_more(ImportReport("f.csv", "csv", None, None, 1, [], issues[:3], {}), "en") is None


def test_pages_of_questions() -> None:
    items = list(range(50))
    assert view.page_count(50) == 3 and view.page_count(0) == 1
    assert view.page_of(items, 3) == items[48:] and view.page_of(items, 99) == items[48:]
    assert view.page_of(items, 1) == items[:24]

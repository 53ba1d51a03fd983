"""Qualtrics CSV (three header rows; JSON and older Python-dict ImportIds) and SPSS."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import load_survey
from easymall.survey.platforms.qualtrics import import_id
from easymall.survey.quality import quality_flags
from tests.unit.survey.platforms.conftest import load, meta_keys, types


def test_the_import_id_row_in_json_and_as_an_older_python_dict() -> None:
    assert import_id('{"ImportId":"QID7_3_TEXT"}') == "QID7_3_TEXT"
    assert import_id("{'ImportId': 'QID2-1'}") == "QID2-1"
    assert import_id("Click to write") is None


def test_current_export_header_rows_are_not_respondents_and_metadata_is_not_questions() -> None:
    p = load("qualtrics_sample.csv")
    assert p.platform == "qualtrics" and p.dataset.n == 1
    assert types(p) == {"Q1": "single", "Q2": "text"}  # QID1 a choice; QID2_TEXT a text entry
    q2 = p.dataset.question("Q2")
    assert q2.title == "This is a free text question." and p.dataset.frame.loc[1, "Q2"] == "Hello World!"
    keys = meta_keys(p)
    assert {"_started", "_ended", "_status", "_ip", "_progress", "_duration_s", "_finished", "_id", "_lat", "_lon",
            "_channel", "_language", "_email", "_name"} <= set(keys)
    assert keys.count("_derived") == 1  # the Text iQ topics column: derived, not a question
    assert len(keys) + len(p.dataset.questions) == 20  # every column: metadata or a question
    f = p.dataset.frame
    assert f.loc[1, "_duration_s"] == 38 and f.loc[1, "_status"] == "IP Address" and f.loc[1, "_finished"] == 1


def test_matrix_rows_group_by_their_question_id_with_the_row_labels() -> None:
    p = load("qualtrics_matrix_legacy.csv")
    assert p.dataset.n == 5 and len(p.dataset.questions) == 5
    assert set(types(p).values()) == {"matrix"}
    q2 = p.dataset.question("Q2")
    assert q2.title == "Click to write the question text"
    assert q2.rows == ["Click to write Statement 1", "Click to write Statement 2", "Click to write Statement 3"]
    assert q2.options == ["1", "2", "3", "4", "5"]
    assert p.dataset.frame[q2.columns[0]].tolist() == [3, 4, 2, 4, 3]
    recoded = p.dataset.question("Q4")
    assert recoded.options == ["10", "11", "12", "13"]  # custom recode values kept as the scale
    last = p.dataset.questions[-1]  # QID4-2-TEXT: the "other" text of its matrix, not a question
    assert f"_other::{last.id}" in p.dataset.frame and last.rows[1] == "Click to write Statement 2"


def test_multi_select_split_into_columns_is_one_multi_question() -> None:
    p = load("qualtrics_multi_legacy.csv")
    assert set(types(p).values()) == {"multi"} and len(p.dataset.questions) == 5
    q = p.dataset.question("Q2")
    assert q.options == ["Click to write Statement 1", "Click to write Statement 2", "Click to write Statement 3"]
    assert p.dataset.frame[q.columns[0]].tolist() == [False, True, True, True, True]
    assert p.dataset.frame[q.columns[1]].tolist() == [True, True, True, True, False]


def test_status_feeds_the_test_response_flag() -> None:
    p = load("qualtrics_multi_legacy.csv")  # generated test responses: Status 2 (Survey Test)
    flags = quality_flags(p.dataset)
    assert flags.counts()["test_responses"] == 5 and flags.default_excluded() == ["test_responses"]
    assert flags.counts()["repeated_ips"] == 0  # no IPs in the export is not one repeated IP


def test_spss_export_tags_group_a_matrix_and_keep_nps_group_as_derived() -> None:
    p = load("qualtrics.sav")
    assert p.platform == "qualtrics" and p.dataset.n == 5
    assert types(p) == {"Q1": "single", "Q2": "matrix", "Q3": "scale"}
    assert p.dataset.question("Q1").options == ["Yes", "No"]
    assert p.dataset.question("Q2").rows == ["Price", "Delivery"]
    assert p.dataset.question("Q3").options == [str(i) for i in range(11)]
    assert "_derived" in meta_keys(p) and "Q3_NPS_GROUP" not in types(p)
    flags = quality_flags(p.dataset)
    c = flags.counts()
    assert c["test_responses"] == 1 and c["incomplete"] == 1 and c["speeders"] == 1
    assert flags.rows("test_responses") == [3] and flags.rows("incomplete") == [4]
    assert np.isclose(p.dataset.frame["_duration_s"].median(), 300)


def test_forcing_qualtrics_on_a_file_without_import_ids_is_one_sentence() -> None:
    with pytest.raises(SurveyImportError) as err:
        load("google_forms.csv", platform="qualtrics")
    assert str(err.value) == "google_forms.csv is not a Qualtrics export (its third row holds no ImportId)"


def _current(tags: list[str], texts: list[str], ids: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerows([tags, texts, [f'{{"ImportId":"{i}"}}' for i in ids], *rows])
    return buf.getvalue().encode()


def test_selected_choice_other_text_nps_group_loops_and_sliders() -> None:
    tags = ["ResponseId", "Q1", "Q1_4_TEXT", "Q2", "Q2_NPS_GROUP", "1_Q3", "2_Q3", "Q4_1", "Q4_2"]
    texts = ["Response ID", "Which apps do you use? - Selected Choice", "Which apps do you use? - Other - Text",
             "How likely are you to recommend us?", "How likely are you to recommend us? - Group",
             "Satisfaction with the branch", "Satisfaction with the branch", "Share of spending - Online",
             "Share of spending - Offline"]
    ids = ["_recordId", "QID1", "QID1_4_TEXT", "QID2", "QID2_NPS_GROUP", "1_QID3", "2_QID3", "QID4_1", "QID4_2"]
    rows = [["R_1", "Mobile banking,WeChat", "", "9", "Promoter", "4", "5", "62.5", "37.5"],
            ["R_2", "WeChat", "", "6", "Detractor", "3", "2", "10", "90"],
            ["R_3", "Mobile banking,Other", "Alipay", "10", "Promoter", "5", "5", "45", "55"],
            ["R_4", "Other", "JD", "7", "Passive", "2", "3", "80", "20"]]
    p = load_survey(_current(tags, texts, ids, rows), "current.csv")
    assert p.platform == "qualtrics" and p.dataset.n == 4
    t = types(p)
    assert t["Q1"] == "multi" and t["Q2"] == "scale" and set(t) >= {"L1_Q3", "L2_Q3"}
    q1 = p.dataset.question("Q1")
    assert q1.title == "Which apps do you use?" and q1.options == ["Mobile banking", "WeChat", "Other"]
    assert p.dataset.frame["_other::Q1"].dropna().tolist() == ["Alipay", "JD"]
    assert p.dataset.question("L1_Q3").title == "Satisfaction with the branch (1)"  # one question per loop
    assert p.dataset.question("L2_Q3").title == "Satisfaction with the branch (2)"
    sliders = [q for q in p.dataset.questions if q.title.startswith("Share of spending")]
    assert [q.type for q in sliders] == ["numeric", "numeric"]  # constant sum: numbers, not ratings
    assert "_derived" in meta_keys(p) and "Q2_NPS_GROUP" not in t


def test_only_the_header_rows_is_no_answers() -> None:
    with pytest.raises(SurveyImportError, match="has a header row but no answers"):
        load_survey(_current(["Q1"], ["Question"], ["QID1"], []), "empty.csv")

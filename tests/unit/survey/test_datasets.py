"""Datasets in the workspace: store, list, activate, remove, join a twin, export."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from easymall.core.i18n import catalogue, error_text
from easymall.overview.problems import problem_evidence
from easymall.store import Workspace
from easymall.survey import datasets
from easymall.survey.errors import SurveyImportError
from easymall.survey.kpis import compute_kpis
from tests.conftest import ROOT, WJX
from tests.unit.survey.samples import CSV, FRUIT, SAMPLE


def test_default_workspace_has_the_sample_survey_active(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    assert datasets.active_name(ws) == "easymall_survey_2017_by_text"
    ds = datasets.active_dataset(ws)
    assert ds is not None and 600 <= ds.n <= 1100
    assert [q.id for q in ds.questions] == [f"Q{i}" for i in range(1, 19)]
    # the questionnaire in survey.yaml puts options in questionnaire order
    assert ds.question("Q2").options[0] == "18岁以下" and ds.question("Q13").options[-1] == "7次及以上"
    assert datasets.active_dataset(ws) is ds  # parsed once, shared


def test_store_list_activate_and_remove(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    stored, loaded = datasets.store_dataset(ws, "问卷 2018.csv", CSV, author="li")
    assert stored.active and stored.original_name == "问卷 2018.csv" and stored.author == "li"
    assert stored.name.startswith("survey-") or stored.name.isascii()
    assert datasets.active_name(ws) == stored.name
    names = [d.name for d in datasets.list_datasets(ws)]
    assert set(names) == {stored.name, "easymall_survey_2017_by_text"}
    # the same bytes again: stored once
    again, _ = datasets.store_dataset(ws, "copy.csv", CSV)
    assert again.name == stored.name and len(datasets.list_datasets(ws)) == 2
    # a different file with the same name gets a new name (never an overwrite)
    other, _ = datasets.store_dataset(ws, "问卷 2018.csv", CSV + b"\xe6\x98\xaf,2,999\n")
    assert other.name != stored.name and ws.get_file("data", f"{stored.name}.csv") == CSV
    datasets.set_active(ws, "easymall_survey_2017_by_text")
    datasets.delete_dataset(ws, other.name)
    assert datasets.active_name(ws) == "easymall_survey_2017_by_text"
    datasets.delete_dataset(ws, "easymall_survey_2017_by_text")  # the active one: the newest left takes over
    assert datasets.active_name(ws) == stored.name
    with pytest.raises(KeyError):
        datasets.delete_dataset(ws, "nope")


def test_a_bad_upload_stores_nothing_and_keeps_the_active_dataset(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    before = ws.list_files("data")
    for data in (b"", b"\x00\x00binary" * 100, b"a,b\n"):
        with pytest.raises(SurveyImportError):
            datasets.store_dataset(ws, "bad.csv", data)
    with pytest.raises(SurveyImportError, match="limit"):
        datasets.store_dataset(ws, "big.csv", CSV, max_bytes=100)
    assert ws.list_files("data") == before
    assert datasets.active_name(ws) == "easymall_survey_2017_by_text"


def test_by_number_export_gets_labels_from_the_questionnaire(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    text = datasets.active_dataset(ws)
    datasets.store_dataset(ws, "num.xlsx", (SAMPLE / "easymall_survey_2017_by_number.xlsx").read_bytes())
    num = datasets.active_dataset(ws)
    assert num is not text
    assert num.question("Q8").options == text.question("Q8").options
    assert (num.frame["Q8"].fillna("-") == text.frame["Q8"].fillna("-")).all()


def test_export_table_round_trips(ws_path: Path) -> None:
    ds = datasets.active_dataset(Workspace(ws_path))
    mask = (ds.frame["Q5"] == "是").to_numpy()
    csv = datasets.export_table(ds, mask, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(back) == mask.sum() and back.columns[0] == "row" and set(back["Q5"]) == {"是"}
    xlsx = datasets.export_table(ds, None, "xlsx")
    assert len(pd.read_excel(io.BytesIO(xlsx), engine="calamine")) == ds.n


def test_a_different_survey_with_the_same_ids_is_not_dressed_in_our_questionnaire(ws_path: Path) -> None:

    ws = Workspace(ws_path)
    doc = ws.load("survey")
    wjx = WJX
    for name in ("All_Data_Readable.xls", "All_Data_Original.xls"):
        ds = datasets.parse_bytes((wjx / name).read_bytes(), name, doc).dataset
        assert ds.question("Q1").options in (["是", "否"], ["1", "2"])  # not 男/女 from our Q1
        title = ds.question("Q1").title
        assert doc.question_title("Q1", "en", title) == title  # not "Gender"
        assert compute_kpis(ds, doc) == {}  # Q12/Q13/Q16 here are other questions: no KPI from them
        assert all(v == [] for v in problem_evidence(ds, doc).values())
    # our own by-number export: option groups get the questionnaire's title
    num = datasets.parse_bytes((SAMPLE / "easymall_survey_2017_by_number.xlsx").read_bytes(), "n.xlsx", doc).dataset
    assert num.question("Q7").title == "常用购物平台"
    assert doc.question_title("Q15", "en", num.question("Q15").title) == "Intention to buy again"


def test_a_wenjuanxing_pair_is_stored_joined_and_read_back_as_one_dataset(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    text, number = (WJX / "All_Data_Readable.xls").read_bytes(), (WJX / "All_Data_Original.xls").read_bytes()
    stored, alone = datasets.store_dataset(ws, "zte_text.xls", text)
    assert alone.report.wjx_mode == "text" and len(alone.dataset.question("Q3").options) < 19
    # a file that is not the other mode of this survey is refused, and nothing is stored
    with pytest.raises(SurveyImportError, match="not a Wenjuanxing by-text and by-number export of one survey"):
        datasets.attach_twin(ws, stored.name, "again.xls", text)
    assert ws.list_files("data") == sorted(ws.list_files("data")) and not any(".twin." in f for f in ws.list_files("data"))
    joined_entry, joined = datasets.attach_twin(ws, stored.name, "zte_number.xls", number)
    assert joined_entry.twin == "zte_number.xls" and joined_entry.active
    assert joined.report.wjx_mode == "pair" and joined.dataset.n == alone.dataset.n
    assert len(joined.dataset.question("Q3").options) == 19  # never-chosen options come from the twin
    assert joined.dataset.name == "zte_text.xls"
    with pytest.raises(SurveyImportError, match="already joined with zte_number.xls"):
        datasets.attach_twin(ws, stored.name, "zte_number.xls", number)
    # read back from the workspace by another process: still the pair
    datasets._CACHE.clear()
    again = datasets.load_stored(Workspace(ws_path), stored.name)
    assert again.report.wjx_mode == "pair" and len(again.dataset.question("Q3").options) == 19
    assert datasets.list_datasets(ws)[0].report.wjx_mode == "pair"
    datasets.delete_dataset(ws, stored.name)
    assert not any(f.startswith(stored.name) for f in ws.list_files("data"))


def test_the_by_number_export_of_another_survey_is_refused(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    stored, _ = datasets.store_dataset(ws, "2017_text.xlsx", (SAMPLE / "easymall_survey_2017_by_text.xlsx").read_bytes())
    with pytest.raises(SurveyImportError, match=r"are not exports of one survey: their questions differ \(Q1: '您的性别'"):
        datasets.attach_twin(ws, stored.name, "zte_number.xls", (WJX / "All_Data_Original.xls").read_bytes())


def test_import_errors_read_in_chinese_in_the_chinese_ui_and_stay_english_elsewhere(ws_path: Path) -> None:

    ws = Workspace(ws_path)
    with pytest.raises(SurveyImportError) as bad:
        datasets.store_dataset(ws, "renamed.csv", b"\x00\x01\x02\x03" * 100)
    assert str(bad.value) == "renamed.csv is not a text, Excel or SPSS file (it contains binary data)"
    assert error_text(bad.value, "en", "import") == str(bad.value)
    assert error_text(bad.value, "zh", "import") == "renamed.csv 不是文本、Excel 或 SPSS 文件（含有二进制数据）"
    with pytest.raises(SurveyImportError) as big:
        datasets.store_dataset(ws, "big.csv", CSV * 100, max_bytes=1000)
    assert error_text(big.value, "zh", "import").startswith("big.csv 大小为 0.")
    stored, _ = datasets.store_dataset(ws, "2017_text.xlsx", (SAMPLE / "easymall_survey_2017_by_text.xlsx").read_bytes())
    with pytest.raises(SurveyImportError) as other:
        datasets.attach_twin(ws, stored.name, "zte_number.xls", (WJX / "All_Data_Original.xls").read_bytes())
    assert error_text(other.value, "zh", "import").startswith(  # the same bytes are stored once: the sample
        "easymall_survey_2017_by_text.xlsx 与 zte_number.xls 不是同一份问卷的导出：题目不同（Q1：“您的性别” 与 “请问您")
    # every code the importer raises has its Chinese sentence

    codes = set()
    for path in (ROOT / "easymall" / "survey").glob("*.py"):
        codes |= set(re.findall(r'code="([a-z_0-9]+)"', path.read_text("utf-8")))
    assert codes and {c for c in codes if f"import.{c}" not in catalogue()} == set()


def test_configured_separator_from_survey_yaml(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    assert datasets.parse_bytes(FRUIT, "f.csv").dataset.question("fruit").type == "text"
    doc = ws.load("survey").model_copy(update={"multi_separator": "/"})
    q = datasets.parse_bytes(FRUIT, "f.csv", doc).dataset.question("fruit")
    assert q.type == "multi" and sorted(q.options) == ["apple", "pear", "plum"]

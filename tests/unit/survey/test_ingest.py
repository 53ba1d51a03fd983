"""Survey ingest: formats, Wenjuanxing quirks, generic type inference, bad input."""
from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easymall.survey import analysis
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import load_survey
from easymall.survey.quality import quality_flags
from tests.conftest import WJX
from tests.unit.survey.samples import GENERIC, SAMPLE


@pytest.mark.parametrize("data,match", [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (b"\x00\x01\x02binary\x00" * 50, "not a text, Excel or SPSS file"),
    (b"Q1,Q2,Q3\n", "header row but no answers"),
    (b"PK\x03\x04" + b"\x00" * 40, "damaged or truncated"),
])
def test_bad_files_give_one_plain_sentence(data: bytes, match: str) -> None:
    with pytest.raises(SurveyImportError, match=match) as exc:
        load_survey(data, "upload.csv")
    assert "\n" not in str(exc.value) and "upload.csv" in str(exc.value)


def test_truncated_xlsx_and_foreign_zip_are_refused() -> None:
    good = (SAMPLE / "easymall_survey_2017_by_text.xlsx").read_bytes()
    with pytest.raises(SurveyImportError, match="Excel"):
        load_survey(good[: len(good) // 2], "cut.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(SurveyImportError, match="not an Excel workbook"):
        load_survey(buf.getvalue(), "renamed.xlsx")


def test_duplicate_and_padded_header_names_are_kept_apart() -> None:
    parsed = load_survey(b"  Score ,Score,\n1,2,x\n3,4,y\n5,1,z\n", "h.csv")
    titles = [q.title for q in parsed.dataset.questions]
    assert titles == ["Score", "Score (2)", "Column 3"]
    codes = {i["code"] for i in parsed.issues}
    assert {"duplicate_header", "blank_header"} <= codes


def test_junk_in_a_numeric_column_gives_issue_rows() -> None:
    rows = "\n".join(f"{i},{100 + i}" for i in range(1, 21))
    parsed = load_survey(f"id_,amount\n{rows}\n21,abc\n22,??\n".encode(), "j.csv")
    q = parsed.dataset.question("amount")
    assert q.type == "numeric"
    bad = [i for i in parsed.issues if i["code"] == "not_a_number"]
    assert [i["row"] for i in bad] == [21, 22]
    assert math.isnan(parsed.dataset.frame.loc[21, "amount"])


def test_generic_types_are_inferred() -> None:
    ds = load_survey(GENERIC.encode(), "g.csv").dataset
    types = {q.title: q.type for q in ds.questions}
    assert types == {"Gender": "single", "Age": "numeric", "Rating of app": "scale", "Recommend 0-10": "scale",
                     "Platforms used": "multi", "Comment": "text", "Monthly spend": "numeric"}
    assert "_id" in ds.frame  # "Respondent ID" is metadata
    plat = next(q for q in ds.questions if q.title == "Platforms used")
    assert set(plat.options) == {"淘宝", "京东", "拼多多"}
    assert ds.frame[f"{plat.id}::京东"].sum() == 45
    nps = next(q for q in ds.questions if q.title == "Recommend 0-10")
    assert nps.options == [str(i) for i in range(11)]


def test_google_forms_bracket_columns_become_one_matrix() -> None:
    head = "Timestamp,Satisfaction [Price],Satisfaction [Quality],Satisfaction [Delivery],City\n"
    body = "\n".join(f"2017/03/0{1 + i % 9} 10:00:00,{1 + i % 5},{1 + (i + 1) % 5},{1 + (i + 2) % 5},{'AB'[i % 2]}"
                     for i in range(30))
    ds = load_survey((head + body).encode(), "gf.csv").dataset
    m = [q for q in ds.questions if q.type == "matrix"]
    assert len(m) == 1 and m[0].rows == ["Price", "Quality", "Delivery"] and m[0].title == "Satisfaction"
    assert "_submitted" in ds.frame


def test_xlsx_and_sav_generic_files() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Q1", "Q2"])
    for i in range(12):
        ws.append(["yes" if i % 3 else "no", i % 5 + 1])
    buf = io.BytesIO()
    wb.save(buf)
    ds = load_survey(buf.getvalue(), "t.xlsx").dataset
    assert [q.type for q in ds.questions] == ["single", "scale"]


def test_spss_value_labels_are_kept(tmp_path: Path) -> None:
    import pyreadstat

    df = pd.DataFrame({"gender": [1.0, 2.0, 1.0, 2.0, 1.0], "nps": [9.0, 3.0, 10.0, 7.0, 0.0],
                       "spend": [10.5, 20.0, 33.3, 12.0, 1.0]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(df, str(path), column_labels=["Gender", "Recommend", "Spend"],
                         variable_value_labels={"gender": {1.0: "Male", 2.0: "Female"}})
    parsed = load_survey(path.read_bytes(), "s.sav")
    ds = parsed.dataset
    assert parsed.format == "sav"
    assert ds.question("gender").type == "single" and ds.question("gender").options == ["Male", "Female"]
    assert ds.question("gender").title == "Gender"
    assert list(ds.frame["gender"]) == ["Male", "Female", "Male", "Female", "Male"]
    assert ds.question("spend").type == "numeric"


def _with_mr_sets(path: Path, text: str) -> None:
    """Add an SPSS multiple response set record (type 7, subtype 7) to a .sav that pyreadstat wrote
    (it cannot write one): walk the dictionary records and insert it before the terminator (999)."""
    import struct

    b, pos = path.read_bytes(), 176  # after the file header
    while (rec := struct.unpack_from("<i", b, pos)[0]) != 999:
        if rec == 2:    # variable: 32 bytes, then its label and missing values
            has_label, n_missing = struct.unpack_from("<ii", b, pos + 8)
            pos += 32
            if has_label:
                pos += 4 + (struct.unpack_from("<i", b, pos)[0] + 3) // 4 * 4
            pos += abs(n_missing) * 8
        elif rec == 3:  # value labels: 8-byte value, length byte, label padded to 8
            count, pos = struct.unpack_from("<i", b, pos + 4)[0], pos + 8
            for _ in range(count):
                pos += 8 + (b[pos + 8] + 1 + 7) // 8 * 8
        elif rec == 4:
            pos += 8 + 4 * struct.unpack_from("<i", b, pos + 4)[0]
        elif rec == 6:
            pos += 8 + 80 * struct.unpack_from("<i", b, pos + 4)[0]
        elif rec == 7:
            size, count = struct.unpack_from("<ii", b, pos + 8)
            pos += 16 + size * count
        else:
            raise AssertionError(f"unexpected record type {rec} at byte {pos}")
    raw = text.encode("utf-8")
    path.write_bytes(b[:pos] + struct.pack("<iiii", 7, 7, 1, len(raw)) + raw + b[pos:])


def test_spss_multiple_response_sets_become_multi_questions(tmp_path: Path) -> None:
    import pyreadstat

    df = pd.DataFrame({"gender": [1, 2, 1, 2], "p_tb": [1, 0, 1, None], "p_jd": [1, 1, 0, None],
                       "p_pdd": [0, 0, 1, None], "b1": [1, 2, None, 3], "b2": [3, None, None, 1]})
    brands = {1: "华为", 2: "小米", 3: "苹果"}
    path = tmp_path / "mr.sav"
    pyreadstat.write_sav(df, str(path), column_labels={"gender": "性别", "p_tb": "淘宝", "p_jd": "京东",
                                                       "p_pdd": "拼多多", "b1": "品牌一", "b2": "品牌二"},
                         variable_value_labels={"gender": {1: "男", 2: "女"}, "b1": brands, "b2": brands})
    _with_mr_sets(path, "$plat=D1 1 12 常用平台 p_tb p_jd p_pdd\n$brand=C 12 喜欢品牌 b1 b2\n")
    ds = load_survey(path.read_bytes(), "mr.sav").dataset
    assert [(q.id, q.type) for q in ds.questions] == [("gender", "single"), ("plat", "multi"), ("brand", "multi")]
    plat, brand = ds.question("plat"), ds.question("brand")
    assert plat.title == "常用平台" and plat.options == ["淘宝", "京东", "拼多多"]
    assert brand.title == "喜欢品牌" and brand.options == ["华为", "小米", "苹果"]
    assert list(ds.frame["plat::淘宝"]) == [True, False, True, False]
    assert list(ds.frame["brand::苹果"]) == [True, False, False, True]
    # % of respondents: the one who left every platform variable empty did not answer the set
    assert list(ds.frame["_answered::plat"]) == [True, True, True, False]
    assert list(ds.frame["_answered::brand"]) == [True, True, False, True]


def test_real_wjx_by_text(wjx_text) -> None:
    ds = wjx_text.dataset
    assert wjx_text.wjx_mode == "text" and wjx_text.format == "xls" and ds.n == 4
    types = {q.id: q.type for q in ds.questions}
    assert types == {"Q1": "single", "Q2": "single", "Q3": "multi", "Q4": "single", "Q7": "text",
                     "Q12": "ranking", "Q13": "matrix", "Q15": "scale", "Q37": "single", "Q38": "single",
                     "X1": "single"}
    f = ds.frame
    assert list(f["_duration_s"]) == [5, 136, 8, 60]
    assert list(f["_ip"]) == ["183.192.16.69"] * 4 and list(f["_province"]) == ["上海"] * 4
    assert pd.isna(f.loc[1, "Q2"])  # (跳过)
    # other-text 〖…〗 is split off the option
    assert f.loc[2, "Q4"] == "其他【请注明】" and f.loc[2, "_other::Q4"] == "你好好"
    assert f.loc[2, "_other::Q3"] == "柜台" and bool(f.loc[2, "Q3::其他【请注明】"])
    assert not f.loc[1, "_answered::Q3"] and f.loc[4, "_answered::Q3"]
    m = ds.question("Q13")
    assert len(m.rows) == 17 and m.rows[0] == "外观" and m.title.endswith("(1分表示非常不重要,5分表示非常重要)")
    assert f.loc[4, "Q13::无线/数据上网连接速度"] == 5.0
    assert f.loc[2, "Q12::骁龙820处理器"] == 1 and f.loc[4, "Q12::2K超高清屏"] == 5
    assert f.loc[2, "Q15"] == 3.0 and ds.question("Q15").options[0] == "0"


def test_real_wjx_by_number(wjx_number) -> None:
    ds = wjx_number.dataset
    assert wjx_number.wjx_mode == "number" and ds.n == 4
    assert ds.question("Q3").type == "multi" and len(ds.question("Q3").options) == 19
    assert ds.question("Q12").type == "ranking" and len(ds.question("Q12").options) == 24
    f = ds.frame
    assert not f.loc[1, "_answered::Q3"] and f.loc[2, "Q3::运营商营业厅的广告(如移动、联通、电信营业厅)"]
    assert math.isnan(f.loc[2, "Q12::电池容量大"]) is False and f.loc[4, "Q12::电池容量大"] != f.loc[4, "Q12::电池容量大"]
    assert f.loc[2, "Q15"] == 3.0  # option number 4 on a 0–10 scale is score 3
    assert f.loc[2, "Q1"] == "2"


def _ok_or_ours(data: bytes) -> None:
    try:
        parsed = load_survey(data, "fuzz.csv")
    except SurveyImportError as exc:
        assert str(exc) and "\n" not in str(exc)
        # a deliberate refusal has no cause; a defect caught by the safety net carries the real exception
        assert exc.__cause__ is None, f"internal error: {exc.__cause__!r}"
        return
    ds = parsed.dataset
    assert ds.questions and len(ds.frame) >= 1
    for q in ds.questions:
        assert q.type in ("single", "multi", "matrix", "scale", "ranking", "numeric", "text")
        assert all(c in ds.frame for c in q.columns)
        analysis.summarize(ds, q.id)  # whatever was inferred can be summarised and flagged
    quality_flags(ds)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_give_a_dataset_or_our_error(data: bytes) -> None:
    _ok_or_ours(data)


_cell = st.one_of(st.text(max_size=12), st.integers(-5, 12).map(str), st.sampled_from(
    ["(跳过)", "(空)", "-3", "4分", "A┋B", "x→y", "其他〖z〗", "", "1.5", "是", "否", ";", '"']))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["序号", "所用时间", "来自IP", "1、Q", "2、M—r", "r2", "第3题(a)", "第3题(b)", "x", "x"]),
                min_size=1, max_size=6),
       st.lists(st.lists(_cell, min_size=6, max_size=6), min_size=1, max_size=12),
       st.sampled_from(["utf-8", "gbk", "utf-8-sig"]))
def test_any_table_gives_a_dataset_or_our_error(header, rows, enc) -> None:

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(r[: len(header)])
    try:
        data = buf.getvalue().encode(enc)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    _ok_or_ours(data)


def test_multi_select_with_few_options_and_free_text_with_commas() -> None:
    rows = "\n".join(f"{'淘宝;京东' if i % 2 else '京东'},\"I think, overall, item {i} was fine\"" for i in range(30))
    ds = load_survey(("Platforms,Comment\n" + rows + "\n").encode(), "m.csv").dataset
    assert [q.type for q in ds.questions] == ["multi", "text"]
    assert ds.question("Platforms").options == ["京东", "淘宝"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"$FL2", b"$FL3", b"\xef\xbb\xbf",
                        b"\xff\xfe"]),
       st.binary(max_size=800))
def test_any_bytes_behind_a_format_signature_give_a_dataset_or_our_error(magic: bytes, rest: bytes) -> None:
    _ok_or_ours(magic + rest)


@pytest.mark.parametrize("cut", [0.1, 0.3, 0.6, 0.9, 0.99])
def test_truncated_real_exports_give_our_error(cut: float) -> None:
    for path in (WJX / "All_Data_Readable.xls", SAMPLE / "easymall_survey_2017_by_number.xlsx"):
        data = path.read_bytes()
        _ok_or_ours(data[: int(len(data) * cut)])


def _one_column(values: list[str]) -> bytes:

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["answer"])
    for v in values:
        w.writerow([v])
    return buf.getvalue().encode()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=10, max_size=80).filter(lambda xs: len(set(xs)) >= 3))
def test_inference_likert_1_to_5(xs: list[int]) -> None:
    ds = load_survey(_one_column([str(x) for x in xs]), "l.csv").dataset
    q = ds.question("answer")
    assert q.type == "scale" and q.options == ["1", "2", "3", "4", "5"]
    assert ds.frame["answer"].tolist() == [float(x) for x in xs]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 1e6, allow_nan=False).map(lambda x: round(x, 2)), min_size=5, max_size=60)
       .filter(lambda xs: any(x != int(x) for x in xs)))
def test_inference_numeric(xs: list[float]) -> None:
    ds = load_survey(_one_column([repr(x) for x in xs]), "n.csv").dataset
    assert ds.question("answer").type == "numeric"
    assert np.allclose(ds.frame["answer"].to_numpy(float), xs)


VOCAB = ["淘宝", "京东", "拼多多", "天猫", "融e购"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4, unique=True), min_size=12, max_size=60)
       .filter(lambda rows: sum(len(r) > 1 for r in rows) >= 0.3 * len(rows)))
def test_inference_multi_select(rows: list[list[str]]) -> None:
    ds = load_survey(_one_column([";".join(r) for r in rows]), "m.csv").dataset
    q = ds.question("answer")
    assert q.type == "multi" and set(q.options) <= set(VOCAB)
    for opt in q.options:
        assert int(ds.frame[f"answer::{opt}"].sum()) == sum(opt in r for r in rows)

"""Survey decode: encodings, delimited text, ragged rows."""
from __future__ import annotations

import pytest

from easymall.survey.decode import decode_text
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import load_survey
from tests.unit.survey.samples import GENERIC


def _csv(text: str, enc: str = "utf-8") -> bytes:
    return text.encode(enc)


@pytest.mark.parametrize("enc,reported", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk")])
def test_csv_encodings_are_detected_and_reported(enc: str, reported: str) -> None:
    parsed = load_survey(_csv(GENERIC, enc), "s.csv")
    assert parsed.encoding == reported
    assert parsed.format == "csv"
    assert set(parsed.dataset.frame["Gender"].dropna()) == {"男", "女"}


def test_gb18030_only_characters_decode_as_gb18030() -> None:
    text = "名字,评分\n𠀀先生,3\n李四,4\n王五,5\n"  # 𠀀 exists in GB18030 but not in GBK
    parsed = load_survey(text.encode("gb18030"), "x.csv")
    assert parsed.encoding == "gb18030"
    assert "𠀀先生" in set(parsed.dataset.frame["C1"].dropna())


def test_undecodable_bytes_name_the_line_and_never_replace() -> None:
    data = b"a,b\n1,2\n" + b"3,\xff\xfe\xff\n"
    with pytest.raises(SurveyImportError, match="line 3"):
        decode_text(data, "bad.csv")


def test_utf16_with_bom_is_read() -> None:
    parsed = load_survey("Q1,Q2\n是,1\n否,2\n是,3\n".encode("utf-16"), "u16.csv")
    assert parsed.encoding == "utf-16"
    assert parsed.dataset.n == 3


def test_ragged_rows_are_reported_not_dropped() -> None:
    parsed = load_survey(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", "r.csv")
    assert parsed.dataset.n == 4
    ragged = [i for i in parsed.issues if i["code"] == "ragged_row"]
    assert [i["row"] for i in ragged] == [2, 3]

"""腾讯问卷 Tencent Survey: its metadata, numbered questions, a cascading picker, TAB-guarded cells, GBK / BOM."""
from __future__ import annotations

import codecs

from easymall.survey.ingest import load_survey
from easymall.survey.quality import quality_flags
from tests.unit.survey.platforms.conftest import PLATFORMS, load, meta_keys, types


def _check(p) -> None:  # noqa: ANN001
    assert p.platform == "tencent" and p.dataset.n == 6
    assert types(p) == {"Q1": "single", "Q2": "text", "Q3": "matrix", "Q4": "text"}
    ds = p.dataset
    assert ds.question("Q2").title == "您的出生日期" and ds.frame.loc[1, "Q2"] == "1990 / 5 / 12"  # one picker
    assert ds.question("Q3").rows == ["商品价格", "物流速度"] and ds.question("Q3").title == "请评价融e购"
    assert meta_keys(p) == ["_id", "_started", "_ended", "_duration_s", "_country", "_province", "_city",
                            "_user_type", "_user", "_nickname", "_custom"]
    assert ds.frame.loc[1, "_user"] == "900000000000001"  # the anti-Excel TAB is gone
    assert not [i for i in p.issues if i["code"] == "duplicate_header"]
    assert quality_flags(ds).rows("speeders") == [2]  # 答题时长 18 s


def test_gbk_export() -> None:
    p = load("tencent.csv")
    assert p.encoding == "gbk"
    _check(p)


def test_utf8_with_bom_export() -> None:
    text = (PLATFORMS / "tencent.csv").read_bytes().decode("gbk")
    p = load_survey(codecs.BOM_UTF8 + text.encode("utf-8"), "tencent-utf8.csv")
    assert p.encoding == "utf-8-sig"
    _check(p)

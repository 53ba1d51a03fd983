"""腾讯问卷 Tencent Survey: its metadata, numbered questions, a cascading picker, TAB-guarded cells, GBK / BOM."""
from __future__ import annotations

import codecs

from easymall.models.survey import QualitySettings
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


def test_later_export_layout() -> None:
    """The columns later exports add (as public scripts that read them list: 语言, 清洗数据结果, IP, UA …),
    a multi-select as one column per option, a fill-in's blanks, and the comma ending every line."""
    p = load("tencent_2024.csv")
    ds = p.dataset
    assert p.platform == "tencent" and p.encoding == "utf-8-sig" and ds.n == 5
    assert types(p) == {"Q1": "single", "Q2_2": "single", "Q2_3": "text", "Q3": "multi", "Q4": "single",
                        "C27": "text"}
    q3 = ds.question("Q3")
    assert q3.title == "您通常在哪些场合使用手机银行？" and q3.options == ["转账汇款", "缴费充值", "理财购买", "基本不用"]
    assert ds.frame[q3.columns[0]].tolist() == [True, True, False, True, False]
    assert ds.question("Q2_2").title == "您来自于 — 填空1"
    keys = meta_keys(p)
    assert {"_language", "_ip", "_source"} <= set(keys) and keys.count("_derived") == 4  # cleaning, UA, review
    assert [i["code"] for i in p.issues] == ["empty_column"]  # the trailing comma's column, said once
    flags = quality_flags(ds, QualitySettings(expected_regions=["广东"]))
    assert flags.rows("repeated_ips") == [1, 2, 3] and flags.rows("speeders") == [2]
    assert flags.rows("outside_region") == [3]  # 北京; respondent 5 has no location and is not flagged

"""Quality flags: speeders, straight-liners, duplicate answers, repeated IPs, respondents outside the region."""
from __future__ import annotations

import pandas as pd

from easymall.models.survey import QualitySettings
from easymall.survey.quality import outside_region, quality_flags
from tests.unit.survey.platforms.conftest import load
from tests.unit.survey.samples import tiny_dataset


def test_quality_flags() -> None:
    ds = tiny_dataset()
    q = quality_flags(ds, QualitySettings(speeder_ratio=0.3, ip_repeat_min=3, straightline_min_rows=3))
    assert q.rows("speeders") == [3, 7]  # 20 s and 50 s against a median of 297.5 s
    assert q.rows("repeated_ips") == [1, 2, 3]
    assert q.rows("duplicates") == [10]
    assert q.rows("straightliners") == [1, 2, 4, 5, 6, 8, 9, 10]
    assert q.counts() == {"speeders": 2, "straightliners": 8, "duplicates": 1, "repeated_ips": 3}
    assert q.any_of(["speeders", "duplicates"]).sum() == 3


def test_resumed_sessions_stay_out_of_the_speeders_median() -> None:
    ds = tiny_dataset()
    ds.frame["_duration_s"] = [300.0, 320.0, 20.0, 280.0, 310.0, 3 * 86400, 5 * 86400, 2 * 86400, 7 * 86400, 90000.0]
    q = quality_flags(ds, QualitySettings(speeder_ratio=0.3))
    assert q.median_duration_s == 300 and q.rows("speeders") == [3]  # with the resumed ones the median is > 1 day


def test_outside_the_expected_region() -> None:
    p = load("tencent.csv")  # the Tencent sample records 地理位置省 / 市
    assert "outside_region" not in quality_flags(p.dataset).keys  # no region set: no flag
    q = quality_flags(p.dataset, QualitySettings(expected_regions=["广东"]))
    assert q.rows("outside_region") == [3, 4, 6]  # 北京, 上海, 浙江; 广东省 matches 广东
    assert q.rows("outside_region") == quality_flags(p.dataset, QualitySettings(expected_regions=["深圳市", "广州"])
                                                     ).rows("outside_region")
    assert quality_flags(p.dataset, QualitySettings(expected_regions=["中国"])).rows("outside_region") == []
    assert "outside_region" not in q.default_excluded()  # flagged, not excluded until the user says so


def test_unknown_location_is_not_outside() -> None:
    frame = pd.DataFrame({"_province": ["广东", None, "北京", ""], "_city": ["深圳", None, None, None]})
    assert outside_region(frame, ["深圳"]).tolist() == [False, False, True, False]
    assert outside_region(frame, []) is None and outside_region(frame[[]], ["深圳"]) is None
    assert outside_region(pd.DataFrame({"_city": [None, ""]}), ["深圳"]) is None  # no location recorded at all

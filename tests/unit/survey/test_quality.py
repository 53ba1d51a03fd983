"""Quality flags: speeders, straight-liners, duplicate answers, repeated IPs."""
from __future__ import annotations

from easymall.models.survey import QualitySettings
from easymall.survey.quality import quality_flags
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

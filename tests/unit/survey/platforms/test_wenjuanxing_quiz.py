"""A Wenjuanxing quiz export: 用户名, 总分 and the per-question 分数 are metadata, not questions."""
from __future__ import annotations

from tests.unit.survey.platforms.conftest import load, meta_keys, types


def test_quiz_columns_are_metadata() -> None:
    p = load("wjx_quiz.csv")
    assert p.platform == "wenjuanxing" and p.wjx_mode == "text" and p.dataset.n == 5
    assert types(p) == {"Q1": "single", "Q2": "multi", "Q3": "text"}
    f = p.dataset.frame
    assert f["_score"].tolist() == [10, 5, 0, 10, 5] and f["_user"].tolist()[0] == "zhang01"
    assert f["_score::Q1"].tolist() == [5, 5, 0, 5, 0] and f["_score::Q2"].tolist() == [5, 0, 0, 5, 5]
    assert meta_keys(p).count("_score") == 4 and "_user" in meta_keys(p)
    assert not [i for i in p.issues if i["code"] == "duplicate_header"]

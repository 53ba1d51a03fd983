"""Rule segments: structured conditions evaluated over Dataset.frame, never as text; rules in words."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError

from easymall.models.stp import Condition, StpDocument
from easymall.store import Workspace
from easymall.stp.clustering import members, segment_masks
from easymall.stp.rules import Labels, SegmentError, describe, evaluate, option_orders
from easymall.survey.dataset import Dataset, Question
from tests.conftest import ROOT
from tests.segments_data import OPTIONS, make_dataset

COND = TypeAdapter(Condition)


def tiny() -> Dataset:
    """Five respondents; row 5 skipped the Easy Mall block."""
    frame = pd.DataFrame({
        "Q2": ["18-25岁", "26-30岁", "41-50岁", "60岁以上", np.nan],
        "Q5": ["是", "否", "是", "是", "否"],
        "Q7::天猫": [True, False, True, False, False],
        "Q7::京东": [False, False, True, True, False],
        "Q7::拼多多": [True, True, False, False, False],
        "_answered::Q7": [True, True, True, True, False],
        "Q12::价格": [4.0, 2.0, 5.0, np.nan, np.nan],
        "Q16": [10.0, 3.0, 8.0, np.nan, 6.0],
    }, index=pd.RangeIndex(1, 6))
    qs = [Question("Q2", "年龄", "single", options=OPTIONS["Q2"], columns=["Q2"]),
          Question("Q5", "是否工行客户", "single", options=["是", "否"], columns=["Q5"]),
          Question("Q7", "常用购物平台", "multi", options=["天猫", "京东", "拼多多"],
                   columns=["Q7::天猫", "Q7::京东", "Q7::拼多多"]),
          Question("Q12", "满意度", "matrix", options=["1", "2", "3", "4", "5"], rows=["价格"], columns=["Q12::价格"]),
          Question("Q16", "推荐意愿", "scale", options=[str(i) for i in range(11)], columns=["Q16"])]
    return Dataset(qs, frame, "tiny")


def rows(cond: dict) -> list[int]:
    mask = evaluate(COND.validate_python(cond), tiny())
    return [int(i) for i in mask.index[mask]]


def test_single_in_not_in_eq() -> None:
    assert rows({"type": "answer", "question": "Q5", "op": "eq", "values": ["是"]}) == [1, 3, 4]
    assert rows({"type": "answer", "question": "Q2", "op": "in", "values": ["18-25岁", "26-30岁"]}) == [1, 2]
    # not_in only counts people who answered: row 5 skipped Q2
    assert rows({"type": "answer", "question": "Q2", "op": "not_in", "values": ["18-25岁"]}) == [2, 3, 4]


def test_single_ordinal_uses_questionnaire_order() -> None:
    assert rows({"type": "answer", "question": "Q2", "op": "gte", "values": ["41-50岁"]}) == [3, 4]
    assert rows({"type": "answer", "question": "Q2", "op": "lte", "values": ["26-30岁"]}) == [1, 2]
    assert rows({"type": "answer", "question": "Q2", "op": "between", "values": ["26-30岁", "51-60岁"]}) == [2, 3]


def test_multi_any_none_and_count() -> None:
    assert rows({"type": "answer", "question": "Q7", "op": "in", "values": ["天猫", "京东"]}) == [1, 3, 4]
    assert rows({"type": "answer", "question": "Q7", "op": "not_in", "values": ["拼多多"]}) == [3, 4]
    assert rows({"type": "answer", "question": "Q7", "op": "gte", "values": [2]}) == [1, 3]


def test_matrix_row_and_scale_numbers() -> None:
    assert rows({"type": "answer", "question": "Q12", "row": "价格", "op": "gte", "values": [4]}) == [1, 3]
    assert rows({"type": "answer", "question": "Q16", "op": "between", "values": [7, 10]}) == [1, 3]
    assert rows({"type": "answer", "question": "Q16", "op": "in", "values": [6, 3]}) == [2, 5]


def test_all_any_not_compose() -> None:
    young = {"type": "answer", "question": "Q2", "op": "lte", "values": ["26-30岁"]}
    icbc = {"type": "answer", "question": "Q5", "op": "eq", "values": ["是"]}
    assert rows({"type": "all", "of": [young, icbc]}) == [1]
    assert rows({"type": "any", "of": [young, icbc]}) == [1, 2, 3, 4]
    assert rows({"type": "not", "of": young}) == [3, 4, 5]


@pytest.mark.parametrize(("cond", "message"), [
    ({"type": "answer", "question": "Q99", "op": "eq", "values": ["是"]}, "question Q99 is not in the dataset"),
    ({"type": "answer", "question": "Q5", "op": "eq", "values": ["Yes"]}, "“Yes” is not an option of the question"),
    ({"type": "answer", "question": "Q12", "op": "gte", "values": [4]}, "needs the row"),
    ({"type": "answer", "question": "Q16", "op": "gte", "values": ["high"]}, "needs numbers"),
])
def test_bad_references_are_one_plain_sentence(cond: dict, message: str) -> None:
    with pytest.raises(SegmentError, match=message):
        evaluate(COND.validate_python(cond), tiny())


def test_condition_shape_is_validated() -> None:
    with pytest.raises(ValidationError, match="between needs two values"):
        COND.validate_python({"type": "answer", "question": "Q2", "op": "between", "values": ["18-25岁"]})
    with pytest.raises(ValidationError):
        COND.validate_python({"type": "eval", "expr": "__import__('os')"})
    with pytest.raises(ValidationError):
        COND.validate_python({"type": "all", "of": []})


def test_sample_rules_reference_the_questionnaire_and_select_the_planted_groups() -> None:
    doc = Workspace(ROOT).load("stp")
    assert isinstance(doc, StpDocument) and 4 <= len(doc.segments) <= 6
    ds = make_dataset(3000, seed=11)
    masks, errors = segment_masks(doc, ds, option_orders(ds))
    assert errors == {}
    group = ds.frame["_group"]
    young = masks["young_digital"]
    assert (group[young] == "young").mean() > 0.8
    seniors = masks["branch_seniors"]
    assert (group[seniors] == "senior").mean() > 0.8
    card = members(doc.segment("credit_points"), ds)
    assert (group[card] == "card").mean() > 0.6


def test_describe_rules_in_words(docs) -> None:
    en = Labels(None, docs["survey"], "en")
    zh = Labels(None, docs["survey"], "zh")
    rule = docs["stp"].segment("young_digital").rule
    assert describe(rule, en) == ("Age is between 18–25 and 26–30 and Online shopping frequency is "
                                     "Almost every day / Several times a week")
    assert describe(rule, zh) == "年龄介于18-25岁与26-30岁之间，且网购频率为几乎每天、每周数次"

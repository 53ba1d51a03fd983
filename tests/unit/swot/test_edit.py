"""Edits of a SWOT document (easymall.swot.edit): each a new document or one SwotError in en and zh."""
from __future__ import annotations

import re

import pytest

from easymall.core.i18n import catalogue, error_text
from easymall.store import Workspace
from easymall.swot import edit
from easymall.swot.edit import EditError
from tests.conftest import ROOT


@pytest.mark.parametrize(("fields", "code", "fragment"), [
    ({"weight": "abc"}, "not_number", "S1: the weight “abc” is not a number."),
    ({"weight": -1}, "range", "S1: the weight -1 is outside 0–1."),
    ({"rating": 7}, "range_int", "S1: the rating 7 must be a whole number from 1 to 4."),
    ({"rating": "2.5"}, "range_int", "whole number"),
    ({"text": ""}, "empty", "S1: the text is empty."),
    ({"text": "y" * 5000}, "too_long", "S1: the text has 5,000 characters; at most 2,000 are allowed."),
    ({"text_en": "", "text_zh": " "}, "empty", "the text is empty"),
    ({"evidence": ["bad id!"]}, "bad_id", "not a valid id"),
])
def test_edits_refuse_bad_input_with_one_sentence(fields, code, fragment) -> None:
    doc = Workspace(ROOT).load("swot")
    with pytest.raises(EditError) as exc:
        edit.update_item(doc, "S1", fields, "en")
    assert exc.value.code == code
    assert fragment in exc.value.message("en")
    assert exc.value.message("zh") != exc.value.message("en")


def test_add_update_move_delete_and_cascade() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.add_item(doc, "strengths", {"text": "New strength", "weight": "0.05", "rating": 4})
    assert d.strengths[-1].id == "S7" and d.strengths[-1].weight == 0.05
    d = edit.update_item(d, "S7", {"text": "新的优势"}, "zh")
    assert d.item("S7").text == "新的优势"  # a plain text stays plain
    d = edit.update_item(d, "S1", {"text": "Trust"}, "en")
    assert d.item("S1").text.en == "Trust" and d.item("S1").text.zh.startswith("工商银行")
    d = edit.move_item(d, "S7", -10)
    assert d.strengths[0].id == "S7"
    d = edit.delete_item(d, "S3")
    assert d.quadrant_of("S3") is None
    assert all("S3" not in s.pairs for s in d.strategies)
    assert all(r.id != "S3" for r in d.qspm.rows)
    with pytest.raises(EditError, match="no longer exists"):
        edit.delete_item(d, "S3")
    d = edit.delete_strategy(d, "WT1")
    assert "WT1" not in d.qspm.strategies and all("WT1" not in r.scores for r in d.qspm.rows)


def test_paste_several_lines_all_or_nothing() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.paste_items(doc, "threats", "- Price wars\t0.05\t1\n\n2. Fraud risk | 0.04 | 2\n• Plain line\n", "en")
    added = d.threats[-3:]
    assert [(i.id, i.text, i.weight, i.rating) for i in added] == [
        ("T6", "Price wars", 0.05, 1), ("T7", "Fraud risk", 0.04, 2), ("T8", "Plain line", 0.0, 2)]
    with pytest.raises(EditError) as exc:
        edit.paste_items(doc, "threats", "ok line\nbad line\tabc\n", "en")
    assert exc.value.message("en") == "Line 2: the weight “abc” is not a number."
    with pytest.raises(EditError, match="nothing to add"):
        edit.paste_items(doc, "threats", "\n  \n", "en")


def test_normalise_one_matrix_only() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.update_item(doc, "S1", {"weight": 0.5})
    d = edit.normalise(d, "IFE")
    assert round(sum(i.weight for i in d.items("strengths") + d.items("weaknesses")), 6) == 1.0
    assert [i.weight for i in d.opportunities] == [i.weight for i in doc.opportunities]


def test_grid_change_record_is_applied() -> None:
    doc = Workspace(ROOT).load("swot")
    delta = {"edited_rows": {"0": {"weight": 0.12}, 1: {"text": "Edited"}},
             "added_rows": [{"text": "From the grid", "weight": 0.02, "rating": 3}, {}],
             "deleted_rows": [5]}
    d = edit.apply_grid_edit(doc, "strengths", delta, "en")
    assert d.item("S1").weight == 0.12 and d.item("S2").text.en == "Edited"
    assert d.quadrant_of("S6") is None and d.strengths[-1].text == "From the grid"
    with pytest.raises(EditError) as exc:
        edit.apply_grid_edit(doc, "strengths", {"added_rows": [{"weight": 0.1}]}, "en")
    assert exc.value.message("en") == "Strengths, new row 1: the text is empty."


def test_qspm_and_space_edits() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.apply_qspm_edit(doc, [i.id for i in doc.items()], doc.qspm.strategies, {"5": {"SO1": 1}})
    w6 = doc.items()[5].id
    assert next(r for r in d.qspm.rows if r.id == w6).scores == {"SO1": 1}
    d = edit.set_qspm_row(d, w6, {"SO1": None})
    assert all(r.id != w6 for r in d.qspm.rows)
    with pytest.raises(EditError):
        edit.set_qspm_row(doc, "S1", {"SO1": 5})
    d = edit.set_space_rating(doc, "stability", "sp_tech", "-2")
    assert d.space.stability[0].rating == -2
    with pytest.raises(EditError):
        edit.set_space_rating(doc, "stability", "sp_tech", 2)
    assert edit.parse_levers("online_ad_spend = 12\nmembership_coverage: 50") == {
        "online_ad_spend": 12.0, "membership_coverage": 50.0}
    with pytest.raises(EditError):
        edit.parse_levers("online_ad_spend = lots")
    known = {"online_ad_spend": (0.0, 80.0, "CNY m per month")}
    assert edit.check_levers({"online_ad_spend": 12.0}, known, "WO1") == {"online_ad_spend": 12.0}
    with pytest.raises(EditError) as exc:
        edit.check_levers({"tv_ads": 1.0}, known, "WO1")
    assert exc.value.message("en") == "WO1: tv_ads is not a scenario lever; levers are online_ad_spend."
    with pytest.raises(EditError) as exc:
        edit.check_levers({"online_ad_spend": 99.0}, known, "WO1")
    assert exc.value.message("en") == "WO1: online_ad_spend = 99 is outside the lever's range 0–80 CNY m per month."


def test_every_error_code_of_the_area_has_an_english_and_a_chinese_sentence() -> None:
    text = "".join(p.read_text("utf-8") for p in (ROOT / "easymall" / "swot").glob("*.py"))
    codes = set(re.findall(r'(?:SwotError|EditError)\(\s*"([a-z_]+)"', text))
    assert len(codes) >= 25  # the pattern still finds the raises
    assert {c for c in codes if f"swot.err.{c}" not in catalogue()} == set()
    for code in codes:
        entry = catalogue()[f"swot.err.{code}"]
        assert entry["en"] != entry["zh"] and re.search(r"[\u4e00-\u9fff]", entry["zh"]), code


def test_an_edit_error_reads_in_chinese_with_the_field_and_the_model_rule_translated() -> None:
    doc = Workspace(ROOT).load("swot")
    with pytest.raises(EditError) as exc:
        edit.update_item(doc, "S1", {"weight": "abc"}, "zh")
    assert str(exc.value) == "S1: the weight “abc” is not a number."
    assert error_text(exc.value, "zh", "swot.err") == "S1：权重“abc”不是数字。"
    assert error_text(exc.value, "en", "swot.err") == str(exc.value)
    with pytest.raises(EditError) as exc:
        edit.set_qspm_row(doc, "S1", {"SO1": 5})
    assert exc.value.message("zh") == "S1 / SO1：吸引力评分 5 必须是 1 到 4 之间的整数。"

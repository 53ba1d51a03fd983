"""Edits of the marketing and scenarios documents: pure functions, one CodedError with a sentence in
both languages for every refusal."""
from __future__ import annotations

import re
from datetime import date

import pytest

from easymall.core.i18n import catalogue, error_text
from easymall.models.marketing import MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.scenario import edit, view
from easymall.scenario import model as sc
from easymall.store import parse_document
from tests.conftest import ROOT

DOC = parse_document("marketing", (ROOT / "config" / "marketing.yaml").read_text("utf-8"))
SCEN = parse_document("scenarios", (ROOT / "config" / "scenarios.yaml").read_text("utf-8"))
assert isinstance(DOC, MarketingDocument) and isinstance(SCEN, ScenariosDocument)
MODEL = sc.build_model(DOC)


def test_with_scenario_stores_only_changed_levers_and_a_unique_id() -> None:
    values = {**DOC.baseline(), "online_ad_spend": 20.0}
    doc, sid = edit.with_scenario(SCEN, MODEL, "Digital acquisition", "more ads", "Li Wei", values, "en",
                                  today=date(2017, 5, 1))
    assert sid == "digital_acquisition_2"  # the id is taken
    new = doc.get(sid)
    assert new.levers == {"online_ad_spend": 20.0} and new.author == "Li Wei" and new.created == "2017-05-01"
    assert len(doc.scenarios) == len(SCEN.scenarios) + 1
    doc2, sid2 = edit.with_scenario(doc, MODEL, "数字化", "", "王芳", values, "zh")
    assert sid2 == "scenario" and doc2.get(sid2).name.zh == "数字化"
    upd, same = edit.with_scenario(SCEN, MODEL, "Loyalty v2", "", "Li Wei", {**DOC.baseline(), "crm_touches": 5},
                                   "en", replace="loyalty_first")
    assert same == "loyalty_first" and upd.get(same).levers == {"crm_touches": 5.0}
    assert upd.get(same).name.zh == "忠诚度优先：会员、积分与售后"  # the other language is kept
    with pytest.raises(ValueError, match="name"):
        edit.with_scenario(SCEN, MODEL, "  ", "", "x", values, "en")
    assert edit.without_scenario(SCEN, "loyalty_first").get("loyalty_first") is None




def test_apply_action_edits_changes_only_the_current_language() -> None:
    frame = view.actions_frame(DOC, "price", "en")
    assert list(frame.index) == ["low_commission", "instalments", "points_to_cash"]
    new = edit.apply_action_edits(DOC, "price", {"edited_rows": {1: {"title": "Interest-free instalments", "cost": 55}}},
                                  "en")
    action = next(a for a in new.actions if a.id == "instalments")
    assert action.title.en == "Interest-free instalments" and action.title.zh == "信用卡免息分期"
    assert action.cost == 55
    added = edit.apply_action_edits(DOC, "price", {"added_rows": [{"title": "Member prices", "cost": 3,
                                                                   "levers": ["membership_coverage"]}]}, "en")
    assert added.actions[-1].id == "member_prices" and added.actions[-1].group == "price"
    deleted = edit.apply_action_edits(DOC, "price", {"deleted_rows": [0]}, "en")
    assert "low_commission" not in {a.id for a in deleted.actions}




def test_apply_action_edits_refuses_bad_values_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="budget"):
        edit.apply_action_edits(DOC, "price", {"edited_rows": {0: {"cost": -5}}}, "en")
    with pytest.raises(ValueError, match="unknown lever"):
        edit.apply_action_edits(DOC, "price", {"edited_rows": {0: {"levers": ["cashback"]}}}, "en")
    with pytest.raises(ValueError, match="cannot be empty"):
        edit.apply_action_edits(DOC, "price", {"edited_rows": {0: {"title": " "}}}, "en")




def test_apply_lever_edits_changes_only_the_current_language_and_refuses_bad_values() -> None:
    # typed in the Chinese scale: 1,000 万元/月 is 10 CNY m per month
    new = edit.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"value": 1000, "note": "新的说明"}}}, "zh")
    lever = new.lever("online_ad_spend")
    assert lever.value == 10 and lever.note.zh == "新的说明" and lever.note.en.startswith("Paid search")
    with pytest.raises(ValueError, match="outside its range"):
        edit.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"value": 500}}}, "en")
    with pytest.raises(ValueError, match="must be below max"):
        edit.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"min": 80}}}, "en")
    with pytest.raises(ValueError, match="lever online_ad_spend: triangular low 1.5 is above high 1"):
        edit.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"mc_low": 1.5}}}, "en")


def test_every_code_raised_in_the_scenario_area_has_a_sentence_in_both_languages() -> None:
    source = "".join(p.read_text("utf-8") for p in (ROOT / "easymall" / "scenario").glob("*.py"))
    codes = set(re.findall(r'code=f?"([a-z_.{}]+)"', source))
    assert {"err.name_needed", "err.invalid", "err.lever_clamped"} <= codes  # the pattern does find them
    entries = catalogue()
    assert {c for c in codes if f"strategy.{c}" not in entries} == set()
    assert all(entries[f"strategy.{c}"]["zh"] != entries[f"strategy.{c}"]["en"] for c in codes)


def test_edit_errors_read_in_chinese() -> None:
    with pytest.raises(edit.EditError) as exc:
        edit.with_scenario(SCEN, MODEL, " ", "", "x", DOC.baseline(), "zh")
    assert str(exc.value) == "Give the scenario a name."
    assert error_text(exc.value, "zh", "strategy") == "请为情景命名。"
    with pytest.raises(edit.EditError) as exc:
        edit.apply_action_edits(DOC, "price", {"edited_rows": {0: {"cost": "lots"}}}, "zh")
    assert error_text(exc.value, "zh", "strategy") == "行动 low_commission：预算须为不小于 0 的数字（万元）。"
    with pytest.raises(edit.EditError) as exc:
        edit.apply_lever_edits(DOC, "promotion", {"edited_rows": {0: {"step": "x"}}}, "zh")
    assert error_text(exc.value, "zh", "strategy") == "杠杆 online_ad_spend：step 必须是数字。"
    with pytest.raises(edit.EditError) as exc:  # a pydantic type error: its Chinese sentence from error.<type>
        edit.apply_action_edits(DOC, "price", {"added_rows": [{"title": "New", "cost": -1}]}, "zh")
    assert exc.value.code == "err.invalid" and str(exc.value) == "cost: Input should be greater than or equal to 0"
    assert error_text(exc.value, "zh", "strategy") == "cost：应大于或等于 0"


def test_lever_warnings_read_in_chinese() -> None:
    r = sc.resolve_levers(MODEL, {"online_ad_spend": 500, "crm_touches": "many"})
    clamped = next(w for w in r.warnings if w.code == "err.lever_clamped")
    assert str(clamped) == "lever online_ad_spend: 500 is outside 0–80 CNY m per month; clamped to 80"
    assert error_text(clamped, "zh", "strategy") == "杠杆 online_ad_spend：500 超出范围 0–80，已调整为 80"
    bad = next(w for w in r.warnings if w.code == "err.lever_not_number")
    assert error_text(bad, "zh", "strategy") == "杠杆 crm_touches：'many' 不是数字，保留基准值 1"

"""Pure edits of the STP document (what the page saves) and the stp → survey cross-references."""
from __future__ import annotations

import re

import pytest

from easymall.core.i18n import catalogue, error_text
from easymall.models.common import LocalizedText
from easymall.models.crossref import check_references
from easymall.models.stp import StpDocument
from easymall.stp import edit, view
from easymall.stp.clustering import members, run_clustering
from easymall.stp.rules import evaluate
from tests.conftest import ROOT
from tests.segments_data import make_dataset


def test_sample_stp_references_the_questionnaire(docs) -> None:
    assert [f for f in check_references(docs) if f[0] == "stp"] == []


def test_crossref_names_unknown_questions_options_and_rows(docs) -> None:
    data = docs["stp"].model_dump(mode="json")
    data["segments"][0]["rule"]["of"][0] = {"type": "answer", "question": "Q5", "op": "eq", "values": ["Yes"]}
    data["segments"][1]["rule"]["of"][0] = {"type": "answer", "question": "Q99", "op": "eq", "values": ["x"]}
    data["positioning"]["attributes"][0]["survey"]["row"] = "品质"
    data["explorer"][0]["questions"].append("Q42")
    found = check_references({"stp": StpDocument.model_validate(data), "survey": docs["survey"]})
    messages = {(path, msg) for _, path, msg in found}
    assert ("segments.0.rule", "segment credit_points: “Yes” is not an option of Q5 in survey.yaml") in messages
    assert ("segments.1.rule", "segment quality_seekers uses question Q99, which is not in survey.yaml") in messages
    assert ("positioning.attributes.0.survey", "attribute quality: “品质” is not a row of Q12 in survey.yaml") in messages
    assert ("explorer.0.questions", "question Q42 is not in survey.yaml") in messages


def test_add_cluster_segment_and_remove(docs) -> None:
    doc = docs["stp"]
    ds = make_dataset(600, seed=2)
    run = run_clustering(ds, ["Q2", "Q5", "Q6", "Q7"], k=3, seed=1, ordinal=["Q2", "Q6"])
    new, sid = edit.add_cluster_segment(doc, run, 2, {"en": "Seniors", "zh": "老年"})
    assert sid == "cluster_k3_3" and new.segment(sid).source == "cluster"
    again, sid2 = edit.add_cluster_segment(new, run, 2, "Seniors again")
    assert sid2 == "cluster_k3_3_2"
    mask = members(again.segment(sid2), ds)
    assert mask.sum() == (run.labels == 2).sum()
    assert [s.id for s in edit.remove_segment(again, sid).segments][-1] == sid2
    assert doc.segments[-1].id == "branch_seniors"  # the input is never mutated
    with pytest.raises(edit.EditError, match="no longer exists"):
        edit.remove_segment(doc, "nope")


def test_texts_keep_the_other_language(docs) -> None:
    doc = edit.rename_segment(docs["stp"], "credit_points", "en", "Card users")
    name = doc.segment("credit_points").name
    assert isinstance(name, LocalizedText) and name.en == "Card users" and name.zh == "信用卡分期与积分用户"
    doc = edit.set_statement(doc, "young_digital", "zh", {"need": "想省钱", "frame": "商城", "benefit": "价格低",
                                                      "reason": "银行补贴"})
    st = doc.segment("young_digital").statement
    assert st is not None and st.need == "想省钱"  # no earlier text: stored as is, shown in both languages
    with pytest.raises(edit.EditError, match="needs its “reason” part"):
        edit.set_statement(doc, "branch_seniors", "en", {"need": "a", "frame": "b", "benefit": "c", "reason": " "})
    with pytest.raises(edit.EditError, match="a segment needs a name"):
        edit.rename_segment(docs["stp"], "credit_points", "en", "   ")


def test_gates_ratings_targets_scores(docs) -> None:
    doc = edit.set_gates(docs["stp"], "young_digital", {"accessible": (True, "via the card app")}, "en")
    gate = doc.segment("young_digital").gates.accessible
    assert gate.passed is True and gate.note.en == "via the card app" and gate.note.zh.startswith("很少去网点")
    doc = edit.set_ratings(doc, {"young_digital": {"competition": 3, "size": 2}})
    assert doc.segment("young_digital").ratings == {"competition": 3, "fit": 2, "offer": 2, "size": 2}
    doc = edit.reset_measured(doc)
    assert "size" not in doc.segment("young_digital").ratings
    assert doc.segment("young_digital").ratings["competition"] == 3
    with pytest.raises(edit.EditError, match=r"segments\.3\.ratings\.fit: Input should be less than or equal to 5"):
        edit.set_ratings(doc, {"young_digital": {"fit": 9}})
    doc = edit.set_targets(doc, ["young_digital"])
    assert [s.id for s in doc.targets()] == ["young_digital"]
    doc = edit.set_scores(doc, competitors={"jd": {"price": 4.0, "finance": None}}, ideals={"young_digital": {"price": 5}})
    jd = next(c for c in doc.positioning.competitors if c.id == "jd")
    assert jd.scores["price"] == 4.0 and "finance" not in jd.scores
    assert doc.segment("young_digital").ideal["price"] == 5.0


def test_weights_validator_and_normalising(docs) -> None:
    with pytest.raises(edit.EditError, match="strength weights must sum to 1"):
        edit.set_weights(docs["stp"], "strength", {"access": 0.5})
    w = edit.normalised({"access": 0.5, "awareness": 0.2, "repurchase": 0.25, "offer": 0.25})
    assert sum(w.values()) == pytest.approx(1.0, abs=1e-9)
    doc = edit.set_weights(docs["stp"], "strength", w)
    assert {c.id: c.weight for c in doc.targeting.strength} == pytest.approx(w)
    with pytest.raises(edit.EditError, match="at least one weight"):
        edit.normalised({"a": 0.0})


def test_rule_builder_makes_structured_rules(docs) -> None:
    ds = make_dataset(500, seed=9)
    rule = edit.build_rule([edit.RulePart("Q5", "in", ("是",)), edit.RulePart("Q16", "between", (9.0, 10.0))], "all")
    mask = evaluate(rule, ds)
    expected = (ds.frame["Q5"] == "是") & ds.frame["Q16"].between(9, 10)
    assert mask.equals(expected.fillna(False))
    single = edit.build_rule([edit.RulePart("Q7", "not_in", ("拼多多",))])
    assert single.type == "answer" and single.op == "not_in"
    with pytest.raises(edit.EditError, match="choose at least one answer"):
        edit.build_rule([edit.RulePart("Q5", "in", ())])
    doc, sid = edit.add_rule_segment(docs["stp"], "Promoters at ICBC", rule)
    assert sid == "promoters_at_icbc" and doc.segment(sid).rule == rule and not doc.segment(sid).target
    _, sid2 = edit.add_rule_segment(doc, "推荐者", rule)
    assert sid2 == "segment"
    with pytest.raises(edit.EditError, match="needs a name"):
        edit.add_rule_segment(docs["stp"], "", rule)


def test_edit_errors_have_a_chinese_sentence_for_every_code() -> None:
    codes = set(re.findall(r'code=f?"([a-z_{}]+)"', "".join(p.read_text("utf-8") for p in (ROOT / "easymall" / "stp").glob("*.py"))))
    codes = {c for c in codes if "{" not in c} | {f"statement_{k}" for k in ("need", "frame", "benefit", "reason")}
    assert {c for c in codes if f"segments.err.{c}" not in catalogue()} == set()
    with pytest.raises(edit.EditError) as exc:
        edit.normalised({"a": 0.0, "b": 0.0})
    assert str(exc.value) == "at least one weight must be above 0"
    assert error_text(exc.value, "zh", "segments.err") == "至少有一个权重须大于 0"


def test_editor_changes_store_the_data_rating_as_none(docs) -> None:
    doc = docs["stp"]
    an = view.analyse(doc, make_dataset(600, seed=2), docs["survey"])
    sid = "credit_points"
    data_rating = an.rated[sid]["size"].data
    row = str([s.id for s in doc.segments].index(sid))
    seg_ids, crit_ids = [s.id for s in doc.segments], [c.id for c in doc.targeting.criteria()]
    changes = edit.rating_changes(an.rated, seg_ids, crit_ids, {row: {"size": data_rating, "fit": 2, "segment": "x"}})
    assert changes == {sid: {"size": None, "fit": 2}}
    assert edit.rating_changes(an.rated, seg_ids, crit_ids, {row: {"fit": None}}) == {sid: {"fit": None}}
    assert edit.gates_from_answers({"accessible": ("yes", "n"), "actionable": ("open", "")}) == {
        "accessible": (True, "n"), "actionable": (None, "")}
    assert edit.score_changes(["jd"], {"0": {"price": 4, "name": "JD", "finance": None}}) == {
        "jd": {"price": 4.0, "finance": None}}
    suggested = {"en": "Card users", "zh": "信用卡用户"}
    assert edit.cluster_name(suggested, " Card users ", "en") == suggested
    assert edit.cluster_name(suggested, "Points fans", "en") == "Points fans"


def test_validation_errors_read_in_chinese(docs) -> None:
    with pytest.raises(edit.EditError) as exc:
        edit.set_ratings(docs["stp"], {"young_digital": {"fit": 9}})
    assert error_text(exc.value, "zh", "segments.err") == "segments.3.ratings.fit：应小于或等于 5"

"""Question overrides from survey.yaml (imports.questions): another type, a split matrix, merged ratings."""
from __future__ import annotations

import pytest

from easymall.models.survey import QuestionOverride, SurveyDocument
from easymall.survey.datasets import parse_bytes
from easymall.survey.overrides import apply_overrides
from tests.unit.survey.platforms.conftest import PLATFORMS, load


def test_retype_split_and_merge() -> None:
    ds = load("surveymonkey.csv").dataset
    out, issues = apply_overrides(ds, [QuestionOverride(question="Q1", type="text"),
                                       QuestionOverride(question="Q4", split=True),
                                       QuestionOverride(question="Q3", type="matrix")])
    assert issues == []
    by = {q.id: q for q in out.questions}
    assert by["Q1"].type == "text" and out.frame.loc[1, "Q1"] == "Weekly"
    assert by["Q4_1"].type == "scale" and by["Q4_1"].title == "How satisfied are you with our service? — Speed"
    assert "Q4" not in by and out.frame["Q4_1"].tolist()[:3] == [5, 4, 3]
    assert by["Q3"].type == "matrix" and by["Q3"].rows == ["Price", "Delivery", "Service"]
    assert ds.question("Q1").type == "single"  # the shared dataset is untouched
    merged, _ = apply_overrides(out, [QuestionOverride(question="Q4_1", merge=["Q4_2"])])
    m = merged.question("Q4_1")
    assert m.type == "matrix" and len(m.rows) == 2 and not merged.has("Q4_2")


def test_an_override_that_does_not_fit_is_an_issue_not_a_crash() -> None:
    ds = load("surveymonkey.csv").dataset
    out, issues = apply_overrides(ds, [QuestionOverride(question="Q5", type="numeric"),
                                       QuestionOverride(question="Q9", type="text"),
                                       QuestionOverride(question="Q1", title="Something else entirely", type="text")])
    assert [i["code"] for i in issues] == ["override_failed", "override_unused", "override_unused"]
    assert out.question("Q5").type == "text" and out.question("Q1").type == "single"


def test_the_model_forbids_unknown_keys_and_empty_overrides() -> None:
    with pytest.raises(ValueError, match="extra"):
        QuestionOverride.model_validate({"question": "Q1", "type": "text", "colour": "red"})
    with pytest.raises(ValueError, match="needs a type, split or merge"):
        QuestionOverride(question="Q1")
    with pytest.raises(ValueError, match="split cannot be combined"):
        QuestionOverride(question="Q1", split=True, type="text")
    with pytest.raises(ValueError, match="String should match pattern"):
        SurveyDocument.model_validate({"imports": {"platforms": {"not-a-hash": "qualtrics"}}})


def test_survey_yaml_overrides_apply_at_the_next_import() -> None:
    data = (PLATFORMS / "tencent.csv").read_bytes()
    sig = parse_bytes(data, "t.csv").report.signature
    doc = SurveyDocument.model_validate({"imports": {
        "platforms": {sig: "generic"}, "questions": [{"question": "Q2", "title": "2.您的出生日期", "type": "text"}]}})
    loaded = parse_bytes(data, "t.csv", doc)
    assert loaded.report.platform == "generic"  # the platform kept for this export's signature
    assert loaded.dataset.question("Q2").type == "text"  # generic: 2.您的出生日期 read as a number, retyped
    assert parse_bytes(data, "t.csv", doc, platform="tencent").report.platform == "tencent"

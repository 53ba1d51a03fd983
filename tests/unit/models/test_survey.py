"""The questionnaire document: role validation and soft diagnostics."""
from __future__ import annotations

import pytest

from easymall.models.survey import SurveyDocument, diagnostics
from easymall.store import Workspace
from tests.conftest import ROOT
from tests.unit.survey.samples import roles_doc


def test_role_pointing_at_unknown_option_is_a_validation_error() -> None:
    data = roles_doc().model_dump()
    data["roles"]["trial"]["options"] = ["tried"]
    with pytest.raises(ValueError, match="tried is not an option of Q8"):
        SurveyDocument.model_validate(data)


def test_survey_diagnostics_are_soft_warnings() -> None:

    assert diagnostics(roles_doc()) == []
    data = roles_doc().model_dump()
    data["roles"]["nps"] = "Q14"  # a numeric question
    data["roles"]["repurchase"]["options"] = ["0"]
    doc = SurveyDocument.model_validate(data)
    assert diagnostics(doc) == [("role_type", "nps"), ("repurchase_not_subset", "repurchase")]


def test_the_workspace_questionnaire_has_no_warnings() -> None:

    doc = Workspace(ROOT).load("survey")
    assert diagnostics(doc) == []
    assert len(doc.questions) == 18 and doc.option_text("Q8", "用过", "en") == "Have used it"

"""Does the questionnaire in ``survey.yaml`` describe a question found in the data?

The same id is not enough: another survey may use Q1 for something else. Option order, translations
and KPI roles apply only to questions the questionnaire really describes.
"""
from __future__ import annotations

from easymall.models.survey import QuestionSpec, SurveyDocument, titles_match
from easymall.survey.dataset import Dataset, Question


def spec_matches(spec: QuestionSpec, q: Question) -> bool:
    """Whether the questionnaire's question ``spec`` describes the data's question ``q`` (same id is not
    enough: another survey may use Q1 for something else). Same type, and shared option labels or matrix
    rows; for a by-number export (option numbers) or a question without options, a resembling title."""
    if spec.type != q.type:
        return False
    if q.type in ("single", "multi", "ranking"):
        labels = {o.label for o in spec.options}
        found = [o for o in q.options if o]
        if found and sum(o in labels for o in found) >= 0.5 * len(found):
            return True
        coded = found and all(o.isdigit() and 1 <= int(o) <= len(labels) for o in found)
        return bool(coded) and titles_match(spec, q.title)
    if q.type == "matrix":
        rows = {o.label for o in spec.rows}
        return bool(q.rows) and sum(r in rows for r in q.rows) >= 0.5 * len(q.rows)
    return titles_match(spec, q.title)


def described(dataset: Dataset, doc: SurveyDocument, qid: str | None, types: tuple[str, ...] = ()) -> Question | None:
    """The data's question ``qid`` when it exists, has one of ``types`` and (if the questionnaire lists
    questions) is the questionnaire's question; else None."""
    if not qid or not dataset.has(qid):
        return None
    q = dataset.question(qid)
    if types and q.type not in types:
        return None
    spec = doc.spec(qid)
    if doc.questions and (spec is None or not spec_matches(spec, q)):
        return None
    return q

"""The Survey page's edits of ``survey.yaml``: each a pure function document → new document.

``imports.platforms`` keeps the platform an export is read as (by the export's column signature),
``imports.questions`` the question overrides (type, split, merge) — so the next export of the same
questionnaire needs no fixing."""
from __future__ import annotations

from easymall.models.survey import ImportSettings, QuestionOverride, SurveyDocument


def _with_imports(doc: SurveyDocument, imports: ImportSettings) -> SurveyDocument:
    return doc.model_copy(update={"imports": imports})


def with_platform(doc: SurveyDocument, signature: str, platform: str | None) -> SurveyDocument:
    """Read the export with ``signature`` as ``platform`` from now on (None: as its structure shows)."""
    platforms = {k: v for k, v in doc.imports.platforms.items() if k != signature}
    if platform is not None:
        platforms[signature] = platform
    return _with_imports(doc, ImportSettings.model_validate({**doc.imports.model_dump(), "platforms": platforms}))


def with_override(doc: SurveyDocument, override: QuestionOverride) -> SurveyDocument:
    """``override`` in place of any earlier one of the same question."""
    kept = [o for o in doc.imports.questions if o.question != override.question]
    return _with_imports(doc, ImportSettings(platforms=dict(doc.imports.platforms), questions=[*kept, override]))


def without_override(doc: SurveyDocument, question: str) -> SurveyDocument:
    kept = [o for o in doc.imports.questions if o.question != question]
    return _with_imports(doc, ImportSettings(platforms=dict(doc.imports.platforms), questions=kept))


__all__ = ["QuestionOverride", "with_override", "with_platform", "without_override"]

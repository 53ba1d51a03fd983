"""What the Survey page shows about an import's platform and lets the user correct: the platform
detected (or kept in ``survey.yaml``), the metadata found, and question overrides (type, split,
merge). Pure Python; each correction is checked on the stored file before it is saved, so a wrong
choice is refused with one sentence and the last good state stays."""
from __future__ import annotations

from dataclasses import dataclass

from easymall.core.i18n import error_text, t
from easymall.core.text import Lang
from easymall.models.survey import QuestionOverride, SurveyDocument
from easymall.store import Workspace
from easymall.survey.dataset import Question
from easymall.survey.datasets import Loaded, active_name, parse_bytes, stored_bytes
from easymall.survey.edit import with_override, with_platform, without_override
from easymall.survey.errors import SurveyImportError
from easymall.survey.overrides import OverrideError, apply_overrides, merge, retype, split
from easymall.survey.platforms import PLATFORMS
from easymall.survey.report import ImportReport

#: The platform picker: "auto" (as the file's structure shows) then every platform.
PLATFORM_CHOICES: tuple[str, ...] = ("auto", *PLATFORMS)
#: The types a question of each type can be read as instead.
RETYPES: dict[str, tuple[str, ...]] = {
    "single": ("text", "numeric", "scale", "multi"), "scale": ("single", "numeric", "text"),
    "numeric": ("scale", "single", "text"), "text": ("single", "numeric", "multi"), "multi": ("text",),
    "matrix": ("ranking",), "ranking": ("matrix",),
}
#: Question types that merge into one matrix.
MERGEABLE = ("scale", "numeric")


@dataclass(frozen=True)
class Change:
    """A checked correction: the new document to save, or the sentence saying why not."""

    doc: SurveyDocument | None
    message: str


def platform_label(platform: str, lang: Lang) -> str:
    return t(f"survey.platform_{platform}", lang)


def platform_line(report: ImportReport, lang: Lang) -> str:
    """Above an import report: the platform the export was read as."""
    return t("survey.report_platform_line", lang, platform=platform_label(report.platform or "generic", lang))


def platform_caption(report: ImportReport, doc: SurveyDocument, lang: Lang) -> str:
    """How the platform was chosen: detected from the file, or kept in survey.yaml."""
    name = platform_label(report.platform or "generic", lang)
    kept = doc.imports.platforms.get(report.signature)
    return t("survey.platform_kept" if kept else "survey.platform_detected", lang, platform=name)


def platform_choice(report: ImportReport, doc: SurveyDocument) -> str:
    """The picker's value: the platform kept for this export, else "auto"."""
    return doc.imports.platforms.get(report.signature) or "auto"


def metadata_rows(report: ImportReport, lang: Lang) -> list[dict[str, str]]:
    """The metadata columns found: the column's title and what it holds."""
    return [{t("survey.col_meta_column", lang): m["column"],
             t("survey.col_meta_holds", lang): t(f"survey.meta{m['key']}", lang)} for m in report.metadata]


def retype_choices(q: Question) -> tuple[str, ...]:
    return RETYPES.get(q.type, ())


def can_split(q: Question) -> bool:
    return q.type in ("matrix", "ranking")


def merge_choices(loaded: Loaded, q: Question) -> list[str]:
    """Questions that can join ``q`` as rows of one matrix."""
    if q.type not in MERGEABLE:
        return []
    return [x.id for x in loaded.dataset.questions if x.id != q.id and x.type in MERGEABLE]


def override_rows(doc: SurveyDocument, lang: Lang) -> list[tuple[str, str]]:
    """The overrides kept in survey.yaml: (question id, what it does) for the list under the editor."""
    out = []
    for o in doc.imports.questions:
        if o.split:
            what = t("survey.override_does_split", lang)
        elif o.merge:
            what = t("survey.override_does_merge", lang, questions=", ".join(o.merge))
        else:
            what = ""
        if o.type:
            typed = t("survey.override_does_type", lang, type=t(f"survey.type_{o.type}", lang))
            what = f"{what}; {typed}" if what else typed
        out.append((o.question, what))
    return out


def set_platform(ws: Workspace, loaded: Loaded, doc: SurveyDocument, choice: str, lang: Lang) -> Change:
    """Read this export (and the next with the same columns) as ``choice`` ("auto": as detected),
    once the stored file has been read that way."""
    platform = None if choice == "auto" else choice
    new = with_platform(doc, loaded.report.signature, platform)
    name = active_name(ws)
    if name is None:
        return Change(None, t("survey.no_dataset", lang))
    try:
        data, file = stored_bytes(ws, name)
        parse_bytes(data, file, new, platform=platform)
    except SurveyImportError as exc:
        return Change(None, t("survey.platform_refused", lang, message=error_text(exc, lang, "import").rstrip(".")))
    except KeyError:
        return Change(None, t("survey.no_dataset", lang))
    label = platform_label(platform or loaded.report.platform or "generic", lang)
    return Change(new, t("survey.platform_saved", lang, platform=label))


def set_override(loaded: Loaded, doc: SurveyDocument, qid: str, *, type: str | None = None,  # noqa: A002
                 split_rows: bool = False, merge_with: list[str] | None = None, lang: Lang) -> Change:
    """Keep an override of question ``qid`` once it applies to the active dataset."""
    q = loaded.dataset.question(qid)
    try:
        override = QuestionOverride(question=qid, title=q.title, type=type, split=split_rows, merge=merge_with or [])
    except ValueError:
        return Change(None, t("survey.override_nothing", lang))
    _, issues = apply_overrides(loaded.dataset, [override])
    if issues:
        return Change(None, t("survey.override_refused", lang, message=_reason(loaded, q, override, lang)))
    return Change(with_override(doc, override), t("survey.override_saved", lang, question=qid))


def _reason(loaded: Loaded, q: Question, o: QuestionOverride, lang: Lang) -> str:
    frame = loaded.dataset.frame.copy()
    try:
        if o.split:
            split(frame, q, set())
        elif o.merge:
            merge(frame, q, [loaded.dataset.question(m) for m in o.merge if loaded.dataset.has(m)])
        if o.type:
            retype(loaded.dataset, frame, q, o.type)
    except OverrideError as exc:
        return error_text(exc, lang, "override").rstrip(".")
    return qid_sentence(q.id, lang)


def qid_sentence(qid: str, lang: Lang) -> str:
    return t("survey.override_unfit", lang, question=qid)


def remove_override(doc: SurveyDocument, qid: str, lang: Lang) -> Change:
    return Change(without_override(doc, qid), t("survey.override_removed", lang, question=qid))

"""Model of ``config/survey.yaml``: the questionnaire (with English translations) and KPI roles.

The questionnaire says, for each question id of the export (``Q1`` ...), its title in both
languages, its type and its options in questionnaire order; option ``label`` is the text as it
appears in the data (the by-text Wenjuanxing export), ``en`` its translation. ``roles`` map the
Easy Mall KPIs (awareness, trial, usage, repurchase, NPS, acquisition channel, satisfaction, order
value) to questions and answer options, so any questionnaire with the same meaning can be
measured. ``quality`` holds the thresholds of the quality flags.

Which stored dataset is active is *not* kept here: it is workspace data
(``data/active.json``, see :mod:`easymall.survey.datasets`), so switching datasets does not
create document revisions.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from easymall.core.text import Lang, text_in
from easymall.models.common import Document, Id, StrictModel, Text, invalid, require_unique

QuestionType = Literal["single", "multi", "matrix", "scale", "ranking", "numeric", "text"]


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
#: a by-number export names an option group only by its number ("第7题")
PLACEHOLDER_TITLE = re.compile(r"^第\s*\d+\s*题$")


def titles_match(spec: QuestionSpec, data_title: str) -> bool:
    """Whether a title found in the data is this question's (a third or more of the characters of the
    questionnaire's Chinese title occur in it): "您的性别" is 性别, "您今后还会在融e购购买吗" is 再次购买意愿,
    "请问您是中兴员工吗" is not 性别."""
    want = _PUNCT.sub("", text_in(spec.title, "zh"))
    have = set(_PUNCT.sub("", data_title))
    return bool(want) and sum(ch in have for ch in want) >= len(want) / 3


class Option(StrictModel):
    """An answer option (or matrix row): the label in the data and its English translation."""

    label: str = Field(min_length=1, max_length=200)
    en: str = Field("", max_length=200)


class QuestionSpec(StrictModel):
    id: Id
    title: Text
    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    rows: list[Option] = Field(default_factory=list, description="matrix rows")
    scale_min: int | None = None
    scale_max: int | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> QuestionSpec:
        require_unique([o.label for o in self.options], "option of {question}", "duplicate_option", question=self.id)
        require_unique([o.label for o in self.rows], "row of {question}", "duplicate_row", question=self.id)
        if self.type in ("single", "multi", "ranking") and not self.options:
            raise invalid("question_needs_options", "{question}: a {type} question needs options",
                          question=self.id, type=self.type)
        if self.type == "matrix" and not self.rows:
            raise invalid("question_needs_rows", "{question}: a matrix question needs rows", question=self.id)
        if (self.scale_min is None) != (self.scale_max is None):
            raise invalid("question_scale_pair", "{question}: give both scale_min and scale_max", question=self.id)
        if self.scale_min is not None and self.scale_max is not None and self.scale_min >= self.scale_max:
            raise invalid("question_scale_order", "{question}: scale_min must be below scale_max", question=self.id)
        return self


class SelectRole(StrictModel):
    """A question and the answer options that count for a KPI."""

    question: Id
    options: list[str] = Field(min_length=1)


class Roles(StrictModel):
    """Which question measures what (each optional: a KPI without its role is not computed)."""

    awareness: SelectRole | None = Field(None, description="options meaning 'has heard of Easy Mall'")
    trial: SelectRole | None = Field(None, description="options meaning 'has used it'")
    usage: SelectRole | None = Field(None, description="options meaning 'bought in the past year'")
    repurchase: SelectRole | None = Field(None, description="options meaning 'two or more purchases'")
    nps: Id | None = Field(None, description="a 0-10 recommendation question")
    channel_branch: SelectRole | None = None
    channel_digital: SelectRole | None = None
    satisfaction: Id | None = Field(None, description="a matrix of 1-5 satisfaction ratings")
    order_value: Id | None = Field(None, description="a numeric question: average order value, yuan")
    non_use_reasons: Id | None = Field(None, description="a multi-choice question")
    weight: str | None = Field(None, description="a numeric column holding respondent weights")


#: The platforms an export may come from (:mod:`easymall.survey.platforms`).
Platform = Literal["wenjuanxing", "qualtrics", "surveymonkey", "google-forms", "tencent", "alchemer", "spss",
                   "generic"]
#: An export's column signature (the import report's ``signature``: 12 hex digits).
Signature = Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")]


class QuestionOverride(StrictModel):
    """How one question of an import is read, whatever the importer inferred: another ``type``,
    ``split`` into one question per row (a matrix or ranking), or other questions ``merge``d into it
    as the rows of one matrix. With ``title`` it applies only to a question whose title resembles it."""

    question: Id
    title: str | None = Field(None, max_length=500, description="the question's title in the data")
    type: QuestionType | None = None
    split: bool = Field(False, description="one question per row of a matrix or ranking")
    merge: list[Id] = Field(default_factory=list, description="questions joined into this one as matrix rows")

    @model_validator(mode="after")
    def _check(self) -> QuestionOverride:
        if self.type is None and not self.split and not self.merge:
            raise invalid("override_empty", "{question}: an override needs a type, split or merge",
                          question=self.question)
        if self.split and (self.merge or self.type):
            raise invalid("override_split_alone", "{question}: split cannot be combined with type or merge",
                          question=self.question)
        if self.question in self.merge:
            raise invalid("override_merge_self", "{question}: a question cannot be merged into itself",
                          question=self.question)
        return self


class ImportSettings(StrictModel):
    """What the user corrected in an import, kept so that the next export of the same questionnaire
    needs no fixing: the platform of an export (by its column signature) and question overrides."""

    platforms: dict[Signature, Platform] = Field(default_factory=dict,
                                                 description="export signature → the platform it is read as")
    questions: list[QuestionOverride] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> ImportSettings:
        require_unique([q.question for q in self.questions], "question override", "duplicate_override")
        return self


class QualitySettings(StrictModel):
    speeder_ratio: float = Field(0.3, gt=0, lt=1, description="speeder: duration below ratio x median")
    ip_repeat_min: int = Field(3, ge=2, description="an IP seen this many times or more is flagged")
    straightline_min_rows: int = Field(4, ge=2, description="matrix rows needed to call a straight line")
    expected_regions: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50,
        description="where the survey ran (country, province or city names, e.g. 广东, 深圳): a respondent whose "
                    "recorded location matches none of them is flagged; none set, no flag")


class SurveyDocument(Document):
    """config/survey.yaml."""

    title: Text = "Survey"
    description: Text | None = None
    max_upload_mb: int = Field(200, ge=1, le=2000, description="largest upload accepted, MB")
    # what an upload may hold, checked before any reader builds a table (easymall.survey.limits)
    max_unpacked_mb: int = Field(1000, ge=1, le=20000,
                                 description="largest total unpacked size of an .xlsx workbook's parts, MB")
    max_zip_ratio: int = Field(100, ge=2, le=10000,
                               description="largest compression ratio of an .xlsx part (a zip bomb has thousands)")
    max_columns: int = Field(5000, ge=10, le=100000, description="most columns an upload may have")
    max_rows: int = Field(500000, ge=10, le=10000000, description="most answer rows an upload may have")
    max_cells: int = Field(50000000, ge=1000, le=1000000000, description="most cells (rows x columns)")
    parse_memory_mb: int = Field(3000, ge=256, le=65536,
                                 description="memory (address space) the reader of one upload may use, MB")
    parse_timeout_s: int = Field(180, ge=5, le=3600, description="seconds the reader of one upload may take")
    multi_separator: str | None = Field(
        None, min_length=1, max_length=3,
        description="separator of multi-choice answers in generic CSV/Excel files (detected when not set)")
    questions: list[QuestionSpec] = Field(default_factory=list)
    roles: Roles = Field(default_factory=Roles)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    imports: ImportSettings = Field(default_factory=ImportSettings)

    @model_validator(mode="after")
    def _check_roles(self) -> SurveyDocument:
        require_unique([q.id for q in self.questions], "question", "duplicate_question")
        if not self.questions:
            return self
        by_id = {q.id: q for q in self.questions}
        for role, value in self.roles:
            if value is None or role == "weight":
                continue
            qid = value.question if isinstance(value, SelectRole) else value
            if qid not in by_id:
                raise invalid("role_unknown_question", "roles.{role}: question {question} is not in the questionnaire",
                              role=role, question=qid)
            if isinstance(value, SelectRole):
                known = {o.label for o in by_id[qid].options}
                unknown = [o for o in value.options if o not in known]
                if unknown:
                    raise invalid("role_unknown_option", "roles.{role}: {options} is not an option of {question}",
                                  role=role, options=", ".join(unknown), question=qid)
        return self

    def spec(self, qid: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.id == qid), None)

    def question_title(self, qid: str, lang: Lang, fallback: str = "") -> str:
        """The questionnaire's title for ``qid`` in ``lang``; ``fallback`` (the title found in the data)
        when the questionnaire does not know the question — or when a different survey happens to use
        the same id (its title does not resemble the questionnaire's)."""
        spec = self.spec(qid)
        if spec is None or (fallback and not titles_match(spec, fallback)):
            return fallback or qid
        return text_in(spec.title, lang)

    def option_text(self, qid: str, label: str, lang: Lang) -> str:
        """An option or matrix-row label in ``lang`` (the data label when no translation is given)."""
        if lang == "zh":
            return label
        spec = self.spec(qid)
        if spec is not None:
            for o in (*spec.options, *spec.rows):
                if o.label == label:
                    return o.en or label
        return label


#: The question type each single-question role expects.
_ROLE_TYPES = {"nps": ("scale",), "satisfaction": ("matrix", "scale"), "order_value": ("numeric",),
               "non_use_reasons": ("multi",)}


def diagnostics(doc: SurveyDocument) -> list[tuple[str, str]]:
    """Soft rules as ``(code, role or question id)`` warnings (the document still loads):

    * ``role_type`` — a role points at a question of an unexpected type (NPS needs a 0–10 scale …);
    * ``nps_not_0_10`` — the NPS question's scale is not 0–10;
    * ``repurchase_not_subset`` — repurchase options that are not usage options (2+ purchases must be
      a subset of 1+ purchases).
    """
    out: list[tuple[str, str]] = []
    for role, types in _ROLE_TYPES.items():
        qid = getattr(doc.roles, role)
        spec = doc.spec(qid) if qid else None
        if spec is not None and spec.type not in types:
            out.append(("role_type", role))
    nps = doc.spec(doc.roles.nps) if doc.roles.nps else None
    if nps is not None and nps.type == "scale" and (nps.scale_min, nps.scale_max) not in ((0, 10), (None, None)):
        out.append(("nps_not_0_10", nps.id))
    use, rep = doc.roles.usage, doc.roles.repurchase
    if use and rep and (use.question != rep.question or not set(rep.options) <= set(use.options)):
        out.append(("repurchase_not_subset", "repurchase"))
    return out

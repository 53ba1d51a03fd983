"""Model of ``config/stp.yaml``: segmentation, targeting and positioning (STP).

* **Segmentation** — the bases used (``bases``), the variable groups offered for clustering
  (``clustering``) and the segments. A segment is either ``source: rule`` with a structured
  condition over survey questions (:data:`Condition`: ``all`` / ``any`` / ``not`` / ``answer``;
  nothing is ever evaluated as text), or ``source: cluster`` with the frozen k-means model it was
  saved from (:class:`ClusterModel`: encoding and centroids; a respondent belongs to the segment
  when this centroid is the nearest one).
* **Kotler's gates** per segment (measurable, substantial, accessible, differentiable,
  actionable), each a yes / no / not yet judged with a note.
* **Targeting** — GE–McKinsey criteria for market attractiveness and business strength with
  weights summing to 1 per dimension; ratings 1–5 per segment (a criterion with a ``measure`` is
  rated from the survey unless the segment overrides it); ``target: true`` marks chosen targets.
* **Positioning** — perceptual attributes (optionally tied to a satisfaction matrix row of the
  survey), competitors with 1–5 scores, each segment's ideal point and a positioning statement
  (for [segment] who [need], Easy Mall is the [frame] that [benefit] because [reason]).

Soft textbook rules (a target that failed a gate, a target without a statement ...) are
warnings from :func:`diagnostics`, not validation errors.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from easymall.models.common import Document, Id, StrictModel, Text, by_id, invalid, require_unique

# --------------------------------------------------------------------------- conditions

Op = Literal["in", "not_in", "eq", "gte", "lte", "between"]
Value = str | float
_ARITY = {"in": (1, 200), "not_in": (1, 200), "eq": (1, 1), "gte": (1, 1), "lte": (1, 1), "between": (2, 2)}


class AnswerCondition(StrictModel):
    """One answer test: ``question`` (and for a matrix, its ``row``) compared by ``op`` with ``values``.

    * single: ``in``/``not_in``/``eq`` compare the option label; ``gte``/``lte``/``between`` use the
      questionnaire's option order (``Q4 gte 8001-15000元`` = that income band or higher).
    * multi: ``in`` = chose any of the options, ``not_in`` = answered and chose none, ``eq`` = chose
      that option; ``gte``/``lte``/``between`` compare how many options were chosen.
    * matrix (with ``row``), scale, numeric: numeric comparisons.
    A skipped question never matches (``not`` of it does).
    """

    type: Literal["answer"]
    question: Id
    row: str | None = Field(None, max_length=200, description="matrix row label (matrix questions only)")
    op: Op
    values: list[Value] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _arity(self) -> AnswerCondition:
        low, high = _ARITY[self.op]
        if not low <= len(self.values) <= high:
            params = {"question": self.question, "op": self.op, "n": len(self.values)}
            if high == 1:
                raise invalid("condition_needs_one", "{question}: op {op} needs one value, got {n}", **params)
            if low == 2:
                raise invalid("condition_needs_two", "{question}: op {op} needs two values (low, high), got {n}",
                              **params)
            raise invalid("condition_needs_some", "{question}: op {op} needs at least one value, got {n}", **params)
        if self.op == "between":
            a, b = self.values
            if isinstance(a, float | int) and isinstance(b, float | int) and a > b:
                raise invalid("condition_between_order", "{question}: between needs low ≤ high, got {low} > {high}",
                              question=self.question, low=a, high=b)
        return self


class AllCondition(StrictModel):
    """Every sub-condition holds."""

    type: Literal["all"]
    of: list[Condition] = Field(min_length=1, max_length=50)


class AnyCondition(StrictModel):
    """At least one sub-condition holds."""

    type: Literal["any"]
    of: list[Condition] = Field(min_length=1, max_length=50)


class NotCondition(StrictModel):
    """The sub-condition does not hold."""

    type: Literal["not"]
    of: Condition


Condition = Annotated[AllCondition | AnyCondition | NotCondition | AnswerCondition, Field(discriminator="type")]
AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


def condition_answers(cond: Condition) -> list[AnswerCondition]:
    """Every ``answer`` leaf of a condition, depth first."""
    if isinstance(cond, AnswerCondition):
        return [cond]
    if isinstance(cond, NotCondition):
        return condition_answers(cond.of)
    return [leaf for sub in cond.of for leaf in condition_answers(sub)]


# --------------------------------------------------------------------------- segmentation

BasisKind = Literal["demographic", "geographic", "behavioural", "psychographic", "benefit"]


class Basis(StrictModel):
    """A segmentation basis (Kotler): what kind of variable splits the market, and which questions."""

    id: Id
    kind: BasisKind
    label: Text
    questions: list[Id] = Field(default_factory=list)
    note: Text | None = None


class VariableGroup(StrictModel):
    """A group of questions offered together for clustering (demographics, behaviour, attitudes)."""

    id: Id
    label: Text
    questions: list[Id] = Field(min_length=1)


class Clustering(StrictModel):
    """Defaults for data-driven segmentation."""

    groups: list[VariableGroup] = Field(default_factory=list)
    default_variables: list[Id] = Field(default_factory=list)
    ordinal: list[Id] = Field(default_factory=list, description="single-choice questions whose options are ordered")
    seed: int = Field(2017, ge=0, le=2**31 - 1)
    k_min: int = Field(2, ge=2, le=12)
    k_max: int = Field(8, ge=2, le=12)

    @model_validator(mode="after")
    def _check(self) -> Clustering:
        require_unique([g.id for g in self.groups], "variable group", "duplicate_variable_group")
        if self.k_min > self.k_max:
            raise invalid("k_order", "k_min ({k_min}) must not exceed k_max ({k_max})", k_min=self.k_min, k_max=self.k_max)
        return self


EncodingKind = Literal["nominal", "ordinal", "multi", "matrix", "numeric", "log"]


class EncodedVariable(StrictModel):
    """How one question became feature columns, with the centre and scale of each column.

    ``parts``: option labels (nominal: one 0/1 column each; ordinal: the order, one rank column;
    multi: one 0/1 column each), matrix row labels (one column each) or nothing (numeric, log).
    """

    question: Id
    kind: EncodingKind
    parts: list[str] = Field(default_factory=list)
    center: list[float] = Field(min_length=1)
    scale: list[float] = Field(min_length=1)

    def width(self) -> int:
        return len(self.parts) if self.kind in ("nominal", "multi", "matrix") else 1

    @model_validator(mode="after")
    def _check(self) -> EncodedVariable:
        if self.kind != "numeric" and self.kind != "log" and not self.parts:
            raise invalid("variable_needs_parts", "{question}: a {kind} variable needs its option or row labels",
                          question=self.question, kind=self.kind)
        if len(self.center) != self.width() or len(self.scale) != self.width():
            raise invalid("variable_width", "{question}: center and scale need {width} value(s) each",
                          question=self.question, width=self.width())
        if any(s <= 0 for s in self.scale):
            raise invalid("variable_scale_positive", "{question}: scale values must be positive", question=self.question)
        return self


class ClusterModel(StrictModel):
    """A k-means model frozen when a cluster was saved as a segment; membership = nearest centroid."""

    dataset: str = Field("", max_length=200, description="the dataset it was fitted on")
    k: int = Field(ge=2, le=12)
    seed: int = Field(ge=0)
    cluster: int = Field(ge=0, description="0-based index of this segment's centroid")
    variables: list[EncodedVariable] = Field(min_length=1)
    centroids: list[list[float]]

    @model_validator(mode="after")
    def _check(self) -> ClusterModel:
        if len(self.centroids) != self.k:
            raise invalid("centroid_count", "cluster model needs {k} centroids, has {n}", k=self.k, n=len(self.centroids))
        if self.cluster >= self.k:
            raise invalid("cluster_out_of_range", "cluster {cluster} is out of range for k = {k}",
                          cluster=self.cluster, k=self.k)
        width = sum(v.width() for v in self.variables)
        if any(len(c) != width for c in self.centroids):
            raise invalid("centroid_width", "every centroid needs {width} coordinates (one per encoded column)", width=width)
        return self


#: A GE–McKinsey rating (1 poor … 5 excellent) and a perceptual score on the 1–5 satisfaction scale.
Rating = Annotated[int, Field(ge=1, le=5)]
Score = Annotated[float, Field(ge=1, le=5)]


class Gate(StrictModel):
    """One of Kotler's gates: ``passed`` true / false / null (not judged yet) and why."""

    passed: bool | None = None
    note: Text | None = None


GATES = ("measurable", "substantial", "accessible", "differentiable", "actionable")


class Gates(StrictModel):
    """Kotler's five tests of a useful segment."""

    measurable: Gate = Field(default_factory=Gate)
    substantial: Gate = Field(default_factory=Gate)
    accessible: Gate = Field(default_factory=Gate)
    differentiable: Gate = Field(default_factory=Gate)
    actionable: Gate = Field(default_factory=Gate)

    def failed(self) -> list[str]:
        return [g for g in GATES if getattr(self, g).passed is False]


class Statement(StrictModel):
    """For [segment] who [need], Easy Mall is the [frame] that [benefit] because [reason]."""

    need: Text
    frame: Text
    benefit: Text
    reason: Text


class Segment(StrictModel):
    id: Id
    name: Text
    description: Text | None = None
    source: Literal["rule", "cluster"]
    rule: Condition | None = None
    cluster: ClusterModel | None = None
    gates: Gates = Field(default_factory=Gates)
    ratings: dict[Id, Rating] = Field(default_factory=dict, description="criterion id → 1..5 (overrides data)")
    target: bool = False
    ideal: dict[Id, Score] = Field(default_factory=dict, description="attribute id → ideal score 1..5")
    statement: Statement | None = None

    @model_validator(mode="after")
    def _check(self) -> Segment:
        if self.source == "rule" and self.rule is None:
            raise invalid("segment_needs_rule", "segment {id}: a rule segment needs a rule", id=self.id)
        if self.source == "cluster" and self.cluster is None:
            raise invalid("segment_needs_cluster", "segment {id}: a cluster segment needs its cluster model", id=self.id)
        if self.source == "rule" and self.cluster is not None:
            raise invalid("segment_rule_has_cluster", "segment {id}: a rule segment has no cluster model", id=self.id)
        return self


# --------------------------------------------------------------------------- targeting

class Measure(StrictModel):
    """A share computed from the survey per segment: members meeting ``condition`` among ``base``."""

    id: Id
    label: Text
    condition: Condition
    base: Condition | None = Field(None, description="only members meeting this count (all when absent)")
    note: Text | None = None


class Criterion(StrictModel):
    """A GE–McKinsey criterion: weight within its dimension; rated 1–5 per segment.

    With ``measure`` (``size`` or a measure id) the rating comes from the survey: 1 + the number of
    ``thresholds`` the segment's value reaches.
    """

    id: Id
    label: Text
    weight: float = Field(ge=0, le=1)
    measure: Id | None = None
    thresholds: list[float] = Field(default_factory=list, description="four ascending cut points for ratings 2..5")
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> Criterion:
        if self.measure is not None:
            if len(self.thresholds) != 4:
                raise invalid("criterion_thresholds", "criterion {id}: a measured criterion needs four thresholds", id=self.id)
            if any(b < a for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
                raise invalid("criterion_thresholds_order", "criterion {id}: thresholds must ascend", id=self.id)
        return self


WEIGHT_TOLERANCE = 0.005


class Targeting(StrictModel):
    measures: list[Measure] = Field(default_factory=list)
    attractiveness: list[Criterion] = Field(min_length=1)
    strength: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Targeting:
        require_unique([m.id for m in self.measures], "measure", "duplicate_measure")
        require_unique([c.id for c in self.attractiveness + self.strength], "criterion", "duplicate_criterion")
        known = {"size"} | {m.id for m in self.measures}
        for dim in ("attractiveness", "strength"):
            crits: list[Criterion] = getattr(self, dim)
            total = sum(c.weight for c in crits)
            if abs(total - 1) > WEIGHT_TOLERANCE:
                sums = {"dim": dim, "total": f"{total:.3f}"}
                if dim == "attractiveness":
                    raise invalid("attractiveness_weights_sum", "{dim} weights must sum to 1, they sum to {total}", **sums)
                raise invalid("strength_weights_sum", "{dim} weights must sum to 1, they sum to {total}", **sums)
            for c in crits:
                if c.measure is not None and c.measure not in known:
                    raise invalid("criterion_unknown_measure", "criterion {id}: unknown measure {measure} (known: {known})",
                                  id=c.id, measure=repr(c.measure), known=", ".join(sorted(known)))
        return self

    def criteria(self) -> list[Criterion]:
        return [*self.attractiveness, *self.strength]


# --------------------------------------------------------------------------- positioning

class SurveyLink(StrictModel):
    """A matrix row of the survey measuring this attribute for Easy Mall (respondents' mean)."""

    question: Id
    row: str = Field(min_length=1, max_length=200)


class Attribute(StrictModel):
    id: Id
    label: Text
    survey: SurveyLink | None = None
    easy_mall: float | None = Field(None, ge=1, le=5, description="Easy Mall's score when the survey lacks it")


class Competitor(StrictModel):
    id: Id
    name: Text
    scores: dict[Id, Score] = Field(default_factory=dict, description="attribute id → 1..5")
    source: Text | None = None


class Positioning(StrictModel):
    attributes: list[Attribute] = Field(min_length=2)
    competitors: list[Competitor] = Field(default_factory=list)
    x: Id | None = Field(None, description="attribute on the map's x axis (two-attribute map)")
    y: Id | None = None

    @model_validator(mode="after")
    def _check(self) -> Positioning:
        require_unique([a.id for a in self.attributes], "attribute", "duplicate_attribute")
        require_unique([c.id for c in self.competitors], "competitor", "duplicate_competitor")
        ids = {a.id for a in self.attributes}
        for c in self.competitors:
            unknown = sorted(set(c.scores) - ids)
            if unknown:
                raise invalid("competitor_unknown_attributes", "competitor {id}: unknown attribute(s) {attributes}",
                              id=c.id, attributes=", ".join(unknown))
        for axis in (self.x, self.y):
            if axis is not None and axis not in ids:
                raise invalid("axis_unknown", "map axis {axis} is not an attribute", axis=repr(axis))
        return self


# --------------------------------------------------------------------------- explorer

class CompareBlock(StrictModel):
    """A block of the segment comparison: questions shown side by side (``nps``: a 0–10 NPS question)."""

    id: Id
    label: Text
    questions: list[Id] = Field(min_length=1)
    stat: Literal["auto", "nps"] = "auto"


# --------------------------------------------------------------------------- document

class StpDocument(Document):
    """config/stp.yaml."""

    bases: list[Basis] = Field(default_factory=list)
    clustering: Clustering = Field(default_factory=Clustering)
    explorer: list[CompareBlock] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    targeting: Targeting
    positioning: Positioning

    @model_validator(mode="after")
    def _check(self) -> StpDocument:
        require_unique([b.id for b in self.bases], "basis", "duplicate_basis")
        require_unique([s.id for s in self.segments], "segment", "duplicate_segment")
        require_unique([b.id for b in self.explorer], "explorer block", "duplicate_explorer_block")
        crits = {c.id for c in self.targeting.criteria()}
        attrs = {a.id for a in self.positioning.attributes}
        for s in self.segments:
            unknown = sorted(set(s.ratings) - crits)
            if unknown:
                raise invalid("segment_unknown_criterion", "segment {id}: rating for unknown criterion {criteria}",
                              id=s.id, criteria=", ".join(unknown))
            unknown = sorted(set(s.ideal) - attrs)
            if unknown:
                raise invalid("segment_unknown_attribute", "segment {id}: ideal point on unknown attribute {attributes}",
                              id=s.id, attributes=", ".join(unknown))
        return self

    def segment(self, sid: str) -> Segment:
        return by_id(self.segments, sid, "segment")

    def targets(self) -> list[Segment]:
        return [s for s in self.segments if s.target]


def diagnostics(doc: StpDocument) -> list[tuple[str, str]]:
    """Soft textbook rules as ``(code, segment id)`` warnings; the page words them."""
    out: list[tuple[str, str]] = []
    for s in doc.segments:
        if s.target and s.gates.failed():
            out.append(("target_failed_gate", s.id))
        if s.target and s.statement is None:
            out.append(("target_without_statement", s.id))
        if s.statement is not None and not s.target:
            out.append(("statement_not_target", s.id))
    if doc.segments and not doc.targets():
        out.append(("no_target", ""))
    return out

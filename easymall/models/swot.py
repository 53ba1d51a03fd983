"""Model of ``config/swot.yaml``: the SWOT items, TOWS strategies, SPACE inputs and QSPM scores.

Hard rules (validation errors, never saved): value ranges (weight 0–1, rating 1–4, SPACE ratings
+1…+7 / −7…−1, attractiveness 1–4), non-empty texts of at most 2,000 characters, enum types and
ids unique across the whole document.

Soft textbook rules a user must be able to pass through while editing (weights summing to 1.0
per matrix, strengths rated 3–4, 10–20 factors, a TOWS strategy pairing the right quadrants, the
QSPM all-or-none rule, references between parts) live in :mod:`easymall.swot` as diagnostics,
and references to other documents in :mod:`easymall.models.crossref`.

Layout::

    revision: 3
    as_of: 2017
    strengths:                      # also weaknesses, opportunities, threats
      - id: S1
        text: {en: ..., zh: ...}
        weight: 0.12                # share of the IFE (S+W) or EFE (O+T) matrix, 0–1
        rating: 4                   # IFE: 1 major weakness … 4 major strength; EFE: 1 poor … 4 superior response
        evidence: [nps, yuebao_2017]   # survey KPI ids or market fact ids
        tags: [trust]
        owner: Li Wei
    strategies:
      - {id: SO1, type: SO, text: ..., pairs: [S1, O2], priority: high, owner: ..., levers: {branch_referral: 1.2}}
    space:
      financial:   [{id: fp_capital, label: ..., rating: 6}]     # +1 worst … +7 best
      industry:    [...]                                         # +1 … +7
      stability:   [...]                                         # −1 best … −7 worst
      competitive: [...]                                         # −1 … −7
    qspm:
      strategies: [SO1, WO1, WT1]   # the alternatives compared (TOWS strategy ids)
      rows:
        - {id: S1, scores: {SO1: 4, WO1: 2, WT1: 3}}   # id = an IFE/EFE factor; all columns or none
"""
from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from easymall.models.common import (
    MAX_TEXT,
    Document,
    Id,
    StrictModel,
    Text,
    by_id,
    invalid,
    require_unique,
    unique,
)

Quadrant = Literal["strengths", "weaknesses", "opportunities", "threats"]
QUADRANTS: tuple[Quadrant, ...] = ("strengths", "weaknesses", "opportunities", "threats")
#: The id prefix new items of a quadrant get (S1, W1, O1, T1).
PREFIX: dict[str, str] = {"strengths": "S", "weaknesses": "W", "opportunities": "O", "threats": "T"}
#: Which matrix a quadrant belongs to.
MATRIX: dict[str, str] = {"strengths": "IFE", "weaknesses": "IFE", "opportunities": "EFE", "threats": "EFE"}

StrategyType = Literal["SO", "ST", "WO", "WT"]
STRATEGY_TYPES: tuple[StrategyType, ...] = ("SO", "ST", "WO", "WT")
Priority = Literal["high", "medium", "low"]
PRIORITIES: tuple[Priority, ...] = ("high", "medium", "low")

Tag = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Owner = Annotated[str, StringConstraints(max_length=60)]


def _check_text(value: object) -> object:
    """One clear sentence for an empty or over-long text (instead of one error per union branch)."""
    parts = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else None
    if parts is None:
        return value
    if not any(isinstance(p, str) and p.strip() for p in parts):
        raise invalid("text_empty", "the text is empty")
    longest = max((len(p) for p in parts if isinstance(p, str)), default=0)
    if longest > MAX_TEXT:
        raise invalid("text_too_long", "the text has {length} characters; at most {limit} are allowed",
                      length=f"{longest:,}", limit=f"{MAX_TEXT:,}")
    return value


class SwotItem(StrictModel):
    """One strength, weakness, opportunity or threat — a factor of the IFE or EFE matrix."""

    id: Id
    text: Text
    weight: float = Field(ge=0.0, le=1.0, description="Share of its matrix (IFE: S+W, EFE: O+T), 0–1.")
    rating: int = Field(ge=1, le=4, description="IFE: 1 major weakness … 4 major strength; "
                                                "EFE: 1 poor … 4 superior response.")
    evidence: list[Id] = Field(default_factory=list, max_length=20,
                               description="Survey KPI ids or market fact ids supporting the item.")
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    owner: Owner = ""

    _text = field_validator("text", mode="before")(classmethod(lambda cls, v: _check_text(v)))

    @field_validator("weight", mode="before")
    @classmethod
    def _weight_is_a_number(cls, value: object) -> object:
        if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
            raise invalid("weight_not_number", "weight must be a number between 0 and 1")
        if isinstance(value, str) and value.strip().lower() in ("nan", "inf", "+inf", "-inf", "infinity"):
            raise invalid("weight_not_number", "weight must be a number between 0 and 1")
        return value

    @field_validator("evidence", "tags")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        return _distinct(values)


def _distinct(values: list[str]) -> list[str]:
    """The values without repeats, first occurrence kept (a pasted duplicate is not an error)."""
    return list(dict.fromkeys(values))


class Strategy(StrictModel):
    """A TOWS strategy: it pairs SWOT items and may preset scenario levers."""

    id: Id
    type: StrategyType
    text: Text
    pairs: list[Id] = Field(default_factory=list, max_length=20, description="The SWOT item ids it pairs.")
    priority: Priority = "medium"
    owner: Owner = ""
    levers: dict[Id, float] = Field(default_factory=dict,
                                    description="Scenario lever presets (lever name in marketing.yaml → value).")

    _text = field_validator("text", mode="before")(classmethod(lambda cls, v: _check_text(v)))

    _no_repeats = field_validator("pairs")(classmethod(lambda cls, v: _distinct(v)))


class PositiveFactor(StrictModel):
    """A SPACE factor of the financial or industry position: +1 (worst) … +7 (best)."""

    id: Id
    label: Text
    rating: int = Field(ge=1, le=7)


class NegativeFactor(StrictModel):
    """A SPACE factor of the stability or competitive position: −1 (best) … −7 (worst)."""

    id: Id
    label: Text
    rating: int = Field(ge=-7, le=-1)


class SpaceInputs(StrictModel):
    """The four SPACE dimensions (F. R. David)."""

    financial: list[PositiveFactor] = Field(default_factory=list, description="FP, +1 worst … +7 best")
    industry: list[PositiveFactor] = Field(default_factory=list, description="IP, +1 worst … +7 best")
    stability: list[NegativeFactor] = Field(default_factory=list, description="SP, −1 best … −7 worst")
    competitive: list[NegativeFactor] = Field(default_factory=list, description="CP, −1 best … −7 worst")


Attractiveness = Annotated[int, Field(ge=1, le=4)]


class QspmRow(StrictModel):
    """Attractiveness scores of one IFE/EFE factor (``id``) for the compared strategies."""

    id: Id = Field(description="The SWOT item (IFE/EFE factor) this row scores.")
    scores: dict[Id, Attractiveness] = Field(default_factory=dict,
                                             description="Strategy id → AS: 1 not, 2 somewhat, 3 reasonably, "
                                                         "4 highly attractive. All columns or none.")


class Qspm(StrictModel):
    """The quantitative strategic planning matrix over TOWS strategies."""

    strategies: Annotated[list[Id], unique("QSPM strategy", "duplicate_qspm_strategy")] = Field(
        default_factory=list, max_length=8, description="Compared strategy ids.")
    rows: Annotated[list[QspmRow], unique("QSPM row", "duplicate_qspm_row")] = Field(default_factory=list)


class SwotDocument(Document):
    """``config/swot.yaml``."""

    as_of: int = Field(2017, ge=2000, le=2030, description="The year the analysis is set in.")
    strengths: list[SwotItem] = Field(default_factory=list, max_length=60)
    weaknesses: list[SwotItem] = Field(default_factory=list, max_length=60)
    opportunities: list[SwotItem] = Field(default_factory=list, max_length=60)
    threats: list[SwotItem] = Field(default_factory=list, max_length=60)
    strategies: list[Strategy] = Field(default_factory=list, max_length=60)
    space: SpaceInputs = Field(default_factory=SpaceInputs)
    qspm: Qspm = Field(default_factory=Qspm)

    @model_validator(mode="after")
    def _unique_ids(self) -> SwotDocument:
        require_unique((i.id for q in QUADRANTS for i in getattr(self, q)), "SWOT item", "duplicate_swot_item")
        require_unique((s.id for s in self.strategies), "strategy", "duplicate_strategy")
        sp = self.space
        require_unique((f.id for part in (sp.financial, sp.industry, sp.stability, sp.competitive) for f in part),
                       "SPACE factor", "duplicate_space_factor")
        return self

    # convenience -----------------------------------------------------------------
    def items(self, quadrant: str | None = None) -> list[SwotItem]:
        """Items of one quadrant, or all items in S, W, O, T order."""
        if quadrant is not None:
            return list(getattr(self, quadrant))
        return [i for q in QUADRANTS for i in getattr(self, q)]

    def item(self, item_id: str) -> SwotItem:
        return by_id(self.items(), item_id, "SWOT item")

    def quadrant_of(self, item_id: str) -> Quadrant | None:
        for q in QUADRANTS:
            if any(i.id == item_id for i in getattr(self, q)):
                return q
        return None

    def strategy(self, strategy_id: str) -> Strategy:
        return by_id(self.strategies, strategy_id, "strategy")

"""Model of ``config/market.yaml``: market figures with their sources, and the study's problems.

A figure is kept *as the study states it* together with its verification ``status`` and, where
one exists, the sourced alternative — the app shows the status beside the figure instead of
hiding it.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from easymall.models.common import Document, Id, StrictModel, Text, by_id, invalid, unique

Status = Literal["sourced", "unverified", "conflicting"]
Unit = Literal["CNY bn", "CNY tn", "CNY m", "million users", "users", "stores", "people", "%", "banks", "date"]


class Alternative(StrictModel):
    """What sources say instead (or in addition)."""

    value: float | None = None
    unit: Unit | None = None
    text: Text
    source: Text


class Fact(StrictModel):
    """One market or platform figure."""

    id: Id
    label: Text
    value: float | None = Field(None, description="The figure as stated; None for a dated event.")
    unit: Unit
    year: int = Field(ge=1990, le=2030)
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date for events.")
    forecast: bool = False
    group: Id | None = Field(None, description="Facts with the same group form a series (one chart).")
    source: Text = Field(description="Where the figure comes from (as stated in the study or a report).")
    status: Status
    caveat: Text | None = None
    alternative: Alternative | None = None

    @model_validator(mode="after")
    def _status_needs_alternative(self) -> Fact:
        if self.status == "conflicting" and self.alternative is None:
            raise invalid("fact_needs_alternative", "fact {id}: a conflicting figure needs the sourced alternative",
                          id=self.id)
        if self.value is None and self.date is None:
            raise invalid("fact_needs_value", "fact {id}: give a value or a date", id=self.id)
        return self


Problem = Literal["few_users", "low_repurchase", "vague_profit", "backward_acquisition"]


class StudyProblem(StrictModel):
    """One of the study's four problems; its live evidence comes from the active survey."""

    id: Problem
    title: Text
    claim: Text = Field(description="What the study says, in one or two sentences.")
    facts: list[Id] = Field(default_factory=list, description="Market fact ids that frame it.")


class MarketDocument(Document):
    """``config/market.yaml``."""

    as_of: int = Field(2017, ge=2000, le=2030, description="The year the workspace is set in.")
    facts: Annotated[list[Fact], unique("fact", "duplicate_fact")] = Field(min_length=1)
    problems: Annotated[list[StudyProblem], unique("problem", "duplicate_problem")] = Field(default_factory=list)

    @model_validator(mode="after")
    def _problem_facts_exist(self) -> MarketDocument:
        known = {f.id for f in self.facts}
        for p in self.problems:
            missing = [f for f in p.facts if f not in known]
            if missing:
                raise invalid("problem_unknown_facts", "problem {id} cites unknown fact(s): {facts}",
                              id=p.id, facts=", ".join(missing))
        return self

    def fact(self, fact_id: str) -> Fact:
        return by_id(self.facts, fact_id, "market fact")

    def series(self, group: str) -> list[Fact]:
        """Facts of one ``group``, oldest first."""
        return sorted((f for f in self.facts if f.group == group), key=lambda f: (f.year, f.forecast))

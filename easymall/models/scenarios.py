"""Model of ``config/scenarios.yaml``: named scenarios, each a set of overrides of the baseline levers.

A scenario only lists the levers it changes; every other lever keeps its baseline value from
``marketing.yaml``. That lever ids exist and values lie in their ranges is checked across
documents (:mod:`easymall.models.crossref`), so editing ``marketing.yaml`` never makes this file
unloadable.
"""
from __future__ import annotations

import math

from pydantic import Field, field_validator, model_validator

from easymall.models.common import Document, Id, StrictModel, Text, invalid, require_unique


class Scenario(StrictModel):
    """A named scenario."""

    id: Id
    name: Text
    author: str = Field("", max_length=60)
    created: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="ISO date it was saved.")
    notes: Text | None = None
    strategy: Id | None = Field(None, description="The TOWS strategy whose lever preset it started from.")
    levers: dict[Id, float] = Field(default_factory=dict, description="Lever id → value (overrides).")

    @field_validator("levers")
    @classmethod
    def _finite(cls, levers: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in levers.items() if not math.isfinite(v)]
        if bad:
            raise invalid("scenario_levers_not_finite", "lever value(s) must be finite numbers: {levers}",
                          levers=", ".join(bad))
        return levers


class ScenariosDocument(Document):
    """``config/scenarios.yaml``."""

    scenarios: list[Scenario] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ScenariosDocument:
        require_unique((s.id for s in self.scenarios), "scenario", "duplicate_scenario")
        return self

    def get(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

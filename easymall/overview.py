"""What the Overview shows, assembled from the workspace: the study's problems with live evidence."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from easymall.models.market import MarketDocument, StudyProblem
from easymall.store import Workspace


@dataclass(frozen=True)
class ProblemView:
    """One problem card: the study's claim and the KPIs that measure it in the active survey."""

    problem: StudyProblem
    kpis: list[Any] = field(default_factory=list)  # easymall.survey.kpis.Kpi
    dataset_name: str | None = None
    n: int = 0


def problem_views(ws: Workspace, market: MarketDocument) -> list[ProblemView]:
    """The four problems, each with its live evidence from the active dataset (none without one)."""
    from easymall.survey.datasets import active_dataset, active_name
    from easymall.survey.evidence import problem_evidence

    dataset = active_dataset(ws)
    survey = ws.load_safe("survey").doc
    if dataset is None or survey is None:
        return [ProblemView(p) for p in market.problems]
    evidence = problem_evidence(dataset, survey)
    name = active_name(ws)
    return [ProblemView(p, evidence.get(p.id, []), name, len(dataset.frame)) for p in market.problems]

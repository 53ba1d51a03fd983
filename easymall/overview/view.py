"""What the Overview shows, assembled from the workspace: the study's problems with live evidence."""
from __future__ import annotations

from dataclasses import dataclass, field

from easymall.models.market import MarketDocument, StudyProblem
from easymall.overview.problems import problem_evidence
from easymall.store import Workspace
from easymall.survey import Kpi, active_dataset, active_name


@dataclass(frozen=True)
class ProblemView:
    """One problem card: the study's claim and the KPIs that measure it in the active survey."""

    problem: StudyProblem
    kpis: list[Kpi] = field(default_factory=list)
    dataset_name: str | None = None
    n: int = 0


def problem_views(ws: Workspace, market: MarketDocument) -> list[ProblemView]:
    """The four problems, each with its live evidence from the active dataset (none without one)."""
    dataset = active_dataset(ws)
    survey = ws.load_safe("survey").doc
    if dataset is None or survey is None:
        return [ProblemView(p) for p in market.problems]
    evidence = problem_evidence(dataset, survey)
    name = active_name(ws)
    return [ProblemView(p, evidence.get(p.id, []), name, len(dataset.frame)) for p in market.problems]

"""What the Overview shows, assembled from the workspace: the study's problems with live evidence,
the market cards and the facts table, every figure through :func:`easymall.core.units.format_value`."""
from __future__ import annotations

from dataclasses import dataclass, field

from easymall.core.text import Lang, text_in
from easymall.core.units import format_value
from easymall.models.kpis import display_unit
from easymall.models.market import Fact, MarketDocument, StudyProblem
from easymall.overview.problems import problem_evidence
from easymall.store import Workspace
from easymall.survey import Kpi, active_dataset, active_label

#: The market cards at the top of "The market in figures": fact id -> its card's label key.
MARKET_CARDS: tuple[tuple[str, str], ...] = (
    ("double11_2016", "overview.kpi_double11"), ("walmart_cn_sales_2016", "overview.kpi_walmart"),
    ("tmall_2016", "overview.kpi_tmall"), ("yuebao_2017", "overview.kpi_yuebao"),
    ("icbc_outflow", "overview.kpi_outflow"))


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
    name = active_label(ws)
    return [ProblemView(p, evidence.get(p.id, []), name, len(dataset.frame)) for p in market.problems]


def roles_unmapped(views: list[ProblemView]) -> bool:
    """An active dataset measures none of the four problems: no Easy Mall role (usage, repurchase,
    NPS, channel …) points at one of its questions, so the cards would be blank — say so instead."""
    return bool(views) and views[0].dataset_name is not None and not any(v.kpis for v in views)


def kpi_value(kpi_id: str, value: float | None, unit: str, lang: Lang) -> str:
    """A survey KPI's figure (a share as %, the NPS signed, a mean to two decimals)."""
    return format_value(value, display_unit(kpi_id, unit), lang)


def fact_value(fact: Fact, lang: Lang) -> str:
    """A market fact's figure as stated (``¥120.7 bn`` / ``1,207 亿元``), or its date for an event."""
    return format_value(fact.value, fact.unit, lang) if fact.value is not None else (fact.date or "")


def fact_note(fact: Fact, lang: Lang) -> str:
    """The facts table's last column: the source, then what sources say instead or the caveat."""
    note = text_in(fact.alternative.text, lang) if fact.alternative else text_in(fact.caveat, lang)
    return text_in(fact.source, lang) + (f" — {note}" if note else "")


def market_cards(market: MarketDocument) -> list[tuple[Fact, str]]:
    """The cards' facts with their label keys, in display order."""
    return [(market.fact(fact_id), key) for fact_id, key in MARKET_CARDS]

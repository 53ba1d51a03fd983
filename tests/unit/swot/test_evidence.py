"""Evidence a SWOT item can cite (easymall.swot.evidence): survey KPIs and market facts by id."""
from __future__ import annotations

from easymall.models.kpis import KPI_IDS, KPI_UNITS
from easymall.store import Workspace
from easymall.swot.evidence import catalogue, workspace_evidence
from tests.conftest import ROOT


def test_without_a_survey_every_kpi_is_citable_with_no_value() -> None:
    ev = catalogue(None, None)
    assert list(ev) == list(KPI_IDS)
    assert all(e.kind == "kpi" and e.value is None and e.unit == KPI_UNITS[e.id] for e in ev.values())
    assert ev["nps"].label.zh and ev["nps"].label.en


def test_the_sample_workspace_cites_live_kpis_then_market_facts() -> None:
    ws = Workspace(ROOT)
    ev = workspace_evidence(ws)
    kinds = [e.kind for e in ev.values()]
    assert kinds[: len(KPI_IDS)] == ["kpi"] * len(KPI_IDS) and set(kinds[len(KPI_IDS):]) == {"fact"}
    assert ev["nps"].n and -100 <= ev["nps"].value <= 100
    fact = ev["double11_2016"]
    assert (fact.value, fact.unit) == (120.749, "CNY bn")
    assert workspace_evidence(ws)["nps"] == ev["nps"]  # cached per dataset: the same figures

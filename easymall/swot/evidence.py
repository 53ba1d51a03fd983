"""Evidence a SWOT item can cite: survey KPI ids and market fact ids, with their live values.

KPIs come from the active survey dataset (``easymall.survey``); market facts from
``config/market.yaml``. Both are looked up by id, so an item citing ``nps`` always shows the NPS of
the dataset that is active now.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

from easymall.core.i18n import t
from easymall.models.common import LocalizedText, Text
from easymall.models.kpis import KPI_IDS, KPI_UNITS
from easymall.models.market import MarketDocument
from easymall.survey import active_dataset, compute_kpis


@dataclass(frozen=True)
class Evidence:
    id: str
    kind: Literal["kpi", "fact"]
    label: Text
    value: float | None
    unit: str
    status: str | None = None      # fact: sourced / unverified / conflicting
    n: int | None = None           # kpi: respondents
    low: float | None = None
    high: float | None = None
    date: str | None = None        # fact: an event's date


def catalogue(market: MarketDocument | None, kpis: dict[str, Any] | None) -> dict[str, Evidence]:
    """Every citable id: the survey KPIs (value ``None`` without an active dataset) then market facts."""
    out: dict[str, Evidence] = {}
    for kid in KPI_IDS:
        label = LocalizedText(en=t(f"kpi.{kid}", "en"), zh=t(f"kpi.{kid}", "zh"))
        k = (kpis or {}).get(kid)
        if k is None:
            out[kid] = Evidence(kid, "kpi", label, None, KPI_UNITS[kid])
        else:
            out[kid] = Evidence(kid, "kpi", label, k.value, k.unit, None, k.n, k.low, k.high)
    if market is not None:
        for f in market.facts:
            out[f.id] = Evidence(f.id, "fact", f.label, f.value, f.unit, f.status, date=f.date)
    return out


_lock = threading.Lock()
_cache: dict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = {}


def live_kpis(ws: Any) -> dict[str, Any]:
    """The KPIs of the workspace's active survey dataset (empty without one), cached per dataset
    and survey-document revision."""
    dataset = active_dataset(ws)
    survey = ws.load_safe("survey").doc
    if dataset is None or survey is None:
        return {}
    key = (id(dataset), survey.revision)
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] is dataset:  # the dataset is kept alive, so its id is not reused
        return hit[1]
    try:
        kpis = dict(compute_kpis(dataset, survey))
    except Exception:  # noqa: BLE001 - a survey without the KPI roles still lets the SWOT render
        kpis = {}
    with _lock:
        if len(_cache) > 16:
            _cache.clear()
        _cache[key] = (dataset, kpis)
    return kpis


def workspace_evidence(ws: Any) -> dict[str, Evidence]:
    """The evidence catalogue of a workspace (live KPIs + market facts)."""
    return catalogue(ws.load_safe("market").doc, live_kpis(ws))

"""The calibrated baseline: the driver model fitted to the facts the workspace holds, and the
reconciliation of its yearly figures with the reported ones.

Two kinds of evidence, applied in this order (each step uses the parameters the ones before set):

1. **The active survey** (:func:`easymall.scenario.model.calibrate`): retention from the repurchase
   rate, awareness, order value, the branch share of acquisition; here also ``orders_per_active``
   from the purchase frequency (Q13: purchases per buyer in the past year ÷ 12, divided by the
   baseline campaign and CRM uplifts so the *baseline's* orders per buyer equal the survey's).
2. **The reported figures in ``market.yaml``** (facts of the groups ``easymall_users`` and
   ``easymall_gmv``, year-end figures):

   * ``initial_registered_users`` — the reported users interpolated linearly to the start month;
   * ``unmodelled_registrations`` — registrations a month outside the four modelled channels (single
     sign-on from 融e行 / 融e联, corporate staff accounts; they do not buy), fitted by least squares
     so the model's registered users meet the reported year-end users inside the horizon;
   * ``initial_active_users`` — fitted so the model's GMV grows from the first to the second reported
     year inside the horizon as the reported GMV does (GMV is linear in it, so this is exact);
   * ``covered_share`` — the share of the reported GMV the model covers (consumer retail B2C plus the
     enterprise-cloud pilot): Σ model GMV ÷ Σ reported GMV over those years. The rest of the
     reported figure is enterprise procurement and financial products sold through the mall, which
     the model does not simulate.

Reproduction tolerance (:data:`GMV_TOLERANCE`, :data:`USERS_TOLERANCE`): each reported year's GMV
× ``covered_share`` and each reported year-end users figure is met within that relative error.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from easymall.core.units import MONEY, PEOPLE
from easymall.models.marketing import MarketingDocument
from easymall.scenario import model as sc

#: Relative error within which the calibrated baseline meets the reported figures.
GMV_TOLERANCE = 0.05
USERS_TOLERANCE = 0.15
#: Fact groups read from market.yaml.
GMV_GROUP, USERS_GROUP = "easymall_gmv", "easymall_users"


@dataclass(frozen=True)
class Reported:
    """Reported year-end figures by year (yuan / people) with the fact ids they come from."""

    gmv: dict[int, float]
    users: dict[int, float]
    ids: dict[tuple[str, int], str]


def reported(market: Any) -> Reported:
    """GMV and users by year from a market document (``None`` or a broken one gives nothing)."""
    gmv: dict[int, float] = {}
    users: dict[int, float] = {}
    ids: dict[tuple[str, int], str] = {}
    for f in getattr(market, "facts", None) or []:
        if f.value is None or getattr(f, "forecast", False) or not math.isfinite(f.value):
            continue
        if f.group == GMV_GROUP and f.unit in MONEY:
            gmv[f.year] = f.value * MONEY[f.unit]
            ids[("gmv", f.year)] = f.id
        elif f.group == USERS_GROUP and f.unit in PEOPLE:
            users[f.year] = f.value * PEOPLE[f.unit]
            ids[("users", f.year)] = f.id
    return Reported(dict(sorted(gmv.items())), dict(sorted(users.items())), ids)


def _start(doc: MarketingDocument) -> tuple[int, int]:
    y, m = (int(x) for x in doc.start_month.split("-"))
    return y, m


def _year_end_month(doc: MarketingDocument, year: int) -> int:
    """1-based model month of December ``year`` (may lie outside the horizon)."""
    y, m = _start(doc)
    return (year - y) * 12 + (12 - m) + 1


def full_years(doc: MarketingDocument) -> list[int]:
    """Calendar years the horizon covers completely."""
    y, m = _start(doc)
    out = []
    year = y if m == 1 else y + 1
    while _year_end_month(doc, year) <= doc.horizon_months:
        out.append(year)
        year += 1
    return out


def _baseline_kpis(model: sc.Model, params: Mapping[str, float]) -> dict[str, np.ndarray]:
    k, _ = sc.run_many(model, [model.baseline()], params=params)
    return {key: np.asarray(v[0]) for key, v in k.items()}


def yearly(kpis: Mapping[str, np.ndarray], doc: MarketingDocument, kpi: str, year: int) -> float:
    """A flow KPI summed over calendar ``year`` or a stock KPI at its December."""
    end = _year_end_month(doc, year)
    series = kpis[kpi]
    if sc.KPIS[kpi].kind == "flow":
        return float(series[end - 12:end].sum())
    return float(series[end - 1])


def _interpolate(points: Mapping[int, float], at: float) -> float | None:
    """Linear interpolation of year-end ``points`` (year y ends at time y + 1) at time ``at``."""
    xs = sorted(points)
    if len(xs) < 2:
        return None
    t = [x + 1.0 for x in xs]
    if not t[0] <= at <= t[-1]:
        return None
    return float(np.interp(at, t, [points[x] for x in xs]))


def calibrate_market(model: sc.Model, market: Any) -> sc.Model:
    """``model`` with its parameters fitted to the reported users and GMV (see the module)."""
    rep = reported(market)
    params = dict(model.params)
    notes = list(model.calibration)
    years = full_years(model.doc)

    def put(pid: str, value: float, kpi: str, kpi_value: float, facts: Sequence[str], clipped: bool = False) -> None:
        before = params.get(pid, 0.0)
        notes.append(sc.CalibrationNote(pid, before, value, kpi, kpi_value, clipped, "market", tuple(facts)))
        params[pid] = value

    y0, m0 = _start(model.doc)
    start_users = _interpolate(rep.users, y0 + (m0 - 1) / 12)
    if start_users is not None:
        at = y0 + (m0 - 1) / 12
        before = max(y for y in rep.users if y + 1 <= at)
        after = min(y for y in rep.users if y + 1 >= at)
        put("initial_registered_users", start_users, "reported_users", start_users,
            sorted({rep.ids[("users", before)], rep.ids[("users", after)]}))
    in_users = [y for y in years if y in rep.users]
    if in_users:
        params.setdefault("unmodelled_registrations", 0.0)
        params["unmodelled_registrations"] = 0.0
        k = _baseline_kpis(model, params)
        months = np.array([_year_end_month(model.doc, y) for y in in_users], dtype=float)
        gap = np.array([rep.users[y] - yearly(k, model.doc, "registered_users", y) for y in in_users])
        target = np.array([rep.users[y] for y in in_users])
        w = 1 / target  # relative least squares: minimise Σ ((gap − u·m) / reported)²
        u = float(np.sum(w**2 * gap * months) / np.sum(w**2 * months**2))
        put("unmodelled_registrations", max(u, 0.0), "reported_users", float(target[-1]),
            [rep.ids[("users", y)] for y in in_users], u < 0)
    in_gmv = [y for y in years if y in rep.gmv]
    share = None
    if len(in_gmv) >= 2:
        a_params = {**params, "initial_active_users": 0.0}
        b_params = {**params, "initial_active_users": 1.0}
        ka, kb = _baseline_kpis(model, a_params), _baseline_kpis(model, b_params)
        y1, y2 = in_gmv[0], in_gmv[1]
        a1, a2 = yearly(ka, model.doc, "gmv", y1), yearly(ka, model.doc, "gmv", y2)
        b1, b2 = yearly(kb, model.doc, "gmv", y1) - a1, yearly(kb, model.doc, "gmv", y2) - a2
        growth = rep.gmv[y2] / rep.gmv[y1]
        denom = b2 - growth * b1
        if denom != 0:
            a0 = (growth * a1 - a2) / denom
            top = params["initial_registered_users"]
            clipped = not 0 <= a0 <= top
            put("initial_active_users", float(min(max(a0, 0.0), top)), "reported_gmv_growth", growth,
                [rep.ids[("gmv", y1)], rep.ids[("gmv", y2)]], clipped)
    if in_gmv:
        k = _baseline_kpis(model, params)
        share = sum(yearly(k, model.doc, "gmv", y) for y in in_gmv) / sum(rep.gmv[y] for y in in_gmv)
    fitted = dataclasses.replace(model, params=params, calibration=tuple(notes), covered_share=share)
    return dataclasses.replace(fitted, reconciliation=reconcile(fitted, rep))


def reconcile(model: sc.Model, rep: Reported) -> tuple[sc.ReconciliationRow, ...]:
    """Model vs reported per reported year: GMV (and the share of it the model covers) and users."""
    k = _baseline_kpis(model, model.params)
    years = set(full_years(model.doc))
    rows = []
    for year in sorted(set(rep.gmv) | set(rep.users)):
        inside = year in years
        gmv = yearly(k, model.doc, "gmv", year) if inside else None
        users = yearly(k, model.doc, "registered_users", year) if inside else None
        reported_gmv = rep.gmv.get(year)
        covered = gmv / reported_gmv if gmv is not None and reported_gmv else None
        rows.append(sc.ReconciliationRow(year, gmv, reported_gmv, covered, users, rep.users.get(year),
                                         model.covered_share, rep.ids.get(("gmv", year)),
                                         rep.ids.get(("users", year))))
    return tuple(rows)


def build(doc: MarketingDocument, kpis: Mapping[str, float] | None = None, source: str | None = None,
          market: Any = None) -> sc.Model:
    """The baseline model of ``doc``: calibrated from survey ``kpis`` and the reported figures of
    ``market`` (either may be missing)."""
    model = sc.build_model(doc, kpis, source)
    return calibrate_market(model, market) if market is not None else model

"""The scenario driver model: a transparent, monthly, deterministic projection of Easy Mall.

Every number comes from ``config/marketing.yaml`` (levers and parameters, each with a unit and a
note on its origin); the baseline may be calibrated from the active survey (:func:`calibrate`).

The chain, for month t = 1 … H (lever changes ramp linearly from the baseline over ``ramp_months``)::

    registrations   ads      = ad_max · (1 − e^(−spend / ad_spend_scale))          (diminishing returns)
                    branch   = branches · referrals · branch_referral_conversion
                    mobile   = mobile_users · monthly_active_share · exposure · awareness · aware_register_rate
                    partner  = partners · partner_registrations
    activated       = Σ registrations_c · min(1, activation_c · supply · brands · o2o)
                      supply = e^(−commission_elasticity · (commission − commission_reference))
                      brands = 1 + brand_activation_uplift · (1 − e^(−stores / brand_scale))
                      o2o    = 1 + o2o_activation_uplift · o2o_share
    retention r     = 1 − (1 − monthly_retention) · Π(1 − cut_k · lever_k)          (always < 1)
    active users    A_t = r_t · A_(t−1) + activated_t
    orders          = A · orders_per_active · (1 + campaign_uplift · discount) · (1 + crm_uplift · contacts)
    order value     = aov · (1 + brand_aov_uplift · (1 − e^(−stores / brand_scale))) · (1 + instalment_aov_uplift · waiver)
    GMV             = orders · order value  +  clients · b2b_gmv_per_client
    revenue         commission = commission · GMV
                    financial  = A · attach · fin_margin + B2C GMV · instalment share · fee rate · (1 − waiver)
                    deposits   = A · deposit_balance · deposit_spread / 12
    costs           acquisition, promotion, customer management, operations (see :func:`simulate`)
    profit          = revenue − costs;  cumulative profit;  payback = first month cumulative profit ≥ 0
    CAC             = acquisition cost ÷ activated users
    CLV             = m · r / (1 + i − r)  with m the annual consumer contribution per active user
                      (revenue from buyers less promotion, customer-management and per-order costs), r the annual
                      retention (monthly retention ^ 12) and i the annual discount rate

Everything is vectorised over draws (rows) and months (columns), so one run, a tornado (2 runs per
lever) and 1,000 Monte Carlo draws (:mod:`easymall.scenario.risk`) are each a single call of
:func:`simulate`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from easymall.core.errors import CodedError
from easymall.models.marketing import LEVER_SPECS, MarketingDocument
from easymall.models.scenarios import Scenario
from easymall.survey import active_dataset, compute_kpis, purchase_frequency

BASELINE = "baseline"

Kind = Literal["stock", "flow", "rate"]


@dataclass(frozen=True)
class KpiSpec:
    """How a monthly KPI is read: a stock (value at a month), a flow (summed) or a rate (mean)."""

    unit: str
    kind: Kind


#: Monthly KPIs the model returns, in display order.
KPIS: dict[str, KpiSpec] = {
    "new_users_online": KpiSpec("users", "flow"),
    "new_users_branch": KpiSpec("users", "flow"),
    "new_users_mobile": KpiSpec("users", "flow"),
    "new_users_partner": KpiSpec("users", "flow"),
    "new_users": KpiSpec("users", "flow"),
    "registrations": KpiSpec("users", "flow"),
    "registered_users": KpiSpec("users", "stock"),
    "active_users": KpiSpec("users", "stock"),
    "retention": KpiSpec("share", "rate"),
    "repurchase_rate": KpiSpec("share", "rate"),
    "orders": KpiSpec("orders", "flow"),
    "aov": KpiSpec("yuan", "rate"),
    "gmv_b2c": KpiSpec("yuan", "flow"),
    "gmv_b2b": KpiSpec("yuan", "flow"),
    "gmv": KpiSpec("yuan", "flow"),
    "revenue_commission": KpiSpec("yuan", "flow"),
    "revenue_financial": KpiSpec("yuan", "flow"),
    "revenue_deposit": KpiSpec("yuan", "flow"),
    "revenue": KpiSpec("yuan", "flow"),
    "cost_acquisition": KpiSpec("yuan", "flow"),
    "cost_promotion": KpiSpec("yuan", "flow"),
    "cost_customer": KpiSpec("yuan", "flow"),
    "cost_operations": KpiSpec("yuan", "flow"),
    "costs": KpiSpec("yuan", "flow"),
    "profit": KpiSpec("yuan", "flow"),
    "contribution": KpiSpec("yuan", "flow"),
    "cumulative_profit": KpiSpec("yuan", "stock"),
    "cac": KpiSpec("yuan", "rate"),
}

#: Summary figures of a run (one number each).
SUMMARY_UNITS: dict[str, str] = {
    "active_users_end": "users",
    "gmv_total": "yuan",
    "revenue_total": "yuan",
    "profit_total": "yuan",
    "cac": "yuan",
    "clv": "yuan",
    "clv_cac": "ratio",
    "retention_annual": "share",
    "payback_month": "month",
}

#: Metrics for tornado, goal seek and comparison: a KPI at a month, or a summary figure.
METRICS = ("active_users", "cumulative_profit", "gmv", "revenue", "profit", "registered_users", "clv",
           "cac", "clv_cac")


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class CalibrationNote:
    """One parameter set from a survey KPI."""

    parameter: str
    before: float
    after: float
    kpi: str
    kpi_value: float
    clipped: bool = False
    source: str = "survey"  # "survey" (the active dataset) or "market" (reported figures in market.yaml)
    facts: tuple[str, ...] = ()  # the market.yaml fact ids it was fitted to


@dataclass(frozen=True)
class ReconciliationRow:
    """One reported year: the baseline's GMV and registered users beside the reported figures
    (``None`` outside the horizon), ``covered`` = model GMV ÷ reported GMV that year and ``share``
    the covered share the calibration fitted over all reported years."""

    year: int
    model_gmv: float | None
    reported_gmv: float | None
    covered: float | None
    model_users: float | None
    reported_users: float | None
    share: float | None
    gmv_fact: str | None = None
    users_fact: str | None = None


@dataclass(frozen=True)
class Model:
    """A marketing document ready to run: lever arrays and parameter values (maybe calibrated)."""

    doc: MarketingDocument
    params: dict[str, float]
    calibration: tuple[CalibrationNote, ...] = ()
    source: str | None = None  # the survey dataset the calibration came from
    covered_share: float | None = None  # the share of the reported GMV the model covers
    reconciliation: tuple[ReconciliationRow, ...] = ()

    @property
    def lever_ids(self) -> list[str]:
        return [lv.id for lv in self.doc.levers]

    @property
    def horizon(self) -> int:
        return self.doc.horizon_months

    def baseline(self) -> dict[str, float]:
        return self.doc.baseline()

    def months(self, horizon: int | None = None) -> list[str]:
        """Month labels ``YYYY-MM`` from the start month."""
        y, m = (int(x) for x in self.doc.start_month.split("-"))
        out = []
        for k in range(horizon or self.horizon):
            mm = m - 1 + k
            out.append(f"{y + mm // 12:04d}-{mm % 12 + 1:02d}")
        return out


def build_model(doc: MarketingDocument, kpis: Mapping[str, float] | None = None,
                source: str | None = None) -> Model:
    """The model of ``doc``; with survey ``kpis`` the baseline is calibrated (:func:`calibrate`)."""
    params = {p.id: float(p.value) for p in doc.parameters}
    notes: tuple[CalibrationNote, ...] = ()
    if kpis:
        params, notes = calibrate(doc, kpis)
    return Model(doc, params, notes, source if notes else None)


def calibrate(doc: MarketingDocument, kpis: Mapping[str, float]) -> tuple[dict[str, float], tuple[CalibrationNote, ...]]:
    """Parameters of ``doc`` calibrated from survey KPI values (``{kpi id: value}``); pure.

    * ``repurchase_rate`` p → ``monthly_retention`` = p^(1/12) (a buyer who is still buying a year
      later has survived twelve monthly retentions), kept within 0.5–0.99;
    * ``awareness`` → ``awareness``;
    * ``aov`` → ``aov`` (mean stated order value, yuan);
    * ``channel_branch_share`` s → ``branch_referral_conversion`` such that, at the baseline levers,
      branch referrals are a share s of all registrations (clipped to 0.01–1);
    * ``purchases_per_buyer`` f (a year) → ``orders_per_active`` such that, at the baseline levers
      (campaign and CRM uplifts included), an active buyer places f / 12 orders a month.

    KPIs that are missing or not finite leave the documented value.
    """
    params = {p.id: float(p.value) for p in doc.parameters}
    notes: list[CalibrationNote] = []

    def ok(kid: str, lo: float, hi: float) -> float | None:
        v = kpis.get(kid)
        if v is None or not isinstance(v, int | float) or not math.isfinite(v) or not lo < v < hi:
            return None
        return float(v)

    def put(pid: str, value: float, kid: str, kv: float, clipped: bool = False) -> None:
        notes.append(CalibrationNote(pid, params[pid], value, kid, kv, clipped))
        params[pid] = value

    if (p := ok("repurchase_rate", 0.0, 1.0)) is not None:
        r = p ** (1 / 12)
        put("monthly_retention", float(min(max(r, 0.5), 0.99)), "repurchase_rate", p, not 0.5 <= r <= 0.99)
    if (a := ok("awareness", 0.0, 1.0 + 1e-9)) is not None:
        put("awareness", a, "awareness", a)
    if (v := ok("aov", 0.0, 1e6)) is not None:
        put("aov", v, "aov", v)
    if (s := ok("channel_branch_share", 0.0, 1.0)) is not None:
        base = doc.baseline()
        other = (_ad_registrations(base["online_ad_spend"], params)
                 + _mobile_registrations(base["mobile_banking_exposure"], params)
                 + base["partner_channels"] * params["partner_registrations"])
        pitched = params["branches"] * base["branch_referrals"]
        if pitched > 0 and other > 0:
            conv = s / (1 - s) * other / pitched
            put("branch_referral_conversion", float(min(max(conv, 0.01), 1.0)), "channel_branch_share", s,
                not 0.01 <= conv <= 1.0)
    if (f := ok("purchases_per_buyer", 0.0, 366.0)) is not None:
        base = doc.baseline()
        uplift = ((1 + params["campaign_order_uplift"] * base["campaign_discount"])
                  * (1 + params["crm_order_uplift"] * base["crm_touches"]))
        put("orders_per_active", f / 12 / uplift, "purchases_per_buyer", f)
    return params, tuple(notes)


def _ad_registrations(spend_m: Any, p: Mapping[str, Any]) -> Any:
    return p["ad_max_registrations"] * (1 - np.exp(-spend_m / p["ad_spend_scale"]))


def _mobile_registrations(exposure_pct: Any, p: Mapping[str, Any]) -> Any:
    return (p["mobile_banking_users"] * p["mobile_monthly_active_share"] * exposure_pct / 100
            * p["awareness"] * p["aware_register_rate"])


# --------------------------------------------------------------------------- lever values


@dataclass
class LeverValues:
    """Lever values for one run plus what was adjusted on the way: ``warnings`` (a value not a number
    or clamped into range, each a :class:`CodedError` whose ``str`` is the English sentence) and
    ``unknown`` lever ids."""

    values: dict[str, float]
    warnings: list[CodedError] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def resolve_levers(model: Model, overrides: Mapping[str, float] | None = None) -> LeverValues:
    """Baseline values with ``overrides``: out-of-range values are clamped (with a warning), unknown
    lever ids are collected in ``unknown``."""
    values = model.baseline()
    out = LeverValues(values)
    for key, raw in (overrides or {}).items():
        if key not in values:
            out.unknown.append(key)
            continue
        lever = model.doc.lever(key)
        try:
            x = float(raw)
        except (TypeError, ValueError):
            out.warnings.append(CodedError(f"lever {key}: {raw!r} is not a number; kept the baseline {lever.value:g}",
                                           code="err.lever_not_number", id=key, value=repr(raw),
                                           baseline=f"{lever.value:g}"))
            continue
        if not math.isfinite(x):
            out.warnings.append(CodedError(f"lever {key}: {raw!r} is not a finite number; kept the baseline "
                                           f"{lever.value:g}", code="err.lever_not_finite", id=key, value=repr(raw),
                                           baseline=f"{lever.value:g}"))
            continue
        clamped = lever.clamp(x)
        if clamped != x:
            out.warnings.append(CodedError(f"lever {key}: {x:g} is outside {lever.min:g}–{lever.max:g} {lever.unit}; "
                                           f"clamped to {clamped:g}", code="err.lever_clamped", id=key,
                                           value=f"{x:g}", min=f"{lever.min:g}", max=f"{lever.max:g}",
                                           unit=lever.unit, clamped=f"{clamped:g}"))
        values[key] = clamped
    return out


def scenario_levers(model: Model, scenario: Scenario | None) -> LeverValues:
    """Lever values of a saved scenario (``None`` = the baseline)."""
    return resolve_levers(model, scenario.levers if scenario else None)


def overrides_of(model: Model, values: Mapping[str, float]) -> dict[str, float]:
    """Only the levers that differ from the baseline (what a scenario or a link stores)."""
    base = model.baseline()
    return {k: float(v) for k, v in values.items() if k in base and not math.isclose(v, base[k], abs_tol=1e-12)}


def levers_to_query(model: Model, values: Mapping[str, float]) -> dict[str, str]:
    """URL query parameters for a shareable link: ``{lever id: value}`` for changed levers."""
    return {k: f"{v:g}" for k, v in overrides_of(model, values).items()}


def levers_from_query(model: Model, query: Mapping[str, str]) -> LeverValues:
    """Lever values from URL query parameters; other query keys (``lang`` ...) are ignored."""
    return resolve_levers(model, {k: v for k, v in query.items() if k in LEVER_SPECS})  # type: ignore[misc]


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=2.5"]`` → ``{"a": "1", "b": "2.5"}``; raises ``ValueError`` naming a bad item."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--set {item!r} is not LEVER=VALUE")
        out[key.strip()] = value.strip()
    return out


# --------------------------------------------------------------------------- the simulation


@dataclass
class Result:
    """One deterministic run: monthly KPIs (1-D arrays) and summary figures."""

    name: str
    levers: dict[str, float]
    months: list[str]
    kpis: dict[str, np.ndarray]
    summary: dict[str, float | None]

    def at(self, kpi: str, month: int | None = None) -> float:
        """A KPI at 1-based ``month`` (default: the last)."""
        series = self.kpis[kpi]
        return float(series[(month or len(series)) - 1])

    def to_json(self) -> dict[str, Any]:
        return {
            "kpis": {k: [float(x) for x in v] for k, v in self.kpis.items()},
            "summary": self.summary,
        }


def _lever_matrix(model: Model, rows: list[Mapping[str, float]], horizon: int) -> dict[str, np.ndarray]:
    """Lever paths, shape (draws, months): from the baseline to the target over ``ramp_months``."""
    ramp_m = model.params["ramp_months"]
    t = np.arange(1, horizon + 1, dtype=float)
    ramp = np.ones(horizon) if ramp_m <= 0 else np.minimum(1.0, t / ramp_m)
    base = model.baseline()
    out = {}
    for lid in model.lever_ids:
        target = np.array([r[lid] for r in rows], dtype=float)[:, None]
        out[lid] = base[lid] + (target - base[lid]) * ramp[None, :]
    return out


def simulate(L: Mapping[str, np.ndarray], P: Mapping[str, Any], horizon: int) -> dict[str, np.ndarray]:
    """The driver model, vectorised: lever arrays (D, H), parameters scalars or (D, 1) arrays."""
    exp = np.exp
    # acquisition ------------------------------------------------------------------
    reg_online = _ad_registrations(L["online_ad_spend"], P)
    reg_branch = P["branches"] * L["branch_referrals"] * P["branch_referral_conversion"]
    reg_mobile = _mobile_registrations(L["mobile_banking_exposure"], P)
    reg_partner = L["partner_channels"] * P["partner_registrations"]
    brand_curve = 1 - exp(-L["brand_flagships"] / P["brand_scale"])
    factor = (exp(-P["commission_elasticity"] * (L["commission_rate"] - P["commission_reference"]))
              * (1 + P["brand_activation_uplift"] * brand_curve)
              * (1 + P["o2o_activation_uplift"] * L["branch_o2o_share"] / 100))
    new_online = reg_online * np.minimum(1.0, P["activation_online"] * factor)
    new_branch = reg_branch * np.minimum(1.0, P["activation_branch"] * factor)
    new_mobile = reg_mobile * np.minimum(1.0, P["activation_mobile"] * factor)
    new_partner = reg_partner * np.minimum(1.0, P["activation_partner"] * factor)
    new_users = new_online + new_branch + new_mobile + new_partner
    registrations = reg_online + reg_branch + reg_mobile + reg_partner
    # retention and active users ----------------------------------------------------
    keep = ((1 - P["membership_churn_cut"] * L["membership_coverage"] / 100)
            * (1 - P["points_churn_cut"] * L["points_to_cash"])
            * (1 - P["crm_churn_cut"] * L["crm_touches"])
            * (1 - P["after_sales_churn_cut"] * L["after_sales_guarantee"])
            * (1 - P["o2o_churn_cut"] * L["branch_o2o_share"] / 100))
    retention = 1 - (1 - P["monthly_retention"]) * keep
    shape = np.broadcast_shapes(new_users.shape, retention.shape)
    new_users = np.broadcast_to(new_users, shape)
    retention = np.broadcast_to(retention, shape)
    active = np.empty(shape)
    prev = np.broadcast_to(np.asarray(P["initial_active_users"], dtype=float), (shape[0], 1))[:, 0]
    for t in range(horizon):
        prev = retention[:, t] * prev + new_users[:, t]
        active[:, t] = prev
    # registrations outside the modelled channels (fitted to the reported users; they do not buy)
    unmodelled = P.get("unmodelled_registrations", 0.0)
    registered = P["initial_registered_users"] + np.cumsum(np.broadcast_to(registrations + unmodelled, shape), axis=1)
    # orders and value --------------------------------------------------------------
    orders = (active * P["orders_per_active"] * (1 + P["campaign_order_uplift"] * L["campaign_discount"])
              * (1 + P["crm_order_uplift"] * L["crm_touches"]))
    waiver = L["instalment_fee_waiver"] / 100
    aov = P["aov"] * (1 + P["brand_aov_uplift"] * brand_curve) * (1 + P["instalment_aov_uplift"] * waiver)
    gmv_b2c = orders * aov
    gmv_b2b = L["enterprise_cloud_clients"] * P["b2b_gmv_per_client"]
    gmv = gmv_b2c + gmv_b2b
    # revenue ------------------------------------------------------------------------
    rev_commission = L["commission_rate"] / 100 * gmv
    instalment_share = np.minimum(1.0, P["instalment_share"] * (1 + P["instalment_waiver_uptake"] * waiver))
    rev_financial = (active * L["financial_tools_attach"] / 100 * P["fin_margin_per_user"]
                     + gmv_b2c * instalment_share * P["instalment_fee_rate"] * (1 - waiver))
    rev_deposit = active * P["deposit_balance_per_active"] * P["deposit_spread"] / 12
    revenue = rev_commission + rev_financial + rev_deposit
    # costs --------------------------------------------------------------------------
    cost_acq = (L["online_ad_spend"] * 1e6 + reg_branch * P["referral_incentive"]
                + L["partner_channels"] * P["partner_fee"] * 1e6
                + L["mobile_banking_exposure"] * P["mobile_exposure_cost"] * 1e6)
    cost_promo = gmv_b2c * (L["campaign_discount"] / 100 + L["points_to_cash"] / 100 * P["points_redemption"])
    cost_customer = (active * L["membership_coverage"] / 100 * P["membership_cost"]
                     + active * L["crm_touches"] * P["crm_contact_cost"]
                     + orders * L["after_sales_guarantee"])
    cost_ops = (P["fixed_cost"] * 1e6 + orders * P["cost_per_order"]
                + L["branch_o2o_share"] / 100 * P["branches"] * P["o2o_cost_per_branch"]
                + L["brand_flagships"] * P["flagship_cost"]
                + L["enterprise_cloud_clients"] * P["cloud_cost_per_client"])
    cost_acq = np.broadcast_to(cost_acq, shape)
    costs = cost_acq + cost_promo + cost_customer + cost_ops
    profit = revenue - costs
    # consumer contribution (for CLV): revenue from buyers less the costs that scale with them
    contribution = (revenue - L["commission_rate"] / 100 * gmv_b2b - cost_promo - cost_customer
                    - orders * P["cost_per_order"])
    with np.errstate(divide="ignore", invalid="ignore"):
        cac = np.where(new_users > 0, cost_acq / new_users, np.nan)
    out = {
        "new_users_online": new_online, "new_users_branch": new_branch, "new_users_mobile": new_mobile,
        "new_users_partner": new_partner, "new_users": new_users, "registrations": registrations,
        "registered_users": registered, "active_users": active, "retention": retention,
        "repurchase_rate": retention ** 12, "orders": orders, "aov": aov, "gmv_b2c": gmv_b2c,
        "gmv_b2b": gmv_b2b, "gmv": gmv, "revenue_commission": rev_commission,
        "revenue_financial": rev_financial, "revenue_deposit": rev_deposit, "revenue": revenue,
        "cost_acquisition": cost_acq, "cost_promotion": cost_promo, "cost_customer": cost_customer,
        "cost_operations": cost_ops, "costs": costs, "profit": profit,
        "contribution": contribution, "cumulative_profit": np.cumsum(np.broadcast_to(profit, shape), axis=1), "cac": cac,
    }
    return {k: np.broadcast_to(v, shape) for k, v in out.items()}


def clv(margin: Any, retention: Any, discount: Any) -> Any:
    """Simple customer lifetime value m·r / (1 + i − r) (domain.md); all per year, as decimals."""
    return margin * retention / (1 + discount - retention)


def summarise(k: Mapping[str, np.ndarray], P: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Summary figures per draw (arrays of shape (D,))."""
    new_total = k["new_users"].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cac = np.where(new_total > 0, k["cost_acquisition"].sum(axis=1) / new_total, np.nan)
        contribution = k["contribution"].sum(axis=1)
        active_months = k["active_users"].sum(axis=1)
        margin = np.where(active_months > 0, contribution / active_months * 12, np.nan)
        r_year = k["retention"][:, -1] ** 12
        value = clv(margin, r_year, P["discount_rate"])
        value = np.broadcast_to(value, new_total.shape)
        ratio = np.where(cac > 0, value / cac, np.nan)
    cum = k["cumulative_profit"]
    positive = cum >= 0
    payback = np.where(positive.any(axis=1), positive.argmax(axis=1) + 1, 0).astype(float)
    payback[payback == 0] = np.nan
    return {
        "active_users_end": k["active_users"][:, -1], "gmv_total": k["gmv"].sum(axis=1),
        "revenue_total": k["revenue"].sum(axis=1), "profit_total": k["profit"].sum(axis=1),
        "cac": cac, "clv": value, "clv_cac": ratio, "retention_annual": np.broadcast_to(r_year, cac.shape),
        "payback_month": payback,
    }


def run(model: Model, levers: Mapping[str, float] | None = None, name: str = BASELINE,
        horizon: int | None = None) -> Result:
    """One deterministic run with the baseline levers changed by ``levers`` (clamped to range)."""
    h = horizon or model.horizon
    values = resolve_levers(model, levers).values
    L = _lever_matrix(model, [values], h)
    k = simulate(L, model.params, h)
    s = summarise(k, model.params)
    summary: dict[str, float | None] = {}
    for key, arr in s.items():
        x = float(np.asarray(arr).reshape(-1)[0])
        summary[key] = None if math.isnan(x) else x
    return Result(name, values, model.months(h), {key: np.array(v[0]) for key, v in k.items()}, summary)


def run_many(model: Model, rows: list[Mapping[str, float]], horizon: int | None = None,
             params: Mapping[str, Any] | None = None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Several lever sets at once (already resolved): monthly KPIs (D, H) and summaries (D,)."""
    h = horizon or model.horizon
    P = params if params is not None else model.params
    L = _lever_matrix(model, list(rows), h)
    k = simulate(L, P, h)
    return k, summarise(k, P)


# --------------------------------------------------------------------------- metrics


def metric_of(kpis: Mapping[str, np.ndarray], summary: Mapping[str, np.ndarray], metric: str,
              month: int | None = None) -> np.ndarray:
    """A metric per draw: a stock KPI at ``month`` (default the last), a flow KPI summed up to
    ``month``, a rate at ``month``, or a summary figure (``clv``, ``cac``, ``clv_cac``)."""
    if metric in ("clv", "cac", "clv_cac") and month is None:
        return np.asarray(summary[metric])
    if metric not in KPIS:
        raise KeyError(f"unknown metric {metric!r}")
    series = kpis[metric]
    m = min(month or series.shape[1], series.shape[1])  # a month past the horizon reads the last one
    if KPIS[metric].kind == "flow":
        return series[:, :m].sum(axis=1)
    return series[:, m - 1]


def metric_value(model: Model, values: Mapping[str, float], metric: str, month: int | None = None) -> float:
    k, s = run_many(model, [resolve_levers(model, values).values])
    return float(metric_of(k, s, metric, month)[0])


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class ComparisonRow:
    metric: str
    unit: str
    values: tuple[float | None, ...]  # one per scenario, the first is the reference
    deltas: tuple[float | None, ...]  # value − reference
    pct: tuple[float | None, ...]  # delta ÷ |reference|


COMPARE_METRICS: tuple[tuple[str, int | None], ...] = (
    ("active_users", 24), ("active_users", None), ("new_users", None), ("retention", None),
    ("orders", None), ("gmv", None), ("revenue", None), ("costs", None), ("profit", None),
    ("cumulative_profit", None), ("cac", None), ("clv", None), ("clv_cac", None), ("payback_month", None),
)


def compare(results: list[Result], metrics: Iterable[tuple[str, int | None]] = COMPARE_METRICS) -> list[ComparisonRow]:
    """Rows of a side-by-side comparison; deltas are against the first result."""
    rows = []
    for metric, month in metrics:
        vals: list[float | None] = []
        for r in results:
            if month is None and metric in r.summary and (metric not in KPIS or metric == "cac"):
                vals.append(r.summary[metric])
            else:
                k = {key: v[None, :] for key, v in r.kpis.items()}
                vals.append(float(metric_of(k, {}, metric, month)[0]))
        ref = vals[0]
        deltas = tuple(None if v is None or ref is None else v - ref for v in vals)
        pct = tuple(None if d is None or not ref else d / abs(ref) for d in deltas)
        unit = KPIS[metric].unit if metric in KPIS else SUMMARY_UNITS.get(metric, "ratio")
        label = metric if month is None else f"{metric}@{month}"
        rows.append(ComparisonRow(label, unit, tuple(vals), deltas, pct))
    return rows


def incremental_payback(result: Result, reference: Result) -> int | None:
    """First month the cumulative profit gained over ``reference`` is ≥ 0 (an investment that pays
    back, or a plan that gains from the start); ``None`` when it never is within the horizon or
    the two plans do not differ."""
    gain = result.kpis["profit"] - reference.kpis["profit"]
    if np.allclose(gain, 0.0, rtol=0, atol=1e-6):
        return None  # the same plan: nothing to pay back
    diff = np.cumsum(gain)
    ok = np.nonzero(diff >= 0)[0]
    return int(ok[0]) + 1 if ok.size else None


# --------------------------------------------------------------------------- strategy presets


@dataclass(frozen=True)
class Preset:
    """A TOWS strategy's lever preset (from ``swot.yaml``)."""

    id: str
    title: Any  # Text
    kind: str
    levers: dict[str, float]


def tows_presets(swot_doc: Any) -> list[Preset]:
    """TOWS strategies that set scenario levers, read from any list attribute of the SWOT document
    whose items carry ``id`` and a non-empty ``levers`` mapping (the SWOT model owns the shape)."""
    if swot_doc is None:
        return []
    out: list[Preset] = []
    seen: set[str] = set()
    for name in type(swot_doc).model_fields:
        items = getattr(swot_doc, name, None)
        if not isinstance(items, list):
            continue
        for item in items:
            levers = getattr(item, "levers", None)
            sid = getattr(item, "id", None)
            if not levers or not isinstance(levers, Mapping) or sid is None or sid in seen:
                continue
            seen.add(sid)
            title = getattr(item, "title", None) or getattr(item, "text", None) or getattr(item, "name", None) or sid
            kind = str(getattr(item, "kind", getattr(item, "type", "")) or "")
            out.append(Preset(str(sid), title, kind, {str(k): float(v) for k, v in levers.items()}))
    return out


# --------------------------------------------------------------------------- survey link


@dataclass(frozen=True)
class SurveyKpis:
    """KPI values of the active survey (empty when there is none) and which dataset they came from."""

    values: dict[str, float]
    dataset: str | None
    n: int = 0
    problem: str | None = None       # why the survey could not be used, in English (the CLI prints it)
    code: str = ""                   # that sentence's name (strategy.<code>) ...
    error: Exception | None = None   # ... or the error itself, for the page to say in its language


def market_document(ws: Any) -> Any:
    """The workspace's market document (reported figures), or ``None`` when it does not load."""
    try:
        return ws.load_safe("market").doc
    except Exception:  # a broken market.yaml leaves the baseline uncalibrated against it
        return None


def survey_kpis(ws: Any) -> SurveyKpis:
    """KPIs of the workspace's active survey dataset, for :func:`build_model`; never raises."""
    try:
        dataset = active_dataset(ws)
        if dataset is None:
            return SurveyKpis({}, None)
        survey = ws.load_safe("survey").doc
        if survey is None:
            return SurveyKpis({}, None, problem="config/survey.yaml does not load", code="survey_doc_broken")
        kpis = compute_kpis(dataset, survey)
    except Exception as exc:  # a broken dataset must not take the simulator down
        return SurveyKpis({}, None, problem=f"{type(exc).__name__}: {exc}", code="survey_unexpected", error=exc)
    name = getattr(dataset, "name", None) or getattr(dataset, "id", None) or "active survey"
    values = {k: float(v.value) for k, v in kpis.items() if v is not None}
    try:
        freq = purchase_frequency(dataset, survey)
    except Exception:  # a frequency question without numbers: the documented orders per buyer stay
        freq = None
    if freq is not None and math.isfinite(freq.value):
        values["purchases_per_buyer"] = float(freq.value)
    n = max((v.n for v in kpis.values() if v is not None), default=0)
    return SurveyKpis(values, str(name), n)

"""Model of ``config/marketing.yaml``: the marketing mix, the scenario levers and the driver parameters.

* ``actions`` — the marketing mix (4P + customer management). Each action names the target
  segments (ids in ``stp.yaml``), the TOWS strategy it implements (an id in ``swot.yaml``), an owner,
  an annual budget and the scenario levers it moves.
* ``levers`` — what a planner can change on the Strategy page: value (the baseline plan), min, max,
  step, unit, 4P group, a note on where the value comes from and a triangular range (achieved ÷
  planned) used by the Monte Carlo simulation.
* ``parameters`` — the driver model's assumptions, each with its unit, a note on its origin and an
  optional triangular range (low, value, high) for the Monte Carlo simulation.

The driver model (:mod:`easymall.scenario`) needs exactly the levers and parameters in
:data:`LEVER_SPECS` and :data:`PARAMETER_SPECS`; validation refuses a missing or unknown id, a unit
other than the model's, and any value that would make the model explode (retention ≥ 1, negative
prices, churn cuts of 100 % or more, ...), each with a plain sentence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from easymall.core.text import text_in
from easymall.models.common import Document, Id, StrictModel, Text, by_id, invalid, require_unique

Group = Literal["product", "price", "place", "promotion", "customer"]
GROUPS: tuple[Group, ...] = ("product", "price", "place", "promotion", "customer")


@dataclass(frozen=True)
class Spec:
    """What the driver model expects of one lever or parameter."""

    unit: str
    low: float
    high: float
    high_open: bool = False  # True: the value must stay strictly below ``high``
    what: str = ""


#: Levers the driver model uses: id → unit and the hard bounds of any value (min/max included).
LEVER_SPECS: dict[str, Spec] = {
    "brand_flagships": Spec("stores", 0, 100_000, what="famous-brand flagship stores"),
    "enterprise_cloud_clients": Spec("clients", 0, 10_000_000, what="enterprise service cloud clients"),
    "financial_tools_attach": Spec("%", 0, 100, what="financial service tools attach rate"),
    "commission_rate": Spec("%", 0, 50, what="merchant commission"),
    "instalment_fee_waiver": Spec("%", 0, 100, what="instalment fee waiver"),
    "points_to_cash": Spec("%", 0, 50, what="points-to-cash rate"),
    "branch_referrals": Spec("referrals per branch per month", 0, 10_000, what="branch referrals"),
    "mobile_banking_exposure": Spec("%", 0, 100, what="mobile-banking exposure"),
    "branch_o2o_share": Spec("%", 0, 100, what="branches with O2O service"),
    "partner_channels": Spec("partners", 0, 1_000, what="partner channels"),
    "online_ad_spend": Spec("CNY m per month", 0, 10_000, what="online advertising"),
    "campaign_discount": Spec("%", 0, 50, what="campaign discount"),
    "membership_coverage": Spec("%", 0, 100, what="membership coverage"),
    "crm_touches": Spec("contacts per active user per month", 0, 100, what="CRM contacts"),
    "after_sales_guarantee": Spec("yuan per order", 0, 10_000, what="after-sales guarantee"),
}

INF = math.inf
#: Parameters the driver model uses: id → unit and the range a value must lie in.
PARAMETER_SPECS: dict[str, Spec] = {
    # users and reach
    "initial_registered_users": Spec("users", 0, INF),
    "initial_active_users": Spec("users", 0, INF),
    "monthly_retention": Spec("share", 0, 1, high_open=True, what="retention"),
    "mobile_banking_users": Spec("users", 0, INF),
    "mobile_monthly_active_share": Spec("share", 0, 1),
    "awareness": Spec("share", 0, 1),
    "aware_register_rate": Spec("share", 0, 1),
    "branches": Spec("outlets", 0, INF),
    "branch_referral_conversion": Spec("share", 0, 1),
    "ad_max_registrations": Spec("users per month", 0, INF),
    "ad_spend_scale": Spec("CNY m per month", 0, INF, what="advertising spend scale"),
    "partner_registrations": Spec("users per partner per month", 0, INF),
    # activation
    "activation_online": Spec("share", 0, 1),
    "activation_branch": Spec("share", 0, 1),
    "activation_mobile": Spec("share", 0, 1),
    "activation_partner": Spec("share", 0, 1),
    "brand_activation_uplift": Spec("share", 0, 5),
    "brand_scale": Spec("stores", 0, INF),
    "o2o_activation_uplift": Spec("share", 0, 5),
    "commission_reference": Spec("%", 0, 50),
    "commission_elasticity": Spec("per percentage point", 0, 5),
    # orders and value
    "orders_per_active": Spec("orders per active user per month", 0, 100),
    "aov": Spec("yuan", 0, 1_000_000, what="average order value"),
    "brand_aov_uplift": Spec("share", 0, 5),
    "instalment_share": Spec("share", 0, 1),
    "instalment_waiver_uptake": Spec("share", 0, 10),
    "instalment_aov_uplift": Spec("share", 0, 5),
    "instalment_fee_rate": Spec("share", 0, 1, what="instalment fee rate"),
    "campaign_order_uplift": Spec("per percentage point", 0, 1),
    "crm_order_uplift": Spec("per contact", 0, 1),
    "b2b_gmv_per_client": Spec("yuan per client per month", 0, INF),
    # retention levers (each a cut in monthly churn at the lever's unit)
    "membership_churn_cut": Spec("share at full coverage", 0, 1, high_open=True),
    "points_churn_cut": Spec("per percentage point", 0, 1, high_open=True),
    "crm_churn_cut": Spec("per contact", 0, 1, high_open=True),
    "after_sales_churn_cut": Spec("per yuan per order", 0, 1, high_open=True),
    "o2o_churn_cut": Spec("share at full coverage", 0, 1, high_open=True),
    # revenue
    "fin_margin_per_user": Spec("yuan per attached user per month", 0, INF),
    "deposit_balance_per_active": Spec("yuan", 0, INF),
    "deposit_spread": Spec("share per year", 0, 1),
    "points_redemption": Spec("share", 0, 1),
    # costs
    "fixed_cost": Spec("CNY m per month", 0, INF),
    "cost_per_order": Spec("yuan", 0, INF),
    "referral_incentive": Spec("yuan per registration", 0, INF),
    "partner_fee": Spec("CNY m per partner per month", 0, INF),
    "mobile_exposure_cost": Spec("CNY m per point per month", 0, INF),
    "membership_cost": Spec("yuan per member per month", 0, INF),
    "crm_contact_cost": Spec("yuan per contact", 0, INF),
    "o2o_cost_per_branch": Spec("yuan per branch per month", 0, INF),
    "flagship_cost": Spec("yuan per store per month", 0, INF),
    "cloud_cost_per_client": Spec("yuan per client per month", 0, INF),
    # time and money
    "discount_rate": Spec("share per year", 0, 1, what="discount rate"),
    "ramp_months": Spec("months", 0, 60),
}

#: Churn cut parameter → the lever whose value multiplies it (a cut at the lever's maximum must stay < 100 %).
CHURN_CUTS: dict[str, tuple[str, float]] = {
    "membership_churn_cut": ("membership_coverage", 0.01),  # lever in %, cut at 100 %
    "points_churn_cut": ("points_to_cash", 1.0),
    "crm_churn_cut": ("crm_touches", 1.0),
    "after_sales_churn_cut": ("after_sales_guarantee", 1.0),
    "o2o_churn_cut": ("branch_o2o_share", 0.01),
}


def _fmt(x: float) -> str:
    return f"{x:g}"


class Triangular(StrictModel):
    """A triangular range: the most likely value is the lever's (or parameter's) own value."""

    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise invalid("triangular_not_finite", "a triangular range needs finite low and high")
        if self.low > self.high:
            raise invalid("triangular_order", "triangular low {low} is above high {high}",
                          low=_fmt(self.low), high=_fmt(self.high))
        return self


class Lever(StrictModel):
    """A scenario lever: the baseline plan and how far a planner may move it."""

    id: Id
    group: Group
    label: Text
    unit: str = Field(min_length=1, max_length=60)
    value: float = Field(description="Baseline plan (2017).")
    min: float
    max: float
    step: float = Field(gt=0)
    note: Text = Field(description="Where the baseline and range come from.")
    triangular: Triangular = Field(
        default_factory=lambda: Triangular(low=1.0, high=1.0),
        description="Achieved ÷ planned, for the Monte Carlo simulation (most likely 1).")

    @field_validator("value", "min", "max")
    @classmethod
    def _bounds(cls, x: float, info: ValidationInfo) -> float:
        lid = info.data.get("id")
        spec = LEVER_SPECS.get(lid or "")
        if not math.isfinite(x):
            raise invalid("lever_not_finite", "lever {id}: {field} must be a finite number", id=lid, field=info.field_name)
        if spec is not None and (x < spec.low or x > spec.high):
            params = {"id": lid, "field": info.field_name, "value": _fmt(x), "low": _fmt(spec.low),
                      "high": _fmt(spec.high), "unit": spec.unit}
            if x < 0:
                raise invalid("lever_negative", "lever {id}: {field} {value} is outside {low}–{high} {unit} "
                                                "(a negative price or quantity makes no sense)", **params)
            raise invalid("lever_out_of_bounds", "lever {id}: {field} {value} is outside {low}–{high} {unit}", **params)
        return x

    @model_validator(mode="after")
    def _check(self) -> Lever:
        spec = LEVER_SPECS.get(self.id)
        if spec is None:
            raise invalid("lever_unknown", "lever {id} is not used by the driver model (known levers: {known})",
                          id=self.id, known=", ".join(LEVER_SPECS))
        if self.unit != spec.unit:
            raise invalid("lever_unit", "lever {id} must be in {unit}, not {got}", id=self.id, unit=repr(spec.unit),
                          got=repr(self.unit))
        if self.min >= self.max:
            raise invalid("lever_min_max", "lever {id}: min {min} must be below max {max}", id=self.id, min=_fmt(self.min),
                          max=_fmt(self.max))
        if not self.min <= self.value <= self.max:
            raise invalid("lever_value_range", "lever {id}: value {value} is outside its range {min}–{max}", id=self.id,
                          value=_fmt(self.value), min=_fmt(self.min), max=_fmt(self.max))
        if self.step > self.max - self.min:
            raise invalid("lever_step", "lever {id}: step {step} is larger than the range", id=self.id, step=_fmt(self.step))
        t = self.triangular
        if not (0 <= t.low <= 1 <= t.high <= 3):
            raise invalid("lever_triangular", "lever {id}: triangular is achieved ÷ planned; it needs "
                                              "0 ≤ low ≤ 1 ≤ high ≤ 3 (got {low}–{high})",
                          id=self.id, low=_fmt(t.low), high=_fmt(t.high))
        return self

    def clamp(self, x: float) -> float:
        return min(max(x, self.min), self.max)


class Parameter(StrictModel):
    """A driver-model assumption."""

    id: Id
    label: Text
    unit: str = Field(min_length=1, max_length=60)
    value: float
    note: Text = Field(description="Where the value comes from (source, survey KPI or assumption).")
    triangular: Triangular | None = Field(None, description="Uncertainty (low, high) around value.")

    @field_validator("value")
    @classmethod
    def _value(cls, x: float, info: ValidationInfo) -> float:
        pid = info.data.get("id")
        spec = PARAMETER_SPECS.get(pid or "")
        if spec is not None:
            _check_range(pid or "", "value", x, spec)
        elif not math.isfinite(x):
            raise invalid("parameter_not_finite", "parameter {id}: value must be a finite number", id=pid)
        return x

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        spec = PARAMETER_SPECS.get(self.id)
        if spec is None:
            raise invalid("parameter_unknown", "parameter {id} is not used by the driver model", id=self.id)
        if self.unit != spec.unit:
            raise invalid("parameter_unit", "parameter {id} must be in {unit}, not {got}", id=self.id,
                          unit=repr(spec.unit), got=repr(self.unit))
        if self.triangular is not None:
            for name, field, x in (("triangular low", "triangular.low", self.triangular.low),
                                   ("triangular high", "triangular.high", self.triangular.high)):
                _check_range(self.id, name, x, spec, field)
        if self.triangular is not None and not self.triangular.low <= self.value <= self.triangular.high:
            raise invalid("parameter_triangular_range", "parameter {id}: value {value} is outside its triangular "
                                                        "range {low}–{high}", id=self.id, value=_fmt(self.value),
                          low=_fmt(self.triangular.low), high=_fmt(self.triangular.high))
        return self


def _check_range(pid: str, name: str, x: float, spec: Spec, field: str = "value") -> None:
    """``name`` is how the English sentence says the checked number; ``field`` its YAML key."""
    p = {"id": pid, "name": name, "field": field, "value": _fmt(x), "low": _fmt(spec.low), "high": _fmt(spec.high),
         "unit": spec.unit}
    if not math.isfinite(x):
        raise invalid("parameter_range_not_finite", "parameter {id}: {name} must be a finite number", **p)
    if pid == "monthly_retention" and x >= 1:
        raise invalid("retention_below_one", "parameter monthly_retention: {name} {value} must be below 1 — with "
                                             "retention of 1 or more no user ever leaves and the model explodes", **p)
    if x < spec.low:
        if x < 0:
            raise invalid("parameter_negative", "parameter {id}: {name} {value} must be at least {low} "
                                                "(a negative price or cost makes no sense)", **p)
        raise invalid("parameter_below", "parameter {id}: {name} {value} must be at least {low}", **p)
    if spec.high_open and x >= spec.high:
        raise invalid("parameter_not_below", "parameter {id}: {name} {value} must be below {high} {unit}", **p)
    if x > spec.high:
        raise invalid("parameter_above", "parameter {id}: {name} {value} must be at most {high} {unit}", **p)


class Action(StrictModel):
    """One marketing-mix action (4P or customer management)."""

    id: Id
    group: Group
    title: Text
    description: Text
    segments: list[Id] = Field(default_factory=list, description="Target segment ids (stp.yaml).")
    strategy: Id | None = Field(None, description="The TOWS strategy id (swot.yaml) it implements.")
    owner: Text
    cost: float = Field(ge=0, description="Annual budget, CNY m.")
    levers: list[Id] = Field(default_factory=list, description="Scenario levers the action moves.")

    @field_validator("cost")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise invalid("cost_not_finite", "cost must be a finite number")
        return v


class MarketingDocument(Document):
    """``config/marketing.yaml``."""

    as_of: int = Field(2017, ge=2000, le=2030)
    start_month: str = Field("2017-01", pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                             description="First month of the projection.")
    horizon_months: int = Field(36, ge=1, le=120)
    actions: list[Action] = Field(default_factory=list)
    levers: list[Lever] = Field(min_length=1)
    parameters: list[Parameter] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> MarketingDocument:
        require_unique((a.id for a in self.actions), "action", "duplicate_action")
        require_unique((lv.id for lv in self.levers), "lever", "duplicate_lever")
        require_unique((p.id for p in self.parameters), "parameter", "duplicate_parameter")
        missing = [k for k in LEVER_SPECS if k not in {lv.id for lv in self.levers}]
        if missing:
            raise invalid("levers_missing", "missing lever(s) the driver model needs: {levers}", levers=", ".join(missing))
        missing = [k for k in PARAMETER_SPECS if k not in {p.id for p in self.parameters}]
        if missing:
            raise invalid("parameters_missing", "missing parameter(s) the driver model needs: {parameters}",
                          parameters=", ".join(missing))
        levers = {lv.id: lv for lv in self.levers}
        for a in self.actions:
            unknown = [x for x in a.levers if x not in levers]
            if unknown:
                raise invalid("action_unknown_levers", "action {id} moves unknown lever(s): {levers}", id=a.id,
                              levers=", ".join(unknown))
        params = {p.id: p for p in self.parameters}
        for pid, (lever_id, scale) in CHURN_CUTS.items():
            p, lv = params[pid], levers[lever_id]
            top = p.triangular.high if p.triangular else p.value
            cut = top * lv.max * scale
            if cut >= 1:
                raise invalid("churn_cut_too_large", "parameter {id}: {value} × {lever} at its maximum {max} cuts churn "
                                                     "by {cut}; it must stay below 100 % or retention reaches 1",
                              id=pid, value=_fmt(top), lever=lever_id, max=_fmt(lv.max), cut=f"{cut:.0%}")
        return self

    def lever(self, lever_id: str) -> Lever:
        return by_id(self.levers, lever_id, "lever")

    def parameter(self, pid: str) -> Parameter:
        return by_id(self.parameters, pid, "parameter")

    def baseline(self) -> dict[str, float]:
        """Lever id → baseline value."""
        return {lv.id: lv.value for lv in self.levers}

    def levers_by_group(self) -> dict[str, list[Lever]]:
        out: dict[str, list[Lever]] = {g: [] for g in GROUPS}
        for lv in self.levers:
            out[lv.group].append(lv)
        return out

    def actions_by_group(self) -> dict[str, list[Action]]:
        out: dict[str, list[Action]] = {g: [] for g in GROUPS}
        for a in self.actions:
            out[a.group].append(a)
        return out


def lever_label(lever: Lever, lang: str) -> str:
    return text_in(lever.label, lang)  # type: ignore[arg-type]

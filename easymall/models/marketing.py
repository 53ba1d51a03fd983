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
from easymall.models.common import Document, Id, StrictModel, Text, by_id, require_unique

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
            raise ValueError("a triangular range needs finite low and high")
        if self.low > self.high:
            raise ValueError(f"triangular low {_fmt(self.low)} is above high {_fmt(self.high)}")
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
            raise ValueError(f"lever {lid}: {info.field_name} must be a finite number")
        if spec is not None and (x < spec.low or x > spec.high):
            neg = " (a negative price or quantity makes no sense)" if x < 0 else ""
            raise ValueError(f"lever {lid}: {info.field_name} {_fmt(x)} is outside {_fmt(spec.low)}–"
                             f"{_fmt(spec.high)} {spec.unit}{neg}")
        return x

    @model_validator(mode="after")
    def _check(self) -> Lever:
        spec = LEVER_SPECS.get(self.id)
        if spec is None:
            raise ValueError(f"lever {self.id} is not used by the driver model "
                             f"(known levers: {', '.join(LEVER_SPECS)})")
        if self.unit != spec.unit:
            raise ValueError(f"lever {self.id} must be in {spec.unit!r}, not {self.unit!r}")
        if self.min >= self.max:
            raise ValueError(f"lever {self.id}: min {_fmt(self.min)} must be below max {_fmt(self.max)}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"lever {self.id}: value {_fmt(self.value)} is outside its range "
                             f"{_fmt(self.min)}–{_fmt(self.max)}")
        if self.step > self.max - self.min:
            raise ValueError(f"lever {self.id}: step {_fmt(self.step)} is larger than the range")
        t = self.triangular
        if not (0 <= t.low <= 1 <= t.high <= 3):
            raise ValueError(f"lever {self.id}: triangular is achieved ÷ planned; it needs "
                             f"0 ≤ low ≤ 1 ≤ high ≤ 3 (got {_fmt(t.low)}–{_fmt(t.high)})")
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
            raise ValueError(f"parameter {pid}: value must be a finite number")
        return x

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        spec = PARAMETER_SPECS.get(self.id)
        if spec is None:
            raise ValueError(f"parameter {self.id} is not used by the driver model")
        if self.unit != spec.unit:
            raise ValueError(f"parameter {self.id} must be in {spec.unit!r}, not {self.unit!r}")
        if self.triangular is not None:
            for name, x in (("triangular low", self.triangular.low), ("triangular high", self.triangular.high)):
                _check_range(self.id, name, x, spec)
        if self.triangular is not None and not self.triangular.low <= self.value <= self.triangular.high:
            raise ValueError(f"parameter {self.id}: value {_fmt(self.value)} is outside its triangular range "
                             f"{_fmt(self.triangular.low)}–{_fmt(self.triangular.high)}")
        return self


def _check_range(pid: str, name: str, x: float, spec: Spec) -> None:
    if not math.isfinite(x):
        raise ValueError(f"parameter {pid}: {name} must be a finite number")
    if pid == "monthly_retention" and x >= 1:
        raise ValueError(f"parameter monthly_retention: {name} {_fmt(x)} must be below 1 — with retention "
                         "of 1 or more no user ever leaves and the model explodes")
    if x < spec.low:
        what = " (a negative price or cost makes no sense)" if x < 0 else ""
        raise ValueError(f"parameter {pid}: {name} {_fmt(x)} must be at least {_fmt(spec.low)}{what}")
    if x > spec.high or (spec.high_open and x >= spec.high):
        op = "below" if spec.high_open else "at most"
        raise ValueError(f"parameter {pid}: {name} {_fmt(x)} must be {op} {_fmt(spec.high)} {spec.unit}")


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
            raise ValueError("cost must be a finite number")
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
        require_unique((a.id for a in self.actions), "action")
        require_unique((lv.id for lv in self.levers), "lever")
        require_unique((p.id for p in self.parameters), "parameter")
        missing = [k for k in LEVER_SPECS if k not in {lv.id for lv in self.levers}]
        if missing:
            raise ValueError(f"missing lever(s) the driver model needs: {', '.join(missing)}")
        missing = [k for k in PARAMETER_SPECS if k not in {p.id for p in self.parameters}]
        if missing:
            raise ValueError(f"missing parameter(s) the driver model needs: {', '.join(missing)}")
        levers = {lv.id: lv for lv in self.levers}
        for a in self.actions:
            unknown = [x for x in a.levers if x not in levers]
            if unknown:
                raise ValueError(f"action {a.id} moves unknown lever(s): {', '.join(unknown)}")
        params = {p.id: p for p in self.parameters}
        for pid, (lever_id, scale) in CHURN_CUTS.items():
            p, lv = params[pid], levers[lever_id]
            top = p.triangular.high if p.triangular else p.value
            cut = top * lv.max * scale
            if cut >= 1:
                raise ValueError(f"parameter {pid}: {_fmt(top)} × {lever_id} at its maximum {_fmt(lv.max)} "
                                 f"cuts churn by {cut:.0%}; it must stay below 100 % or retention reaches 1")
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

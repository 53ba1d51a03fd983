"""Why a KPI moved against the levers' obvious direction: driver breakdowns from the model itself.

When a scenario keeps more buyers (annual retention up) or more active ones, yet CLV or the horizon's
profit falls, :func:`explanations` says what rose and what fell:

* CLV = m·r / (1 + i − r): the change split into the retention effect (the new r at the old margin)
  and the margin effect (the new margin at the new r); the margin m (yearly contribution per active
  buyer) split into its parts — commission on B2C orders, financial services, deposit value, less
  promotion, customer management (membership, CRM, after-sales) and per-order costs;
* profit: the change of each revenue stream and cost line over the horizon (they sum to the change).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from easymall.core.i18n import t
from easymall.core.text import Lang
from easymall.core.units import format_value
from easymall.scenario import model as sc

#: What makes up the annual contribution per active buyer (CLV's margin): KPI, sign.
MARGIN_PARTS = (("revenue_b2c_commission", 1), ("revenue_financial", 1), ("revenue_deposit", 1),
                ("cost_promotion", -1), ("cost_customer", -1), ("cost_orders", -1))
#: What makes up the profit: monthly KPI, sign.
PROFIT_PARTS = (("revenue_commission", 1), ("revenue_financial", 1), ("revenue_deposit", 1),
                ("cost_acquisition", -1), ("cost_promotion", -1), ("cost_customer", -1), ("cost_operations", -1))


@dataclass(frozen=True)
class Explanation:
    """Why a KPI moved against the lever's obvious direction: a headline and the drivers."""

    kpi: str
    headline: str
    rows: tuple[str, ...]


def _margin_parts(r: sc.Result, model: sc.Model) -> dict[str, float]:
    k = r.kpis
    months = float(k["active_users"].sum())
    per = 12 / months if months > 0 else math.nan
    b2b = float((r.levers["commission_rate"] / 100 * k["gmv_b2b"]).sum())
    return {"revenue_b2c_commission": (float(k["revenue_commission"].sum()) - b2b) * per,
            "revenue_financial": float(k["revenue_financial"].sum()) * per,
            "revenue_deposit": float(k["revenue_deposit"].sum()) * per,
            "cost_promotion": float(k["cost_promotion"].sum()) * per,
            "cost_customer": float(k["cost_customer"].sum()) * per,
            "cost_orders": float(k["orders"].sum()) * model.params["cost_per_order"] * per}


def _rose(result: sc.Result, baseline: sc.Result) -> bool:
    """The levers' obvious aim moved the right way: more buyers stay or more are active."""
    keys = ("retention_annual", "active_users_end")
    return any((result.summary.get(k) or 0) > (baseline.summary.get(k) or 0) * (1 + 1e-9) for k in keys)


def explanations(model: sc.Model, result: sc.Result, baseline: sc.Result, lang: Lang) -> list[Explanation]:
    """Driver breakdowns, from the model, for CLV and profit when the scenario keeps more buyers (or
    more active ones) yet that KPI falls: what rose and what fell, each in yuan."""
    if not _rose(result, baseline):
        return []
    out = []
    clv_new, clv_old = result.summary.get("clv"), baseline.summary.get("clv")
    if clv_new is not None and clv_old is not None and clv_new < clv_old - 1e-9:
        i = model.params["discount_rate"]
        r_new, r_old = result.summary["retention_annual"] or 0.0, baseline.summary["retention_annual"] or 0.0
        m_new, m_old = _margin_parts(result, model), _margin_parts(baseline, model)
        margin_new = sum(sign * m_new[k] for k, sign in MARGIN_PARTS)
        margin_old = sum(sign * m_old[k] for k, sign in MARGIN_PARTS)
        by_retention = float(sc.clv(margin_old, r_new, i) - sc.clv(margin_old, r_old, i))
        by_margin = float(sc.clv(margin_new, r_new, i) - sc.clv(margin_old, r_new, i))
        rows = [t("strategy.why.retention", lang, before=format_value(r_old, "share", lang),
                  after=format_value(r_new, "share", lang), effect=format_value(by_retention, "yuan", lang, signed=True)),
                t("strategy.why.margin", lang, before=format_value(margin_old, "yuan", lang),
                  after=format_value(margin_new, "yuan", lang), effect=format_value(by_margin, "yuan", lang, signed=True))]
        for key, sign in MARGIN_PARTS:
            d = sign * (m_new[key] - m_old[key])
            if abs(d) >= 0.005 * max(abs(margin_old), 1.0):
                rows.append(t("strategy.why.part", lang, part=t(f"strategy.why.parts.{key}", lang),
                              before=format_value(m_old[key], "yuan", lang), after=format_value(m_new[key], "yuan", lang),
                              effect=format_value(d, "yuan", lang, signed=True)))
        out.append(Explanation("clv", t("strategy.why.clv", lang, before=format_value(clv_old, "yuan", lang),
                                                                after=format_value(clv_new, "yuan", lang)), tuple(rows)))
    p_new, p_old = result.summary.get("profit_total"), baseline.summary.get("profit_total")
    if p_new is not None and p_old is not None and p_new < p_old - 1.0:
        rows = []
        parts = sorted(PROFIT_PARTS, key=lambda ks: -abs(float(result.kpis[ks[0]].sum() - baseline.kpis[ks[0]].sum())))
        for key, sign in parts:
            d = sign * float(result.kpis[key].sum() - baseline.kpis[key].sum())
            if abs(d) >= 0.005 * abs(p_old - p_new):
                rows.append(t("strategy.why.profit_part", lang, part=t(f"strategy.kpi.{key}", lang),
                              effect=format_value(d, "yuan", lang, signed=True)))
        out.append(Explanation("profit_total", t("strategy.why.profit", lang, months=len(result.months),
                                                 before=format_value(p_old, "yuan", lang),
                                                 after=format_value(p_new, "yuan", lang)), tuple(rows)))
    return out

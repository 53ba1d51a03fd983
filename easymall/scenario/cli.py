"""``easymall scenario [WORKSPACE] [--name NAME] [--set LEVER=VALUE ...] [--json]``: monthly KPIs.

Runs the baseline (or a named scenario from ``scenarios.yaml``) with optional lever overrides.
A value outside a lever's range is clamped with a warning on stderr; an unknown lever or scenario
is an error (exit 1) naming it. The JSON has ``scenario``, ``horizon_months``, ``months``,
``levers`` (id → value, min, max, unit), ``kpis`` (id → monthly values), ``summary``,
``calibration`` (``source``, ``covered_share`` and ``parameters``: each calibrated parameter with its
documented and calibrated value and its ``source``) and ``reconciliation`` (year → ``model``,
``reported``, ``covered_share``: the baseline's GMV beside the reported figure, yuan, and the share of it
the model covers; plus ``users_model`` / ``users_reported``).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from easymall.core.errors import UserError
from easymall.scenario import calibration as cal
from easymall.scenario import model as sc
from easymall.store import DocumentError, workspace_arg

#: KPIs printed in the text table (the JSON carries them all).
TABLE_KPIS = ("new_users", "active_users", "retention", "orders", "gmv", "revenue", "costs", "profit",
              "cumulative_profit")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("scenario", help="monthly KPIs of the baseline or a named scenario",
                              description="Project Easy Mall's monthly KPIs with the driver model.")
    p.add_argument("workspace", nargs="?", help="workspace folder or postgresql:// URL (default: EASYMALL_WORKSPACE or the repo)")
    p.add_argument("--name", help="scenario id from scenarios.yaml (default: the baseline)")
    p.add_argument("--set", dest="assignments", action="append", default=[], metavar="LEVER=VALUE",
                   help="override a lever (repeatable), e.g. --set online_ad_spend=20")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_run)


def _load(ws: Any, name: str) -> Any:

    try:
        return ws.load(name)
    except DocumentError as exc:
        raise UserError(str(exc.first)) from None


def _run(args: argparse.Namespace) -> int:

    ws = workspace_arg(args.workspace)
    doc = _load(ws, "marketing")
    survey = sc.survey_kpis(ws)
    model = cal.build(doc, survey.values, survey.dataset, sc.market_document(ws))
    overrides: dict[str, Any] = {}
    name = sc.BASELINE
    if args.name and args.name != sc.BASELINE:
        scenarios = _load(ws, "scenarios")
        scenario = scenarios.get(args.name)
        if scenario is None:
            known = ", ".join(s.id for s in scenarios.scenarios) or "none"
            raise UserError(f"no scenario named {args.name!r} in scenarios.yaml (known: {known})")
        overrides.update(scenario.levers)
        name = scenario.id
    try:
        overrides.update(sc.parse_assignments(args.assignments))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    resolved = sc.resolve_levers(model, overrides)
    if resolved.unknown:
        raise UserError(f"unknown lever(s): {', '.join(resolved.unknown)} "
                        f"(known: {', '.join(model.lever_ids)})")
    bad = [w for w in resolved.warnings if w.code in ("err.lever_not_number", "err.lever_not_finite")]
    if bad:
        raise UserError(str(bad[0]))
    for w in resolved.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if survey.problem:
        print(f"warning: the active survey could not be used ({survey.problem}); "
              "using the documented values", file=sys.stderr)
    result = sc.run(model, resolved.values, name)
    if args.json:
        print(json.dumps(to_json(model, result), ensure_ascii=False))
    else:
        _print_table(model, result)
    return 0


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)


def to_json(model: sc.Model, result: sc.Result) -> dict[str, Any]:
    """The JSON document of a run (the CLI contract)."""
    levers = {}
    for lv in model.doc.levers:
        levers[lv.id] = {"value": result.levers[lv.id], "min": lv.min, "max": lv.max, "unit": lv.unit,
                         "group": lv.group, "baseline": lv.value}
    return {
        "scenario": result.name,
        "horizon_months": len(result.months),
        "months": result.months,
        "levers": levers,
        "kpis": {k: [_num(float(x)) for x in v] for k, v in result.kpis.items()},
        "units": {k: spec.unit for k, spec in sc.KPIS.items()},
        "summary": {k: _num(v) for k, v in result.summary.items()},
        "calibration": {
            "source": model.source,
            "covered_share": _num(model.covered_share),
            "parameters": [{"parameter": n.parameter, "documented": n.before, "calibrated": n.after,
                            "kpi": n.kpi, "kpi_value": n.kpi_value, "clipped": n.clipped,
                            "source": _source(model, n)} for n in model.calibration],
        },
        "reconciliation": {
            str(r.year): {"model": _num(r.model_gmv), "reported": _num(r.reported_gmv), "covered_share": _num(r.covered),
                          "users_model": _num(r.model_users), "users_reported": _num(r.reported_users)}
            for r in model.reconciliation
        },
    }


def _source(model: sc.Model, note: sc.CalibrationNote) -> dict[str, Any]:
    """Where a calibrated value comes from: the survey dataset and KPI, or the market.yaml facts."""
    if note.source == "market":
        return {"kind": "market", "document": "market.yaml", "facts": list(note.facts)}
    return {"kind": "survey", "dataset": model.source, "kpi": note.kpi}


def _fmt(x: float) -> str:
    if abs(x) < 10:
        return f"{x:.3f}"
    return f"{x:,.0f}"


def _print_table(model: sc.Model, result: sc.Result) -> None:
    src = f"calibrated from {model.source}" if model.source else "documented values (no active survey)"
    print(f"scenario: {result.name}   horizon: {len(result.months)} months   baseline: {src}")
    changed = sc.overrides_of(model, result.levers)
    if changed:
        print("levers changed: " + ", ".join(f"{k}={v:g}" for k, v in changed.items()))
    widths = [7] + [max(len(k), 14) for k in TABLE_KPIS]
    print("  ".join(h.rjust(w) for h, w in zip(("month", *TABLE_KPIS), widths, strict=True)))
    for i, month in enumerate(result.months):
        cells = [month] + [_fmt(float(result.kpis[k][i])) for k in TABLE_KPIS]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    s = result.summary
    pay = f"month {int(s['payback_month'])}" if s["payback_month"] else "not within the horizon"
    cac, clv, ratio = (s.get(k) for k in ("cac", "clv", "clv_cac"))
    print(f"CAC ¥{cac or 0:,.1f}   CLV ¥{clv or 0:,.1f}   CLV/CAC {ratio or 0:.2f}   payback: {pay}")

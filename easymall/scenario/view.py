"""What the Strategy page shows, computed here so the page only renders: number formats (en: m / bn,
zh: 万 / 亿), KPI cards with deltas, comparison and Monte Carlo tables, goal-seek sweeps, and pure
edits of the marketing and scenarios documents (new scenario, deleted scenario, edited actions)."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from easymall.core.i18n import t
from easymall.core.text import Lang, text_in
from easymall.models.common import LocalizedText, Text
from easymall.models.marketing import GROUPS, Action, MarketingDocument
from easymall.models.scenarios import Scenario, ScenariosDocument
from easymall.scenario import model as sc
from easymall.scenario import risk

# --------------------------------------------------------------------------- numbers


def fmt(value: float | None, unit: str, lang: Lang, signed: bool = False) -> str:
    """A figure for people: users in m (en) / 万 (zh), yuan in ¥ m / bn (en) / 万元 / 亿元 (zh)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    sign = "+" if signed and value > 0 else ""
    v = float(value)
    a = abs(v)
    if unit == "users" or unit == "orders":
        if lang == "zh":
            return f"{sign}{v / 1e4:,.0f} 万" if a >= 1e5 else f"{sign}{v / 1e4:,.1f} 万" if a >= 1e3 else f"{sign}{v:,.0f}"
        return f"{sign}{v / 1e6:,.2f} m" if a >= 1e5 else f"{sign}{v:,.0f}"
    if unit == "yuan":
        if lang == "zh":
            if a >= 1e8:  # four significant figures, as "¥187.8 bn" in English
                return f"{sign}{v / 1e8:,.{0 if a >= 1e11 else 1}f} 亿元"
            if a >= 1e4:
                return f"{sign}{v / 1e4:,.0f} 万元"
            return f"{sign}{v:,.1f} 元"
        if a >= 1e9:
            return f"{sign}¥{v / 1e9:,.1f} bn".replace("¥-", "-¥")
        if a >= 1e6:
            return f"{sign}¥{v / 1e6:,.1f} m".replace("¥-", "-¥")
        return f"{sign}¥{v:,.1f}".replace("¥-", "-¥")
    if unit == "share":
        return f"{sign}{v * 100:.1f}%" if not signed else f"{sign}{v * 100:.1f} pp"
    if unit == "month":
        return f"{sign}{v:,.0f}"
    if unit == "ratio":
        return f"{sign}{v:,.2f}"
    return f"{sign}{v:,.4g}"


def scale(unit: str, lang: Lang) -> tuple[float, str]:
    """Divisor and axis suffix for a chart of ``unit``."""
    if unit in ("users", "orders"):
        return (1e4, t("strategy.unit.wan", lang)) if lang == "zh" else (1e6, t("strategy.unit.million", lang))
    if unit == "yuan":
        return (1e8, t("strategy.unit.yi_yuan", lang)) if lang == "zh" else (1e6, t("strategy.unit.cny_m", lang))
    if unit == "share":
        return (0.01, "%")
    return (1.0, "")


def slider_format(step: float) -> str:
    """printf format for a slider with ``step`` (no spurious decimals)."""
    if step >= 1:
        return "%.0f"
    return "%.1f" if step >= 0.1 else "%.2f"


def unit_label(unit: str, lang: Lang) -> str:
    """A lever's unit in the UI language (``referrals per branch per month`` → ``次/网点/月``)."""
    if unit == "%":
        return "%"
    key = "strategy.lever_unit." + re.sub(r"[^a-z0-9]+", "_", unit.lower()).strip("_")
    text = t(key, lang)
    return unit if text.startswith("⟦") else text


def lever_value(value: float, unit: str, lang: Lang = "en") -> str:
    return f"{value:g}%" if unit == "%" else f"{value:g} {unit_label(unit, lang)}"


#: URL paths of the app's pages (the frame's navigation), stripped to find the app's root.
PAGE_PATHS = ("overview", "survey", "swot", "segments", "strategy", "home")


def share_url(page_url: str | None, query: Mapping[str, str], lang: Lang) -> str:
    """The address that opens exactly this scenario: the page URL with ``lang`` and the changed levers."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    parts = urlsplit(page_url or "")
    root, _, last = parts.path.rstrip("/").rpartition("/")
    base = root if last in PAGE_PATHS else parts.path.rstrip("/")
    path = base + "/strategy"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({"lang": lang, **query}), ""))


# --------------------------------------------------------------------------- KPI cards


@dataclass(frozen=True)
class Card:
    id: str
    label: str
    value: str
    delta: str | None
    delta_color: str  # "normal" | "inverse" | "off"
    help: str


#: (card id, how to read it, unit, True when lower is better)
CARDS: tuple[tuple[str, str, str, bool], ...] = (
    ("active_users_24", "active_users@24", "users", False),
    ("active_users_end", "active_users_end", "users", False),
    ("repurchase_rate", "retention_annual", "share", False),
    ("gmv_total", "gmv_total", "yuan", False),
    ("profit_total", "profit_total", "yuan", False),
    ("cac", "cac", "yuan", True),
    ("clv", "clv", "yuan", False),
    ("clv_cac", "clv_cac", "ratio", False),
    ("payback_month", "payback_month", "month", True),
)


def _read(result: sc.Result, how: str) -> float | None:
    if "@" in how:
        kpi, month = how.split("@")
        return result.at(kpi, min(int(month), len(result.months)))
    return result.summary.get(how)


def horizon_fields(months: Sequence[str]) -> dict[str, object]:
    """Format fields for labels that name the horizon: ``months`` (its length), ``month`` (the
    mid-term month the cards read, 24 or the last) and ``label`` (that month as ``YYYY-MM``)."""
    month = min(24, len(months))
    return {"months": len(months), "month": month, "label": months[month - 1] if months else ""}


def cards(result: sc.Result, baseline: sc.Result, lang: Lang) -> list[Card]:
    """KPI cards of ``result`` with deltas against ``baseline``."""
    out = []
    fields = horizon_fields(result.months)
    for cid, how, unit, lower_better in CARDS:
        v, b = _read(result, how), _read(baseline, how)
        label = t(f"strategy.card.{cid}", lang, **fields)
        if cid == "payback_month":
            value = (t("strategy.payback_at", lang, month=int(v), label=result.months[int(v) - 1])
                     if v else t("strategy.payback_never", lang, **fields))
            if v and b:
                delta = t("strategy.months_delta", lang, n=f"{v - b:+.0f}") if v != b else None
            elif v and not b:
                delta = t("strategy.payback_new", lang)
            elif b and not v:
                delta = t("strategy.payback_lost", lang)
            else:
                delta = None
            out.append(Card(cid, label, value, delta, "inverse" if v and b else "normal",
                            t(f"strategy.card_help.{cid}", lang, **fields)))
            continue
        delta = None
        if v is not None and b is not None and not math.isclose(v, b, rel_tol=1e-9, abs_tol=1e-9):
            delta = fmt(v - b, unit, lang, signed=True)
        out.append(Card(cid, label, fmt(v, unit, lang), delta, "inverse" if lower_better else "normal",
                        t(f"strategy.card_help.{cid}", lang, **fields)))
    return out


# --------------------------------------------------------------------------- tables


def metric_label(metric: str, lang: Lang) -> str:
    """``active_users@24`` → "Active users, month 24"."""
    base, _, month = metric.partition("@")
    name = t(f"strategy.kpi.{base}", lang)
    return t("strategy.at_month", lang, name=name, month=month) if month else name


def comparison_table(results: Sequence[sc.Result], names: Sequence[str], lang: Lang) -> pd.DataFrame:
    """One row per metric: each scenario's value and, after the first, its delta (and %)."""
    rows = sc.compare(list(results))
    data: dict[str, list[str]] = {t("strategy.col.metric", lang): [metric_label(r.metric, lang) for r in rows]}
    for i, name in enumerate(names):
        data[name] = [fmt(r.values[i], r.unit, lang) for r in rows]
        if i == 0:
            continue
        col = t("strategy.col.delta", lang, name=name)
        cells = []
        for r in rows:
            d, p = r.deltas[i], r.pct[i]
            if d is None or (isinstance(d, float) and math.isnan(d)):
                cells.append("—")
            elif d == 0:
                cells.append("0")
            else:
                pct = f" ({p:+.0%})" if p is not None and math.isfinite(p) and r.unit != "month" else ""
                cells.append(fmt(d, r.unit, lang, signed=True) + pct)
        data[col] = cells
    return pd.DataFrame(data)


def lever_table(doc: MarketingDocument, group: str, values: Mapping[str, float], lang: Lang) -> pd.DataFrame:
    rows = []
    for lv in doc.levers:
        if lv.group != group:
            continue
        rows.append({
            t("strategy.col.lever", lang): text_in(lv.label, lang),
            t("strategy.col.baseline", lang): lever_value(lv.value, lv.unit, lang),
            t("strategy.col.scenario", lang): lever_value(values.get(lv.id, lv.value), lv.unit, lang),
            t("strategy.col.range", lang): f"{lv.min:g}–{lv.max:g}",
            t("strategy.col.mc_range", lang): f"×{lv.triangular.low:g}–×{lv.triangular.high:g}",
            t("strategy.col.note", lang): text_in(lv.note, lang),
        })
    return pd.DataFrame(rows)


def parameter_table(model: sc.Model, lang: Lang) -> pd.DataFrame:
    calibrated = {n.parameter: n for n in model.calibration}
    rows = []
    for p in model.doc.parameters:
        used = model.params[p.id]
        note = text_in(p.note, lang)
        if p.id in calibrated:
            n = calibrated[p.id]
            note = t("strategy.calibrated_note", lang, kpi=t(f"strategy.survey_kpi.{n.kpi}", lang),
                     value=f"{n.kpi_value:.4g}", documented=f"{n.before:g}") + " " + note
        rows.append({
            t("strategy.col.parameter", lang): text_in(p.label, lang),
            t("strategy.col.value", lang): f"{used:,.6g}",
            t("strategy.col.unit", lang): p.unit,
            t("strategy.col.mc_range", lang): f"{p.triangular.low:,.6g}–{p.triangular.high:,.6g}" if p.triangular else "",
            t("strategy.col.note", lang): note,
        })
    return pd.DataFrame(rows)


def bands_table(bands: risk.Bands, lang: Lang) -> pd.DataFrame:
    rows = []
    for key in ("active_users_end", "gmv_total", "profit_total", "cac", "clv", "clv_cac"):
        unit = sc.SUMMARY_UNITS[key]
        lo, mid, hi = bands.summary[key]
        rows.append({t("strategy.col.metric", lang): t(f"strategy.card.{key}", lang, **horizon_fields(bands.months)),
                     "P10": fmt(lo, unit, lang), "P50": fmt(mid, unit, lang), "P90": fmt(hi, unit, lang)})
    return pd.DataFrame(rows)


def calibration_rows(model: sc.Model, lang: Lang) -> list[str]:
    out = []
    for n in model.calibration:
        key = "strategy.calibration_clipped" if n.clipped else "strategy.calibration_row"
        out.append(t(key, lang, parameter=n.parameter, before=f"{n.before:.4g}", after=f"{n.after:.4g}",
                     kpi=t(f"strategy.survey_kpi.{n.kpi}", lang), value=f"{n.kpi_value:.3g}"))
    return out


# --------------------------------------------------------------------------- goal seek


def sweep(model: sc.Model, levers: Mapping[str, float], lever: str, metric: str, month: int | None,
          points: int = 41) -> tuple[np.ndarray, np.ndarray]:
    """The metric over the lever's whole range (one vectorised run), for the goal-seek chart."""
    spec = model.doc.lever(lever)
    xs = np.linspace(spec.min, spec.max, points)
    values = sc.resolve_levers(model, levers).values
    k, s = sc.run_many(model, [{**values, lever: float(x)} for x in xs])
    return xs, sc.metric_of(k, s, metric, month)


#: Metrics offered by goal seek and the tornado: (metric, month needed, unit).
SEEK_METRICS: tuple[tuple[str, bool, str], ...] = (
    ("active_users", True, "users"), ("cumulative_profit", True, "yuan"), ("gmv", True, "yuan"),
    ("profit", True, "yuan"), ("new_users", True, "users"), ("clv", False, "yuan"), ("clv_cac", False, "ratio"),
)


def metric_unit(metric: str) -> str:
    return next((u for m, _, u in SEEK_METRICS if m == metric), sc.KPIS[metric].unit if metric in sc.KPIS else "")


# --------------------------------------------------------------------------- documents


def slug(text: str, taken: Sequence[str]) -> str:
    """A scenario id from a name: ASCII snake_case, unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "scenario"
    if not base[0].isalpha():
        base = "s_" + base
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out


def with_scenario(doc: ScenariosDocument, model: sc.Model, name: str, notes: str, author: str,
                  values: Mapping[str, float], lang: Lang, strategy: str | None = None,
                  today: date | None = None, replace: str | None = None) -> tuple[ScenariosDocument, str]:
    """``doc`` plus a scenario named ``name`` storing the levers that differ from the baseline.
    With ``replace`` (an existing id) that scenario is updated instead. Returns (doc, id)."""
    name = name.strip()
    if not name:
        raise ValueError(t("strategy.err.name_needed", lang))
    label: Text = LocalizedText(**{lang: name})
    note: Text | None = LocalizedText(**{lang: notes.strip()}) if notes.strip() else None
    overrides = sc.overrides_of(model, values)
    created = (today or date.today()).isoformat()
    scenarios = list(doc.scenarios)
    if replace is not None:
        idx = next((i for i, s in enumerate(scenarios) if s.id == replace), None)
        if idx is None:
            raise ValueError(t("strategy.err.no_scenario", lang, id=replace))
        old = scenarios[idx]
        merged_name = old.name.model_copy(update={lang: name}) if isinstance(old.name, LocalizedText) else label
        scenarios[idx] = old.model_copy(update={"name": merged_name, "notes": note or old.notes, "levers": overrides,
                                                "author": author or old.author, "created": created})
        sid = replace
    else:
        sid = slug(name, [s.id for s in scenarios] + [sc.BASELINE])
        scenarios.append(Scenario(id=sid, name=label, author=author, created=created, notes=note,
                                  strategy=strategy, levers=overrides))
    return ScenariosDocument(revision=doc.revision, scenarios=scenarios), sid


def without_scenario(doc: ScenariosDocument, scenario_id: str) -> ScenariosDocument:
    return ScenariosDocument(revision=doc.revision, scenarios=[s for s in doc.scenarios if s.id != scenario_id])


#: The actions table's value for "implements no TOWS strategy".
NO_STRATEGY = "—"

#: Editable columns of the actions table.
ACTION_COLUMNS = ("title", "owner", "cost", "segments", "strategy", "levers")


def actions_frame(doc: MarketingDocument, group: str, lang: Lang) -> pd.DataFrame:
    """The actions of one 4P group as the editor's canonical table (index = action id)."""
    rows = []
    for a in doc.actions:
        if a.group != group:
            continue
        rows.append({"id": a.id, "title": text_in(a.title, lang), "description": text_in(a.description, lang),
                     "owner": text_in(a.owner, lang), "cost": a.cost, "segments": list(a.segments),
                     "strategy": a.strategy or NO_STRATEGY, "levers": list(a.levers)})
    frame = pd.DataFrame(rows, columns=["id", "title", "description", "owner", "cost", "segments", "strategy",
                                        "levers"])
    return frame.set_index("id")


def _set_text(old: Text, value: str, lang: Lang) -> Text:
    value = str(value).strip()
    if isinstance(old, LocalizedText):
        return old.model_copy(update={lang: value})
    return LocalizedText(**{lang: value, ("en" if lang == "zh" else "zh"): old})


def apply_action_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang
                       ) -> MarketingDocument:
    """See :func:`_apply_action_edits`; a validation error becomes one sentence (``ValueError``)."""
    try:
        return _apply_action_edits(doc, group, edits, lang)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ValueError(f"{where}: {err['msg'].removeprefix('Value error, ')}" if where
                         else err["msg"].removeprefix("Value error, ")) from None


def _apply_action_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang
                        ) -> MarketingDocument:
    """Apply a data-editor change record (``edited_rows`` keyed by row position within ``group``,
    ``added_rows``, ``deleted_rows``) to the actions of ``group``; raises ``ValueError`` with one
    sentence when a value is invalid. Text edits change only the current language."""
    group_ids = [a.id for a in doc.actions if a.group == group]
    actions = {a.id: a for a in doc.actions}
    for pos, change in (edits.get("edited_rows") or {}).items():
        aid = group_ids[int(pos)]
        a = actions[aid]
        update: dict[str, Any] = {}
        for col, value in change.items():
            if col in ("title", "owner", "description"):
                if not str(value or "").strip():
                    raise ValueError(t("strategy.err.empty", lang, id=aid, column=col))
                update[col] = _set_text(getattr(a, col), value, lang)
            elif col == "cost":
                try:
                    cost = float(value)
                except (TypeError, ValueError):
                    raise ValueError(t("strategy.err.cost", lang, id=aid)) from None
                if not math.isfinite(cost) or cost < 0:
                    raise ValueError(t("strategy.err.cost", lang, id=aid))
                update["cost"] = cost
            elif col in ("segments", "levers"):
                update[col] = [str(x) for x in (value or [])]
            elif col == "strategy":
                update["strategy"] = str(value) if value and value != NO_STRATEGY else None
        actions[aid] = Action.model_validate({**a.model_dump(), **update})
    deleted = {group_ids[int(i)] for i in (edits.get("deleted_rows") or [])}
    new_actions = [actions[a.id] for a in doc.actions if a.id not in deleted]
    taken = [a.id for a in new_actions]
    for row in edits.get("added_rows") or []:
        title = str(row.get("title") or "").strip()
        if not title:
            continue  # an empty new row: the user has not typed yet
        aid = slug(title, taken)
        taken.append(aid)
        new_actions.append(Action(
            id=aid, group=group, title=LocalizedText(**{lang: title}),  # type: ignore[arg-type]
            description=LocalizedText(**{lang: str(row.get("description") or title)}),
            owner=LocalizedText(**{lang: str(row.get("owner") or "—")}),
            cost=float(row.get("cost") or 0), segments=[str(x) for x in row.get("segments") or []],
            strategy=str(row["strategy"]) if row.get("strategy") not in (None, "", NO_STRATEGY) else None,
            levers=[str(x) for x in row.get("levers") or []]))
    data = doc.model_dump()
    data["actions"] = [a.model_dump() for a in new_actions]
    return MarketingDocument.model_validate(data)


#: Editable columns of the levers table.
LEVER_COLUMNS = ("value", "min", "max", "step", "mc_low", "mc_high", "note")


def levers_frame(doc: MarketingDocument, group: str, lang: Lang) -> pd.DataFrame:
    """The levers of one 4P group as the editor's canonical table (index = lever id)."""
    rows = [{"id": lv.id, "label": text_in(lv.label, lang), "unit": unit_label(lv.unit, lang), "value": lv.value,
             "min": lv.min, "max": lv.max, "step": lv.step, "mc_low": lv.triangular.low,
             "mc_high": lv.triangular.high, "note": text_in(lv.note, lang)}
            for lv in doc.levers if lv.group == group]
    return pd.DataFrame(rows, columns=["id", "label", "unit", *LEVER_COLUMNS]).set_index("id")


def apply_lever_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang) -> MarketingDocument:
    """Apply a data-editor change record (``edited_rows`` by position within ``group``) to the levers'
    baseline, range, step, Monte Carlo range and note; raises ``ValueError`` with one sentence."""
    ids = [lv.id for lv in doc.levers if lv.group == group]
    data = doc.model_dump()
    by_id = {lv["id"]: lv for lv in data["levers"]}
    for pos, change in (edits.get("edited_rows") or {}).items():
        lever = by_id[ids[int(pos)]]
        for col, value in change.items():
            if col == "note":
                if not str(value or "").strip():
                    raise ValueError(t("strategy.err.empty", lang, id=lever["id"], column=col))
                old = doc.lever(lever["id"]).note
                lever["note"] = _set_text(old, value, lang).model_dump()
            elif col in ("value", "min", "max", "step", "mc_low", "mc_high"):
                try:
                    x = float(value)
                except (TypeError, ValueError):
                    raise ValueError(t("strategy.err.number", lang, id=lever["id"], column=col)) from None
                if col == "mc_low":
                    lever["triangular"]["low"] = x
                elif col == "mc_high":
                    lever["triangular"]["high"] = x
                else:
                    lever[col] = x
    try:
        return MarketingDocument.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = err["msg"].removeprefix("Value error, ")
        loc = err["loc"]
        if len(loc) > 1 and loc[0] == "levers" and isinstance(loc[1], int) and not msg.startswith("lever "):
            msg = f"lever {data['levers'][loc[1]]['id']}: {msg}"
        raise ValueError(msg) from None


def budget(value_m: float, lang: Lang) -> str:
    """An annual budget given in CNY m, for people (``¥108.0 m`` / ``1.1 亿元``)."""
    return fmt(value_m * 1e6, "yuan", lang)


def group_costs(doc: MarketingDocument) -> dict[str, float]:
    """Annual budget per 4P group (CNY m)."""
    out = {g: 0.0 for g in GROUPS}
    for a in doc.actions:
        out[a.group] += a.cost
    return out

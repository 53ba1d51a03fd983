"""What the Strategy page shows, computed here so the page only renders: KPI cards with deltas,
comparison, lever, parameter and Monte Carlo tables, goal-seek sweeps and sentences, the options of
its pickers and their defaults (the default goal-seek lever and target, the compared scenarios).
Every figure goes through :func:`easymall.core.units.format_value`.

The page imports only this module and :mod:`easymall.scenario.edit`: the model and risk analysis
names it calls are re-exported here (``run``, ``tornado``, ``monte_carlo``, ``goal_seek`` ...).
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd

from easymall.core.errors import CodedError
from easymall.core.i18n import error_text, sentence, t
from easymall.core.memo import Memo
from easymall.core.text import Lang, text_in
from easymall.core.units import MONEY, PEOPLE, format_together, format_value
from easymall.core.units import display_factor as display_factor
from easymall.core.units import from_display as from_display
from easymall.core.units import scale as scale
from easymall.core.units import to_display as to_display
from easymall.models.common import Text
from easymall.models.marketing import GROUPS as GROUPS
from easymall.models.marketing import MarketingDocument as MarketingDocument
from easymall.models.scenarios import ScenariosDocument as ScenariosDocument
from easymall.scenario import calibration as cal
from easymall.scenario import explain as explain
from easymall.scenario import model as sc
from easymall.scenario import risk
from easymall.scenario.compare import COMPARE_KPIS as COMPARE_KPIS
from easymall.scenario.compare import CURRENT as CURRENT
from easymall.scenario.compare import MAX_COMPARED as MAX_COMPARED
from easymall.scenario.compare import SavedRow as SavedRow
from easymall.scenario.compare import compare_options as compare_options
from easymall.scenario.compare import compare_picks as compare_picks
from easymall.scenario.compare import compared_results as compared_results
from easymall.scenario.compare import incremental_notes as incremental_notes
from easymall.scenario.compare import picks_after_save as picks_after_save
from easymall.scenario.compare import saved_rows as saved_rows
from easymall.scenario.edit import NO_STRATEGY as NO_STRATEGY
from easymall.scenario.explain import Explanation as Explanation
from easymall.scenario.explain import explanations as explanations
from easymall.scenario.model import BASELINE as BASELINE
from easymall.scenario.model import Model as Model
from easymall.scenario.model import Preset as Preset
from easymall.scenario.model import Result as Result
from easymall.scenario.model import incremental_payback as incremental_payback
from easymall.scenario.model import levers_to_query as levers_to_query
from easymall.scenario.model import overrides_of as overrides_of
from easymall.scenario.model import resolve_levers as resolve_levers
from easymall.scenario.model import run as run
from easymall.scenario.model import scenario_levers as scenario_levers
from easymall.scenario.model import tows_presets as tows_presets
from easymall.scenario.risk import DEFAULT_DRAWS as DEFAULT_DRAWS
from easymall.scenario.risk import DEFAULT_SEED as DEFAULT_SEED
from easymall.scenario.risk import goal_seek as goal_seek
from easymall.scenario.risk import monte_carlo as monte_carlo
from easymall.scenario.risk import tornado as tornado
from easymall.survey import active_dataset

# --------------------------------------------------------------------------- numbers and labels


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


def lever_number(value: float, step: float | None = None) -> str:
    """A lever value with the decimals its step allows (step 5 → ``40``, step 0.5 → ``2.5``)."""
    if step is None:
        return f"{value:g}"
    decimals = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    return f"{value:,.{decimals}f}"


def lever_from_link(lever: Any, raw: str | None) -> float:
    """A lever's value from a link's ``?<id>=`` (in the lever's own unit); the baseline when there is
    none or it is not a number in the lever's range."""
    try:
        x = float(raw) if raw is not None else math.nan
    except ValueError:
        x = math.nan
    return x if math.isfinite(x) and lever.min <= x <= lever.max else float(lever.value)


def lever_link(lever: Any, value: float) -> str | None:
    """What a link carries for a lever at ``value`` (its own unit): None at the baseline."""
    return None if value == lever.value else f"{value:g}"


def lever_value(value: float, unit: str, lang: Lang = "en", step: float | None = None) -> str:
    f = display_factor(unit, lang)
    number = lever_number(value * f, None if step is None else step * f)
    return f"{number}%" if unit == "%" else f"{number} {unit_label(unit, lang)}"


#: URL paths of the app's pages (the frame's navigation), stripped to find the app's root.
PAGE_PATHS = ("overview", "survey", "swot", "segments", "strategy", "home")


def share_url(page_url: str | None, query: Mapping[str, str], lang: Lang) -> str:
    """The address that opens exactly this scenario: the page URL with ``lang`` and the changed levers."""
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
    delta_color: str  # "green" (better) | "red" (worse) | "gray": from the numbers, as the arrow
    help: str
    band: str | None = None  # "P50 … · P10–P90 … – …" once the risk analysis has run for these levers
    #: "up" | "down" | "off": from the numbers, not the text (a delta reads "−3.0 亿元" with the
    #: minus sign, which Streamlit's "auto" would draw as a rise)
    delta_arrow: str = "off"


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


def card_band(bands: risk.Bands | None, cid: str, how: str, unit: str, lang: Lang) -> str | None:
    """A card's Monte Carlo band as one line (median and P10–P90), or None before a risk run."""
    if bands is None:
        return None
    if "@" in how:
        kpi, month = how.split("@")
        i = min(int(month), len(bands.months)) - 1
        lo, mid, hi = (float(q[kpi][i]) for q in (bands.p10, bands.p50, bands.p90))
    else:
        key = "retention_annual" if cid == "repurchase_rate" else how
        lo, mid, hi = bands.summary[key]

    if unit == "month":
        if not any(math.isfinite(x) for x in (lo, mid, hi)):
            return t("strategy.band.payback_never", lang)
        p10, p50, p90 = (str(int(x)) if math.isfinite(x) else t("strategy.band.never", lang) for x in (lo, mid, hi))
    else:
        p10, p50, p90 = format_together([lo, mid, hi], unit, lang)
    return t("strategy.band.card", lang, p50=p50, p10=p10, p90=p90)


def cards(result: sc.Result, baseline: sc.Result, lang: Lang, bands: risk.Bands | None = None) -> list[Card]:
    """KPI cards of ``result`` with deltas against ``baseline``; with ``bands`` (a Monte Carlo run of
    the same levers) each card also carries its median and P10–P90 band."""
    out = []
    fields = horizon_fields(result.months)
    for cid, how, unit, lower_better in CARDS:
        v, b = _read(result, how), _read(baseline, how)
        label = t(f"strategy.card.{cid}", lang, **fields)
        band = card_band(bands, cid, how, unit, lang)
        if cid == "payback_month":
            value = (t("strategy.payback_at", lang, month=int(v), label=result.months[int(v) - 1])
                     if v else t("strategy.payback_never", lang, **fields))
            arrow = "off"
            if v and b:
                delta = t("strategy.months_delta", lang, n=f"{v - b:+.0f}") if v != b else None
                arrow = "up" if v > b else "down"
            elif v and not b:
                delta, arrow = t("strategy.payback_new", lang), "up"
            elif b and not v:
                delta, arrow = t("strategy.payback_lost", lang), "down"
            else:
                delta = None
            out.append(Card(cid, label, value, delta, _tone(arrow, lower_better=bool(v and b)),
                            t(f"strategy.card_help.{cid}", lang, **fields), band, arrow))
            continue
        delta, arrow = None, "off"
        if v is not None and b is not None and not math.isclose(v, b, rel_tol=1e-9, abs_tol=1e-9):
            delta, arrow = format_value(v - b, unit, lang, signed=True), "up" if v > b else "down"
        out.append(Card(cid, label, format_value(v, unit, lang), delta, _tone(arrow, lower_better),
                        t(f"strategy.card_help.{cid}", lang, **fields), band, arrow))
    return out


def _tone(arrow: str, lower_better: bool) -> str:
    """A delta's colour: green when the figure moved the good way, red when the bad way."""
    if arrow == "off":
        return "gray"
    return "green" if (arrow == "up") != lower_better else "red"


#: Figures whose sign matters (a profit or a loss): summary key → card id.
SIGNED = (("profit_total", "profit_total"),)


def sign_notes(result: sc.Result, bands: risk.Bands | None, lang: Lang) -> list[str]:
    """A sentence for each signed figure whose P10–P90 band straddles zero (it may be a loss or a
    profit) or whose median has the other sign than the plan."""
    if bands is None:
        return []
    out = []
    fields = horizon_fields(result.months)
    for key, cid in SIGNED:
        lo, mid, hi = bands.summary[key]
        plan = result.summary.get(key)
        if not (math.isfinite(lo) and math.isfinite(hi)) or plan is None:
            continue
        if lo < 0 < hi or (plan >= 0) != (mid >= 0):
            p_plan, p10, p50, p90 = format_together([plan, lo, mid, hi], "yuan", lang)
            out.append(t("strategy.band.sign_flip", lang, kpi=t(f"strategy.card.{cid}", lang, **fields),
                         plan=p_plan, p10=p10, p90=p90, p50=p50))
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
        data[name] = [format_value(r.values[i], r.unit, lang) for r in rows]
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
                cells.append(format_value(d, r.unit, lang, signed=True) + pct)
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
            note = t("strategy.calibrated_note", lang, source=calibration_source(model, n, lang),
                     documented=param_value(n.before, p.unit, lang)) + " " + note
        f = display_factor(p.unit, lang)
        rows.append({
            t("strategy.col.parameter", lang): text_in(p.label, lang),
            t("strategy.col.value", lang): f"{used * f:,.6g}",
            t("strategy.col.unit", lang): unit_label(p.unit, lang),
            t("strategy.col.mc_range", lang): (f"{p.triangular.low * f:,.6g}–{p.triangular.high * f:,.6g}"
                                               if p.triangular else ""),
            t("strategy.col.note", lang): note,
        })
    return pd.DataFrame(rows)


def bands_table(bands: risk.Bands, lang: Lang) -> pd.DataFrame:
    rows = []
    for key in ("active_users_end", "gmv_total", "profit_total", "cac", "clv", "clv_cac"):
        unit = sc.SUMMARY_UNITS[key]
        p10, p50, p90 = format_together(list(bands.summary[key]), unit, lang)
        rows.append({t("strategy.col.metric", lang): t(f"strategy.card.{key}", lang, **horizon_fields(bands.months)),
                     "P10": p10, "P50": p50, "P90": p90})
    return pd.DataFrame(rows)


def param_value(value: float, unit: str, lang: Lang) -> str:
    """A parameter's value for people: amounts, counts and shares through the formatter, else the number."""
    if unit in MONEY or unit in PEOPLE or unit == "share":
        return format_value(value, unit, lang)
    return f"{value * display_factor(unit, lang):,.4g}"


def input_value(model: sc.Model, iid: str, value: float, lang: Lang) -> str:
    """A tornado input's value for people: a lever as its slider reads it, a parameter with its unit."""
    levers = {lv.id: lv for lv in model.doc.levers}
    if iid in levers:
        return lever_value(value, levers[iid].unit, lang, levers[iid].step)
    unit = next(p.unit for p in model.doc.parameters if p.id == iid)
    text = param_value(value, unit, lang)
    return text if unit in MONEY or unit in PEOPLE or unit == "share" else f"{text} {unit_label(unit, lang)}"


def _param_label(model: sc.Model, pid: str, lang: Lang) -> tuple[str, str]:
    """A calibrated parameter's label and unit (``unmodelled_registrations`` is the calibration's own)."""
    if pid == "unmodelled_registrations":
        return t("strategy.calibration.unmodelled", lang), "users"
    p = model.doc.parameter(pid)
    return text_in(p.label, lang), p.unit


def calibration_source(model: sc.Model, n: sc.CalibrationNote, lang: Lang) -> str:
    """Where a calibrated value comes from, in words: the survey KPI and its value, or the facts fitted."""
    if n.source == "market":
        years = [f.rsplit("_", 1)[-1] for f in n.facts]
        what = t("strategy.calibration.fact_gmv" if n.kpi == "reported_gmv_growth" else "strategy.calibration.fact_users",
                 lang)
        return t(f"strategy.calibration.method.{n.kpi}", lang, facts=f"{what} {', '.join(years)}")
    kunit = "share" if n.kpi in ("repurchase_rate", "awareness", "channel_branch_share") else (
        "yuan" if n.kpi == "aov" else "")
    value = format_value(n.kpi_value, kunit, lang) if kunit else f"{n.kpi_value:.3g}"
    return t("strategy.calibration.survey", lang, kpi=t(f"strategy.survey_kpi.{n.kpi}", lang), value=value,
             dataset=model.source or "")


def calibration_rows(model: sc.Model, lang: Lang) -> list[str]:
    """Each calibrated parameter: documented → calibrated value, and its source (survey KPI or facts)."""
    out = []
    for n in model.calibration:
        label, unit = _param_label(model, n.parameter, lang)
        source = calibration_source(model, n, lang)
        key = "strategy.calibration_clipped" if n.clipped else "strategy.calibration_row"
        out.append(t(key, lang, parameter=label, before=param_value(n.before, unit, lang),
                     after=param_value(n.after, unit, lang), source=source))
    if model.covered_share is not None:
        out.append(t("strategy.calibration.covered", lang, share=format_value(model.covered_share, "share", lang)))
    return out


def reconciliation_table(model: sc.Model, lang: Lang) -> pd.DataFrame:
    """Model vs reported per reported year: GMV, the share of it the model covers, registered users."""
    rows = []
    for r in model.reconciliation:
        users_gap = (format_value(100 * (r.model_users / r.reported_users - 1), "%", lang, signed=True)
                     if r.model_users is not None and r.reported_users else "—")
        rows.append({t("strategy.recon.year", lang): str(r.year),
                     t("strategy.recon.model_gmv", lang): format_value(r.model_gmv, "yuan", lang),
                     t("strategy.recon.reported_gmv", lang): format_value(r.reported_gmv, "yuan", lang),
                     t("strategy.recon.covered", lang): format_value(r.covered, "share", lang),
                     t("strategy.recon.model_users", lang): format_value(r.model_users, "users", lang),
                     t("strategy.recon.reported_users", lang): format_value(r.reported_users, "users", lang),
                     t("strategy.recon.users_gap", lang): users_gap})
    return pd.DataFrame(rows)


def reconciliation_text(model: sc.Model, lang: Lang) -> str:
    """The gap between the model's GMV and the reported figure, explained in one paragraph."""
    inside = [r for r in model.reconciliation if r.covered is not None]
    if model.covered_share is None or not inside:
        return t("strategy.recon.none", lang)
    r = inside[0]
    return t("strategy.recon.explain", lang, share=format_value(model.covered_share, "share", lang), year=r.year,
             model=format_value(r.model_gmv, "yuan", lang), reported=format_value(r.reported_gmv, "yuan", lang),
             rest=format_value((r.reported_gmv or 0) - (r.model_gmv or 0), "yuan", lang),
             tolerance=format_value(cal.USERS_TOLERANCE, "share", lang))


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


#: Editable columns of the actions table.
ACTION_COLUMNS = ("title", "owner", "cost", "segments", "strategy", "levers")


def actions_frame(doc: MarketingDocument, group: str, lang: Lang) -> pd.DataFrame:
    """The actions of one 4P group as the editor's canonical table (index = action id)."""
    rows = []
    for a in doc.actions:
        if a.group != group:
            continue
        rows.append({"id": a.id, "title": text_in(a.title, lang), "description": text_in(a.description, lang),
                     "owner": text_in(a.owner, lang), "cost": a.cost * display_factor("CNY m", lang),
                     "segments": list(a.segments),
                     "strategy": a.strategy or NO_STRATEGY, "levers": list(a.levers)})
    frame = pd.DataFrame(rows, columns=["id", "title", "description", "owner", "cost", "segments", "strategy",
                                        "levers"])
    return frame.set_index("id")


#: Editable columns of the levers table.
LEVER_COLUMNS = ("value", "min", "max", "step", "mc_low", "mc_high", "note")


def levers_frame(doc: MarketingDocument, group: str, lang: Lang) -> pd.DataFrame:
    """The levers of one 4P group as the editor's canonical table (index = lever id)."""
    rows = []
    for lv in doc.levers:
        if lv.group != group:
            continue
        f = display_factor(lv.unit, lang)  # the Monte Carlo range is a multiplier: unscaled
        rows.append({"id": lv.id, "label": text_in(lv.label, lang), "unit": unit_label(lv.unit, lang),
                     "value": lv.value * f, "min": lv.min * f, "max": lv.max * f, "step": lv.step * f,
                     "mc_low": lv.triangular.low, "mc_high": lv.triangular.high, "note": text_in(lv.note, lang)})
    return pd.DataFrame(rows, columns=["id", "label", "unit", *LEVER_COLUMNS]).set_index("id")


def budget(value_m: float, lang: Lang) -> str:
    """An annual budget given in CNY m, for people (``¥108 m`` / ``1.08 亿元``)."""
    return format_value(value_m, "CNY m", lang)


def group_costs(doc: MarketingDocument) -> dict[str, float]:
    """Annual budget per 4P group (CNY m)."""
    out = {g: 0.0 for g in GROUPS}
    for a in doc.actions:
        out[a.group] += a.cost
    return out


# --------------------------------------------------------------------------- model and levers


@dataclass(frozen=True)
class Calibration:
    """How the page introduces the baseline: ``kind`` ``problem`` (the survey could not be used),
    ``calibrated`` (with ``rows`` saying what changed) or ``documented``; ``text`` is the sentence."""

    kind: str
    text: str
    rows: tuple[str, ...] = ()


def survey_problem(survey: sc.SurveyKpis, lang: Lang) -> str:
    """Why the active survey could not be used, in ``lang``: a survey import error's own sentence
    (``import.<code>``), else ``strategy.<code>``."""
    if isinstance(survey.error, CodedError):
        return error_text(survey.error, lang, "import")
    return sentence(survey.problem or "", f"strategy.{survey.code}", lang, {})


#: Models built: (marketing, survey dataset, questionnaire, market document, language) -> (model,
#: calibration); the three are the store's cached objects, remembered by identity (:mod:`easymall.core.memo`).
MODELS = Memo(32)
#: The content hash of each marketing document the models are keyed by, remembered by identity (a
#: document is hashed once, not on every rerun of every session that shows it).
DIGESTS = Memo(64)


def model_for(marketing: MarketingDocument, ws: Any, lang: Lang) -> tuple[sc.Model, Calibration]:
    """The model of ``marketing``, calibrated from the workspace's active survey when it has one and
    from the reported users and GMV in ``market.yaml``. Built once per (marketing document, active
    dataset, questionnaire, market document, language) for every session (about 10 ms a build)."""
    try:
        sources = (active_dataset(ws), ws.load_safe("survey").doc, ws.load_safe("market").doc)
    except Exception:  # noqa: BLE001 - whatever is broken is said by the build itself, never remembered
        return _model_for(marketing, ws, lang)
    key = (_content_hash(marketing), lang)
    built = MODELS.get(key, sources)
    if built is None:
        built = _model_for(marketing, ws, lang)
        MODELS.put(key, sources, built)
    return built


def _content_hash(doc: MarketingDocument) -> str:
    digest = DIGESTS.get("content", (doc,))
    if digest is None:
        digest = hashlib.blake2b(doc.model_dump_json().encode(), digest_size=16).hexdigest()
        DIGESTS.put("content", (doc,), digest)
    return digest


def _model_for(marketing: MarketingDocument, ws: Any, lang: Lang) -> tuple[sc.Model, Calibration]:
    survey = sc.survey_kpis(ws)
    model = cal.build(marketing, survey.values, survey.dataset, sc.market_document(ws))
    rows = tuple(calibration_rows(model, lang))
    if survey.problem:
        return model, Calibration("problem", t("strategy.survey_problem", lang, problem=survey_problem(survey, lang)),
                                  rows)
    if model.source:
        return model, Calibration("calibrated", t("strategy.calibrated", lang, dataset=model.source, n=f"{survey.n:,}"),
                                  rows)
    return model, Calibration("documented", t("strategy.not_calibrated", lang), rows)


def changes_caption(model: sc.Model, values: Mapping[str, float], lang: Lang) -> str:
    """How many levers differ from the baseline, as the simulator's caption says it."""
    n = len(sc.overrides_of(model, values))
    return t("strategy.changed_levers", lang, n=n) if n else t("strategy.no_changes", lang)


def slider_label(lever: Any, lang: Lang) -> str:
    """A lever slider's label: its name and unit (``Online ad spend (CNY m per month)``)."""
    return f"{text_in(lever.label, lang)} ({unit_label(lever.unit, lang)})"


def start_options(scenarios: ScenariosDocument, presets: Sequence[sc.Preset], lang: Lang) -> dict[str, str]:
    """The "Start from" choices: the baseline, each saved scenario and each TOWS preset."""
    options = {sc.BASELINE: t("strategy.baseline", lang)}
    for s in scenarios.scenarios:
        options[f"scenario:{s.id}"] = t("strategy.saved_option", lang, name=text_in(s.name, lang))
    for p in presets:
        title = p.title if isinstance(p.title, str) else text_in(p.title, lang)
        options[f"tows:{p.id}"] = t("strategy.preset_option", lang, id=p.id, name=title[:70])
    return options


@dataclass
class Start:
    """What choosing a "Start from" option sets: the lever values, the loaded scenario (id and
    name), the TOWS strategy it implements, and what was ignored or adjusted on the way."""

    values: dict[str, float]
    loaded: str | None = None
    name: Text | None = None
    strategy: str | None = None
    source: str = ""  # the scenario or preset id named in ``unknown``'s message
    unknown: list[str] = field(default_factory=list)
    warnings: list[CodedError] = field(default_factory=list)


def start_from(model: sc.Model, scenarios: ScenariosDocument, presets: Sequence[sc.Preset], choice: str
               ) -> Start | None:
    """The levers of a "Start from" choice (``baseline``, ``scenario:<id>``, ``tows:<id>``): the
    baseline with the scenario's or preset's levers; ``None`` when it no longer exists."""
    kind, _, ident = (choice or sc.BASELINE).partition(":")
    start = Start(model.baseline())
    if kind == "scenario":
        scenario = scenarios.get(ident)
        if scenario is None:
            return None
        resolved = sc.scenario_levers(model, scenario)
        start.values.update(resolved.values)
        start.loaded, start.name, start.strategy, start.source = scenario.id, scenario.name, scenario.strategy, scenario.id
        start.unknown, start.warnings = resolved.unknown, resolved.warnings
    elif kind == "tows":
        preset = next((p for p in presets if p.id == ident), None)
        if preset is None:
            return None
        resolved = sc.resolve_levers(model, preset.levers)
        start.values.update(resolved.values)
        start.strategy, start.source, start.unknown = preset.id, preset.id, resolved.unknown
    return start


# --------------------------------------------------------------------------- risk


#: Monthly KPIs the Monte Carlo chart offers.
MC_KPIS = ("active_users", "gmv", "profit", "cumulative_profit")


def tornado_metrics(horizon: int) -> dict[str, int | None]:
    """Outcomes the tornado offers (``metric[@month]`` → month): active users read at the mid-term
    month the cards read (24, or the horizon's last when shorter)."""
    mid = min(24, horizon)
    return {"cumulative_profit": None, f"active_users@{mid}": mid, "gmv": None, "clv_cac": None}


def lever_labels(model: sc.Model, lang: Lang) -> dict[str, str]:
    """Labels of the levers and of the parameters (the risk tornado shows both), by id."""
    return {**{p.id: text_in(p.label, lang) for p in model.doc.parameters},
            **{lv.id: text_in(lv.label, lang) for lv in model.doc.levers}}


def mc_signature(model: sc.Model, values: Mapping[str, float]) -> tuple[Any, ...]:
    """What a Monte Carlo run depends on: the levers, the marketing revision and the survey; the
    stored bands are stale when it changes. ``dict(signature[:-2])`` gives the levers back."""
    return tuple(sorted(values.items())) + (model.doc.revision, (model.source, model.covered_share))


# --------------------------------------------------------------------------- goal seek


#: The question goal seek opens with: how many branch referrals reach 5 m active users in month 24.
GOAL_LEVER = "branch_referrals"
GOAL_TARGET = 5_000_000.0
GOAL_TARGET_STEP = 100_000.0


def goal_month(horizon: int) -> int:
    """The month goal seek reads by default (24, or the horizon's last when shorter)."""
    return min(24, horizon)


def goal_metrics() -> dict[str, tuple[bool, str]]:
    """Goal-seek metrics: ``{metric: (needs a month, unit)}``."""
    return {m: (needs_month, unit) for m, needs_month, unit in SEEK_METRICS}


def goal_default(model: sc.Model, metric: str | None, lang: Lang) -> float:
    """The target goal seek opens with for ``metric``, in its displayed scale: 5 m active users for
    the opening question, else a round figure a quarter above the baseline's value."""
    metric = metric or "active_users"
    needs_month, unit = goal_metrics().get(metric, (True, "users"))
    if metric == "active_users":
        return round(to_display(GOAL_TARGET, unit, lang), 6)
    month = goal_month(model.horizon) if needs_month else None
    base = sc.metric_value(model, {}, metric, month)
    x = to_display(abs(base) * 1.25 if math.isfinite(base) and base else 1.0, unit, lang)
    magnitude = 10 ** math.floor(math.log10(x)) if x > 0 else 1
    return float(math.ceil(x / magnitude * 2) / 2 * magnitude)


def target_unit(unit: str, lang: Lang) -> str:
    """The unit a goal-seek target is typed in: the displayed scale (亿元, 万, ¥ bn, m) or a ratio."""
    suffix = scale(unit, lang)[1]
    return suffix or t(f"strategy.goal.units.{unit}", lang)


def target_step(unit: str, lang: Lang) -> float:
    """The step of the target input in its displayed scale (10 万, 0.1 m, 0.1 亿元, 0.01 bn, 0.1×)."""
    return {("users", "zh"): 10.0, ("yuan", "en"): 0.01}.get((unit, lang), 0.1)


def seek(model: sc.Model, lever: str, metric: str, target: float, month: int | None = None,
         levers: Mapping[str, float] | None = None) -> risk.GoalSeek:
    """Goal seek with the answer on the lever's own grid: the bisection's value rounded up to the
    lever's step (still reaching the target, the metric being monotone), achieved read there."""
    g = risk.goal_seek(model, lever, metric, target, month=month, levers=levers)
    if not g.reachable or g.value is None:
        return g
    spec = model.doc.lever(lever)
    steps = math.ceil((g.value - spec.min) / spec.step - 1e-9) if spec.step > 0 else 0
    value = min(spec.max, spec.min + steps * spec.step) if spec.step > 0 else g.value
    values = {**sc.resolve_levers(model, levers).values, lever: value}
    achieved = sc.metric_value(model, values, metric, month)
    return dataclasses.replace(g, value=value, achieved=achieved, best_value=value)


@dataclass(frozen=True)
class GoalAnswer:
    reached: bool
    text: str
    metric: str  # ``metric[@month]`` as the chart names it
    unit: str
    lever_label: str
    lever_unit: str
    value: str = ""  # the lever value found, with its step's decimals


def goal_answer(model: sc.Model, g: risk.GoalSeek, lang: Lang) -> GoalAnswer:
    """The goal-seek result as a sentence: the lever value that reaches the target, or why not."""
    spec = model.doc.lever(g.lever)
    name = text_in(spec.label, lang)
    unit = metric_unit(g.metric)
    metric = f"{g.metric}@{g.month}" if g.month else g.metric
    label = metric_label(metric, lang)
    if g.reachable and g.value is not None:
        text = t("strategy.goal.reached", lang, lever=name, value=lever_value(g.value, spec.unit, lang, spec.step),
                 metric=label, achieved=format_value(g.achieved, unit, lang), target=format_value(g.target, unit, lang))
    else:
        text = t("strategy.goal.unreachable", lang, lever=name, low=f"{spec.min:g}", high=f"{spec.max:g}", metric=label,
                 at_min=format_value(g.at_min, unit, lang), at_max=format_value(g.at_max, unit, lang),
                 target=format_value(g.target, unit, lang), best=lever_value(g.best_value, spec.unit, lang, spec.step))
    return GoalAnswer(bool(g.reachable and g.value is not None), text, metric, unit, name,
                      unit_label(spec.unit, lang), lever_number(g.value, spec.step) if g.value is not None else "")


# --------------------------------------------------------------------------- marketing mix


def mix_options(marketing: MarketingDocument, stp: Any, swot: Any, lang: Lang
                ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Choices of the actions table: segments (from stp.yaml), TOWS strategies (swot.yaml) and levers."""
    segments = {s.id: text_in(s.name, lang) for s in getattr(stp, "segments", [])}
    strategies = {s.id: f"{s.id} · {text_in(s.text, lang)}" for s in getattr(swot, "strategies", [])}  # whole: the cards show it
    levers = {lv.id: text_in(lv.label, lang) for lv in marketing.levers}
    return segments, strategies, levers

"""Risk analysis of the driver model: tornado sensitivity (each lever at its min and max, or each
uncertain input at the ends of its Monte Carlo range), Monte Carlo bands (P10/P50/P90 from draws of
parameters and levers) and goal seek (the lever value that makes a metric reach a target, by bisection).

Honest bands: every uncertain input is drawn from a *median-centred* two-piece triangular
distribution (:func:`centred`): half the draws below its baseline value, half above, each side a
triangle over its part of the range. So the baseline is each input's median, and the Monte Carlo
median of each KPI lands near the deterministic baseline (within :data:`MEDIAN_TOLERANCE` of it or
of the band's width) instead of below it. A calibrated parameter's range moves with its value
(scaled by calibrated ÷ documented) and stays inside the parameter's limits. The tornado's
``ranges="uncertainty"`` uses exactly these ranges (:func:`uncertain_inputs`).

Each analysis is one or a few vectorised calls of :func:`easymall.scenario.model.simulate`.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from easymall.models.marketing import PARAMETER_SPECS
from easymall.scenario.model import (
    KPIS,
    SUMMARY_UNITS,
    Model,
    metric_of,
    resolve_levers,
    run_many,
    simulate,
    summarise,
)

DEFAULT_SEED = 2017
DEFAULT_DRAWS = 1000
#: How close the Monte Carlo median of a KPI stays to the baseline: within this share of the
#: baseline's size or of the P10–P90 width, whichever is larger.
MEDIAN_TOLERANCE = 0.1


@dataclass(frozen=True)
class Uncertain:
    """An input the Monte Carlo draws: a lever (its achieved value) or a parameter, with its range."""

    id: str
    kind: str  # "lever" | "parameter"
    low: float
    mode: float
    high: float


def uncertain_inputs(model: Model, levers: Mapping[str, float] | None = None) -> list[Uncertain]:
    """The uncertain inputs and their ranges, as the Monte Carlo and the risk tornado use them."""
    values = resolve_levers(model, levers).values
    out: list[Uncertain] = []
    for p in model.doc.parameters:
        if p.triangular is None or not p.triangular.high > p.triangular.low:
            continue
        mode = float(model.params[p.id])
        lo, hi = p.triangular.low, p.triangular.high
        if p.value and mode != p.value:  # calibrated: the range moves with the value
            f = mode / p.value
            lo, hi = sorted((lo * f, hi * f))
        spec = PARAMETER_SPECS.get(p.id)
        if spec is not None:
            top = spec.high - 1e-6 * max(1.0, abs(spec.high)) if spec.high_open else spec.high
            lo, hi = max(lo, spec.low), min(hi, top)
        lo, hi = min(lo, mode), max(hi, mode)
        if hi > lo:
            out.append(Uncertain(p.id, "parameter", lo, mode, hi))
    for lv in model.doc.levers:
        v = values[lv.id]
        if lv.triangular.high > lv.triangular.low and v != 0:
            lo = min(max(v * lv.triangular.low, lv.min), lv.max)
            hi = min(max(v * lv.triangular.high, lv.min), lv.max)
            if hi > lo:
                out.append(Uncertain(lv.id, "lever", lo, v, hi))
    return out


# --------------------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class TornadoBar:
    lever: str
    low_value: float
    high_value: float
    at_low: float
    at_high: float
    base: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(model: Model, levers: Mapping[str, float] | None = None, metric: str = "cumulative_profit",
            month: int | None = None, ranges: str = "levers") -> list[TornadoBar]:
    """Sensitivity bars, largest swing first; all runs are one vectorised call.

    ``ranges="levers"``: each lever at its min and at its max, the others at their scenario values.
    ``ranges="uncertainty"``: each uncertain input (:func:`uncertain_inputs`) at the low and the high
    end of the range the Monte Carlo draws it from — the same ranges as the bands."""
    values = resolve_levers(model, levers).values
    rows: list[Mapping[str, float]] = [values]
    ends: list[tuple[str, float, float]] = []
    overrides: list[tuple[str, float] | None] = [None]
    if ranges == "uncertainty":
        for u in uncertain_inputs(model, values):
            ends.append((u.id, u.low, u.high))
            for x in (u.low, u.high):
                if u.kind == "lever":
                    rows.append({**values, u.id: x})
                    overrides.append(None)
                else:
                    rows.append(values)
                    overrides.append((u.id, x))
    else:
        for lid in model.lever_ids:
            lever = model.doc.lever(lid)
            ends.append((lid, lever.min, lever.max))
            rows += [{**values, lid: lever.min}, {**values, lid: lever.max}]
            overrides += [None, None]
    P: dict[str, Any] = dict(model.params)
    for i, o in enumerate(overrides):
        if o is None:
            continue
        pid, x = o
        if not isinstance(P[pid], np.ndarray):
            P[pid] = np.full((len(rows), 1), float(P[pid]))
        P[pid][i, 0] = x
    k, s = run_many(model, rows, params=P)
    m = metric_of(k, s, metric, month)
    bars = [TornadoBar(lid, lo, hi, float(m[1 + 2 * i]), float(m[2 + 2 * i]), float(m[0]))
            for i, (lid, lo, hi) in enumerate(ends)]
    bars.sort(key=lambda b: b.swing if math.isfinite(b.swing) else -1, reverse=True)
    return bars


# --------------------------------------------------------------------------- Monte Carlo


def triangular(rng: np.random.Generator, low: float, mode: float, high: float, size: int) -> np.ndarray:
    """Draws from a triangular distribution (inverse CDF); a degenerate range gives the mode."""
    if high <= low:
        return np.full(size, mode)
    u = rng.random(size)
    c = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1 - u) * (high - low) * (high - mode))
    return np.where(u < c, left, right)


def centred(rng: np.random.Generator, low: float, mode: float, high: float, size: int) -> np.ndarray:
    """Draws whose median is ``mode``: half from a triangle rising over [low, mode], half from one
    falling over [mode, high]; a degenerate range gives the mode."""
    if high <= low:
        return np.full(size, mode)
    u = rng.random(size)
    v = np.where(u < 0.5, 2 * u, 2 * u - 1)
    left = mode - (mode - low) * (1 - np.sqrt(v))
    right = mode + (high - mode) * (1 - np.sqrt(1 - v))
    return np.where(u < 0.5, left, right)


@dataclass
class Bands:
    """Monte Carlo percentiles per monthly KPI: ``p10[kpi]`` etc. are arrays over months."""

    draws: int
    seed: int
    months: list[str]
    p10: dict[str, np.ndarray]
    p50: dict[str, np.ndarray]
    p90: dict[str, np.ndarray]
    summary: dict[str, tuple[float, float, float]]  # summary figure → (P10, P50, P90)
    uncertain: list[str]  # the levers and parameters that were drawn


def monte_carlo(model: Model, levers: Mapping[str, float] | None = None, draws: int = DEFAULT_DRAWS,
                seed: int = DEFAULT_SEED, progress: Callable[[int, int], None] | None = None,
                chunk: int = 250, kpis: Iterable[str] | None = None) -> Bands:
    """P10/P50/P90 over ``draws`` runs. Each input of :func:`uncertain_inputs` is drawn from
    :func:`centred` over its range (a parameter's triangular range, a lever's value·low … value·high,
    its achieved ÷ planned range, clamped to the lever's min–max), so its median is its baseline
    value. Fixed ``seed``: the same inputs give the same bands.
    ``progress(done, total)`` is called after each chunk."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    rng = np.random.default_rng(seed)
    values = resolve_levers(model, levers).values
    h = model.horizon
    uncertain: list[str] = []
    # draw everything up front, so results do not depend on the chunk size
    P: dict[str, Any] = dict(model.params)
    lever_draws: dict[str, np.ndarray] = {}
    for u in uncertain_inputs(model, values):
        x = centred(rng, u.low, u.mode, u.high, draws)
        if u.kind == "parameter":
            P[u.id] = x[:, None]
        else:
            lever_draws[u.id] = x
        uncertain.append(u.id)
    wanted = list(kpis) if kpis is not None else list(KPIS)
    collected: dict[str, list[np.ndarray]] = {k: [] for k in wanted}
    summaries: dict[str, list[np.ndarray]] = {k: [] for k in SUMMARY_UNITS}
    base = model.baseline()
    t = np.arange(1, h + 1, dtype=float)
    ramp_m = model.params["ramp_months"]
    ramp = np.ones(h) if ramp_m <= 0 else np.minimum(1.0, t / ramp_m)
    done = 0
    while done < draws:
        n = min(chunk, draws - done)
        sl = slice(done, done + n)
        Pc = {k: (v[sl] if isinstance(v, np.ndarray) else v) for k, v in P.items()}
        L = {}
        for lid in model.lever_ids:
            target = lever_draws[lid][sl][:, None] if lid in lever_draws else np.full((n, 1), values[lid])
            L[lid] = base[lid] + (target - base[lid]) * ramp[None, :]
        k = simulate(L, Pc, h)
        s = summarise(k, Pc)
        for key in wanted:
            collected[key].append(np.asarray(k[key]))
        for key in SUMMARY_UNITS:
            summaries[key].append(np.broadcast_to(s[key], (n,)))
        done += n
        if progress is not None:
            progress(done, draws)
    full = {key: np.concatenate(v, axis=0) for key, v in collected.items()}
    q = {key: np.nanpercentile(v, [10, 50, 90], axis=0) for key, v in full.items()}
    summary = {}
    for key, parts in summaries.items():
        arr = np.concatenate(parts)
        if key == "payback_month":  # a draw that never pays back is later than any that does
            arr = np.where(np.isnan(arr), math.inf, arr)
            a, b, c = np.percentile(arr, [10, 50, 90], method="lower")
            summary[key] = (float(a), float(b), float(c))
        elif np.all(np.isnan(arr)):
            summary[key] = (math.nan, math.nan, math.nan)
        else:
            a, b, c = np.nanpercentile(arr, [10, 50, 90])
            summary[key] = (float(a), float(b), float(c))
    return Bands(draws, seed, model.months(h), {k: v[0] for k, v in q.items()}, {k: v[1] for k, v in q.items()},
                 {k: v[2] for k, v in q.items()}, summary, uncertain)


# --------------------------------------------------------------------------- goal seek


@dataclass(frozen=True)
class GoalSeek:
    """Result of seeking the lever value that makes ``metric`` reach ``target``."""

    lever: str
    metric: str
    month: int | None
    target: float
    reachable: bool
    value: float | None  # the lever value (None when unreachable)
    achieved: float  # the metric at ``value`` (or at the best end of the range when unreachable)
    best_value: float  # the lever value that comes closest
    at_min: float
    at_max: float
    iterations: int


def goal_seek(model: Model, lever: str, metric: str, target: float, month: int | None = None,
              levers: Mapping[str, float] | None = None, tol: float | None = None,
              max_iter: int = 60) -> GoalSeek:
    """The smallest change of ``lever`` (within its range) at which ``metric`` reaches ``target``,
    by bisection; the other levers stay at their scenario values. The metric is assumed monotone in
    the lever over its range; when the target lies outside what the range can reach the result says
    so (``reachable=False``) with the closest value."""
    if lever not in model.baseline():
        raise KeyError(f"unknown lever {lever!r}")
    spec = model.doc.lever(lever)
    values = resolve_levers(model, levers).values

    def f(x: float) -> float:
        k, s = run_many(model, [{**values, lever: x}])
        return float(metric_of(k, s, metric, month)[0])

    lo, hi = spec.min, spec.max
    f_lo, f_hi = f(lo), f(hi)
    tol = tol if tol is not None else spec.step / 100
    if not (min(f_lo, f_hi) <= target <= max(f_lo, f_hi)):
        best = lo if abs(f_lo - target) <= abs(f_hi - target) else hi
        return GoalSeek(lever, metric, month, target, False, None, f_lo if best == lo else f_hi, best,
                        f_lo, f_hi, 0)
    increasing = f_hi >= f_lo
    it = 0
    while hi - lo > tol and it < max_iter:
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if (f_mid >= target) == increasing:
            hi = mid
        else:
            lo = mid
        it += 1
    value = hi  # the side that reaches the target
    achieved = f(value)
    return GoalSeek(lever, metric, month, target, True, value, achieved, value, f_lo, f_hi, it)

"""Easy Mall KPIs from a dataset and the roles in ``config/survey.yaml``, each with n and a 95% interval.

Definitions (base = respondents in the dataset after filters; weights optional):

* ``awareness`` — share whose answer to the awareness question is one of its options;
* ``trial`` — share who have used Easy Mall;
* ``usage`` — share who bought in the past year (a skipped purchase question counts as no);
* ``repurchase_rate`` — users with two or more purchases ÷ users (domain.md);
* ``nps`` — % promoters (9–10) − % detractors (0–6), in points, among those who answered;
* ``channel_branch_share`` / ``channel_digital_share`` — share of those who answered the channel
  question who came through branch staff / digital channels;
* ``satisfaction_mean`` — mean of each respondent's mean rating over the satisfaction matrix (1–5);
* ``aov`` — mean stated order value (yuan) among those who gave a positive value.

Shares use the Wilson interval; means use the normal interval of the mean; NPS uses the variance
of the promoter (+1) / passive (0) / detractor (−1) score. With weights, n is Kish's effective size.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from easymall.core.memo import Memo
from easymall.models.kpis import KPI_IDS as KPI_IDS  # re-exported for the Survey page
from easymall.models.kpis import Unit
from easymall.models.survey import SelectRole, SurveyDocument
from easymall.survey.dataset import Dataset
from easymall.survey.questionnaire import described

Z = 1.959963984540054


@dataclass(frozen=True)
class Kpi:
    id: str
    value: float
    n: int
    low: float
    high: float
    unit: Unit

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "value": self.value, "n": self.n, "low": self.low, "high": self.high,
                "unit": self.unit}


def wilson(p: float, n: float) -> tuple[float, float]:
    """95% Wilson score interval of a share ``p`` from ``n`` observations."""
    if n <= 0:
        return (math.nan, math.nan)
    denom = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denom
    half = Z * math.sqrt(max(p * (1 - p) / n + Z**2 / (4 * n * n), 0.0)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _weights(frame: pd.DataFrame, weights: pd.Series | None) -> np.ndarray:
    if weights is None:
        return np.ones(len(frame))
    w = pd.to_numeric(weights.reindex(frame.index), errors="coerce").fillna(0.0).to_numpy(float)
    return np.clip(w, 0.0, None)


def _eff_n(w: np.ndarray) -> float:
    s2 = float((w**2).sum())
    return float(w.sum()) ** 2 / s2 if s2 > 0 else 0.0


def share_kpi(kid: str, hit: np.ndarray, base: np.ndarray, w: np.ndarray) -> Kpi | None:
    """A share: weighted hits ÷ weighted base, with a Wilson interval on the effective n."""
    wb = w[base]
    if wb.sum() <= 0:
        return None
    p = float(w[base & hit].sum() / wb.sum())
    n_eff = _eff_n(wb)
    low, high = wilson(p, n_eff)
    return Kpi(kid, p, int(base.sum()), low, high, "share")


def mean_kpi(kid: str, values: np.ndarray, w: np.ndarray, unit: Unit) -> Kpi | None:
    ok = ~np.isnan(values) & (w > 0)
    if ok.sum() == 0:
        return None
    v, ww = values[ok], w[ok]
    mean = float(np.average(v, weights=ww))
    n_eff = _eff_n(ww)
    var = float(np.average((v - mean) ** 2, weights=ww)) * (n_eff / (n_eff - 1) if n_eff > 1 else 1.0)
    half = Z * math.sqrt(var / n_eff) if n_eff > 1 else math.nan
    return Kpi(kid, mean, int(ok.sum()), mean - half, mean + half, unit)


def _in(dataset: Dataset, doc: SurveyDocument, role: SelectRole | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(hit, answered) for a select role on a single or multi question; None when unusable."""
    q = described(dataset, doc, role.question if role else None, ("single", "multi"))
    if q is None or role is None:
        return None
    f = dataset.frame
    if q.type == "single":
        col = f[q.id]
        return col.isin(role.options).to_numpy(), col.notna().to_numpy()
    if q.type == "multi":
        cols = [f"{q.id}::{o}" for o in role.options if f"{q.id}::{o}" in f]
        hit = f[cols].any(axis=1).to_numpy() if cols else np.zeros(len(f), bool)
        return hit, dataset.answered(q.id).to_numpy()
    return None


def nps_kpi(values: np.ndarray, w: np.ndarray, kid: str = "nps") -> Kpi | None:
    ok = ~np.isnan(values) & (w > 0)
    if ok.sum() == 0:
        return None
    v, ww = values[ok], w[ok]
    score = np.where(v >= 9, 1.0, np.where(v <= 6, -1.0, 0.0))
    mean = float(np.average(score, weights=ww))
    n_eff = _eff_n(ww)
    var = float(np.average((score - mean) ** 2, weights=ww))
    half = Z * math.sqrt(var / n_eff) if n_eff > 0 else math.nan
    return Kpi(kid, 100 * mean, int(ok.sum()), 100 * max(-1.0, mean - half), 100 * min(1.0, mean + half), "score")


#: KPIs of whole datasets, remembered: every run of the Overview, the Strategy page and the Survey
#: page's KPIs of every session asks for the same. Key: the hash of the questionnaire, and the dataset
#: by identity (datasets are read-only and shared; :mod:`easymall.core.memo`).
MEMO_ENTRIES = 8
_MEMO = Memo(MEMO_ENTRIES)


def compute_kpis(dataset: Dataset, survey_doc: SurveyDocument, *, mask: pd.Series | np.ndarray | None = None,
                 weights: pd.Series | None = None) -> dict[str, Kpi]:
    """Every KPI the roles allow, keyed by KPI id (a KPI whose question is missing is left out).
    Computed once per (dataset, questionnaire) without a mask and weights (see ``_MEMO``)."""
    if mask is not None or weights is not None:
        return _compute_kpis(dataset, survey_doc, mask, weights)
    key = hashlib.blake2b(survey_doc.model_dump_json().encode(), digest_size=16).hexdigest()
    kpis = _MEMO.get(key, (dataset,))
    if kpis is None:
        kpis = _compute_kpis(dataset, survey_doc, None, None)
        _MEMO.put(key, (dataset,), kpis)
    return dict(kpis)


def _compute_kpis(dataset: Dataset, survey_doc: SurveyDocument, mask: pd.Series | np.ndarray | None,
                  weights: pd.Series | None) -> dict[str, Kpi]:
    ds = dataset
    if mask is not None:
        m = np.asarray(mask, dtype=bool)
        ds = Dataset(dataset.questions, dataset.frame[m], dataset.name)
    f = ds.frame
    roles = survey_doc.roles
    if weights is None and roles.weight and roles.weight in f:
        weights = f[roles.weight]
    w = _weights(f, weights)
    everyone = np.ones(len(f), bool)
    out: dict[str, Kpi] = {}

    def put(k: Kpi | None) -> None:
        if k is not None and not math.isnan(k.value):
            out[k.id] = k

    for kid, role in (("awareness", roles.awareness), ("trial", roles.trial)):
        sel = _in(ds, survey_doc, role)
        if sel is not None:
            hit, answered = sel
            put(share_kpi(kid, hit, answered, w))
    usage = _in(ds, survey_doc, roles.usage)
    if usage is not None:
        put(share_kpi("usage", usage[0], everyone, w))
        rep = _in(ds, survey_doc, roles.repurchase)
        if rep is not None:
            put(share_kpi("repurchase_rate", rep[0], usage[0], w))
    if described(ds, survey_doc, roles.nps, ("scale",)):
        put(nps_kpi(f[roles.nps].to_numpy(float), w))
    for kid, role in (("channel_branch_share", roles.channel_branch),
                      ("channel_digital_share", roles.channel_digital)):
        sel = _in(ds, survey_doc, role)
        if sel is not None:
            put(share_kpi(kid, sel[0], sel[1], w))
    q = described(ds, survey_doc, roles.satisfaction, ("matrix", "scale"))
    if q is not None:
        cols = q.columns if q.type == "matrix" else [q.id]
        put(mean_kpi("satisfaction_mean", f[cols].astype(float).mean(axis=1).to_numpy(float), w, "score"))
    if described(ds, survey_doc, roles.order_value, ("numeric", "scale")):
        v = pd.to_numeric(f[roles.order_value], errors="coerce").to_numpy(float)
        v = np.where(v > 0, v, np.nan)
        put(mean_kpi("aov", v, w, "yuan"))
    return out


def satisfaction_by_attribute(dataset: Dataset, survey_doc: SurveyDocument, *,
                              mask: pd.Series | np.ndarray | None = None,
                              weights: pd.Series | None = None) -> list[tuple[str, Kpi]]:
    """(row label, mean rating with interval) for each row of the satisfaction matrix, best first."""
    q = described(dataset, survey_doc, survey_doc.roles.satisfaction, ("matrix",))
    if q is None:
        return []
    f = dataset.frame if mask is None else dataset.frame[np.asarray(mask, bool)]
    w = _weights(f, weights)
    out = []
    for row, col in zip(q.rows, q.columns, strict=True):
        k = mean_kpi(f"satisfaction::{row}", f[col].to_numpy(float), w, "score")
        if k is not None:
            out.append((row, k))
    return sorted(out, key=lambda rk: -rk[1].value)


def non_use_reasons(dataset: Dataset, survey_doc: SurveyDocument, *,
                    mask: pd.Series | np.ndarray | None = None,
                    weights: pd.Series | None = None) -> list[tuple[str, Kpi]]:
    """(reason, share of those who answered) for the non-use question, most cited first."""
    q = described(dataset, survey_doc, survey_doc.roles.non_use_reasons, ("multi",))
    if q is None:
        return []
    ds = dataset if mask is None else Dataset(dataset.questions, dataset.frame[np.asarray(mask, bool)])
    w = _weights(ds.frame, weights)
    answered = ds.answered(q.id).to_numpy()
    out = []
    for opt, col in zip(q.options, q.columns, strict=True):
        k = share_kpi(f"non_use::{opt}", ds.frame[col].to_numpy(bool), answered, w)
        if k is not None:
            out.append((opt, k))
    return sorted(out, key=lambda rk: -rk[1].value)


#: An answer option's count: ``2-3次`` → (2, 3), ``7次及以上`` / ``7 or more`` → (7, None), ``0次`` → (0, 0).
_COUNT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*[-–~至]\s*(\d+(?:\.\d+)?))?")


def option_count(label: str) -> float | None:
    """The number of purchases an option such as ``2-3次`` stands for: a range's midpoint, a single
    number itself, an open top band (``7次及以上``) its lower bound (conservative); None without a number."""
    m = _COUNT.search(label or "")
    if m is None:
        return None
    low = float(m.group(1))
    if m.group(2) is not None:
        return (low + float(m.group(2))) / 2
    return low


def purchase_frequency(dataset: Dataset, survey_doc: SurveyDocument, *,
                       weights: pd.Series | None = None) -> Kpi | None:
    """``purchases_per_buyer``: mean purchases in the past year among buyers (the ``usage`` options of
    the purchase-count question), each option read by :func:`option_count`; None when the question
    is missing or its options carry no numbers."""
    roles = survey_doc.roles
    usage = roles.usage
    q = described(dataset, survey_doc, usage.question if usage else None, ("single",))
    if q is None or usage is None:
        return None
    f = dataset.frame
    col = f[q.id]
    counts = {o: option_count(o) for o in usage.options}
    if any(v is None for v in counts.values()):
        return None
    values = col.map(lambda a: counts.get(a, math.nan)).to_numpy(float)
    if weights is None and roles.weight and roles.weight in f:
        weights = f[roles.weight]
    return mean_kpi("purchases_per_buyer", values, _weights(f, weights), "count")

"""Analysis over a dataset: filters, per-question summaries, crosstabs with tests, weights.

Everything takes an optional boolean ``mask`` (rows kept by the filters) and optional ``weights``
(a Series over the dataset's index), and is vectorised: a 100,000-row dataset redraws quickly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from easymall.survey.dataset import Dataset, Question
from easymall.survey.kpis import Kpi, nps_kpi

FILTER_TYPES = ("single", "multi", "scale")
MAX_FILTER_OPTIONS = 40

#: A filter: for single/multi/scale questions the chosen options (scale points as strings); for
#: numeric questions a (low, high) range.
FilterValue = list[str] | tuple[float, float]


# --------------------------------------------------------------------------- filters and weights


def filterable_questions(dataset: Dataset) -> list[Question]:
    """Questions offered as global filters: categorical ones with a manageable number of options."""
    return [q for q in dataset.questions
            if (q.type in FILTER_TYPES and 0 < len(q.options) <= MAX_FILTER_OPTIONS) or q.type == "numeric"]


def filter_mask(dataset: Dataset, filters: dict[str, FilterValue] | None,
                exclude: pd.Series | np.ndarray | None = None) -> np.ndarray:
    """Rows matching every filter (options within a question are OR-ed), minus ``exclude`` rows."""
    f = dataset.frame
    mask = np.ones(len(f), dtype=bool)
    for qid, value in (filters or {}).items():
        if not dataset.has(qid) or value is None:
            continue
        q = dataset.question(qid)
        if q.type == "numeric" or (isinstance(value, tuple) and len(value) == 2 and q.type != "single"):
            lo, hi = value  # type: ignore[misc]
            col = pd.to_numeric(f[qid], errors="coerce").to_numpy(float)
            with np.errstate(invalid="ignore"):
                mask &= (col >= float(lo)) & (col <= float(hi))
            continue
        chosen = list(value)
        if not chosen:
            continue
        if q.type == "single":
            mask &= f[qid].isin(chosen).to_numpy()
        elif q.type == "multi":
            cols = [f"{qid}::{o}" for o in chosen if f"{qid}::{o}" in f]
            mask &= f[cols].to_numpy(bool).any(axis=1) if cols else False
        elif q.type == "scale":
            pts = [float(x) for x in chosen]
            mask &= np.isin(f[qid].to_numpy(float), pts)
    if exclude is not None:
        mask &= ~np.asarray(exclude, dtype=bool)
    return mask


def weight_candidates(dataset: Dataset) -> list[str]:
    """Columns that can weight respondents: numeric, non-negative, some positive."""
    out = []
    for c in dataset.frame.columns:
        q = next((q for q in dataset.questions if q.id == c), None)
        if (q is not None and q.type == "numeric") or (str(c).startswith("_") and "weight" in str(c).lower()):
            v = pd.to_numeric(dataset.frame[c], errors="coerce")
            if v.notna().mean() > 0.9 and (v.dropna() >= 0).all() and (v > 0).any():
                out.append(str(c))
    return out


def weights_of(dataset: Dataset, column: str | None) -> pd.Series | None:
    """The weight column as floats (missing or negative → 0), or None for unweighted."""
    if not column or column not in dataset.frame:
        return None
    return pd.to_numeric(dataset.frame[column], errors="coerce").fillna(0.0).clip(lower=0.0)


def _w(dataset: Dataset, mask: np.ndarray | None, weights: pd.Series | None) -> np.ndarray:
    n = len(dataset.frame)
    w = np.ones(n) if weights is None else weights.reindex(dataset.frame.index).fillna(0.0).to_numpy(float)
    if mask is not None:
        w = np.where(np.asarray(mask, bool), w, 0.0)
    return w


# --------------------------------------------------------------------------- categories


def categories(dataset: Dataset, qid: str) -> tuple[list[str], np.ndarray]:
    """(labels, membership n×k bool) of a categorical question; a multi row may be in several."""
    q = dataset.question(qid)
    f = dataset.frame
    if q.type == "single":
        labels = list(q.options)
        codes = dataset.codes(qid)
        return labels, codes[:, None] == np.arange(len(labels), dtype=np.int16)[None, :]
    if q.type == "multi":
        return list(q.options), f[q.columns].to_numpy(bool)
    if q.type == "scale":
        labels = list(q.options) or [str(int(x)) for x in sorted(pd.unique(f[qid].dropna()))]
        vals = f[qid].to_numpy(float)
        m = np.stack([vals == float(p) for p in labels], axis=1) if labels else np.zeros((len(f), 0), bool)
        return labels, m
    raise ValueError(f"{qid} is a {q.type} question; crosstabs take single, multi or scale questions")


def crosstab_questions(dataset: Dataset) -> list[Question]:
    return [q for q in dataset.questions if q.type in ("single", "multi", "scale") and 1 < len(q.options) <= 60]


# --------------------------------------------------------------------------- summaries

Kind = Literal["bars", "multi", "likert", "nps", "histogram", "ranking", "text"]


@dataclass(frozen=True, eq=False)
class Summary:
    """What a question's chart needs. ``table`` columns depend on ``kind``:

    * bars / multi: option, count, share (of those who answered);
    * likert / nps: for each row (a matrix row, or the question itself) the share per scale point;
    * ranking: option, mean_rank, first_share, ranked;
    * histogram: ``values`` holds the numbers; text: ``texts`` the latest answers.
    """

    question: Question
    kind: Kind
    base: float
    n: int
    table: pd.DataFrame
    mean: float | None = None
    median: float | None = None
    nps: Kpi | None = None
    values: np.ndarray | None = None
    texts: list[str] = field(default_factory=list)


def summarize(dataset: Dataset, qid: str, mask: np.ndarray | None = None,
              weights: pd.Series | None = None) -> Summary:
    q = dataset.question(qid)
    f = dataset.frame
    w = _w(dataset, mask, weights)
    keep = w > 0
    if q.type == "single":
        codes = dataset.codes(qid)
        answered = (codes >= 0) & keep
        counts = np.bincount(codes[answered], weights=w[answered], minlength=len(q.options))[: len(q.options)]
        base = float(w[answered].sum())
        share = counts / base if base > 0 else np.zeros(len(q.options))
        table = pd.DataFrame({"option": list(q.options), "count": counts, "share": share})
        return Summary(q, "bars", base, int(answered.sum()), table)
    if q.type == "multi":
        labels, m = categories(dataset, qid)
        answered = dataset.answered(qid).to_numpy() & keep
        counts = (m & answered[:, None]).T.astype(float) @ w
        n = int(answered.sum())
        base = float(w[answered].sum())
        share = counts / base if base > 0 else np.zeros(len(labels))
        table = pd.DataFrame({"option": labels, "count": counts, "share": share})
        return Summary(q, "multi", base, n, table)
    if q.type in ("matrix", "scale"):
        cols = q.columns if q.type == "matrix" else [qid]
        rows = q.rows if q.type == "matrix" else [q.title]
        points = list(q.options)
        if not points:
            vals = f[cols].to_numpy(float)
            vals = vals[~np.isnan(vals)]
            points = [str(int(x)) for x in sorted(np.unique(vals))] if len(vals) else []
        block = f[cols].to_numpy(float)
        valid = ~np.isnan(block) & keep[:, None]
        wv = np.where(valid, w[:, None], 0.0)
        tot = wv.sum(axis=0)
        safe = np.where(tot > 0, tot, 1.0)
        shares = np.stack([((block == float(p)) * wv).sum(axis=0) / safe for p in points], axis=1) \
            if points else np.zeros((len(cols), 0))
        means = list(np.where(tot > 0, np.nansum(np.where(valid, block, 0.0) * wv, axis=0) / safe, np.nan))
        n_all = int(valid.sum(axis=0).max()) if len(cols) else 0
        data = {r: list(shares[i]) for i, r in enumerate(rows)}
        table = pd.DataFrame(data, index=points).T
        table["mean"] = means
        mean = float(np.nanmean(means)) if means and not all(math.isnan(x) for x in means) else None
        is_nps = q.type == "scale" and points[:1] == ["0"] and points[-1:] == ["10"]
        base = float(w[keep & f[cols].notna().any(axis=1).to_numpy()].sum())
        if is_nps:
            v = f[qid].to_numpy(float)
            k = nps_kpi(np.where(keep, v, np.nan), w)
            return Summary(q, "nps", base, n_all, table, mean, None, k)
        return Summary(q, "likert", base, n_all, table, mean)
    if q.type == "numeric":
        v = pd.to_numeric(f[qid], errors="coerce").to_numpy(float)
        ok = keep & ~np.isnan(v)
        vals = v[ok]
        mean = float(np.average(vals, weights=w[ok])) if ok.any() and w[ok].sum() > 0 else None
        med = float(np.median(vals)) if len(vals) else None
        return Summary(q, "histogram", float(w[ok].sum()), int(ok.sum()), pd.DataFrame(), mean, med, values=vals)
    if q.type == "ranking":
        block = f[q.columns].to_numpy(float)
        answered = dataset.answered(qid).to_numpy() & keep
        rows = []
        base = float(w[answered].sum())
        for j, o in enumerate(q.options):
            r = block[:, j]
            ok = answered & ~np.isnan(r)
            mean_rank = float(np.average(r[ok], weights=w[ok])) if ok.any() and w[ok].sum() > 0 else math.nan
            first = float(w[answered & (r == 1)].sum() / base) if base > 0 else 0.0
            rows.append({"option": o, "mean_rank": mean_rank, "first_share": first, "ranked": int(ok.sum())})
        table = pd.DataFrame(rows).sort_values("mean_rank", na_position="last").reset_index(drop=True)
        return Summary(q, "ranking", base, int(answered.sum()), table)
    col = f[qid]
    ok = keep & col.notna().to_numpy()
    texts = [str(x) for x in col[ok].tail(30)[::-1]]
    return Summary(q, "text", float(w[ok].sum()), int(ok.sum()), pd.DataFrame(), texts=texts)


# --------------------------------------------------------------------------- crosstab


@dataclass(frozen=True, eq=False)
class Crosstab:
    """Counts (weighted), row and column percentages, the chi-square test and residuals."""

    row_question: Question
    col_question: Question
    counts: pd.DataFrame
    row_pct: pd.DataFrame
    col_pct: pd.DataFrame
    residuals: pd.DataFrame  # adjusted standardized residuals; |r| > 1.96 is significant at 5%
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    low_expected_share: float  # share of cells with expected count < 5 (chi-square unreliable if > 0.2)
    multi_response: bool  # a multi question: respondents may count in several cells

    def significant(self, threshold: float = 1.96) -> pd.DataFrame:
        return self.residuals.abs() > threshold


def crosstab(dataset: Dataset, row_qid: str, col_qid: str, mask: np.ndarray | None = None,
             weights: pd.Series | None = None) -> Crosstab:
    rq, cq = dataset.question(row_qid), dataset.question(col_qid)
    rl, rm = categories(dataset, row_qid)
    cl, cm = categories(dataset, col_qid)
    w = _w(dataset, mask, weights)
    both = rm.any(axis=1) & cm.any(axis=1) & (w > 0)
    n = int(both.sum())
    # scale weights to mean 1 among the counted respondents, so the test uses the real sample size
    if weights is not None and w[both].sum() > 0:
        w = w * (both.sum() / w[both].sum())
    wr = rm.astype(float) * (w * both)[:, None]
    counts = wr.T @ cm.astype(float)
    table = pd.DataFrame(counts, index=rl, columns=cl)
    keep_r = table.sum(axis=1) > 0
    keep_c = table.sum(axis=0) > 0
    table = table.loc[keep_r, keep_c]
    total = table.to_numpy().sum()
    row_pct = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
    col_pct = table.div(table.sum(axis=0).replace(0, np.nan), axis=1)
    chi2 = p = v = math.nan
    dof = 0
    resid = pd.DataFrame(np.nan, index=table.index, columns=table.columns)
    low_share = 0.0
    if table.shape[0] >= 2 and table.shape[1] >= 2 and total > 0:
        obs = table.to_numpy()
        rs, cs = obs.sum(axis=1, keepdims=True), obs.sum(axis=0, keepdims=True)
        exp = rs @ cs / total
        with np.errstate(divide="ignore", invalid="ignore"):
            chi2 = float(np.nansum((obs - exp) ** 2 / exp))
            adj = (obs - exp) / np.sqrt(exp * (1 - rs / total) * (1 - cs / total))
        dof = (obs.shape[0] - 1) * (obs.shape[1] - 1)
        p = float(stats.chi2.sf(chi2, dof))
        v = float(math.sqrt(chi2 / (total * (min(obs.shape) - 1)))) if total > 0 else math.nan
        resid = pd.DataFrame(adj, index=table.index, columns=table.columns)
        low_share = float((exp < 5).mean())
    return Crosstab(rq, cq, table, row_pct, col_pct, resid, chi2, dof, p, v, n, low_share,
                    rq.type == "multi" or cq.type == "multi")

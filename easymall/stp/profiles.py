"""Profiles: each cluster's (or segment's) answers against the rest of the sample — lift and a
two-sided test (two-proportion z for shares, Welch for means) with a Bonferroni correction — and the
explorer's side-by-side comparison of segments (shares, means, NPS) under the survey's filters.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from easymall.core.text import text_in
from easymall.models.stp import StpDocument
from easymall.stp.rules import Labels, SegmentError, evaluate, option_orders
from easymall.survey import SEP, Dataset

ALPHA = 0.05

_MEMO: dict[tuple, object] = {}
_MEMO_MAX = 256


def digest(mask: object) -> str:

    return hashlib.sha1(np.packbits(np.asarray(mask, dtype=bool)).tobytes()).hexdigest()


def memo(key: tuple, build: Callable[[], object]) -> object:
    """A small shared cache for derived tables (datasets and results are treated as read-only)."""
    hit = _MEMO.get(key)
    if hit is None:
        hit = build()
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = hit
    return hit


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Indicators:
    """Answer indicators: one column per answer (share of an option, or a mean), NaN where skipped."""

    values: np.ndarray
    qids: list[str]
    parts: list[str | None]
    kinds: list[str]  # "share" | "mean"


def indicators(dataset: Dataset, questions: Sequence[str], orders: dict[str, list[str]] | None = None
               ) -> Indicators:
    orders = orders if orders is not None else option_orders(dataset)
    frame = dataset.frame
    cols: list[np.ndarray] = []
    qids: list[str] = []
    parts: list[str | None] = []
    kinds: list[str] = []
    for qid in questions:
        if not dataset.has(qid):
            continue
        q = dataset.question(qid)
        if q.type == "single":
            col = frame[qid]
            answered = col.notna().to_numpy()
            opts = [o for o in (orders.get(qid) or q.options) if o in set(q.options)] or list(q.options)
            for o in opts:
                v = (col == o).to_numpy(dtype=float)
                v[~answered] = np.nan
                cols.append(v), qids.append(qid), parts.append(o), kinds.append("share")
        elif q.type == "multi":
            answered = dataset.answered(qid).to_numpy()
            opts = [o for o in (orders.get(qid) or q.options) if o in set(q.options)] or list(q.options)
            for o in opts:
                v = frame[f"{qid}{SEP}{o}"].fillna(False).to_numpy(dtype=float)
                v[~answered] = np.nan
                cols.append(v), qids.append(qid), parts.append(o), kinds.append("share")
        elif q.type in ("matrix", "ranking"):
            for c in q.columns:
                cols.append(frame[c].to_numpy(dtype=float))
                qids.append(qid), parts.append(c.split(SEP, 1)[1]), kinds.append("mean")
        elif q.type in ("scale", "numeric"):
            cols.append(frame[qid].to_numpy(dtype=float)), qids.append(qid), parts.append(None)
            kinds.append("mean")
    values = np.stack(cols, axis=1) if cols else np.empty((len(frame), 0))
    return Indicators(values, qids, parts, kinds)


def _sums(values: np.ndarray, onehot: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group (columns of ``onehot``): count of non-missing values, their sum and sum of squares."""
    ok = ~np.isnan(values)
    v0 = np.where(ok, values, 0.0)
    return onehot.T @ ok.astype(float), onehot.T @ v0, onehot.T @ (v0 * v0)


def _moments(cnt: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / cnt
        var = np.maximum(s2 / cnt - mean * mean, 0) * cnt / np.maximum(cnt - 1, 1)
    return mean, var


@dataclass(frozen=True)
class Profile:
    """How one group (cluster or segment) differs from everyone else."""

    index: int
    n: int
    share: float
    table: pd.DataFrame  # question, part, kind, value, rest, overall, lift, diff, z, p, n, significant


def profiles(ind: Indicators, labels: np.ndarray, k: int | None = None) -> list[Profile]:
    """Each group's answers against the rest: lift (group ÷ overall), and a two-sided test vs the rest.

    Shares use the two-proportion z test, means Welch's t; p values are Bonferroni-corrected over
    the answers compared, and ``significant`` means corrected p < 0.05 (with at least 5 answers).
    """
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if k is None else k
    n = len(labels)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    vals = ind.values
    g_cnt, g_s1, g_s2 = _sums(vals, onehot)
    t_cnt, t_s1, t_s2 = (a[0] for a in _sums(vals, np.ones((n, 1))))
    all_mean, _ = _moments(t_cnt, t_s1, t_s2)
    m = max(vals.shape[1], 1)
    is_share = np.array([kd == "share" for kd in ind.kinds], dtype=bool)
    out = []
    for c in range(k):
        n1, n2 = g_cnt[c], t_cnt - g_cnt[c]
        m1, v1 = _moments(n1, g_s1[c], g_s2[c])
        m2, v2 = _moments(n2, t_s1 - g_s1[c], t_s2 - g_s2[c])
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled = (g_s1[c] + (t_s1 - g_s1[c])) / (n1 + n2)
            se_share = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            a1, a2 = v1 / n1, v2 / n2
            se_mean = np.sqrt(a1 + a2)
            z = np.where(is_share, (m1 - m2) / se_share, (m1 - m2) / se_mean)
            dof = (a1 + a2) ** 2 / (a1**2 / np.maximum(n1 - 1, 1) + a2**2 / np.maximum(n2 - 1, 1))
            p_norm = 2 * stats.norm.sf(np.abs(z))
            p_t = 2 * stats.t.sf(np.abs(z), np.nan_to_num(dof, nan=1.0, posinf=1e9))
            p_raw = np.where(is_share, p_norm, p_t)
            p = np.minimum(np.nan_to_num(p_raw, nan=1.0) * m, 1.0)
            lift = m1 / all_mean
        table = pd.DataFrame({
            "question": ind.qids, "part": ind.parts, "kind": ind.kinds, "value": m1, "rest": m2,
            "overall": all_mean, "lift": lift, "diff": m1 - all_mean, "z": np.nan_to_num(z), "p": p, "n": n1,
        })
        table["significant"] = (table["p"] < ALPHA) & (table["n"] >= 5) & (n2 >= 5)
        size = int(onehot[:, c].sum())
        out.append(Profile(c, size, size / n if n else 0.0, table))
    return out


def distinguishing(profile: Profile, top: int = 8) -> pd.DataFrame:
    """The answers that set a group apart: significant, largest |z| first, over-represented first."""
    t = profile.table[profile.table["significant"]].copy()
    t = t[(t["kind"] == "mean") | (t["value"] >= 0.05) | (t["overall"] >= 0.05)]
    t["abs_z"] = t["z"].abs()
    pos = t[t["z"] > 0].nlargest(top, "abs_z")
    neg = t[t["z"] < 0].nlargest(max(top - len(pos), 2), "abs_z")
    return pd.concat([pos, neg]).drop(columns="abs_z").reset_index(drop=True)


def suggest_name(profile: Profile, labels_en: Labels, labels_zh: Labels) -> dict[str, str]:
    """A name from the two most over-represented answers of different questions (en and zh)."""
    t = profile.table
    t = t[t["significant"] & (t["kind"] == "share") & (t["lift"] >= 1.2) & (t["value"] >= 0.25)]
    t = t.assign(score=t["z"] * t["value"]).sort_values("score", ascending=False)
    picked: list[tuple[str, str]] = []
    for qid, part in zip(t["question"], t["part"], strict=True):
        if qid not in {q for q, _ in picked}:
            picked.append((qid, part))
        if len(picked) == 2:
            break
    if not picked:
        return {"en": f"Cluster {profile.index + 1}", "zh": f"第 {profile.index + 1} 类"}
    def words(lab: Labels, qid: str, part: str) -> str:
        # a bare yes / no (是 / 否) says nothing without its question
        return lab.answer(qid, part) if len(part) <= 1 else lab.option(qid, part)

    return {"en": " · ".join(words(labels_en, q, p) for q, p in picked)[:120],
            "zh": " · ".join(words(labels_zh, q, p) for q, p in picked)[:120]}


def segment_profile(dataset: Dataset, mask: pd.Series, questions: Sequence[str],
                    orders: dict[str, list[str]] | None = None) -> Profile:
    """A segment against the rest of the sample (group 0 = members)."""
    def build() -> Profile:
        ind = indicators(dataset, questions, orders)
        labels = np.where(np.asarray(mask, dtype=bool), 0, 1)
        return profiles(ind, labels, k=2)[0]

    key = ("profile", id(dataset), dataset.name, dataset.n, tuple(questions), digest(mask))
    return memo(key, build)  # type: ignore[return-value]


# --------------------------------------------------------------------------- comparison


def nps(values: np.ndarray) -> float:
    """% scoring 9–10 minus % scoring 0–6, in points (−100..100)."""
    v = values[~np.isnan(values)]
    if not len(v):
        return float("nan")
    return float(((v >= 9).mean() - (v <= 6).mean()) * 100)


def compare(doc: StpDocument, dataset: Dataset, masks: dict[str, pd.Series], segment_ids: Sequence[str],
            labels: Labels, orders: dict[str, list[str]] | None = None,
            filter_mask: pd.Series | None = None) -> list[tuple[str, pd.DataFrame]]:
    """Side-by-side tables per explorer block: rows = answers, columns = segments + the whole sample.

    Each table has columns ``question``, ``answer``, ``kind`` (share | mean | nps | count) and one
    numeric column per segment id plus ``__all__``; ``filter_mask`` (the survey's global filters)
    restricts every column.
    """
    key = ("compare", id(dataset), dataset.name, dataset.n, tuple(segment_ids), labels.lang, labels.doc.revision,
           tuple(b.model_dump_json() for b in doc.explorer),
           digest(filter_mask) if filter_mask is not None else "",
           tuple(digest(masks[s]) for s in segment_ids if s in masks))
    return memo(key, lambda: _compare_blocks(doc, dataset, masks, segment_ids, labels, orders, filter_mask))  # type: ignore[return-value]


def _compare_blocks(doc: StpDocument, dataset: Dataset, masks: dict[str, pd.Series], segment_ids: Sequence[str],
             labels: Labels, orders: dict[str, list[str]] | None, filter_mask: pd.Series | None
             ) -> list[tuple[str, pd.DataFrame]]:
    orders = orders if orders is not None else option_orders(dataset)
    n = len(dataset.frame)
    base = np.ones(n, bool) if filter_mask is None else np.asarray(filter_mask, dtype=bool)
    groups = {sid: np.asarray(masks[sid], dtype=bool) & base for sid in segment_ids if sid in masks}
    groups["__all__"] = base
    out: list[tuple[str, pd.DataFrame]] = []
    size = {"question": "", "answer": "n", "kind": "count"} | {g: float(m.sum()) for g, m in groups.items()}
    for block in doc.explorer:
        rows: list[dict[str, object]] = []
        if block.stat == "nps":
            for qid in block.questions:
                if not dataset.has(qid):
                    continue
                v = dataset.frame[qid].to_numpy(dtype=float)
                rows.append({"question": labels.question(qid), "answer": "NPS", "kind": "nps"}
                            | {g: nps(v[m]) for g, m in groups.items()})
        else:
            ind = indicators(dataset, block.questions, orders)
            for j in range(ind.values.shape[1]):
                v = ind.values[:, j]
                row: dict[str, object] = {"question": labels.question(ind.qids[j]),
                                          "answer": labels.option(ind.qids[j], ind.parts[j]) if ind.parts[j]
                                          else labels.question(ind.qids[j]),
                                          "kind": ind.kinds[j]}
                for g, m in groups.items():
                    sel = v[m]
                    sel = sel[~np.isnan(sel)]
                    row[g] = float(sel.mean()) if len(sel) else float("nan")
                rows.append(row)
        if rows:
            out.append((text_in(block.label, labels.lang), pd.DataFrame([size, *rows])))
    if doc.targeting.measures:  # the targeting measures (growth proxy, repurchase ...) under the same filters
        title = "Targeting measures" if labels.lang == "en" else "目标市场评价指标"
        rows = []
        for m in doc.targeting.measures:
            try:
                hit = evaluate(m.condition, dataset, orders).to_numpy()
                mbase = evaluate(m.base, dataset, orders).to_numpy() if m.base is not None else np.ones(n, bool)
            except SegmentError:
                continue
            row: dict[str, object] = {"question": title, "answer": text_in(m.label, labels.lang), "kind": "share"}
            for g, mk in groups.items():
                b = (mk & mbase).sum()
                row[g] = float((mk & mbase & hit).sum() / b) if b else float("nan")
            rows.append(row)
        if rows:
            out.insert(0, (title, pd.DataFrame([size, *rows])))
    return out

"""Segments: rule evaluation, encoding, clustering, profiles, GE–McKinsey scoring, perceptual maps.

Pure functions over a survey :class:`~easymall.survey.dataset.Dataset` (frame conventions of the
cross-area contract) and the STP document. Nothing here imports streamlit.

* Rules — :func:`evaluate` turns a structured :data:`~easymall.models.stp.Condition` into a boolean
  Series over ``Dataset.frame``, vectorised; a bad reference raises :class:`SegmentError` with one
  plain sentence.
* Clustering — mixed-type answers are one-hot / rank / 0-1 encoded, centred, and scaled **per
  question** so that each chosen question carries the same total variance (so a 7-row matrix does
  not outweigh gender); then k-means (scikit-learn, seeded, ``n_init`` restarts, clusters renumbered
  by size so a run is reproducible). k is chosen from the silhouette curve (silhouette on a fixed
  seeded sample of at most :data:`SILHOUETTE_SAMPLE` respondents; on more than :data:`SWEEP_SAMPLE`
  respondents the k sweep runs on a seeded sample of that size and the chosen k is refitted on all). This is the FAMD-style alternative
  to k-prototypes: one distance for all variables, no extra dependency, and the frozen model
  (encoding + centroids) can be stored in ``stp.yaml`` and applied to any later survey wave.
* Profiles — each cluster's (or segment's) answers against the rest of the sample: lift and a
  two-sided test (two-proportion z for shares, Welch for means) with a Bonferroni correction.
* Targeting — measures (segment size, growth proxy, repurchase ...) from the data, ratings 1–5 from
  thresholds, GE attractiveness / strength scores and the nine-box zone.
* Positioning — Easy Mall's scores from the survey, competitor scores from ``stp.yaml``, and a PCA
  of the satisfaction ratings onto which platforms and ideal points are projected.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from easymall.core.errors import CodedError
from easymall.core.text import Lang, text_in
from easymall.models.stp import (
    GATES,
    AllCondition,
    AnswerCondition,
    AnyCondition,
    ClusterModel,
    Condition,
    EncodedVariable,
    NotCondition,
    Segment,
    StpDocument,
)
from easymall.models.survey import SurveyDocument
from easymall.survey import SEP, Dataset, Question

SILHOUETTE_SAMPLE = 4000
SWEEP_SAMPLE = 20_000
N_INIT = 3
ALPHA = 0.05

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)`` — ``what`` is ``"k=<k>"`` or ``"fit"``."""


_MEMO: dict[tuple, object] = {}
_MEMO_MAX = 256


def _digest(mask: object) -> str:
    import hashlib

    return hashlib.sha1(np.packbits(np.asarray(mask, dtype=bool)).tobytes()).hexdigest()


def _memo(key: tuple, build: Callable[[], object]) -> object:
    """A small shared cache for derived tables (datasets and results are treated as read-only)."""
    hit = _MEMO.get(key)
    if hit is None:
        hit = build()
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = hit
    return hit


class SegmentError(ValueError):
    """A rule or model that cannot be applied to the dataset; the message is one plain sentence."""


# --------------------------------------------------------------------------- orders and labels


def option_orders(dataset: Dataset, survey_doc: SurveyDocument | None = None) -> dict[str, list[str]]:
    """Option order per question: the questionnaire's (``survey.yaml``) when known, else the dataset's."""
    orders = {q.id: list(q.options) for q in dataset.questions if q.type in ("single", "multi", "ranking")}
    if survey_doc is not None:
        for spec in survey_doc.questions:
            if spec.options:
                orders[spec.id] = [o.label for o in spec.options]
    return orders


class Labels:
    """Question titles and option labels in a language (translations from ``survey.yaml``)."""

    def __init__(self, dataset: Dataset | None, survey_doc: SurveyDocument | None, lang: Lang):
        self.dataset, self.doc, self.lang = dataset, survey_doc or SurveyDocument(), lang

    def question(self, qid: str) -> str:
        fallback = ""
        if self.dataset is not None and self.dataset.has(qid):
            fallback = self.dataset.question(qid).title
        return self.doc.question_title(qid, self.lang, fallback)

    def option(self, qid: str, label: str) -> str:
        return self.doc.option_text(qid, label, self.lang)

    def answer(self, qid: str, part: str | None) -> str:
        title = self.question(qid)
        return f"{title}: {self.option(qid, part)}" if part else title


# --------------------------------------------------------------------------- rules


def _question(dataset: Dataset, qid: str) -> Question:
    if not dataset.has(qid):
        raise SegmentError(f"question {qid} is not in the dataset{_named(dataset)}")
    return dataset.question(qid)


def _named(dataset: Dataset) -> str:
    return f" “{dataset.name}”" if dataset.name else ""


def _numbers(cond: AnswerCondition) -> list[float]:
    out = []
    for v in cond.values:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            raise SegmentError(f"{cond.question}: op {cond.op} needs numbers, got “{v}”") from None
    return out


def _compare(values: pd.Series, cond: AnswerCondition, nums: list[float], answered: pd.Series) -> pd.Series:
    op = cond.op
    if op in ("in", "eq"):
        return values.isin(nums)
    if op == "not_in":
        return answered & ~values.isin(nums)
    if op == "gte":
        return values >= nums[0]
    if op == "lte":
        return values <= nums[0]
    return (values >= nums[0]) & (values <= nums[1])


def _leaf(cond: AnswerCondition, dataset: Dataset, orders: dict[str, list[str]]) -> pd.Series:
    q = _question(dataset, cond.question)
    frame = dataset.frame
    labels = [str(v) for v in cond.values]
    if q.type in ("single", "text"):
        col = frame[q.id]
        answered = col.notna()
        if cond.op in ("in", "not_in", "eq"):
            if q.type == "single":
                unknown = [v for v in labels if v not in set(orders.get(q.id, q.options)) | set(q.options)]
                if unknown:
                    raise SegmentError(f"{q.id}: “{unknown[0]}” is not an option of the question")
            hit = col.isin(labels)
            return answered & ~hit if cond.op == "not_in" else hit
        if q.type == "text":
            raise SegmentError(f"{q.id}: a text question can only be compared with in, not_in or eq")
        order = orders.get(q.id) or list(q.options)
        rank = {label: i for i, label in enumerate(order)}
        missing = [v for v in labels if v not in rank]
        if missing:
            raise SegmentError(f"{q.id}: “{missing[0]}” is not an option of the question")
        codes = col.map(rank).astype(float)
        return _compare(codes, cond, [float(rank[v]) for v in labels], answered)
    if q.type == "multi":
        answered = dataset.answered(q.id)
        if cond.op in ("in", "not_in", "eq"):
            known = set(q.options) | set(orders.get(q.id, []))
            unknown = [v for v in labels if v not in known]
            if unknown:
                raise SegmentError(f"{q.id}: “{unknown[0]}” is not an option of the question")
            cols = [f"{q.id}{SEP}{v}" for v in labels if f"{q.id}{SEP}{v}" in frame]  # unchosen options
            hit = (frame[cols].fillna(False).astype(bool).any(axis=1) if cols
                   else pd.Series(False, index=frame.index))
            return answered & ~hit if cond.op == "not_in" else hit
        count = frame[q.columns].fillna(False).astype(bool).sum(axis=1).astype(float).where(answered)
        return _compare(count, cond, _numbers(cond), answered)
    if q.type in ("matrix", "ranking"):
        if cond.row is None:
            raise SegmentError(f"{q.id}: a {q.type} question needs the row to compare")
        col_name = f"{q.id}{SEP}{cond.row}"
        if col_name not in frame:
            raise SegmentError(f"{q.id}: “{cond.row}” is not a row of the question")
        col = frame[col_name].astype(float)
        return _compare(col, cond, _numbers(cond), col.notna())
    col = frame[q.id].astype(float)  # scale, numeric
    return _compare(col, cond, _numbers(cond), col.notna())


def evaluate(cond: Condition, dataset: Dataset, orders: dict[str, list[str]] | None = None) -> pd.Series:
    """Boolean Series (index = the frame's) of respondents meeting ``cond``."""
    orders = orders if orders is not None else option_orders(dataset)
    if isinstance(cond, AnswerCondition):
        return _leaf(cond, dataset, orders).fillna(False).astype(bool)
    if isinstance(cond, NotCondition):
        return ~evaluate(cond.of, dataset, orders)
    parts = [evaluate(sub, dataset, orders).to_numpy() for sub in cond.of]
    if isinstance(cond, AllCondition):
        out = np.logical_and.reduce(parts)
    elif isinstance(cond, AnyCondition):
        out = np.logical_or.reduce(parts)
    else:  # pragma: no cover - the union is closed
        raise TypeError(type(cond))
    return pd.Series(out, index=dataset.frame.index)


def members(segment: Segment, dataset: Dataset, orders: dict[str, list[str]] | None = None) -> pd.Series:
    """Who belongs to ``segment``: its rule, or the nearest centroid of its frozen cluster model."""
    try:
        if segment.source == "rule":
            assert segment.rule is not None
            return evaluate(segment.rule, dataset, orders)
        assert segment.cluster is not None
        labels = assign(segment.cluster, dataset)
        return pd.Series(labels == segment.cluster.cluster, index=dataset.frame.index)
    except SegmentError as exc:
        raise SegmentError(f"segment {segment.id}: {exc}") from None


def segment_masks(doc: StpDocument, dataset: Dataset, orders: dict[str, list[str]] | None = None
                  ) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Members of every segment, and a message for each segment that cannot be evaluated."""
    orders = orders if orders is not None else option_orders(dataset)
    masks: dict[str, pd.Series] = {}
    errors: dict[str, str] = {}
    for seg in doc.segments:
        try:
            masks[seg.id] = members(seg, dataset, orders)
        except SegmentError as exc:
            errors[seg.id] = str(exc)
    return masks, errors


# --------------------------------------------------------------------------- encoding


@dataclass(frozen=True)
class Encoding:
    """Feature matrix (rows = respondents) and how each question was encoded."""

    matrix: np.ndarray
    variables: list[EncodedVariable]

    @property
    def width(self) -> int:
        return self.matrix.shape[1]


def _kind(q: Question, ordinal: Sequence[str], frame: pd.DataFrame) -> str:
    if q.type == "single":
        return "ordinal" if q.id in ordinal else "nominal"
    if q.type == "multi":
        return "multi"
    if q.type in ("matrix", "ranking"):
        return "matrix"
    if q.type == "numeric":
        col = frame[q.id].astype(float)
        valid = col.dropna()
        if len(valid) > 2 and valid.min() >= 0 and float(valid.skew()) > 0.5:
            return "log"
        return "numeric"
    if q.type == "scale":
        return "numeric"
    raise SegmentError(f"{q.id}: free-text answers cannot be clustered; choose other questions")


def _raw(dataset: Dataset, qid: str, kind: str, parts: list[str]) -> np.ndarray:
    """Unscaled columns of one question (NaN where skipped)."""
    frame = dataset.frame
    n = len(frame)
    if kind == "nominal":
        col = frame[qid]
        answered = col.notna().to_numpy()
        out = np.stack([(col == p).to_numpy(dtype=float) for p in parts], axis=1)
        out[~answered] = np.nan
        return out
    if kind == "ordinal":
        rank = {label: i / max(len(parts) - 1, 1) for i, label in enumerate(parts)}
        return frame[qid].map(rank).to_numpy(dtype=float).reshape(n, 1)
    if kind == "multi":
        answered = dataset.answered(qid).to_numpy()
        cols = [f"{qid}{SEP}{p}" for p in parts]
        present = [c if c in frame else None for c in cols]
        out = np.stack([frame[c].fillna(False).to_numpy(dtype=float) if c else np.zeros(n) for c in present], axis=1)
        out[~answered] = np.nan
        return out
    if kind == "matrix":
        cols = [f"{qid}{SEP}{p}" for p in parts]
        return np.stack([frame[c].to_numpy(dtype=float) if c in frame else np.full(n, np.nan) for c in cols],
                        axis=1)
    values = frame[qid].to_numpy(dtype=float).reshape(n, 1)
    if kind == "log":
        values = np.log1p(np.clip(values, 0, None))
    return values


def encode(dataset: Dataset, questions: Sequence[str], *, ordinal: Sequence[str] = (),
           orders: dict[str, list[str]] | None = None) -> Encoding:
    """Fit the encoding of ``questions`` on ``dataset`` and return the scaled feature matrix.

    Skipped answers are imputed with the column mean (the centre, so they add no distance); each
    question's columns are divided by one factor so the question's total variance is 1.
    """
    if not questions:
        raise SegmentError("choose at least one question to cluster on")
    orders = orders if orders is not None else option_orders(dataset)
    variables: list[EncodedVariable] = []
    blocks: list[np.ndarray] = []
    for qid in questions:
        q = _question(dataset, qid)
        kind = _kind(q, ordinal, dataset.frame)
        if kind in ("nominal", "ordinal", "multi"):
            parts = list(orders.get(qid) or q.options)
            if kind != "ordinal":
                parts += [o for o in q.options if o not in parts]
        elif kind == "matrix":
            parts = list(q.rows) if q.rows else [c.split(SEP, 1)[1] for c in q.columns]
            if q.type == "ranking":
                parts = list(q.options)
        else:
            parts = []
        raw = _raw(dataset, qid, kind, parts)
        center = np.nanmean(raw, axis=0) if raw.size else np.zeros(raw.shape[1])
        center = np.where(np.isnan(center), 0.0, center)
        filled = np.where(np.isnan(raw), center, raw)
        total_var = float(filled.var(axis=0).sum())
        block_scale = math.sqrt(total_var) if total_var > 1e-12 else 1.0
        scale = np.full(raw.shape[1], block_scale)
        variables.append(EncodedVariable(question=qid, kind=kind, parts=parts, center=center.tolist(),
                                         scale=scale.tolist()))
        blocks.append((filled - center) / scale)
    return Encoding(np.hstack(blocks).astype(np.float64), variables)


def apply_encoding(dataset: Dataset, variables: Sequence[EncodedVariable]) -> np.ndarray:
    """The feature matrix of ``dataset`` under a stored encoding (skipped answers at the centre)."""
    blocks = []
    for v in variables:
        _question(dataset, v.question)
        raw = _raw(dataset, v.question, v.kind, list(v.parts))
        center, scale = np.asarray(v.center), np.asarray(v.scale)
        blocks.append(np.where(np.isnan(raw), 0.0, (raw - center) / scale))
    return np.hstack(blocks)


# --------------------------------------------------------------------------- clustering


@dataclass(frozen=True)
class ClusterRun:
    """One clustering: labels (0 = largest cluster), centroids, the silhouette curve, the encoding."""

    dataset: str
    questions: tuple[str, ...]
    k: int
    seed: int
    labels: np.ndarray
    centroids: np.ndarray
    silhouette: dict[int, float]
    variables: list[EncodedVariable]

    @property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.k)

    def model(self, cluster: int) -> ClusterModel:
        """The frozen model that makes cluster ``cluster`` a stored segment."""
        return ClusterModel(dataset=self.dataset[:200], k=self.k, seed=self.seed, cluster=cluster,
                            variables=self.variables,
                            centroids=[[round(float(x), 6) for x in row] for row in self.centroids])


def _kmeans(x: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # one thread: OpenMP's spinning workers slow down ~10x when the cores are busy (a server with
    # other sessions); single-threaded Lloyd is fast enough (100,000 × 60 columns, k = 6: < 1 s)
    with threadpool_limits(limits=1):
        km = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed, algorithm="lloyd").fit(x)
    labels = km.labels_.astype(np.int64)
    centroids = km.cluster_centers_.astype(np.float64)
    # renumber by size (largest first; ties by centroid) so the same data and seed give the same names
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda c: (-sizes[c], tuple(np.round(centroids[c], 9))))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    return remap[labels], centroids[order]


def _silhouette(x: np.ndarray, labels: np.ndarray, seed: int) -> float:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _silhouette_score(x, labels, seed)


def _silhouette_score(x: np.ndarray, labels: np.ndarray, seed: int) -> float:
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    n = len(labels)
    if n > SILHOUETTE_SAMPLE:
        idx = np.random.default_rng(seed).choice(n, SILHOUETTE_SAMPLE, replace=False)
        x, labels = x[idx], labels[idx]
        if len(np.unique(labels)) < 2:
            return float("nan")
    return float(silhouette_score(x, labels))


def run_clustering(dataset: Dataset, questions: Sequence[str], *, k: int | None = None,
                   k_range: tuple[int, int] = (2, 8), seed: int = 2017, ordinal: Sequence[str] = (),
                   orders: dict[str, list[str]] | None = None, progress: Progress | None = None) -> ClusterRun:
    """Cluster respondents on ``questions``.

    With ``k=None`` every k in ``k_range`` is fitted and the one with the highest silhouette is kept;
    otherwise only ``k`` is fitted (its silhouette is still measured). Same inputs, same result.
    """
    enc = encode(dataset, questions, ordinal=ordinal, orders=orders)
    x = enc.matrix
    n = len(x)
    lo, hi = k_range
    ks = list(range(lo, hi + 1)) if k is None else [k]
    ks = [kk for kk in ks if 2 <= kk < n]
    if not ks:
        raise SegmentError(f"{n} respondents are too few to form {k or lo} clusters")
    # the k sweep runs on a fixed seeded sample when the data is large; the chosen k is refitted on all
    sweep_x = x
    if k is None and n > SWEEP_SAMPLE:
        sweep_x = x[np.sort(np.random.default_rng(seed).choice(n, SWEEP_SAMPLE, replace=False))]
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    curve: dict[int, float] = {}
    for i, kk in enumerate(ks):
        if progress:
            progress(i, len(ks), f"k={kk}")
        labels, centroids = _kmeans(sweep_x, kk, seed)
        fits[kk] = (labels, centroids)
        curve[kk] = _silhouette(sweep_x, labels, seed)
    if progress:
        progress(len(ks), len(ks), "fit")
    best = k if k is not None else max(ks, key=lambda kk: (np.nan_to_num(curve[kk], nan=-2), -kk))
    labels, centroids = fits[best] if sweep_x is x else _kmeans(x, best, seed)
    return ClusterRun(dataset.name, tuple(questions), best, seed, labels, centroids, curve, enc.variables)


def assign(model: ClusterModel, dataset: Dataset) -> np.ndarray:
    """Nearest-centroid label of every respondent under a stored cluster model."""
    x = apply_encoding(dataset, model.variables)
    c = np.asarray(model.centroids)
    d = (x * x).sum(axis=1)[:, None] - 2 * x @ c.T + (c * c).sum(axis=1)[None, :]
    return d.argmin(axis=1)


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

    key = ("profile", id(dataset), dataset.name, dataset.n, tuple(questions), _digest(mask))
    return _memo(key, build)  # type: ignore[return-value]


# --------------------------------------------------------------------------- targeting (GE–McKinsey)


def measure_table(doc: StpDocument, dataset: Dataset, masks: dict[str, pd.Series],
                  orders: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Per segment: respondents ``n``, ``size`` (share of the sample) and each measure's share."""
    orders = orders if orders is not None else option_orders(dataset)
    total = max(len(dataset.frame), 1)
    hits = {}
    for m in doc.targeting.measures:
        cond = evaluate(m.condition, dataset, orders).to_numpy()
        base = evaluate(m.base, dataset, orders).to_numpy() if m.base is not None else np.ones(total, bool)
        hits[m.id] = (cond & base, base)
    rows = {}
    for sid, mask in masks.items():
        mk = np.asarray(mask, dtype=bool)
        row: dict[str, float] = {"n": float(mk.sum()), "size": float(mk.sum()) / total}
        for mid, (hit, base) in hits.items():
            b = (mk & base).sum()
            row[mid] = float((mk & hit).sum() / b) if b else float("nan")
            row[f"{mid}__base"] = float(b)
        rows[sid] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def rating_from(value: float, thresholds: Sequence[float]) -> int | None:
    """1 + the number of thresholds ``value`` reaches (None when the value is unknown)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return 1 + sum(value >= t for t in thresholds)


@dataclass(frozen=True)
class Rating:
    value: int | None
    source: str  # "override" | "data" | "missing"
    data: int | None  # what the data says (None when the criterion is judgement only)


def ratings(doc: StpDocument, measures: pd.DataFrame | None) -> dict[str, dict[str, Rating]]:
    """Effective rating per segment and criterion: the segment's override, else the data's, else missing."""
    out: dict[str, dict[str, Rating]] = {}
    for seg in doc.segments:
        row: dict[str, Rating] = {}
        for c in doc.targeting.criteria():
            data = None
            if c.measure is not None and measures is not None and seg.id in measures.index:
                data = rating_from(float(measures.at[seg.id, c.measure]), c.thresholds)
            if c.id in seg.ratings:
                row[c.id] = Rating(seg.ratings[c.id], "override", data)
            elif data is not None:
                row[c.id] = Rating(data, "data", data)
            else:
                row[c.id] = Rating(None, "missing", None)
        out[seg.id] = row
    return out


NEUTRAL = 3


def level(score: float) -> int:
    """0 low, 1 medium, 2 high on a 1–5 scale cut in thirds (1–2.33, 2.33–3.67, 3.67–5)."""
    return 0 if score < 1 + 4 / 3 else 1 if score < 1 + 8 / 3 else 2


def zone(attractiveness: float, strength: float) -> str:
    """GE nine-box zone: ``invest`` (grow), ``selective`` or ``harvest``."""
    s = level(attractiveness) + level(strength)
    return "invest" if s >= 3 else "selective" if s == 2 else "harvest"


def ge_table(doc: StpDocument, rated: dict[str, dict[str, Rating]], measures: pd.DataFrame | None
             ) -> pd.DataFrame:
    """Per segment: attractiveness and strength (Σ weight × rating), size, zone, missing ratings.

    A missing rating counts as 3 (neutral) and is listed in ``missing`` so the page can say so.
    """
    rows = []
    for seg in doc.segments:
        r = rated.get(seg.id, {})
        missing = [c.id for c in doc.targeting.criteria() if r.get(c.id) is None or r[c.id].value is None]

        def score(crits, r=r):
            return sum(c.weight * (r[c.id].value if r.get(c.id) and r[c.id].value is not None else NEUTRAL)
                       for c in crits)

        a, s = score(doc.targeting.attractiveness), score(doc.targeting.strength)
        n = size = float("nan")
        if measures is not None and seg.id in measures.index:
            n, size = float(measures.at[seg.id, "n"]), float(measures.at[seg.id, "size"])
        rows.append({"segment": seg.id, "attractiveness": round(a, 4), "strength": round(s, 4), "n": n,
                     "size": size, "zone": zone(a, s), "target": seg.target, "missing": missing})
    return pd.DataFrame(rows, columns=["segment", "attractiveness", "strength", "n", "size", "zone", "target",
                                       "missing"])


# --------------------------------------------------------------------------- positioning


def easy_mall_scores(doc: StpDocument, dataset: Dataset | None, mask: pd.Series | None = None
                     ) -> dict[str, tuple[float | None, str]]:
    """Easy Mall's score per attribute and where it comes from (``survey`` mean or ``config``)."""
    out: dict[str, tuple[float | None, str]] = {}
    for a in doc.positioning.attributes:
        value: float | None = None
        source = "missing"
        if a.survey is not None and dataset is not None:
            col = f"{a.survey.question}{SEP}{a.survey.row}"
            if col in dataset.frame:
                series = dataset.frame[col]
                if mask is not None:
                    series = series[np.asarray(mask, dtype=bool)]
                if series.notna().any():
                    value, source = float(series.mean()), "survey"
        if value is None and a.easy_mall is not None:
            value, source = a.easy_mall, "config"
        out[a.id] = (value, source)
    return out


def map_points(doc: StpDocument, dataset: Dataset | None, x: str, y: str, lang: Lang,
               masks: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Points of a two-attribute perceptual map: Easy Mall, competitors, target segments' ideal points
    and, with ``masks``, Easy Mall as each target segment rates it (kind ``seen``; survey attributes only)."""
    em = easy_mall_scores(doc, dataset)
    rows = []
    if em[x][0] is not None and em[y][0] is not None:
        rows.append({"id": "easy_mall", "label": "Easy Mall" if lang == "en" else "融e购", "kind": "easy_mall",
                     "x": em[x][0], "y": em[y][0]})
    for s in doc.targets() if masks else []:
        if s.id not in masks or dataset is None:
            continue
        seen = easy_mall_scores(doc, dataset, masks[s.id])
        if seen[x][1] == "survey" and seen[y][1] == "survey":
            rows.append({"id": f"seen:{s.id}", "label": text_in(s.name, lang), "kind": "seen",
                         "x": seen[x][0], "y": seen[y][0]})
    for c in doc.positioning.competitors:
        if x in c.scores and y in c.scores:
            rows.append({"id": c.id, "label": text_in(c.name, lang), "kind": "competitor",
                         "x": c.scores[x], "y": c.scores[y]})
    for s in doc.targets():
        if x in s.ideal and y in s.ideal:
            rows.append({"id": s.id, "label": text_in(s.name, lang), "kind": "ideal",
                         "x": s.ideal[x], "y": s.ideal[y]})
    return pd.DataFrame(rows, columns=["id", "label", "kind", "x", "y"])


@dataclass(frozen=True)
class PcaMap:
    points: pd.DataFrame  # id, label, kind, x, y
    loadings: pd.DataFrame  # attribute, label, x, y
    explained: tuple[float, float]
    n: int
    attributes: list[str] = field(default_factory=list)


def pca_map(doc: StpDocument, dataset: Dataset | None, lang: Lang) -> PcaMap | None:
    """First two principal components of respondents' satisfaction ratings (standardised), with the
    platforms' and ideal points' attribute profiles projected onto them. None without survey ratings."""
    if dataset is None:
        return None
    attrs = [a for a in doc.positioning.attributes
             if a.survey is not None and f"{a.survey.question}{SEP}{a.survey.row}" in dataset.frame]
    if len(attrs) < 3:
        return None
    cols = [f"{a.survey.question}{SEP}{a.survey.row}" for a in attrs]  # type: ignore[union-attr]
    block = dataset.frame[cols].to_numpy(dtype=float)
    keep = np.isnan(block).sum(axis=1) <= len(cols) // 2
    block = block[keep]
    if len(block) < 10:
        return None
    mean = np.nanmean(block, axis=0)
    block = np.where(np.isnan(block), mean, block)
    std = block.std(axis=0, ddof=1)
    std = np.where(std > 1e-9, std, 1.0)
    z = (block - mean) / std
    _, sv, vt = np.linalg.svd(z, full_matrices=False)
    comps = vt[:2]
    # orient each component so that most attributes load positively (higher = better)
    comps = comps * np.where(comps.sum(axis=1, keepdims=True) < 0, -1, 1)
    var = sv**2 / max((sv**2).sum(), 1e-12)
    ids = [a.id for a in attrs]

    def project(scores: dict[str, float]) -> tuple[float, float]:
        vec = np.array([(scores.get(aid, mean[i]) - mean[i]) / std[i] for i, aid in enumerate(ids)])
        x, y = comps @ vec
        return float(x), float(y)

    rows = []
    em = {a.id: v for a, v in zip(attrs, mean, strict=True)}
    ex, ey = project(em)
    rows.append({"id": "easy_mall", "label": "Easy Mall" if lang == "en" else "融e购", "kind": "easy_mall",
                 "x": ex, "y": ey})
    for c in doc.positioning.competitors:
        px, py = project(c.scores)
        rows.append({"id": c.id, "label": text_in(c.name, lang), "kind": "competitor", "x": px, "y": py})
    for s in doc.targets():
        if s.ideal:
            px, py = project(s.ideal)
            rows.append({"id": s.id, "label": text_in(s.name, lang), "kind": "ideal", "x": px, "y": py})
    loadings = pd.DataFrame({"attribute": ids, "label": [text_in(a.label, lang) for a in attrs],
                             "x": comps[0], "y": comps[1]})
    return PcaMap(pd.DataFrame(rows), loadings, (float(var[0]), float(var[1])), int(len(block)), ids)


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
           _digest(filter_mask) if filter_mask is not None else "",
           tuple(_digest(masks[s]) for s in segment_ids if s in masks))
    return _memo(key, lambda: _compare_blocks(doc, dataset, masks, segment_ids, labels, orders, filter_mask))  # type: ignore[return-value]


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


def split_questions(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A comparison block's rows per question, in order (the ``n`` row left out), for one chart each."""
    body = table[table["kind"] != "count"]
    order = list(dict.fromkeys(body["question"]))
    return [(q, body[body["question"] == q]) for q in order]


# --------------------------------------------------------------------------- Kotler gates (data hints)


def gate_hints(segment_id: str, measures: pd.DataFrame | None, profile: Profile | None) -> dict[str, dict]:
    """What the data says about each gate: ``measurable`` (members found), ``substantial`` (share),
    ``differentiable`` (significant distinguishing answers). Accessible / actionable are judgement."""
    hints: dict[str, dict] = {g: {} for g in GATES}
    if measures is not None and segment_id in measures.index:
        n = int(measures.at[segment_id, "n"])
        hints["measurable"] = {"n": n}
        hints["substantial"] = {"share": float(measures.at[segment_id, "size"])}
    if profile is not None:
        hints["differentiable"] = {"answers": int(profile.table["significant"].sum())}
    return hints


# --------------------------------------------------------------------------- rules in words

_OPS = {
    "en": {"in": "is {v}", "not_in": "is not {v}", "eq": "is {v}", "gte": "is {v} or above",
           "lte": "is {v} or below", "between": "is between {a} and {b}",
           "m_in": "includes {v}", "m_not_in": "includes none of {v}", "m_eq": "includes {v}",
           "m_gte": "has {v} or more chosen", "m_lte": "has {v} or fewer chosen",
           "m_between": "has {a}–{b} chosen", "or": " / ", "all": " and ", "any": " or ", "not": "not "},
    "zh": {"in": "为{v}", "not_in": "不为{v}", "eq": "为{v}", "gte": "为{v}及以上", "lte": "为{v}及以下",
           "between": "介于{a}与{b}之间", "m_in": "包含{v}", "m_not_in": "不包含{v}中任何一项", "m_eq": "包含{v}",
           "m_gte": "至少选择 {v} 项", "m_lte": "至多选择 {v} 项", "m_between": "选择 {a}–{b} 项",
           "or": "、", "all": "，且", "any": "，或", "not": "并非"},
}


def _fmt_value(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def describe(cond: Condition, labels: Labels, dataset: Dataset | None = None) -> str:
    """A condition in plain words: “Age is 18–25 or 26–30 and Shops online is Almost every day”."""
    words = _OPS[labels.lang]
    if isinstance(cond, AnswerCondition):
        qtype = dataset.question(cond.question).type if dataset is not None and dataset.has(cond.question) else None
        if qtype is None and labels.doc.spec(cond.question) is not None:
            qtype = labels.doc.spec(cond.question).type  # type: ignore[union-attr]
        subject = labels.question(cond.question)
        if cond.row:
            subject += f" · {labels.option(cond.question, cond.row)}"
        vals = [labels.option(cond.question, v) if isinstance(v, str) else _fmt_value(v) for v in cond.values]
        key = ("m_" if qtype == "multi" else "") + cond.op
        text = words[key].format(v=words["or"].join(vals) if cond.op != "not_in" else " / ".join(vals),
                                 a=vals[0], b=vals[-1])
        return f"{subject} {text}" if labels.lang == "en" else f"{subject}{text}"
    if isinstance(cond, NotCondition):
        return words["not"] + "(" + describe(cond.of, labels, dataset) + ")"
    joiner = words["all"] if isinstance(cond, AllCondition) else words["any"]
    parts = [describe(sub, labels, dataset) for sub in cond.of]
    parts = [f"({p})" if isinstance(sub, AllCondition | AnyCondition) else p for p, sub in zip(parts, cond.of,
                                                                                               strict=True)]
    return joiner.join(parts)


# --------------------------------------------------------------------------- one analysis per revision


@dataclass(frozen=True)
class Analysis:
    """Everything the Segments page shows that depends only on the document and the dataset."""

    orders: dict[str, list[str]]
    masks: dict[str, pd.Series]
    errors: dict[str, str]
    measures: pd.DataFrame | None
    rated: dict[str, dict[str, Rating]]
    ge: pd.DataFrame


_ANALYSES: dict[tuple, Analysis] = {}
_ANALYSES_MAX = 16


def analyse(doc: StpDocument, dataset: Dataset | None, survey_doc: SurveyDocument | None = None) -> Analysis:
    """Masks, measures, ratings and GE scores; cached per (dataset, document content, questionnaire)."""
    import hashlib

    key = (id(dataset), dataset.name if dataset is not None else "", dataset.n if dataset is not None else 0,
           hashlib.sha1(doc.model_dump_json(exclude={"revision"}).encode()).hexdigest(),
           survey_doc.revision if survey_doc is not None else -1)
    hit = _ANALYSES.get(key)
    if hit is not None:
        return hit
    if dataset is None:
        rated = ratings(doc, None)
        result = Analysis({}, {}, {}, None, rated, ge_table(doc, rated, None))
    else:
        orders = option_orders(dataset, survey_doc)
        masks, errors = segment_masks(doc, dataset, orders)
        try:
            measures = measure_table(doc, dataset, masks, orders)
        except SegmentError as exc:
            errors["__measures__"] = str(exc)
            measures = None
        rated = ratings(doc, measures)
        result = Analysis(orders, masks, errors, measures, rated, ge_table(doc, rated, measures))
    if len(_ANALYSES) >= _ANALYSES_MAX:
        _ANALYSES.pop(next(iter(_ANALYSES)))
    _ANALYSES[key] = result
    return result


# --------------------------------------------------------------------------- editing helpers


def with_text(old: object, lang: Lang, new: str) -> object:
    """A content field with ``new`` as its ``lang`` text, keeping the other language when there is one."""
    from easymall.models.common import LocalizedText

    new = new.strip()
    if isinstance(old, LocalizedText):
        data = old.model_dump()
        data[lang] = new
        if not (data["en"] or data["zh"]):
            return None
        return LocalizedText(**data)
    return new or None


def new_segment_id(doc: StpDocument, stem: str) -> str:
    """A segment id not used yet: ``stem``, ``stem_2`` ..."""
    ids = {s.id for s in doc.segments}
    if stem not in ids:
        return stem
    n = 2
    while f"{stem}_{n}" in ids:
        n += 1
    return f"{stem}_{n}"


# --------------------------------------------------------------------------- edits (pure: new document out)


class EditError(CodedError, ValueError):
    """An edit that would make the document invalid; the message is one plain sentence (its
    ``code`` names it in the catalogue, ``segments.err.<code>``, for the Chinese UI)."""


def _rebuild(doc: StpDocument, data: dict) -> StpDocument:
    from pydantic import ValidationError

    try:
        return StpDocument.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p)[:1].isupper() and "[" not in str(p))
        msg = err["msg"].removeprefix("Value error, ")
        raise EditError(f"{where}: {msg}" if where else msg) from None


def _data(doc: StpDocument) -> dict:
    return doc.model_dump(mode="json", exclude_none=True)


def _seg(data: dict, sid: str) -> dict:
    for s in data["segments"]:
        if s["id"] == sid:
            return s
    raise EditError(f"segment {sid} no longer exists (someone may have removed it)", code="gone", id=sid)


def _text_data(old: object, lang: Lang, new: str) -> object:
    """``new`` as the ``lang`` text of a field stored as plain str or {en, zh} (plain data in/out)."""
    new = new.strip()
    if isinstance(old, dict):
        out = {"en": old.get("en", ""), "zh": old.get("zh", "")}
        out[lang] = new
        return out if (out["en"] or out["zh"]) else None
    if isinstance(old, str) and old and old != new:
        return {lang: new, ("zh" if lang == "en" else "en"): old} if new else old
    return new or None


def add_cluster_segment(doc: StpDocument, run: ClusterRun, cluster: int, name: dict[str, str] | str,
                        description: dict[str, str] | str | None = None) -> tuple[StpDocument, str]:
    """Save cluster ``cluster`` of ``run`` as a new segment (frozen model; not a target yet)."""
    data = _data(doc)
    sid = new_segment_id(doc, f"cluster_k{run.k}_{cluster + 1}")
    seg: dict = {"id": sid, "name": name, "source": "cluster", "cluster": run.model(cluster).model_dump(mode="json")}
    if description:
        seg["description"] = description
    data["segments"].append(seg)
    return _rebuild(doc, data), sid


def remove_segment(doc: StpDocument, sid: str) -> StpDocument:
    data = _data(doc)
    _seg(data, sid)
    data["segments"] = [s for s in data["segments"] if s["id"] != sid]
    return _rebuild(doc, data)


def rename_segment(doc: StpDocument, sid: str, lang: Lang, name: str) -> StpDocument:
    data = _data(doc)
    seg = _seg(data, sid)
    new = _text_data(seg.get("name"), lang, name)
    if new is None or not name.strip():
        raise EditError("a segment needs a name", code="name")
    seg["name"] = new
    return _rebuild(doc, data)


def set_gates(doc: StpDocument, sid: str, gates: dict[str, tuple[bool | None, str]], lang: Lang) -> StpDocument:
    """Set Kotler's gates of a segment: ``{gate: (passed, note in lang)}``."""
    data = _data(doc)
    seg = _seg(data, sid)
    out = seg.setdefault("gates", {})
    for g, (passed, note) in gates.items():
        if g not in GATES:
            raise EditError(f"unknown gate {g}", code="gate", gate=g)
        entry = out.setdefault(g, {})
        entry["passed"] = passed
        new_note = _text_data(entry.get("note"), lang, note or "")
        if new_note is None:
            entry.pop("note", None)
        else:
            entry["note"] = new_note
    return _rebuild(doc, data)


def set_weights(doc: StpDocument, dimension: str, weights: dict[str, float]) -> StpDocument:
    """New weights of one dimension (``attractiveness`` | ``strength``); they must sum to 1."""
    data = _data(doc)
    for c in data["targeting"][dimension]:
        if c["id"] in weights:
            c["weight"] = round(float(weights[c["id"]]), 4)
    return _rebuild(doc, data)


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 (rounded to 3 decimals, the rounding put on the largest)."""
    total = sum(max(w, 0) for w in weights.values())
    if total <= 0:
        raise EditError("at least one weight must be above 0", code="weights")
    out = {k: round(max(w, 0) / total, 3) for k, w in weights.items()}
    top = max(out, key=out.get)  # type: ignore[arg-type]
    out[top] = round(out[top] + 1 - sum(out.values()), 3)
    return out


def set_ratings(doc: StpDocument, changes: dict[str, dict[str, int | None]]) -> StpDocument:
    """``{segment: {criterion: rating or None}}`` — None removes the override (back to the data)."""
    data = _data(doc)
    for sid, row in changes.items():
        seg = _seg(data, sid)
        r = seg.setdefault("ratings", {})
        for cid, value in row.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                r.pop(cid, None)
            else:
                r[cid] = int(value)
    return _rebuild(doc, data)


def reset_measured(doc: StpDocument) -> StpDocument:
    """Drop every override of a criterion the data measures, so the data's ratings apply again."""
    measured = {c.id for c in doc.targeting.criteria() if c.measure is not None}
    data = _data(doc)
    for seg in data["segments"]:
        seg["ratings"] = {k: v for k, v in seg.get("ratings", {}).items() if k not in measured}
    return _rebuild(doc, data)


def set_targets(doc: StpDocument, targets: Sequence[str]) -> StpDocument:
    data = _data(doc)
    chosen = set(targets)
    for seg in data["segments"]:
        seg["target"] = seg["id"] in chosen
    return _rebuild(doc, data)


def set_statement(doc: StpDocument, sid: str, lang: Lang, parts: dict[str, str]) -> StpDocument:
    """The positioning statement of a segment in ``lang`` (need, frame, benefit, reason)."""
    data = _data(doc)
    seg = _seg(data, sid)
    old = seg.get("statement") or {}
    new = {}
    for key in ("need", "frame", "benefit", "reason"):
        value = _text_data(old.get(key), lang, parts.get(key, ""))
        if value is None or not parts.get(key, "").strip():
            raise EditError(f"the statement needs its “{key}” part", code=f"statement_{key}")
        new[key] = value
    seg["statement"] = new
    return _rebuild(doc, data)


def set_scores(doc: StpDocument, competitors: dict[str, dict[str, float | None]] | None = None,
               ideals: dict[str, dict[str, float | None]] | None = None) -> StpDocument:
    """Competitor scores and segments' ideal points (None removes a score)."""
    data = _data(doc)
    for cid, row in (competitors or {}).items():
        comp = next((c for c in data["positioning"]["competitors"] if c["id"] == cid), None)
        if comp is None:
            raise EditError(f"competitor {cid} no longer exists", code="competitor_gone", id=cid)
        for attr, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                comp.setdefault("scores", {}).pop(attr, None)
            else:
                comp.setdefault("scores", {})[attr] = round(float(v), 2)
    for sid, row in (ideals or {}).items():
        seg = _seg(data, sid)
        for attr, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                seg.setdefault("ideal", {}).pop(attr, None)
            else:
                seg.setdefault("ideal", {})[attr] = round(float(v), 2)
    return _rebuild(doc, data)


# --------------------------------------------------------------------------- tables for the page


def segment_rows(doc: StpDocument, an: Analysis, labels: Labels, dataset: Dataset | None) -> pd.DataFrame:
    """One row per segment: id, name, source, definition in words, n, share of the sample, target."""
    rows = []
    for s in doc.segments:
        if s.source == "rule" and s.rule is not None:
            definition = describe(s.rule, labels, dataset)
        else:
            assert s.cluster is not None
            qs = ", ".join(v.question for v in s.cluster.variables)
            definition = ("cluster {c} of k = {k} on {qs} (seed {seed})" if labels.lang == "en"
                          else "基于 {qs} 的 k = {k} 聚类中的第 {c} 类（种子 {seed}）").format(
                c=s.cluster.cluster + 1, k=s.cluster.k, qs=qs, seed=s.cluster.seed)
        n = share = float("nan")
        if an.measures is not None and s.id in an.measures.index:
            n, share = float(an.measures.at[s.id, "n"]), float(an.measures.at[s.id, "size"])
        rows.append({"id": s.id, "name": text_in(s.name, labels.lang), "source": s.source, "definition": definition,
                     "description": text_in(s.description, labels.lang), "n": n, "share": share, "target": s.target})
    return pd.DataFrame(rows, columns=["id", "name", "source", "definition", "description", "n", "share", "target"])


def answer_rows(table: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A profile table with readable answer labels (``answer``) for display."""
    out = table.copy()
    out["answer"] = [labels.answer(q, p) for q, p in zip(out["question"], out["part"], strict=True)]
    out["label"] = out["answer"]
    return out


def formatted(table: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """A comparison table as text: shares in %, means to 2 decimals, NPS signed, counts with separators."""
    def fmt(kind: str, v: float) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "—"
        if kind == "share":
            return f"{v:.0%}"
        if kind == "nps":
            return f"{v:+.0f}"
        if kind == "count":
            return f"{v:,.0f}"
        return f"{v:,.2f}"

    out = pd.DataFrame({"question": table["question"], "answer": table["answer"]})
    for g in groups:
        out[g] = [fmt(k, float(v)) for k, v in zip(table["kind"], table[g], strict=True)]
    return out


def rating_frames(doc: StpDocument, an: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(effective ratings: segments × criteria, nullable ints) and (what the data says, as text
    “rating (value)” per measured criterion)."""
    crits = doc.targeting.criteria()
    eff = pd.DataFrame(index=[s.id for s in doc.segments], columns=[c.id for c in crits], dtype="Int64")
    data = pd.DataFrame(index=[s.id for s in doc.segments], columns=[c.id for c in crits if c.measure], dtype=object)
    for s in doc.segments:
        for c in crits:
            r = an.rated.get(s.id, {}).get(c.id)
            eff.at[s.id, c.id] = r.value if r is not None and r.value is not None else pd.NA
            if c.measure:
                value = float("nan")
                if an.measures is not None and s.id in an.measures.index:
                    value = float(an.measures.at[s.id, c.measure])
                shown = "—" if math.isnan(value) else f"{value:.0%}"
                data.at[s.id, c.id] = f"{r.data} ({shown})" if r is not None and r.data is not None else shown
    return eff, data


def item_rows(item: dict, lang: Lang) -> list[tuple[str, str]]:
    """An STP list item (segment, criterion, competitor ...) as (field, value) rows for the conflict
    view: a segment shows what people edit (name, target, ratings, gates, statement), not its model."""
    from easymall.store.merge import show_value

    if "source" not in item:
        return [(k, show_value(v, lang, 300)) for k, v in item.items() if k != "id"]
    rows = [("name", show_value(item.get("name"), lang, 120)), ("target", show_value(item.get("target", False), lang))]
    if item.get("ratings"):
        rows.append(("ratings", ", ".join(f"{k} {v}" for k, v in item["ratings"].items())))
    gates = item.get("gates") or {}
    marks = {True: "✓", False: "✗", None: "–"}
    if gates:
        rows.append(("gates", ", ".join(f"{g} {marks[(gates.get(g) or {}).get('passed')]}" for g in GATES)))
    for part in ("need", "frame", "benefit", "reason"):
        if item.get("statement"):
            rows.append((part, show_value(item["statement"].get(part), lang, 200)))
    if item.get("ideal"):
        rows.append(("ideal", ", ".join(f"{k} {v:g}" for k, v in item["ideal"].items())))
    if item.get("source") == "cluster" and item.get("cluster"):
        c = item["cluster"]
        rows.append(("cluster", f"{c.get('cluster', 0) + 1} / k = {c.get('k')}"))
    return rows


# --------------------------------------------------------------------------- rule builder


@dataclass(frozen=True)
class RulePart:
    """One line of the rule builder: a question, ``in``/``not_in`` options or a numeric ``between``."""

    question: str
    op: str  # "in" | "not_in" | "between"
    values: tuple = ()


def build_rule(parts: Sequence[RulePart], combine: str = "all") -> Condition:
    """A structured condition from builder lines (``combine``: ``all`` or ``any``); raises EditError."""
    from pydantic import TypeAdapter, ValidationError

    leaves = []
    for p in parts:
        if not p.values:
            raise EditError(f"{p.question}: choose at least one answer", code="answers", question=p.question)
        leaves.append({"type": "answer", "question": p.question, "op": p.op, "values": list(p.values)})
    if not leaves:
        raise EditError("add at least one condition", code="conditions")
    data = leaves[0] if len(leaves) == 1 else {"type": combine, "of": leaves}
    try:
        return TypeAdapter(Condition).validate_python(data)
    except ValidationError as exc:
        raise EditError(exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")) from None


def add_rule_segment(doc: StpDocument, name: dict[str, str] | str, rule: Condition) -> tuple[StpDocument, str]:
    """A new rule segment (not a target yet); its id comes from the English (or only) name."""
    import re

    base = (name.get("en") or name.get("zh") or "") if isinstance(name, dict) else name
    stem = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")[:40]
    stem = stem if stem[:1].isalpha() else f"segment_{stem}".strip("_")
    sid = new_segment_id(doc, stem or "segment")
    if not (name if isinstance(name, str) else any(name.values())):
        raise EditError("a segment needs a name", code="name")
    data = _data(doc)
    data["segments"].append({"id": sid, "name": name, "source": "rule",
                             "rule": rule.model_dump(mode="json", exclude_none=True)})
    return _rebuild(doc, data), sid


def builder_questions(dataset: Dataset) -> list[Question]:
    """Questions the rule builder offers: single and multiple choice, scales and numbers."""
    return [q for q in dataset.questions if q.type in ("single", "multi", "scale", "numeric")]


def value_range(dataset: Dataset, qid: str) -> tuple[float, float]:
    """The answered range of a scale or numeric question (for a slider)."""
    col = pd.to_numeric(dataset.frame[qid], errors="coerce")
    if not col.notna().any():
        return 0.0, 0.0
    return float(col.min()), float(col.max())

"""k-means over the encoded answers (scikit-learn, seeded, ``n_init`` restarts, clusters renumbered by
size so a run is reproducible), k from the silhouette curve, the frozen model of a saved cluster, and
every segment's members (its rule, or the nearest centroid of its cluster model).

The silhouette is measured on a seeded sample of at most :data:`SILHOUETTE_SAMPLE` respondents; on
more than :data:`SWEEP_SAMPLE` respondents the k sweep runs on a seeded sample of that size and the
chosen k is refitted on all. This is the FAMD-style alternative to k-prototypes: one distance for all
variables, no extra dependency.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from easymall.models.stp import ClusterModel, EncodedVariable, Segment, StpDocument
from easymall.stp.encoding import apply_encoding, encode
from easymall.stp.rules import SegmentError, evaluate, option_orders
from easymall.survey import Dataset

#: Below this mean silhouette the clusters are a weak structure (Kaufman & Rousseeuw: < 0.25 means
#: no substantial structure); the page says so and points to the rule segments.
WEAK_SILHOUETTE = 0.25
SILHOUETTE_SAMPLE = 4000
SWEEP_SAMPLE = 20_000
N_INIT = 3

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)`` — ``what`` is ``"k=<k>"`` or ``"fit"``."""


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
    def weak(self) -> bool:
        """True when the chosen k's silhouette is below :data:`WEAK_SILHOUETTE` (or not measured)."""
        value = self.silhouette.get(self.k, float("nan"))
        return not value >= WEAK_SILHOUETTE

    @property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.k)

    def model(self, cluster: int) -> ClusterModel:
        """The frozen model that makes cluster ``cluster`` a stored segment."""
        return ClusterModel(dataset=self.dataset[:200], k=self.k, seed=self.seed, cluster=cluster,
                            variables=self.variables,
                            centroids=[[round(float(x), 6) for x in row] for row in self.centroids])


def _kmeans(x: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
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
    """Mean silhouette (scikit-learn), on a ``seed``-ed sample of :data:`SILHOUETTE_SAMPLE` respondents
    when there are more; NaN when the labels (or the sample's) form fewer than two clusters."""
    if len(np.unique(labels)) < 2:
        return float("nan")
    sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
    try:
        with threadpool_limits(limits=1):
            return float(silhouette_score(x, labels, sample_size=sample, random_state=seed))
    except ValueError:  # the sample holds a single cluster
        return float("nan")


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
        raise SegmentError(f"{n} respondents are too few to form {k or lo} clusters", code="too_few", n=n, k=k or lo)
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
        raise SegmentError(f"segment {segment.id}: {exc}", code=exc.code, **exc.params, segment=segment.id) from None


def segment_masks(doc: StpDocument, dataset: Dataset, orders: dict[str, list[str]] | None = None
                  ) -> tuple[dict[str, pd.Series], dict[str, SegmentError]]:
    """Members of every segment, and a message for each segment that cannot be evaluated."""
    orders = orders if orders is not None else option_orders(dataset)
    masks: dict[str, pd.Series] = {}
    errors: dict[str, SegmentError] = {}
    for seg in doc.segments:
        try:
            masks[seg.id] = members(seg, dataset, orders)
        except SegmentError as exc:
            errors[seg.id] = exc
    return masks, errors


"""Clustering reproducibility, the k sweep on big data and stored cluster models."""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.models.stp import ClusterModel
from easymall.stp import clustering
from easymall.stp.clustering import assign, run_clustering
from tests.segments_data import make_dataset

ORDINAL = ["Q2", "Q4", "Q6", "Q8"]
#: the sample stp.yaml default variables (no satisfaction ratings, which only users answer)
CL_VARS = ["Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q17"]


def test_clustering_is_reproducible_and_finds_the_planted_groups(ds) -> None:
    seen = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append((done, total, what))

    a = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=2017, k_range=(2, 6), progress=progress)
    b = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=2017, k_range=(2, 6))
    assert a.k == b.k == 3
    assert np.array_equal(a.labels, b.labels) and np.allclose(a.centroids, b.centroids)
    assert a.silhouette == b.silhouette and set(a.silhouette) == {2, 3, 4, 5, 6}
    assert max(a.silhouette, key=a.silhouette.get) == 3
    assert seen[0] == (0, 5, "k=2") and seen[-1] == (5, 5, "fit")
    # cluster 0 is the largest; each cluster is one planted group
    assert list(a.sizes) == sorted(a.sizes, reverse=True)
    purity = pd.crosstab(a.labels, ds.frame["_group"].to_numpy()).max(axis=1).sum() / len(a.labels)
    assert purity > 0.95
    fixed = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=2017, k=4)
    assert fixed.k == 4 and set(fixed.silhouette) == {4}


def test_saved_cluster_model_round_trips_and_assigns(ds) -> None:
    run = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=1, k=3)
    model = ClusterModel.model_validate(run.model(1).model_dump())
    assert model.cluster == 1 and len(model.centroids) == 3
    assert np.array_equal(assign(model, ds), run.labels)
    other = make_dataset(400, seed=99)
    labels = assign(model, other)
    purity = pd.crosstab(labels, other.frame["_group"].to_numpy()).max(axis=1).sum() / len(labels)
    assert purity > 0.9


def test_big_data_sweeps_k_on_a_sample_and_refits_on_all(ds, monkeypatch) -> None:
    monkeypatch.setattr(clustering, "SWEEP_SAMPLE", 600)
    a = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k_range=(2, 5))
    b = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k_range=(2, 5))
    assert len(a.labels) == len(ds.frame) and np.array_equal(a.labels, b.labels)
    assert a.k == 3 and set(a.silhouette) == {2, 3, 4, 5}
    full = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k=3)
    agreement = pd.crosstab(a.labels, full.labels).max(axis=1).sum() / len(a.labels)
    assert agreement > 0.95

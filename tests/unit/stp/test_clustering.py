"""Encoding, clustering reproducibility, stored cluster models and profiles."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from easymall.models.stp import ClusterModel
from easymall.stp.segments import (
    Labels,
    SegmentError,
    apply_encoding,
    assign,
    distinguishing,
    encode,
    indicators,
    profiles,
    run_clustering,
    segment_profile,
    suggest_name,
)
from tests.segments_data import make_dataset

VARS = ["Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q12", "Q14", "Q17"]
ORDINAL = ["Q2", "Q4", "Q6", "Q8"]
#: the sample stp.yaml default variables (no satisfaction ratings, which only users answer)
CL_VARS = ["Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q17"]


@pytest.fixture(scope="module")
def ds():
    return make_dataset(1500, seed=3)


def test_encoding_columns_scaling_and_imputation(ds) -> None:
    enc = encode(ds, VARS, ordinal=ORDINAL)
    kinds = {v.question: v.kind for v in enc.variables}
    assert kinds == {"Q2": "ordinal", "Q3": "nominal", "Q4": "ordinal", "Q5": "nominal", "Q6": "ordinal",
                     "Q7": "multi", "Q8": "ordinal", "Q10": "multi", "Q12": "matrix", "Q14": "log", "Q17": "multi"}
    assert enc.width == 1 + 7 + 1 + 2 + 1 + 8 + 1 + 6 + 7 + 1 + 7
    assert not np.isnan(enc.matrix).any()
    assert np.allclose(enc.matrix.mean(axis=0), 0, atol=1e-9)
    # each question's block carries total variance 1, so a 7-row matrix weighs as much as gender would
    start = 0
    for v in enc.variables:
        block = enc.matrix[:, start:start + v.width()]
        assert block.var(axis=0).sum() == pytest.approx(1.0, rel=1e-6)
        start += v.width()
    # skipped answers sit at the centre: people who never used Easy Mall have 0 on every Q12 column
    q12 = next(i for i, v in enumerate(enc.variables) if v.question == "Q12")
    offset = sum(v.width() for v in enc.variables[:q12])
    skipped = ds.frame["Q12::价格"].isna().to_numpy()
    assert skipped.any()
    assert np.allclose(enc.matrix[skipped, offset:offset + 7], 0)
    # the stored encoding reproduces the matrix
    assert np.allclose(apply_encoding(ds, enc.variables), enc.matrix)


def test_ordinal_follows_option_order(ds) -> None:
    enc = encode(ds, ["Q4"], ordinal=["Q4"])
    low = ds.frame["Q4"] == "3000元以下"
    high = ds.frame["Q4"] == "15000元以上"
    assert enc.matrix[low.to_numpy(), 0].max() < enc.matrix[high.to_numpy(), 0].min()


def test_text_questions_cannot_be_clustered() -> None:
    ds = make_dataset(50)
    from easymall.survey.dataset import Dataset, Question
    frame = ds.frame.assign(Q18=["很好"] * 50)
    ds2 = Dataset([*ds.questions, Question("Q18", "意见", "text", columns=["Q18"])], frame, "t")
    with pytest.raises(SegmentError, match="free-text"):
        encode(ds2, ["Q18"])
    with pytest.raises(SegmentError, match="at least one question"):
        encode(ds2, [])


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


def test_profiles_lift_significance_and_names(ds) -> None:
    run = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=2017, k=3)
    ind = indicators(ds, CL_VARS)
    profs = profiles(ind, run.labels, run.k)
    assert [p.n for p in profs] == list(run.sizes)
    assert sum(p.share for p in profs) == pytest.approx(1.0)
    group = ds.frame["_group"].to_numpy()
    for p in profs:
        planted = pd.Series(group[run.labels == p.index]).mode()[0]
        top = distinguishing(p)
        assert top["significant"].all() and (top["p"] < 0.05).all()
        if planted == "card":
            row = p.table[(p.table["question"] == "Q10") & (p.table["part"] == "信用卡分期/积分抵现")].iloc[0]
            assert row["lift"] > 1.5 and row["significant"]
            expected = row["value"] / np.nanmean(ind.values[:, ind.qids.index("Q10")
                                                            + ind.parts[ind.qids.index("Q10"):].index("信用卡分期/积分抵现")])
            assert row["lift"] == pytest.approx(expected)
        name = suggest_name(p, Labels(ds, None, "en"), Labels(ds, None, "zh"))
        assert name["en"] and name["zh"] and not name["en"].startswith("Cluster")


def test_no_difference_is_not_significant() -> None:
    ds = make_dataset(800, seed=5)
    rng = np.random.default_rng(0)
    random_split = rng.integers(0, 2, len(ds.frame)).astype(bool)
    prof = segment_profile(ds, pd.Series(random_split, index=ds.frame.index), ["Q1", "Q3", "Q7", "Q12"])
    assert prof.table["significant"].sum() == 0


def test_big_data_sweeps_k_on_a_sample_and_refits_on_all(ds, monkeypatch) -> None:
    import easymall.stp.segments as sg

    monkeypatch.setattr(sg, "SWEEP_SAMPLE", 600)
    a = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k_range=(2, 5))
    b = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k_range=(2, 5))
    assert len(a.labels) == len(ds.frame) and np.array_equal(a.labels, b.labels)
    assert a.k == 3 and set(a.silhouette) == {2, 3, 4, 5}
    full = run_clustering(ds, CL_VARS, ordinal=ORDINAL, seed=5, k=3)
    agreement = pd.crosstab(a.labels, full.labels).max(axis=1).sum() / len(a.labels)
    assert agreement > 0.95

"""Profiles (lift, Bonferroni-corrected tests, suggested names) and the explorer's comparison tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from easymall.stp.clustering import run_clustering, segment_masks
from easymall.stp.profiles import (
    compare,
    distinguishing,
    indicators,
    nps,
    profiles,
    segment_profile,
    suggest_name,
)
from easymall.stp.rules import Labels
from easymall.stp.view import formatted, split_questions
from tests.segments_data import make_dataset

ORDINAL = ["Q2", "Q4", "Q6", "Q8"]
CL_VARS = ["Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q17"]


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


def test_comparison_tables_respect_the_filter_and_compute_nps(docs) -> None:
    d = docs["stp"]
    ds = make_dataset(1200, seed=12)
    masks, _ = segment_masks(d, ds)
    women = (ds.frame["Q1"] == "女").to_numpy()
    tables = dict(compare(d, ds, masks, ["young_digital", "branch_seniors"], Labels(ds, None, "en"),
                          filter_mask=women))
    assert list(tables)[0] == "Targeting measures"
    who = tables["Who they are"]
    young = masks["young_digital"].to_numpy() & women
    assert who.iloc[0]["young_digital"] == young.sum() and who.iloc[0]["__all__"] == women.sum()
    row = who[(who["answer"] == "学生")].iloc[0]
    assert row["young_digital"] == pytest.approx((ds.frame["Q3"][young] == "学生").mean())
    q16 = ds.frame["Q16"].to_numpy()
    seniors = masks["branch_seniors"].to_numpy() & women
    assert tables["Net Promoter Score"].iloc[1]["branch_seniors"] == pytest.approx(nps(q16[seniors]))
    assert nps(np.array([10.0, 9, 8, 3, np.nan])) == pytest.approx(25.0)
    growth = tables["Targeting measures"]
    heavy = ds.frame["Q6"].isin(["几乎每天", "每周数次"]).to_numpy()
    assert growth.iloc[1]["__all__"] == pytest.approx(heavy[women].mean())
    text = formatted(who, ["young_digital", "__all__"])
    assert text.iloc[0]["young_digital"] == f"{young.sum():,}" and text.iloc[1]["__all__"].endswith("%")
    parts = split_questions(who)
    assert [q for q, _ in parts] == ["Q1", "Q2", "Q3", "Q4", "Q5"]

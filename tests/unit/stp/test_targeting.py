"""GE–McKinsey scoring, the STP model's hard rules and soft diagnostics, positioning maps."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from easymall.core import yamlio
from easymall.models.stp import StpDocument, diagnostics
from easymall.store import DocumentError, parse_document
from easymall.stp.segments import (
    easy_mall_scores,
    ge_table,
    level,
    map_points,
    measure_table,
    pca_map,
    rating_from,
    ratings,
    segment_masks,
    zone,
)
from tests.conftest import ROOT
from tests.segments_data import make_dataset

RAW = yamlio.parse((ROOT / "config" / "stp.yaml").read_bytes())[0]


def doc(**changes) -> StpDocument:
    data = copy.deepcopy(RAW)
    for k, v in changes.items():
        data[k] = v
    return StpDocument.model_validate(data)


def test_sample_document_is_bilingual_and_set_up_for_targeting() -> None:
    d = doc()
    for s in d.segments:
        assert s.name.en and s.name.zh
        assert s.source == "rule"
    assert {c.id for c in d.positioning.competitors} >= {"tmall", "jd", "pinduoduo", "suning", "others"}
    assert all(s.statement is not None for s in d.targets())
    assert diagnostics(d) == []


def test_weights_must_sum_to_one_per_dimension() -> None:
    data = copy.deepcopy(RAW)
    data["targeting"]["strength"][0]["weight"] = 0.5
    with pytest.raises(ValueError, match="strength weights must sum to 1, they sum to 1.200"):
        StpDocument.model_validate(data)


def test_hard_rules_name_the_line() -> None:
    text = (ROOT / "config" / "stp.yaml").read_text("utf-8").replace(
        "ratings: {competition: 4, fit: 5, offer: 5}", "ratings: {competition: 4, fit: 7, offer: 5}")
    with pytest.raises(DocumentError) as err:
        parse_document("stp", text)
    p = err.value.first
    assert p.message == "Input should be less than or equal to 5" and p.path == "segments.0.ratings.fit"
    assert text.splitlines()[p.line - 1] == "    ratings: {competition: 4, fit: 7, offer: 5}"


def test_rating_thresholds_levels_and_zones() -> None:
    assert rating_from(0.04, [0.05, 0.1, 0.18, 0.28]) == 1
    assert rating_from(0.10, [0.05, 0.1, 0.18, 0.28]) == 3
    assert rating_from(0.5, [0.05, 0.1, 0.18, 0.28]) == 5
    assert rating_from(float("nan"), [0.05, 0.1, 0.18, 0.28]) is None
    assert [level(x) for x in (1.0, 2.3, 2.4, 3.6, 3.7, 5.0)] == [0, 0, 1, 1, 2, 2]
    assert zone(4.5, 4.5) == zone(4.0, 3.0) == zone(3.0, 4.0) == "invest"
    assert zone(4.5, 1.5) == zone(3.0, 3.0) == zone(1.5, 4.5) == "selective"
    assert zone(3.0, 2.0) == zone(1.2, 1.2) == zone(2.0, 3.0) == "harvest"


def test_ge_scores_from_data_and_overrides() -> None:
    d = doc()
    ds = make_dataset(2000, seed=4)
    masks, errors = segment_masks(d, ds)
    assert errors == {}
    mt = measure_table(d, ds, masks)
    young = masks["young_digital"].to_numpy()
    assert mt.at["young_digital", "n"] == young.sum()
    assert mt.at["young_digital", "size"] == pytest.approx(young.mean())
    heavy = ds.frame["Q6"].isin(["几乎每天", "每周数次"]).to_numpy()
    assert mt.at["young_digital", "growth"] == pytest.approx(heavy[young].mean())
    buyers = ds.frame["Q13"].isin(["1次", "2-3次", "4-6次", "7次及以上"]).to_numpy()
    repeat = ds.frame["Q13"].isin(["2-3次", "4-6次", "7次及以上"]).to_numpy()
    card = masks["credit_points"].to_numpy()
    assert mt.at["credit_points", "repurchase"] == pytest.approx(repeat[card & buyers].sum() / (card & buyers).sum())
    rated = ratings(d, mt)
    r = rated["credit_points"]
    assert r["competition"].source == "override" and r["competition"].value == 4
    assert r["size"].source == "data" and r["size"].value == rating_from(mt.at["credit_points", "size"],
                                                                         [0.05, 0.10, 0.18, 0.28])
    ge = ge_table(d, rated, mt).set_index("segment")
    expected_a = sum(c.weight * r[c.id].value for c in d.targeting.attractiveness)
    expected_s = sum(c.weight * r[c.id].value for c in d.targeting.strength)
    assert ge.at["credit_points", "attractiveness"] == pytest.approx(expected_a, abs=1e-4)
    assert ge.at["credit_points", "strength"] == pytest.approx(expected_s, abs=1e-4)
    assert ge.at["credit_points", "zone"] == zone(expected_a, expected_s)
    assert ge.at["credit_points", "missing"] == []
    # an override wins over the data and shows as such
    data = copy.deepcopy(RAW)
    data["segments"][0]["ratings"]["size"] = 1
    rated2 = ratings(StpDocument.model_validate(data), mt)
    assert rated2["credit_points"]["size"] == type(r["size"])(1, "override", r["size"].value)


def test_missing_judgement_counts_neutral_and_is_listed() -> None:
    data = copy.deepcopy(RAW)
    data["segments"][0]["ratings"] = {}
    d = StpDocument.model_validate(data)
    ge = ge_table(d, ratings(d, None), None).set_index("segment")
    assert set(ge.at["credit_points", "missing"]) == {c.id for c in d.targeting.criteria()}
    assert ge.at["credit_points", "attractiveness"] == pytest.approx(3.0)
    assert np.isnan(ge.at["credit_points", "n"])


def test_diagnostics_flag_targets_without_statement_or_failing_a_gate() -> None:
    data = copy.deepcopy(RAW)
    young = next(s for s in data["segments"] if s["id"] == "young_digital")
    young["target"] = True
    codes = diagnostics(StpDocument.model_validate(data))
    assert ("target_failed_gate", "young_digital") in codes
    assert ("target_without_statement", "young_digital") in codes


def test_perceptual_points_and_pca() -> None:
    d = doc()
    ds = make_dataset(1500, seed=8)
    em = easy_mall_scores(d, ds)
    assert em["quality"][1] == "survey"
    assert em["quality"][0] == pytest.approx(ds.frame["Q12::商品品质"].mean())
    assert em["finance"] == (4.6, "config")
    pts = map_points(d, ds, "price", "quality", "zh").set_index("id")
    assert pts.at["tmall", "label"] == "天猫" and pts.at["tmall", "x"] == 3.8
    assert pts.at["easy_mall", "label"] == "融e购"
    assert set(pts.index[pts["kind"] == "ideal"]) == {s.id for s in d.targets()}
    pca = pca_map(d, ds, "en")
    assert pca is not None and len(pca.loadings) == 7
    assert 0 < pca.explained[1] <= pca.explained[0] < 1
    p = pca.points.set_index("id")
    assert p.at["easy_mall", "x"] == pytest.approx(0, abs=1e-9)  # the respondents' mean is the origin
    # a platform better on every attribute lies further along the first component
    assert p.at["jd", "x"] > p.at["pinduoduo", "x"]
    assert pca_map(d, None, "en") is None


def test_sizes_are_counts_over_the_dataset() -> None:
    d = doc()
    ds = make_dataset(300, seed=1)
    masks = {"a": pd.Series(np.arange(300) < 30, index=ds.frame.index)}
    mt = measure_table(d, ds, masks)
    assert mt.at["a", "n"] == 30 and mt.at["a", "size"] == pytest.approx(0.1)


def test_comparison_tables_respect_the_filter_and_compute_nps() -> None:
    from easymall.stp.segments import Labels, compare, formatted, nps, split_questions

    d = doc()
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


def test_map_shows_easy_mall_as_each_target_sees_it() -> None:
    d = doc()
    ds = make_dataset(1500, seed=8)
    masks, _ = segment_masks(d, ds)
    pts = map_points(d, ds, "price", "quality", "en", masks=masks).set_index("id")
    card = masks["credit_points"].to_numpy()
    assert pts.at["seen:credit_points", "kind"] == "seen"
    assert pts.at["seen:credit_points", "x"] == pytest.approx(ds.frame["Q12::价格"][card].mean())
    assert {i for i in pts.index if i.startswith("seen:")} == {f"seen:{s.id}" for s in d.targets()}
    # a team-estimated attribute has no per-segment view
    assert not any(i.startswith("seen:") for i in map_points(d, ds, "finance", "quality", "en", masks=masks)["id"])

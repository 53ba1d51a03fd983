"""GE–McKinsey scoring and the STP model's hard rules and soft diagnostics."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from easymall.core import yamlio
from easymall.models.stp import StpDocument, diagnostics
from easymall.store import DocumentError, parse_document
from easymall.stp.clustering import segment_masks
from easymall.stp.targeting import ge_table, level, measure_table, rating_from, ratings, zone
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


def test_sizes_are_counts_over_the_dataset() -> None:
    d = doc()
    ds = make_dataset(300, seed=1)
    masks = {"a": pd.Series(np.arange(300) < 30, index=ds.frame.index)}
    mt = measure_table(d, ds, masks)
    assert mt.at["a", "n"] == 30 and mt.at["a", "size"] == pytest.approx(0.1)

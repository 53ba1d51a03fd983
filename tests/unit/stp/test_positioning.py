"""Positioning: Easy Mall's scores, the two-attribute perceptual map and its PCA."""
from __future__ import annotations

import pytest

from easymall.stp.clustering import segment_masks
from easymall.stp.positioning import easy_mall_scores, map_points, pca_map
from tests.segments_data import make_dataset


def test_perceptual_points_and_pca(docs) -> None:
    d = docs["stp"]
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


def test_map_shows_easy_mall_as_each_target_sees_it(docs) -> None:
    d = docs["stp"]
    ds = make_dataset(1500, seed=8)
    masks, _ = segment_masks(d, ds)
    pts = map_points(d, ds, "price", "quality", "en", masks=masks).set_index("id")
    card = masks["credit_points"].to_numpy()
    assert pts.at["seen:credit_points", "kind"] == "seen"
    assert pts.at["seen:credit_points", "x"] == pytest.approx(ds.frame["Q12::价格"][card].mean())
    assert {i for i in pts.index if i.startswith("seen:")} == {f"seen:{s.id}" for s in d.targets()}
    # a team-estimated attribute has no per-segment view
    assert not any(i.startswith("seen:") for i in map_points(d, ds, "finance", "quality", "en", masks=masks)["id"])

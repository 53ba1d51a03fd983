"""Positioning: Easy Mall's scores from the survey, competitor scores from ``stp.yaml``, the
two-attribute perceptual map and a PCA of the satisfaction ratings onto which platforms and ideal
points are projected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.core.text import Lang, text_in
from easymall.models.stp import StpDocument
from easymall.survey import SEP, Dataset

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


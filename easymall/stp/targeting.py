"""Targeting (GE–McKinsey): measures (segment size, growth proxy, repurchase ...) from the data,
ratings 1–5 from thresholds, attractiveness / strength scores and the nine-box zone.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from easymall.models.stp import StpDocument
from easymall.stp.rules import evaluate, option_orders
from easymall.survey import Dataset

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


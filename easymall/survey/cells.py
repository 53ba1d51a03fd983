"""Cells → clean values, once per distinct value: the helpers every question builder of
:mod:`easymall.survey.ingest` shares (factorize a column, spread values back, read numbers, order
option labels)."""
from __future__ import annotations

import datetime as _dt
import math
import re

import numpy as np
import pandas as pd

_SCORE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*分?\s*$")
_LEADING_NUM = re.compile(r"(\d+(?:\.\d+)?)")


def _cell_str(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def _factor(col: pd.Series, skip: set[str]) -> tuple[np.ndarray, list[str | None]]:
    """Codes into the list of distinct cleaned strings (None for empty or a skip marker)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    codes = np.asarray(codes)
    out: list[str | None] = []
    for u in uniques:
        s = _cell_str(u)
        out.append(None if s is None or s in skip else s)
    return codes, out


def _take(codes: np.ndarray, values: list, dtype: object = object, fill: object = None) -> np.ndarray:
    """values[code] per row; code −1 (empty) gives ``fill``."""
    arr = np.empty(len(values) + 1, dtype=dtype)
    for i, v in enumerate(values):
        arr[i] = fill if v is None else v
    arr[-1] = fill
    return arr[codes]


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    m = _SCORE.match(s)
    if m:
        return float(m.group(1))
    t = s.replace(",", "").replace("，", "").replace("元", "").replace("¥", "").replace("￥", "").strip()
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def option_sort_key(label: str) -> tuple[float, float]:
    """Order labels such as 18岁以下 < 18-25岁 < ... < 60岁以上 and 0次 < 1次 < 2-3次 < 7次及以上."""
    m = _LEADING_NUM.search(label)
    if not m:
        return (math.inf, 0.0)
    x = float(m.group(1))
    tweak = -0.5 if any(w in label for w in ("以下", "以内", "不到", "少于", "under", "below", "<")) else (
        0.5 if any(w in label for w in ("以上", "及以上", "或以上", "more", "over", "+", ">")) else 0.0)
    return (x, tweak)


def order_options(labels: list[str]) -> list[str]:
    """Numeric-looking labels in numeric order; others in order of first appearance."""
    if labels and all(_LEADING_NUM.search(lb) for lb in labels):
        return sorted(labels, key=option_sort_key)
    return list(labels)

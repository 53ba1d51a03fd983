"""A :class:`~easymall.survey.platforms.base.Prepared` export → questions and metadata columns.

Metadata keys every platform shares: ``_id``, ``_started``, ``_ended``, ``_submitted``,
``_duration_s``, ``_ip``, ``_status``, ``_finished``, ``_progress`` … (see :data:`META_LABELS`);
a duration missing from the export is the time between start and end.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.survey.builders import (
    GENERIC_SKIP,
    _Builder,
    _generic_id,
    _multi_from_text,
    _numbers,
    _parse_meta,
    _report_bad,
    _scale_points,
    _single_from_text,
    infer_column,
    multi_columns,
)
from easymall.survey.cells import _factor, _take, order_options
from easymall.survey.dataset import SEP, Question
from easymall.survey.platforms.base import Group, Prepared, dates, numbers

#: Metadata keys and what they hold (the Survey page lists the ones found).
META_LABELS = {
    "_id": "respondent id", "_started": "start time", "_ended": "end time", "_submitted": "submit time",
    "_duration_s": "duration", "_ip": "IP address", "_province": "province", "_city": "city",
    "_country": "country", "_status": "response type", "_finished": "finished", "_progress": "progress",
    "_email": "e-mail", "_name": "name", "_lat": "latitude", "_lon": "longitude", "_language": "language",
    "_channel": "channel", "_collector": "collector", "_custom": "custom data", "_user": "user",
    "_user_type": "user type", "_nickname": "nickname", "_score": "score", "_source": "source",
    "_derived": "derived value", "_recorded": "recorded time", "_external": "external reference",
    "_phone": "phone", "_address": "address", "_company": "company", "_postal": "postal code",
}
_DATES = ("_started", "_ended", "_submitted", "_recorded")
_NUMBERS = ("_progress", "_lat", "_lon")
_FALSE = {"0", "0.0", "false", "no", "unchecked", "否", "未完成"}
_TRUE = {"1", "1.0", "true", "yes", "checked", "是", "完成"}
#: Qualtrics' numeric response types (``Status``)
QUALTRICS_STATUS = {"0": "IP Address", "1": "Survey Preview", "2": "Survey Test", "4": "Imported", "8": "Spam",
                    "9": "Survey Preview Spam", "12": "Imported Spam", "16": "Offline", "17": "Offline Survey Preview"}


def _strings(col: pd.Series) -> np.ndarray:
    codes, uniq = _factor(col, GENERIC_SKIP)
    return _take(codes, uniq)


def parse_meta(prep: Prepared) -> tuple[dict[str, np.ndarray], list[dict[str, str]]]:
    """Metadata columns by key, and what was found (column title → key) for the report."""
    out: dict[str, np.ndarray] = {}
    found: list[dict[str, str]] = []
    for pos, key in prep.meta.items():
        col = prep.body[pos]
        title = prep.header[pos]
        name = key if key not in out else f"{key}{SEP}{title}"
        found.append({"column": title, "key": key})
        if key in _DATES:
            out[name] = dates(col)
        elif key in _NUMBERS:
            out[name] = numbers(col)
        elif key == "_finished":
            s = pd.Series(_strings(col)).str.lower()
            out[name] = np.where(s.isin(_TRUE), 1.0, np.where(s.isin(_FALSE), 0.0, np.nan))
        elif key == "_status":
            s = pd.Series(_strings(col), dtype=object)
            out[name] = s.map(lambda v: QUALTRICS_STATUS.get(v, v) if isinstance(v, str) else v).to_numpy(object)
        elif key in ("_id", "_ip", "_duration_s", "_score") and name == key:
            _parse_meta(key, col, GENERIC_SKIP, out)
        else:
            out[name] = _strings(col)
    if "_duration_s" not in out and "_started" in out and ("_ended" in out or "_submitted" in out):
        end = out.get("_ended", out.get("_submitted"))
        secs = (pd.to_datetime(pd.Series(end)) - pd.to_datetime(pd.Series(out["_started"]))).dt.total_seconds()
        if secs.notna().any():
            out["_duration_s"] = secs.to_numpy(float)
    return out, found


def _column(prep: Prepared, pos: int) -> pd.Series:
    """A column's cells, value labels applied (SPSS)."""
    col = prep.body[pos]
    labels = prep.value_labels.get(pos)
    if not labels:
        return col

    def label(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v):
            return None
        hit = labels.get(v)
        if hit is None and isinstance(v, float) and v.is_integer():
            hit = labels.get(int(v))
        return hit if hit is not None else v

    return col.map(label)


def _numeric_block(prep: Prepared, g: Group, b: _Builder, title: str) -> dict[str, np.ndarray] | None:
    """One float column per label, or None when most values are not numbers (nor Likert words)."""
    cols: dict[str, np.ndarray] = {}
    for pos, lab in zip(g.columns, g.labels, strict=True):
        codes, uniq = _factor(prep.body[pos], GENERIC_SKIP)
        values, bad = _numbers(codes, uniq)
        filled = sum(1 for s in uniq if s)
        if filled and len(bad) > 0.5 * filled:
            return None
        _report_bad(b, codes, bad, uniq, prep.header[pos], f"{title} — {lab}", "rating")
        cols[f"{g.qid}{SEP}{lab}"] = values
    return cols


def _add_matrix(prep: Prepared, g: Group, b: _Builder) -> None:
    qid = b.new_id(g.qid)
    g = Group(qid, g.title, g.kind, g.columns, _unique(g.labels), g.other)
    cols = _numeric_block(prep, g, b, g.title)
    if cols is None:  # ratings given as words we cannot order: one single-choice question per row
        _each(prep, g, b)
        return
    allv = np.concatenate(list(cols.values()))
    points = _scale_points(allv)
    if points is None:
        v = allv[~np.isnan(allv)]
        whole = len(v) and np.all(v == np.round(v)) and v.max() - v.min() <= 10
        if not whole:  # sliders, constant sum: numbers, not ratings
            _each(prep, g, b, numeric=True)
            return
        points = [str(i) for i in range(int(v.min()), int(v.max()) + 1)]
    b.add(Question(qid, g.title, "matrix", points, list(g.labels), list(cols)), cols)
    if g.other is not None:
        b.cols[f"_other{SEP}{qid}"] = _strings(prep.body[g.other])


def _add_ranking(prep: Prepared, g: Group, b: _Builder) -> None:
    qid = b.new_id(g.qid)
    labels = _unique(g.labels)
    cols: dict[str, np.ndarray] = {}
    for pos, lab in zip(g.columns, labels, strict=True):
        ranks = numbers(prep.body[pos])
        cols[f"{qid}{SEP}{lab}"] = np.where(ranks > 0, ranks, np.nan)
    block = np.column_stack(list(cols.values()))
    cols[f"_answered{SEP}{qid}"] = ~np.all(np.isnan(block), axis=1)
    if g.other is not None:
        cols[f"_other{SEP}{qid}"] = _strings(prep.body[g.other])
    b.add(Question(qid, g.title, "ranking", labels, [], [f"{qid}{SEP}{o}" for o in labels]), cols)


def _add_flags(prep: Prepared, g: Group, b: _Builder) -> None:
    qid = b.new_id(g.qid)
    labels = _unique(g.labels)
    cols: dict[str, np.ndarray] = {}
    answered = np.zeros(len(prep.body), bool)
    for pos, lab in zip(g.columns, labels, strict=True):
        raw = prep.body[pos]
        if g.checked is not None:
            hit = (pd.to_numeric(raw, errors="coerce") == float(g.checked)).to_numpy(bool) \
                if isinstance(g.checked, (int, float)) else (raw.astype(str) == str(g.checked)).to_numpy(bool)
            seen = raw.notna().to_numpy(bool)
        else:
            s = pd.Series(_strings(raw), dtype=object)
            seen = s.notna().to_numpy(bool)
            hit = seen & ~s.str.lower().isin(_FALSE).to_numpy(bool)
        cols[f"{qid}{SEP}{lab}"] = hit
        answered |= hit if g.checked is None else seen
    cols[f"_answered{SEP}{qid}"] = answered
    if g.other is not None:
        cols[f"_other{SEP}{qid}"] = _strings(prep.body[g.other])
    b.add(Question(qid, g.title, "multi", labels, [], [f"{qid}{SEP}{o}" for o in labels]), cols)


def _each(prep: Prepared, g: Group, b: _Builder, numeric: bool = False) -> None:
    for pos, lab in zip(g.columns, g.labels or [prep.header[p] for p in g.columns], strict=True):
        title = f"{g.title} — {lab}" if lab and lab != g.title else g.title
        qid = b.new_id(f"{g.qid}_{len(b.questions) + 1}" if len(g.columns) > 1 else g.qid)
        if numeric:
            codes, uniq = _factor(prep.body[pos], GENERIC_SKIP)
            values, bad = _numbers(codes, uniq)
            _report_bad(b, codes, bad, uniq, prep.header[pos], title, "number")
            b.add(Question(qid, title, "numeric", [], [], [qid]), {qid: values})
        else:
            infer_column(qid, title, _column(prep, pos), b, GENERIC_SKIP)


def split_known(cells: list[str | None], sep: str) -> list[list[str] | None]:
    """Each cell's choices: split on ``sep``, but a choice that itself contains ``sep`` stays whole
    when some respondent chose it alone (the form's options are then known from the data)."""
    known = {c for c in cells if c and sep in c}
    known = {k for k in known if any(c and c != k and k in c for c in cells)} | \
        {c for c in cells if c and sep not in c}
    out: list[list[str] | None] = []
    for c in cells:
        if not c:
            out.append(None)
            continue
        parts = [p.strip() for p in c.split(sep)]
        picked, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i, -1):  # the longest run of parts that is a known option
                cand = sep.join(parts[i:j])
                if j == i + 1 or cand in known:
                    picked.append(cand)
                    i = j
                    break
        out.append([p for p in picked if p])
    return out


def _recurs(sets: list[list[str] | None], codes: np.ndarray) -> bool:
    """Whether the pieces of a comma-joined column are a checkbox question's options: at least half of the
    distinct pieces are chosen by two respondents or more (the pieces of free text are mostly one-offs)."""
    rows = np.bincount(codes[codes >= 0], minlength=len(sets))[:len(sets)]
    seen: dict[str, int] = {}
    for parts, n in zip(sets, rows, strict=True):
        for piece in set(parts or []):
            seen[piece] = seen.get(piece, 0) + int(n)
    return bool(seen) and sum(1 for n in seen.values() if n >= 2) >= 0.5 * len(seen)


def _add_split(prep: Prepared, g: Group, b: _Builder) -> None:
    qid = b.new_id(g.qid)
    codes, uniq = _factor(prep.body[g.columns[0]], GENERIC_SKIP)
    sep = g.sep
    if sep is None or not any(s and sep in s for s in uniq):
        infer_column(qid, g.title, prep.body[g.columns[0]], b, GENERIC_SKIP)
        return
    if sep == ", ":  # Google Forms: an option with ", " in it stays whole when known
        sets = split_known(uniq, sep)
        if not _recurs(sets, codes):  # free text with commas in it, not a checkbox question
            infer_column(qid, g.title, prep.body[g.columns[0]], b, GENERIC_SKIP)
            return
        opts = order_options(list(dict.fromkeys(p for s in sets for p in (s or []))))
        b.add(Question(qid, g.title, "multi", opts, [], [f"{qid}{SEP}{o}" for o in opts]),
              multi_columns(qid, sets, opts, codes))
        return
    _multi_from_text(qid, g.title, codes, uniq, sep, b)


def _add_joined(prep: Prepared, g: Group, b: _Builder) -> None:
    """One cascading picker exported as several columns (province / city / district; year / month / day)."""
    qid = b.new_id(g.qid)
    parts = [pd.Series(_strings(prep.body[p]), dtype=object) for p in g.columns]
    joined = pd.concat(parts, axis=1).apply(lambda r: " / ".join(str(x) for x in r if isinstance(x, str)) or None,
                                            axis=1)
    infer_column(qid, g.title, joined.reset_index(drop=True).set_axis(prep.body.index), b, GENERIC_SKIP)


def _add_one(prep: Prepared, g: Group, b: _Builder) -> None:
    qid = b.new_id(g.qid)
    col = _column(prep, g.columns[0])
    if g.kind == "text":
        b.add(Question(qid, g.title, "text", [], [], [qid]), {qid: _strings(col)})
    elif g.kind == "numeric":
        codes, uniq = _factor(col, GENERIC_SKIP)
        values, bad = _numbers(codes, uniq)
        _report_bad(b, codes, bad, uniq, prep.header[g.columns[0]], g.title, "number")
        b.add(Question(qid, g.title, "numeric", [], [], [qid]), {qid: values})
    elif g.kind == "single":
        codes, uniq = _factor(col, GENERIC_SKIP)
        _single_from_text(qid, g.title, codes, uniq, b)
        labels = prep.value_labels.get(g.columns[0])
        if labels:  # SPSS: the options in the questionnaire's order, never-chosen ones too
            q = b.questions[-1]
            opts = [str(v) for v in labels.values()]
            b.questions[-1] = Question(q.id, q.title, q.type, opts + [o for o in q.options if o not in opts],
                                       q.rows, q.columns)
    else:
        infer_column(qid, g.title, col, b, GENERIC_SKIP)
    if g.other is not None:
        b.cols[f"_other{SEP}{qid}"] = _strings(prep.body[g.other])


def _unique(labels: list[str]) -> list[str]:
    labels = [lab or f"#{i + 1}" for i, lab in enumerate(labels)]
    return [lab if labels.count(lab) == 1 else f"{lab} ({i + 1})" for i, lab in enumerate(labels)]


BUILD = {"matrix": _add_matrix, "ranking": _add_ranking, "multi_flags": _add_flags, "multi_split": _add_split,
         "joined": _add_joined, "each": _each}


def assemble(prep: Prepared) -> tuple[_Builder, dict[str, np.ndarray], list[dict[str, str]]]:
    """Questions (in column order), metadata columns, and the metadata found."""
    b = _Builder(prep.body.index)
    meta, found = parse_meta(prep)
    used = set(prep.meta) | {p for g in prep.groups for p in g.columns} | \
        {g.other for g in prep.groups if g.other is not None}
    groups = list(prep.groups) + [Group(f"C{p + 1}", prep.header[p], "auto", [p])
                                  for p in range(len(prep.header)) if p not in used]
    for g in sorted(groups, key=lambda g: min(g.columns)):
        if g.kind == "auto" and g.qid.startswith("C") and g.qid[1:].isdigit():
            pos = g.columns[0]
            name = prep.names[pos] if pos < len(prep.names) else prep.header[pos]
            g = Group(_generic_id(name, pos), g.title, "auto", g.columns)
        BUILD.get(g.kind, _add_one)(prep, g, b)
        if g.other is not None and b.questions:  # the "other, please specify" text of the question
            b.cols.setdefault(f"_other{SEP}{b.questions[-1].id}", _strings(prep.body[g.other]))
    return b, meta, found

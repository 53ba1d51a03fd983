"""Cells → questions: the builders every importer shares (Wenjuanxing, SPSS, the platforms of
:mod:`easymall.survey.platforms` and generic tables): metadata columns by name, single / multi / ranking
questions from text, numbers and rating scales, and the inference of a plain column's type.

Every value is parsed once per *distinct* value (``pd.factorize``) and spread back with numpy.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from easymall.survey.cells import _factor, _num, _take, order_options
from easymall.survey.dataset import SEP, Question
from easymall.survey.errors import issue, not_a_number

#: Metadata columns matched by name (Wenjuanxing and common survey tools), in any order.
META_NAMES: dict[str, str] = {
    "序号": "_id", "编号": "_id", "respondent id": "_id", "response id": "_id", "responseid": "_id",
    "提交答卷时间": "_submitted", "提交时间": "_submitted", "开始时间": "_started", "答题时间": "_submitted",
    "timestamp": "_submitted", "时间戳": "_submitted", "submitted": "_submitted",
    "所用时间": "_duration_s", "答题时长": "_duration_s", "duration": "_duration_s",
    "duration (in seconds)": "_duration_s",
    "来自ip": "_ip", "ip": "_ip", "ip地址": "_ip", "ip address": "_ip", "ipaddress": "_ip",
    "来源": "_source", "来源详情": "_source_detail", "来源渠道": "_source_channel",
    "总分": "_score", "微信昵称": "_nickname", "用户id": "_user", "用户名": "_user", "姓名": "_name",
}

GENERIC_SKIP: set[str] = set()

_OTHER = re.compile(r"〖(.*?)〗", re.S)
_SCORE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*分?\s*$")
_ZERO_TEN = re.compile(r"0\s*(?:分)?\s*[-~～—–到至]\s*10")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|m|min))?\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s|sec)?)?\s*$")
_BRACKET_ROW = re.compile(r"^(.*\S)\s*\[(.+)\]\s*$")
_WEIGHT = re.compile(r"weight|权重|加权", re.I)
_ID_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_LEADING_NUM = re.compile(r"(\d+(?:\.\d+)?)")

#: Likert words → points, for matrices exported by text instead of "4分".
LIKERT = {
    **dict.fromkeys(["非常不满意", "很不满意", "非常不同意", "非常不重要", "完全不同意", "very dissatisfied",
                     "strongly disagree"], 1.0),
    **dict.fromkeys(["不满意", "比较不满意", "不同意", "不重要", "比较不重要", "dissatisfied", "disagree"], 2.0),
    **dict.fromkeys(["一般", "中立", "说不清", "neutral", "neither agree nor disagree"], 3.0),
    **dict.fromkeys(["满意", "比较满意", "同意", "重要", "比较重要", "satisfied", "agree"], 4.0),
    **dict.fromkeys(["非常满意", "很满意", "非常同意", "非常重要", "完全同意", "very satisfied", "strongly agree"], 5.0),
}
MULTI_SEPS = ["┋", ";", "；", "|", ","]
MAX_ISSUES_PER_COLUMN = 20


# --------------------------------------------------------------------------- meta columns


def _meta_key(title: str) -> str | None:
    t = title.strip().lower()
    return META_NAMES.get(t)


def _parse_meta(key: str, col: pd.Series, skip: set[str], out: dict[str, np.ndarray]) -> None:
    if key in ("_submitted", "_started"):  # usually one distinct value per row: parse vectorised
        text = col.astype("string").str.strip()
        when = pd.to_datetime(text, format="%Y/%m/%d %H:%M:%S", errors="coerce")
        if when.isna().sum() > text.isna().sum() + (text == "").sum():
            when = pd.to_datetime(text, errors="coerce", format="mixed")
        out[key] = when.to_numpy()
        return
    if key == "_id":
        num = pd.to_numeric(col, errors="coerce")
        out[key] = num.to_numpy(float) if num.notna().sum() == col.notna().sum() else \
            col.astype("string").str.strip().to_numpy(object)
        return
    if key == "_ip":
        text = col.astype("string").str.strip()
        # one vectorised regex: "183.192.16.69(上海-上海)" → ip, province, city
        parts = text.str.extract(r"^([0-9a-fA-F.:]+)\s*(?:[(（]\s*([^-)）]*?)\s*(?:-\s*([^)）]*?))?\s*[)）])?$")
        ip = parts[0].fillna(text)
        out["_ip"] = ip.to_numpy(object)
        if parts[1].notna().any():
            out["_province"] = parts[1].where(parts[1] != "").to_numpy(object)
            out["_city"] = parts[2].where(parts[2] != "").to_numpy(object)
        return
    codes, uniq = _factor(col, skip)
    if key == "_duration_s":
        vals = []
        for s in uniq:
            m = _DURATION.match(s) if s else None
            if s and m and any(m.groups()):
                h, mi, se = m.groups()
                vals.append(int(h or 0) * 3600 + int(mi or 0) * 60 + float(se or 0))
            else:
                vals.append(None)
        out[key] = _take(codes, vals, float, np.nan)
    elif key == "_score":
        nums = [_num(s) for s in uniq]
        if all(n is not None for s, n in zip(uniq, nums, strict=True) if s is not None):
            out[key] = _take(codes, nums, float, np.nan)
        else:
            out[key] = _take(codes, uniq)
    else:
        out[key] = _take(codes, uniq)


# --------------------------------------------------------------------------- question builders


class _Builder:
    """Collects questions and columns; keeps ids unique."""

    def __init__(self, index: pd.Index):
        self.index = index
        self.questions: list[Question] = []
        self.cols: dict[str, np.ndarray] = {}
        self.issues: list[dict[str, object]] = []
        self._ids: set[str] = set()

    def new_id(self, wanted: str) -> str:
        qid, k = wanted, 2
        while qid in self._ids:
            qid = f"{wanted}_{k}"
            k += 1
        self._ids.add(qid)
        return qid

    def add(self, q: Question, cols: dict[str, np.ndarray]) -> None:
        self.questions.append(Question(q.id, q.title, q.type, q.options, q.rows, list(cols) if not q.columns
                                       else q.columns))
        self.cols.update(cols)


def _single_from_text(qid: str, title: str, codes: np.ndarray, uniq: list[str | None], b: _Builder) -> None:
    labels: list[str | None] = []
    others: list[str | None] = []
    for s in uniq:
        if s is None:
            labels.append(None)
            others.append(None)
            continue
        m = _OTHER.search(s)
        others.append(m.group(1).strip() if m else None)
        lab = _OTHER.sub("", s).strip() if m else s
        labels.append(lab or None)
    seen = [lb for lb in dict.fromkeys(labels[i] for i in pd.unique(codes[codes >= 0])) if lb]
    opts = order_options(seen)
    cols = {qid: _take(codes, labels)}
    if any(others):
        cols[f"_other{SEP}{qid}"] = _take(codes, others)
    b.add(Question(qid, title, "single", opts, [], [qid]), cols)


def _multi_from_text(qid: str, title: str, codes: np.ndarray, uniq: list[str | None], sep: str,
                     b: _Builder) -> None:
    sets: list[list[str] | None] = []
    others: list[str | None] = []
    order: dict[str, None] = {}
    for s in uniq:
        if s is None:
            sets.append(None)
            others.append(None)
            continue
        m = _OTHER.findall(s)
        others.append("；".join(x.strip() for x in m) if m else None)
        parts = [_OTHER.sub("", p).strip() for p in s.split(sep)]
        parts = [p for p in parts if p]
        sets.append(parts)
        for p in parts:
            order.setdefault(p, None)
    present = pd.unique(codes[codes >= 0])
    # order of options: by frequency of appearance in distinct answers is noisy; keep first appearance
    first = [p for i in present for p in (sets[i] or [])]
    opts = order_options(list(dict.fromkeys(first)))
    cols = multi_columns(qid, sets, opts, codes)
    if any(others):
        cols[f"_other{SEP}{qid}"] = _take(codes, others)
    b.add(Question(qid, title, "multi", opts, [], [f"{qid}{SEP}{o}" for o in opts]), cols)


def multi_columns(qid: str, sets: Sequence[Sequence[str] | None], opts: Sequence[str],
                  codes: np.ndarray) -> dict[str, np.ndarray]:
    """A multi-select's columns: one boolean per option (``qid<SEP>option``) and ``_answered<SEP>qid``,
    from the option set of each distinct answer (``None``: not answered) and each row's answer code
    (``-1``: empty)."""
    index_of = {o: j for j, o in enumerate(opts)}
    mat = np.zeros((len(sets) + 1, len(opts)), dtype=bool)
    for i, parts in enumerate(sets):
        for p in parts or []:
            mat[i, index_of[p]] = True
    rows = mat[codes]
    cols = {f"{qid}{SEP}{o}": rows[:, j] for j, o in enumerate(opts)}
    cols[f"_answered{SEP}{qid}"] = np.array([s is not None for s in sets] + [False], dtype=bool)[codes]
    return cols


def _ranking_from_text(qid: str, title: str, codes: np.ndarray, uniq: list[str | None], b: _Builder) -> None:
    seqs = [None if s is None else [p.strip() for p in s.split("→") if p.strip()] for s in uniq]
    present = pd.unique(codes[codes >= 0])
    opts = list(dict.fromkeys(p for i in present for p in (seqs[i] or [])))
    index_of = {o: j for j, o in enumerate(opts)}
    mat = np.full((len(uniq) + 1, len(opts)), np.nan)
    for i, seq in enumerate(seqs):
        for r, p in enumerate(seq or [], start=1):
            mat[i, index_of[p]] = r
    rows = mat[codes]
    cols = {f"{qid}{SEP}{o}": rows[:, j] for j, o in enumerate(opts)}
    cols[f"_answered{SEP}{qid}"] = np.array([s is not None for s in seqs] + [False], bool)[codes]
    b.add(Question(qid, title, "ranking", opts, [], [f"{qid}{SEP}{o}" for o in opts]), cols)


def _numbers(codes: np.ndarray, uniq: list[str | None]) -> tuple[np.ndarray, list[int]]:
    """Float per row and the positions (distinct-value indices) that were not numbers."""
    nums = []
    bad = []
    for i, s in enumerate(uniq):
        x = _num(s)
        if s is not None and x is None:
            x = LIKERT.get(s.lower()) if isinstance(s, str) else None
            if x is None:
                bad.append(i)
        nums.append(x)
    return _take(codes, nums, float, np.nan), bad


def _report_bad(b: _Builder, codes: np.ndarray, bad: list[int], uniq: list[str | None], column: str,
                title: str, kind: str) -> None:
    if not bad:
        return
    rows = np.flatnonzero(np.isin(codes, bad))
    for r in rows[:MAX_ISSUES_PER_COLUMN]:
        b.issues.append(not_a_number(column, title, kind, b.index[r], uniq[codes[r]]))
    if len(rows) > MAX_ISSUES_PER_COLUMN:
        b.issues.append(not_a_number(column, title, kind, more=len(rows) - MAX_ISSUES_PER_COLUMN))


def _scale_points(values: np.ndarray) -> list[str] | None:
    """Scale points when the numbers look like a rating scale (1–5, 1–7, 0–10), else None."""
    v = values[~np.isnan(values)]
    if len(v) == 0 or not np.all(v == np.round(v)):
        return None
    lo, hi = int(v.min()), int(v.max())
    distinct = len(np.unique(v))
    if lo >= 1 and hi <= 5 and distinct >= 2:
        return [str(i) for i in range(1, 6)]
    if lo >= 1 and hi <= 7 and hi >= 6 and distinct >= 3:
        return [str(i) for i in range(1, 8)]
    if lo >= 0 and hi <= 10 and hi >= 8 and distinct >= 3:
        return [str(i) for i in range(0, 11)]
    return None


# --------------------------------------------------------------------------- generic inference


def _detect_sep(uniq: list[str | None], codes: np.ndarray, configured: str | None) -> str | None:
    values = [s for s in uniq if s]
    if not values:
        return None
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    total = counts.sum()
    for sep in ([configured] if configured else MULTI_SEPS):
        with_sep = sum(counts[i] for i, s in enumerate(uniq) if s and sep in s)
        if configured is None and with_sep < 0.1 * total:
            continue
        tokens: Counter = Counter()
        reuse: Counter = Counter()  # in how many distinct answers each token occurs
        for i, s in enumerate(uniq):
            if s:
                for p in {p.strip() for p in s.split(sep)}:
                    if p:
                        tokens[p] += int(counts[i])
                        reuse[p] += 1
        if configured:
            return sep
        if tokens and (len(tokens) <= 40 and sum(reuse.values()) > len(reuse)
                and np.mean([len(t) for t in tokens]) <= 40
                and sum(c for c in tokens.values() if c >= 2) >= 0.8 * sum(tokens.values())):
            return sep
    return None


def infer_column(qid: str, title: str, col: pd.Series, b: _Builder, skip: set[str],
                 multi_sep: str | None = None) -> None:
    """Add one question for a plain column: numeric, scale, single, multi or text."""
    codes, uniq = _factor(col, skip)
    nonempty = int((codes >= 0).sum() - sum(int((codes == i).sum()) for i, s in enumerate(uniq) if s is None)) \
        if len(uniq) < 2000 else int(pd.notna(_take(codes, uniq)).sum())
    if nonempty == 0:
        b.issues.append(issue(None, title, "empty_column", f"column “{title}” has no answers", title=title))
        b.add(Question(qid, title, "text", [], [], [qid]), {qid: _take(codes, uniq)})
        return
    values, bad = _numbers(codes, uniq)
    bad_rows = int(np.isin(codes, bad).sum()) if bad else 0
    numeric_share = 1 - bad_rows / nonempty
    if numeric_share >= 0.8 and nonempty - bad_rows > 0:
        _report_bad(b, codes, bad, uniq, title, title, "number")
        points = None if _WEIGHT.search(title) else _scale_points(values)
        b.add(Question(qid, title, "scale" if points else "numeric", points or [], [], [qid]), {qid: values})
        return
    sep = _detect_sep(uniq, codes, multi_sep)
    if sep:
        _multi_from_text(qid, title, codes, uniq, sep, b)
        return
    distinct = len({s for s in uniq if s})
    lengths = [len(s) for s in uniq if s]
    mean_len = float(np.mean(lengths)) if lengths else 0
    repeats = nonempty / max(distinct, 1)  # how often an answer recurs: choices recur, free text does not
    if distinct <= 30 and (repeats >= 1.5 or nonempty <= 3) and mean_len <= 60:
        _single_from_text(qid, title, codes, uniq, b)
        return
    if distinct <= max(30, 0.05 * nonempty) and repeats >= 3 and mean_len <= 40:
        _single_from_text(qid, title, codes, uniq, b)
        return
    b.add(Question(qid, title, "text", [], [], [qid]), {qid: _take(codes, uniq)})


def _generic_id(title: str, pos: int) -> str:
    t = title.strip()
    if _ID_OK.match(t):
        return t
    m = re.match(r"^\s*[Qq]?(\d{1,4})\s*[、.．:：)]", t)
    return f"Q{m.group(1)}" if m else f"C{pos + 1}"


def _clean_header(header: list[str], b: _Builder) -> list[str]:
    out, seen = [], Counter()
    for i, h in enumerate(header):
        t = re.sub(r"\s+", " ", str(h)).strip()
        if not t:
            t = f"Column {i + 1}"
            b.issues.append(issue(None, t, "blank_header", f"column {i + 1} has no name; it is called “{t}”",
                                  n=i + 1, name=t))
        seen[t] += 1
        if seen[t] > 1:
            new = f"{t} ({seen[t]})"
            b.issues.append(issue(None, new, "duplicate_header",
                                  f"column {i + 1} repeats the name “{t}”; it is called “{new}”",
                                  n=i + 1, title=t, name=new))
            t = new
        out.append(t)
    return out


def _group_bracket_matrices(b: _Builder) -> None:
    """Google-Forms style "Title [row]" scale columns next to each other → one matrix question."""
    out: list[Question] = []
    i = 0
    qs = b.questions
    while i < len(qs):
        q = qs[i]
        m = _BRACKET_ROW.match(q.title)
        if q.type == "scale" and m:
            stem, j = m.group(1), i + 1
            while j < len(qs):
                m2 = _BRACKET_ROW.match(qs[j].title)
                if qs[j].type == "scale" and m2 and m2.group(1) == stem:
                    j += 1
                else:
                    break
            if j - i >= 2:
                group = qs[i:j]
                rows = [_BRACKET_ROW.match(g.title).group(2) for g in group]  # type: ignore[union-attr]
                cols = [f"{q.id}{SEP}{r}" for r in rows]
                for g, c in zip(group, cols, strict=True):
                    b.cols[c] = b.cols.pop(g.id)
                points = max((g.options for g in group), key=len)
                out.append(Question(q.id, stem, "matrix", points, rows, cols))
                i = j
                continue
        out.append(q)
        i += 1
    b.questions = out

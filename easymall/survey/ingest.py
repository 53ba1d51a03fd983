"""Raw grid → :class:`Dataset`: Wenjuanxing (by text / by number) or a generic table with inferred types.

Every value is parsed once per *distinct* value (``pd.factorize``) and spread back with numpy, so a
100,000-row export costs little more than its distinct answers.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.survey.cells import _cell_str, _factor, _num, _take, order_options
from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.decode import RawTable, read_raw
from easymall.survey.errors import SurveyImportError, issue, not_a_number
from easymall.survey.limits import DEFAULT, Limits

#: Metadata columns matched by name (Wenjuanxing and common survey tools), in any order.
META_NAMES: dict[str, str] = {
    "序号": "_id", "编号": "_id", "respondent id": "_id", "response id": "_id", "responseid": "_id",
    "提交答卷时间": "_submitted", "提交时间": "_submitted", "开始时间": "_started", "答题时间": "_submitted",
    "timestamp": "_submitted", "时间戳": "_submitted", "submitted": "_submitted",
    "所用时间": "_duration_s", "答题时长": "_duration_s", "duration": "_duration_s",
    "duration (in seconds)": "_duration_s",
    "来自ip": "_ip", "ip": "_ip", "ip地址": "_ip", "ip address": "_ip", "ipaddress": "_ip",
    "来源": "_source", "来源详情": "_source_detail", "来源渠道": "_source_channel",
    "总分": "_score", "微信昵称": "_nickname", "用户id": "_user",
}
WJX_META = {"序号", "提交答卷时间", "所用时间", "来自IP", "来源", "来源详情", "来源渠道"}
WJX_SKIP = {"(跳过)", "（跳过）", "(空)", "（空）", "-3", "-2", "-3.0", "-2.0"}
GENERIC_SKIP: set[str] = set()

_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[、.．]\s*(.*)$", re.S)
_BY_NUMBER = re.compile(r"^\s*第\s*(\d{1,4})\s*题\s*[(（](.*)[)）]\s*$", re.S)
_TYPE_HINT = re.compile(r"\s*[(（]\s*(单选题|多选题|填空题|排序题|矩阵单选题|矩阵多选题|矩阵量表题|矩阵填空题|量表题|"
                        r"比重题|滑动条|NPS量表题|多项填空题|下拉框题)[^)）]*[)）]\s*$")
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


@dataclass
class Parsed:
    """A dataset plus what the import noticed."""

    dataset: Dataset
    format: str
    encoding: str | None
    wjx_mode: str | None  # "text", "number" or None
    issues: list[dict[str, object]] = field(default_factory=list)


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
    index_of = {o: j for j, o in enumerate(opts)}
    mat = np.zeros((len(uniq) + 1, len(opts)), dtype=bool)
    for i, parts in enumerate(sets):
        for p in parts or []:
            mat[i, index_of[p]] = True
    rows = mat[codes]
    answered = np.array([s is not None for s in sets] + [False], dtype=bool)[codes]
    cols = {f"{qid}{SEP}{o}": rows[:, j] for j, o in enumerate(opts)}
    cols[f"_answered{SEP}{qid}"] = answered
    if any(others):
        cols[f"_other{SEP}{qid}"] = _take(codes, others)
    b.add(Question(qid, title, "multi", opts, [], [f"{qid}{SEP}{o}" for o in opts]), cols)


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


# --------------------------------------------------------------------------- Wenjuanxing


def detect_wjx(header: list[str]) -> str | None:
    """"text" or "number" when the header looks like a Wenjuanxing export, else None."""
    names = {h.strip() for h in header}
    meta_hits = len(names & WJX_META)
    numbered = sum(1 for h in header if _NUMBERED.match(h))
    by_number = sum(1 for h in header if _BY_NUMBER.match(h))
    if "序号" not in names and meta_hits < 2:
        return None
    if numbered + by_number == 0:
        return None
    return "number" if by_number else "text"


def _split_title(raw: str) -> tuple[str, str | None]:
    """(clean title, type hint such as 多选题) from "3、Title (多选题 *必答)"."""
    m = _TYPE_HINT.search(raw)
    hint = m.group(1) if m else None
    t = raw[: m.start()] if m else raw
    return t.strip(), hint


def _wjx_numbered_column(qid: str, title: str, hint: str | None, col: pd.Series, mode: str,
                         b: _Builder, multi_sep: str | None) -> None:
    codes, uniq = _factor(col, WJX_SKIP)
    vals = [s for s in uniq if s]
    if hint == "填空题" or hint == "多项填空题":
        values, bad = _numbers(codes, uniq)
        nonempty = sum(1 for s in uniq if s)
        if nonempty and len(bad) <= 0.2 * nonempty and not np.all(np.isnan(values)):
            _report_bad(b, codes, bad, uniq, title, title, "number")
            b.add(Question(qid, title, "numeric", [], [], [qid]), {qid: values})
        else:
            b.add(Question(qid, title, "text", [], [], [qid]), {qid: _take(codes, uniq)})
        return
    if mode == "text":
        has = lambda ch: sum(1 for s in vals if ch in s)  # noqa: E731
        if hint == "多选题" or (vals and has("┋") >= max(1, 0.1 * len(vals))):
            _multi_from_text(qid, title, codes, uniq, "┋", b)
            return
        if hint == "排序题" or (vals and has("→") >= max(1, 0.3 * len(vals))):
            _ranking_from_text(qid, title, codes, uniq, b)
            return
        if vals and all(_SCORE.match(s) and s.endswith("分") for s in vals):  # "4分": a rating
            values, _ = _numbers(codes, uniq)
            if _ZERO_TEN.search(title):
                points: list[str] | None = [str(i) for i in range(0, 11)]
            else:
                points = _scale_points(values)
                if points is None and hint in ("量表题", "NPS量表题"):
                    points = [str(i) for i in range(int(np.nanmin(values)), int(np.nanmax(values)) + 1)]
            if points:
                b.add(Question(qid, title, "scale", points, [], [qid]), {qid: values})
                return
        if hint in ("单选题", "下拉框题") and vals:
            _single_from_text(qid, title, codes, uniq, b)
            return
        infer_column(qid, title, col, b, WJX_SKIP, multi_sep)
        return
    # by number: codes
    values, bad = _numbers(codes, uniq)
    if bad and len(bad) >= 0.5 * max(1, len(vals)):
        b.add(Question(qid, title, "text", [], [], [qid]), {qid: _take(codes, uniq)})
        return
    _report_bad(b, codes, bad, uniq, title, title, "option_number")
    v = values[~np.isnan(values)]
    if _ZERO_TEN.search(title) and len(v) and v.min() >= 1 and v.max() <= 11 and np.all(v == np.round(v)):
        b.add(Question(qid, title, "scale", [str(i) for i in range(11)], [], [qid]), {qid: values - 1})
        return
    if hint in ("量表题", "NPS量表题"):
        points = _scale_points(values) or []
        b.add(Question(qid, title, "scale", points, [], [qid]), {qid: values})
        return
    if len(v) and np.all(v == np.round(v)) and v.min() >= 0 and len(np.unique(v)) <= 60:
        opts = [str(int(x)) for x in sorted(np.unique(v))]
        labels = np.array([None if np.isnan(x) else str(int(x)) for x in values], dtype=object)
        b.add(Question(qid, title, "single", opts, [], [qid]), {qid: labels})
        return
    b.add(Question(qid, title, "numeric", [], [], [qid]), {qid: values})


def _wjx(raw: RawTable, header: list[str], mode: str, multi_sep: str | None) -> tuple[_Builder, dict]:
    body = raw.body
    b = _Builder(body.index)
    meta: dict[str, np.ndarray] = {}
    k = len(header)
    pos = extra = 0
    while pos < k:
        h = header[pos]
        col = body[pos]
        key = _meta_key(h)
        if key and key not in meta:
            _parse_meta(key, col, WJX_SKIP, meta)
            pos += 1
            continue
        m_num = _BY_NUMBER.match(h)
        if m_num:
            n = m_num.group(1)
            group = [pos]
            while pos + len(group) < k:
                m2 = _BY_NUMBER.match(header[pos + len(group)])
                if m2 and m2.group(1) == n:
                    group.append(pos + len(group))
                else:
                    break
            _wjx_option_group(f"Q{n}", [header[p] for p in group], body[group], b)
            pos += len(group)
            continue
        m = _NUMBERED.match(h)
        if m:
            n, rest = m.group(1), m.group(2)
            title, hint = _split_title(rest)
            # a matrix: "N、Title—row" followed by bare row labels
            bare = []
            j = pos + 1
            while j < k and not _NUMBERED.match(header[j]) and not _BY_NUMBER.match(header[j]) \
                    and not _meta_key(header[j]):
                bare.append(j)
                j += 1
            dash = max(title.rfind("—"), title.rfind("——"))
            hint_matrix = hint is not None and hint.startswith("矩阵")
            if dash > 0 and (bare or hint_matrix):
                stem, first_row = _split_title(title[:dash].rstrip("—"))[0], title[dash + 1:].strip()
                rows_pos = [pos, *bare]
                rows = [first_row, *(_split_title(header[p])[0] for p in bare)]
                if _wjx_matrix(f"Q{n}", stem, rows, body[rows_pos], b):
                    pos = j
                    continue
            qid = b.new_id(f"Q{n}")
            _wjx_numbered_column(qid, title, hint, col, mode, b, multi_sep)
            pos += 1
            continue
        extra += 1
        qid = b.new_id(f"X{extra}")
        infer_column(qid, h, col, b, WJX_SKIP, multi_sep)
        pos += 1
    return b, meta


def _wjx_matrix(qid0: str, title: str, rows: list[str], block: pd.DataFrame, b: _Builder) -> bool:
    parsed, allbad = [], True
    for p in block.columns:
        codes, uniq = _factor(block[p], WJX_SKIP)
        values, bad = _numbers(codes, uniq)
        if len(bad) < max(1, len([s for s in uniq if s])):
            allbad = False
        parsed.append((codes, uniq, values, bad))
    if allbad:
        return False
    qid = b.new_id(qid0)
    rows = [r if r else f"row {i + 1}" for i, r in enumerate(rows)]
    rows = [r if rows.count(r) == 1 else f"{r} ({i + 1})" for i, r in enumerate(rows)]
    cols = {}
    for r, (codes, uniq, values, bad) in zip(rows, parsed, strict=True):
        _report_bad(b, codes, bad, uniq, f"{qid}{SEP}{r}", f"{title} — {r}", "rating")
        cols[f"{qid}{SEP}{r}"] = values
    allv = np.concatenate([c for c in cols.values()])
    points = _scale_points(allv)
    if points is None:
        v = allv[~np.isnan(allv)]
        points = [str(i) for i in range(int(v.min()), int(v.max()) + 1)] if len(v) and np.all(v == np.round(v)) \
            and v.max() - v.min() <= 10 else []
    b.add(Question(qid, title, "matrix", points, rows, list(cols)), cols)
    return True


def _wjx_option_group(qid0: str, headers: list[str], block: pd.DataFrame, b: _Builder) -> None:
    """``第N题(option)`` columns of the by-number export: a multi (0/1) or a ranking (ranks, −2 unranked)."""
    qid = b.new_id(qid0)
    opts = [_BY_NUMBER.match(h).group(2).strip() for h in headers]  # type: ignore[union-attr]
    opts = [o if opts.count(o) == 1 else f"{o} ({i + 1})" for i, o in enumerate(opts)]
    arr = block.apply(lambda s: pd.to_numeric(s, errors="coerce")).to_numpy(float)
    skipped = np.all((arr == -3) | np.isnan(arr), axis=1)
    valid = arr[~np.isnan(arr) & (arr != -3)]
    is_ranking = bool(np.any(valid == -2) or np.any(valid > 1))
    cols: dict[str, np.ndarray] = {}
    if is_ranking:
        ranks = np.where((arr > 0), arr, np.nan)
        for j, o in enumerate(opts):
            cols[f"{qid}{SEP}{o}"] = ranks[:, j]
        cols[f"_answered{SEP}{qid}"] = ~skipped & np.any(arr > 0, axis=1)
        b.add(Question(qid, f"第{qid[1:]}题", "ranking", opts, [], [f"{qid}{SEP}{o}" for o in opts]), cols)
    else:
        for j, o in enumerate(opts):
            cols[f"{qid}{SEP}{o}"] = arr[:, j] == 1
        cols[f"_answered{SEP}{qid}"] = ~skipped
        b.add(Question(qid, f"第{qid[1:]}题", "multi", opts, [], [f"{qid}{SEP}{o}" for o in opts]), cols)


# --------------------------------------------------------------------------- SPSS


def _sav(raw: RawTable, header: list[str], multi_sep: str | None) -> tuple[_Builder, dict]:
    b = _Builder(raw.body.index)
    meta: dict[str, np.ndarray] = {}
    member, done = {}, set()  # variable name → its multiple response set (a set becomes one multi question)
    for set_name, spec in raw.mr_sets.items():
        names = [v for v in spec.get("variable_list") or [] if v in raw.names]
        if len(names) >= 2:
            member.update({v: set_name for v in names if v not in member})
    for pos, h in enumerate(header):
        name = raw.names[pos] if pos < len(raw.names) else h
        if name in member:
            set_name = member[name]
            if set_name not in done:
                done.add(set_name)
                _mr_set(b, set_name, raw, header, [v for v, s in member.items() if s == set_name])
            continue
        key = _meta_key(name) or _meta_key(h)
        if key and key not in meta:
            _parse_meta(key, raw.body[pos], set(), meta)
            continue
        qid = b.new_id(name if _ID_OK.match(name) else f"C{pos + 1}")
        labels = raw.value_labels.get(pos)
        if labels:
            col = raw.body[pos]
            codes, uniques = pd.factorize(col.to_numpy(object), use_na_sentinel=True)
            mapped = []
            for u in uniques:
                lab = labels.get(u)
                if lab is None and isinstance(u, float) and u.is_integer():
                    lab = labels.get(int(u))
                mapped.append(str(lab) if lab is not None else _cell_str(u))
            opts = [str(v) for v in labels.values()]
            extra = [m for m in dict.fromkeys(mapped) if m is not None and m not in opts]
            values = _take(codes, mapped)
            points = None
            keys = list(labels)
            if all(isinstance(x, (int, float)) for x in keys) and not extra:
                nums = np.array(keys, float)
                if len(keys) >= 5 and (set(nums) <= set(range(0, 11))) and np.all(np.diff(np.sort(nums)) == 1):
                    points = [str(int(x)) for x in sorted(nums)]
            if points and len(points) >= 5 and "0" in points and len(points) == 11:
                numeric = pd.to_numeric(col, errors="coerce").to_numpy(float)
                b.add(Question(qid, h, "scale", points, [], [qid]), {qid: numeric})
            else:
                b.add(Question(qid, h, "single", opts + extra, [], [qid]), {qid: values})
            continue
        infer_column(qid, h, raw.body[pos], b, set(), multi_sep)
    return b, meta


def _mr_set(b: _Builder, set_name: str, raw: RawTable, header: list[str], names: list[str]) -> None:
    """An SPSS multiple response set as one multi question.

    A dichotomy set (``is_dichotomy``) has one variable per option, chosen when it holds the
    counted value; the options are the variables' labels. A category set has variables that each
    hold one chosen category code; the options are their value labels. A respondent with every
    variable empty did not answer."""
    spec = raw.mr_sets[set_name]
    qid = b.new_id(set_name if _ID_OK.match(set_name) else f"M{len(b.questions) + 1}")
    cols_at = [raw.names.index(v) for v in names]
    values = [raw.body[i] for i in cols_at]
    answered = np.any([v.notna().to_numpy() for v in values], axis=0)
    picks: dict[str, np.ndarray] = {}
    if spec.get("is_dichotomy"):
        counted = spec.get("counted_value")
        for i, v in zip(cols_at, values, strict=True):
            hit = pd.to_numeric(v, errors="coerce") == float(counted) if isinstance(counted, (int, float)) \
                else v.astype(str) == str(counted)
            picks[_unique_label(header[i], picks)] = hit.to_numpy(bool)
    else:
        labels: dict[object, str] = {}
        for i in cols_at:
            labels.update(raw.value_labels.get(i, {}))
        codes = pd.unique(pd.concat(values).dropna())
        ordered = [c for c in labels if c in set(codes)] + [c for c in codes if c not in labels]
        for code in ordered:
            hit = np.any([(v == code).to_numpy(bool) for v in values], axis=0)
            picks[_unique_label(str(labels.get(code, _cell_str(code))), picks)] = hit
    columns = [f"{qid}{SEP}{o}" for o in picks]
    cols = {c: hit & answered for c, hit in zip(columns, picks.values(), strict=True)}
    cols[f"_answered{SEP}{qid}"] = answered
    b.add(Question(qid, str(spec.get("label") or set_name), "multi", list(picks), [], columns), cols)


def _unique_label(label: str, taken: dict[str, object]) -> str:
    out, k = label, 2
    while out in taken:
        out, k = f"{label} ({k})", k + 1
    return out


# --------------------------------------------------------------------------- entry points


def parse_raw(raw: RawTable, file: str = "the file", *, multi_sep: str | None = None) -> Parsed:
    pre = _Builder(raw.body.index)
    header = _clean_header(raw.header, pre)
    if raw.format == "sav":
        b, meta = _sav(raw, header, multi_sep)
        mode = None
    else:
        mode = detect_wjx(header)
        if mode:
            b, meta = _wjx(raw, header, mode, multi_sep)
        else:
            b = _Builder(raw.body.index)
            meta = {}
            for pos, h in enumerate(header):
                key = _meta_key(h)
                if key and key not in meta:
                    _parse_meta(key, raw.body[pos], GENERIC_SKIP, meta)
                    continue
                infer_column(b.new_id(_generic_id(h, pos)), h, raw.body[pos], b, GENERIC_SKIP, multi_sep)
            _group_bracket_matrices(b)
    if not b.questions:
        raise SurveyImportError(f"{file} has no question columns (only metadata)", file=file, code="no_questions")
    data = {**meta, **b.cols}
    frame = pd.DataFrame(data, index=raw.body.index)
    for key in ("_submitted", "_started"):
        if key in frame:
            frame[key] = pd.to_datetime(frame[key], errors="coerce")
    # text-valued columns as pandas' string dtype (values str, missing NaN): compact, and not millions
    # of Python objects for the garbage collector to walk on every collection
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].astype("str")
    dataset = Dataset(b.questions, frame, file)
    return Parsed(dataset, raw.format, raw.encoding, mode, raw.issues + pre.issues + b.issues)


def load_survey(data: bytes, file: str = "the file", *, multi_sep: str | None = None,
                limits: Limits = DEFAULT) -> Parsed:
    """Read any supported file into a dataset; raises only :class:`SurveyImportError` (one sentence,
    also for a file over one of ``limits``). In-process: see :mod:`easymall.survey.sandbox` for the
    bounded parse of an upload."""
    try:
        raw = read_raw(data, file, limits)
        return parse_raw(raw, file, multi_sep=multi_sep)
    except SurveyImportError:
        raise
    except MemoryError:
        raise SurveyImportError(f"{file} is too large to read in memory", file=file, code="memory") from None
    except Exception as exc:  # a defect or a file shape not foreseen: still one sentence, never a traceback
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
        raise SurveyImportError(f"{file} could not be read as a survey ({detail})", file=file, code="unreadable",
                                detail=detail) from exc

"""Raw grid → :class:`Dataset`: Wenjuanxing (by text / by number) or a generic table with inferred types.

Every value is parsed once per *distinct* value (``pd.factorize``) and spread back with numpy, so a
100,000-row export costs little more than its distinct answers.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.survey import platforms
from easymall.survey.builders import (
    _ID_OK,
    _SCORE,
    _ZERO_TEN,
    GENERIC_SKIP,
    _Builder,
    _clean_header,
    _generic_id,
    _group_bracket_matrices,
    _meta_key,
    _multi_from_text,
    _numbers,
    _parse_meta,
    _ranking_from_text,
    _report_bad,
    _scale_points,
    _single_from_text,
    infer_column,
)
from easymall.survey.cells import _cell_str, _factor, _take
from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.decode import RawTable, read_raw
from easymall.survey.errors import SurveyImportError
from easymall.survey.limits import DEFAULT, Limits

WJX_META = {"序号", "提交答卷时间", "所用时间", "来自IP", "来源", "来源详情", "来源渠道"}
_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[、.．]\s*(.*)$", re.S)
_BY_NUMBER = re.compile(r"^\s*第\s*(\d{1,4})\s*题\s*[(（](.*)[)）]\s*$", re.S)
_TYPE_HINT = re.compile(r"\s*[(（]\s*(单选题|多选题|填空题|排序题|矩阵单选题|矩阵多选题|矩阵量表题|矩阵填空题|量表题|"
                        r"比重题|滑动条|NPS量表题|多项填空题|下拉框题)[^)）]*[)）]\s*$")
#: A Wenjuanxing quiz's per-question score column (repeated names get " (2)" … from the header cleaning).
_QUIZ_SCORE = re.compile(r"^(分数|得分)(?: \(\d+\))?$")
WJX_SKIP = {"(跳过)", "（跳过）", "(空)", "（空）", "-3", "-2", "-3.0", "-2.0"}


@dataclass
class Parsed:
    """A dataset plus what the import noticed."""

    dataset: Dataset
    format: str
    encoding: str | None
    wjx_mode: str | None  # "text", "number" or None
    issues: list[dict[str, object]] = field(default_factory=list)
    platform: str = "generic"  # one of platforms.PLATFORMS
    #: the metadata columns found: [{"column": title, "key": "_started"}, ...]
    metadata: list[dict[str, str]] = field(default_factory=list)
    #: the export's columns in one short hash: the same questionnaire exported again has the same one
    signature: str = ""


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
        if _QUIZ_SCORE.match(h):  # a quiz's score of the question before it
            owner = b.questions[-1].id if b.questions else "Q0"
            meta[f"_score{SEP}{owner}"] = pd.to_numeric(col, errors="coerce").to_numpy(float)
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
                    and not _meta_key(header[j]) and not _QUIZ_SCORE.match(header[j]):
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


def parse_raw(raw: RawTable, file: str = "the file", *, multi_sep: str | None = None,
              platform: str | None = None) -> Parsed:
    """The dataset in ``raw``, read as the export of ``platform`` (None: the platform its structure shows)."""
    pre = _Builder(raw.body.index)
    header = _clean_header(raw.header, pre)
    mode = detect_wjx(header) if raw.format != "sav" else None
    chosen = platforms.check(platform, file) or platforms.detect(raw, mode is not None)
    index = raw.body.index
    found: list[dict[str, str]] | None = None
    if chosen in platforms.PREPARERS:
        prep = platforms.prepare(chosen, raw, header, file)
        if len(prep.body) == 0:  # only the platform's header rows
            raise SurveyImportError(f"{file} has a header row but no answers", file=file, code="no_answers")
        b, meta, found = platforms.assemble(prep)
        pre.issues = [i for i in pre.issues if not (i["code"] in ("duplicate_header", "blank_header")
                                                    and int(str(i["params"]["n"])) - 1 in prep.expected_headers)]
        index, mode = prep.body.index, None
    elif raw.format == "sav":
        if chosen not in ("spss", "generic"):
            raise platforms.not_this(file, chosen, "it is an SPSS file")
        b, meta = _sav(raw, header, multi_sep)
    elif chosen == "wenjuanxing":
        if not mode:
            raise platforms.not_this(file, "wenjuanxing", "its header has no 序号 and numbered questions")
        b, meta = _wjx(raw, header, mode, multi_sep)
        pre.issues = [i for i in pre.issues if not (i["code"] == "duplicate_header"  # a quiz's 分数 columns
                                                    and _QUIZ_SCORE.match(str(i["params"].get("title", ""))))]
    else:
        if chosen == "spss":
            raise platforms.not_this(file, "spss", "it is not an SPSS .sav file")
        mode = None
        b = _Builder(raw.body.index)
        meta = {}
        for pos, h in enumerate(header):
            key = _meta_key(h)
            if key and key not in meta:
                _parse_meta(key, raw.body[pos], GENERIC_SKIP, meta)
                continue
            infer_column(b.new_id(_generic_id(h, pos)), h, raw.body[pos], b, GENERIC_SKIP, multi_sep)
        _group_bracket_matrices(b)
    if found is None:
        names = raw.names if raw.format == "sav" else header
        found = [{"column": h, "key": k} for h, n in zip(header, names, strict=False)
                 if (k := _meta_key(n) or _meta_key(h) or ("_score" if mode and _QUIZ_SCORE.match(h) else ""))]
    if not b.questions:
        raise SurveyImportError(f"{file} has no question columns (only metadata)", file=file, code="no_questions")
    data = {**meta, **b.cols}
    frame = pd.DataFrame(data, index=index)
    for key in ("_submitted", "_started", "_ended", "_recorded"):
        if key in frame:
            frame[key] = pd.to_datetime(frame[key], errors="coerce")
    # text-valued columns as pandas' string dtype (values str, missing NaN): compact, and not millions
    # of Python objects for the garbage collector to walk on every collection
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].astype("str")
    dataset = Dataset(b.questions, frame, file)
    return Parsed(dataset, raw.format, raw.encoding, mode, raw.issues + pre.issues + b.issues, chosen, found,
                  header_signature(raw))


def header_signature(raw: RawTable) -> str:
    """A short hash of the export's column names (SPSS: variable names), the key of a platform override."""
    names = raw.names if raw.format == "sav" else raw.header
    return hashlib.sha1("\x1f".join(str(n).strip() for n in names).encode("utf-8")).hexdigest()[:12]


def load_survey(data: bytes, file: str = "the file", *, multi_sep: str | None = None,
                limits: Limits = DEFAULT, platform: str | None = None) -> Parsed:
    """Read any supported file into a dataset; raises only :class:`SurveyImportError` (one sentence,
    also for a file over one of ``limits``). In-process: see :mod:`easymall.survey.sandbox` for the
    bounded parse of an upload."""
    try:
        raw = read_raw(data, file, limits)
        return parse_raw(raw, file, multi_sep=multi_sep, platform=platform)
    except SurveyImportError:
        raise
    except MemoryError:
        raise SurveyImportError(f"{file} is too large to read in memory", file=file, code="memory") from None
    except Exception as exc:  # a defect or a file shape not foreseen: still one sentence, never a traceback
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
        raise SurveyImportError(f"{file} could not be read as a survey ({detail})", file=file, code="unreadable",
                                detail=detail) from exc

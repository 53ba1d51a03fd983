"""腾讯问卷 Tencent Survey CSV/XLSX: metadata 编号 / 开始答题时间 / 结束答题时间 / 答题时长 / 地理位置… /
用户类型 / 用户标识 / 昵称 / 自定义字段; questions numbered ``N.title``; one cascading picker (region,
date) exported as several columns with the same header; a multi-select as one column per option
``N.title:option`` (empty, or the option / 1 when chosen); a fill-in's blanks as ``N.title_填空1`` …;
cells prefixed with a TAB so that Excel keeps long numbers as text (the TAB is removed)."""
from __future__ import annotations

import re

from easymall.survey.decode import RawTable
from easymall.survey.platforms.base import Group, Prepared, not_this

META = {"编号": "_id", "原始记录编号": "_id", "开始答题时间": "_started", "结束答题时间": "_ended",
        "答题时长": "_duration_s", "地理位置国家和地区": "_country", "地理位置省": "_province",
        "地理位置市": "_city", "用户类型": "_user_type", "用户标识": "_user", "昵称": "_nickname",
        "自定义字段": "_custom", "ip": "_ip", "ip地址": "_ip", "来源": "_source", "数据版本": "_derived",
        # later exports (their column lists as public analysis scripts drop them): language, the platform's own
        # data cleaning, browser, referrer, lottery and review columns
        "语言": "_language", "清洗数据结果": "_derived", "智能清洗数据无效概率": "_derived", "ua": "_derived",
        "referrer": "_source", "中奖时间": "_derived", "中奖金额": "_derived", "审核状态": "_derived"}
SIGNATURE = {"开始答题时间", "结束答题时间", "答题时长", "用户标识", "自定义字段", "地理位置省", "用户类型"}
_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[.．、]\s*(.*)$", re.S)
_DUP = re.compile(r"^(.*) \((\d+)\)$")
_SUB = re.compile(r"^(.*?)\s*[:：—-]\s*(.+)$")
_FILL = re.compile(r"^(.*?)\s*[:：]?\s*_填空(\d+)$", re.S)
#: What a chosen option's column of a multi-select holds besides the option's own text.
_CHOSEN = {"1", "1.0", "是", "√", "选中"}


def detect(raw: RawTable) -> bool:
    return raw.format != "sav" and len({h.strip() for h in raw.header} & SIGNATURE) >= 3


def _base(h: str) -> str:
    m = _DUP.match(h)
    return m.group(1) if m else h


def prepare(raw: RawTable, header: list[str], file: str) -> Prepared:
    if not detect(raw):
        raise not_this(file, "tencent", "it has none of the columns 开始答题时间, 结束答题时间, 答题时长")
    body = raw.body.copy()
    for c in body.columns:  # only the columns that have the guard are walked cell by cell
        if body[c].astype("string").str.startswith("\t").fillna(False).any():
            body[c] = body[c].map(lambda v: v.lstrip("\t") if isinstance(v, str) else v)
    prep = Prepared("tencent", list(header), body)
    last = len(header) - 1
    if last > 0 and not raw.header[last].strip() and body[last].astype("string").str.strip().fillna("").eq("").all():
        prep.expected_headers.add(last)  # the comma ending every line: one empty column, reported as such
    pos = 0
    while pos < len(header):
        h = header[pos]
        key = META.get(h.strip().lower())
        if key:
            prep.meta[pos] = key
            pos += 1
            continue
        j = pos + 1
        while j < len(header) and _base(header[j]) == h:  # the same header again: one cascading picker
            j += 1
        m = _NUMBERED.match(h)
        qid, title = (f"Q{m.group(1)}", m.group(2).strip()) if m else (f"C{pos + 1}", h)
        fill = _FILL.match(title) if m else None
        if fill:  # "N.title_填空1", "N.title_填空2" …: the blanks of one fill-in question
            k = pos + 1
            while k < len(header) and (mk := _NUMBERED.match(header[k])) and mk.group(1) == m.group(1) \
                    and _FILL.match(mk.group(2).strip()):  # type: ignore[union-attr]
                k += 1
            cols = list(range(pos, k))
            labels = [f"填空{_FILL.match(_NUMBERED.match(header[c]).group(2).strip()).group(2)}"  # type: ignore[union-attr]
                      for c in cols]
            prep.groups.append(Group(qid, fill.group(1), "each" if len(cols) > 1 else "auto", cols, labels))
            pos = k
            continue
        if j - pos >= 2:
            prep.groups.append(Group(qid, title, "joined", list(range(pos, j))))
            prep.expected_headers.update(range(pos + 1, j))
            pos = j
            continue
        # a matrix: "N.stem:row" for consecutive rows of the same N
        sub = _SUB.match(title) if m else None
        if sub:
            k = pos + 1
            while k < len(header) and (mk := _NUMBERED.match(header[k])) and mk.group(1) == m.group(1):  # type: ignore[union-attr]
                k += 1
            if k - pos >= 2:
                cols = list(range(pos, k))
                labels = [(_SUB.match(_NUMBERED.match(header[c]).group(2)) or sub).group(2)  # type: ignore[union-attr]
                          for c in cols]
                prep.groups.append(Group(qid, sub.group(1), "multi_flags" if _flags(body, cols, labels) else "matrix",
                                         cols, labels))
                pos = k
                continue
        prep.groups.append(Group(qid, title, "multi_split", [pos], sep="┋" if _has(body, pos, "┋") else None))
        pos += 1
    return prep


def _flags(body, cols: list[int], labels: list[str]) -> bool:  # noqa: ANN001
    """A multi-select exported one column per option: each column empty or its option's text (or 1)."""
    seen = False
    for c, lab in zip(cols, labels, strict=True):
        vals = {str(v).strip() for v in body[c].dropna().unique()} - {""}
        if vals - {lab.strip()} - _CHOSEN:
            return False
        seen = seen or bool(vals)
    return seen


def _has(body, pos: int, ch: str) -> bool:  # noqa: ANN001
    return bool(body[pos].astype(str).str.contains(ch, regex=False).any())

"""Qualtrics: CSV with three header rows (export tag; question text; ``{"ImportId":"QID…"}`` JSON, a
Python-style dict in older exports) and SPSS files whose variables carry the export tags.

The ImportId groups columns: ``QID7_1`` … ``QID7_k`` are the rows of one matrix (or the options of
a multi-select split into columns), ``QID7_4_TEXT`` is the "other" text of ``QID7``,
``QID7_NPS_GROUP`` is derived, a ``1_``/``2_`` prefix is a loop-and-merge iteration.
"""
from __future__ import annotations

import ast
import json
import os
import re

import pandas as pd

from easymall.survey.decode import RawTable
from easymall.survey.platforms.base import Group, Prepared, cell, not_this, qid_of, rows_only

#: Metadata by ImportId (CSV) or export tag (SPSS, CSV), lower case.
META = {
    "startdate": "_started", "enddate": "_ended", "status": "_status", "ipaddress": "_ip", "progress": "_progress",
    "duration": "_duration_s", "duration (in seconds)": "_duration_s", "duration__in_seconds_": "_duration_s",
    "finished": "_finished", "recordeddate": "_recorded", "_recordid": "_id", "responseid": "_id",
    "recipientlastname": "_name", "recipientfirstname": "_name", "recipientemail": "_email",
    "externaldatareference": "_external", "externalreference": "_external", "locationlatitude": "_lat",
    "locationlongitude": "_lon", "distributionchannel": "_channel", "userlanguage": "_language",
    "responsesetid": "_derived", "responseset": "_derived", "locationaccuracy": "_derived",
    "q_recaptchascore": "_derived", "q_relevantidduplicate": "_derived", "q_relevantidfraudscore": "_derived",
}
_IMPORT = re.compile(r"^\s*\{\s*['\"]ImportId['\"]\s*:")
#: ``1_QID5_2_TEXT`` → loop 1, question 5, part "2_TEXT"
_QID = re.compile(r"^(?:(\d+)_)?(QID\d+(?:#\d+)?)(?:[-_](.*))?$")
_TAG = re.compile(r"^(?:(\d+)_)?([A-Za-z][A-Za-z0-9]*?)(?:_(\d+))?(?:_(TEXT|NPS_GROUP))?$")


def import_id(text: str) -> str | None:
    """The ImportId of a third-row cell (JSON, or the Python dict of older exports)."""
    if not _IMPORT.match(text or ""):
        return None
    try:
        got = json.loads(text)
    except ValueError:
        try:
            got = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return None
    value = got.get("ImportId") if isinstance(got, dict) else None
    return str(value) if value is not None else None


def detect(raw: RawTable) -> bool:
    if raw.format == "sav":
        names = {n.lower() for n in raw.names}
        return len(names & {"startdate", "enddate", "status", "ipaddress", "progress", "finished", "responseid",
                            "recordeddate", "duration__in_seconds_"}) >= 4
    if len(raw.body) < 2:
        return False
    third = [cell(raw.body, 2, c) for c in raw.body.columns]
    return sum(1 for t in third if _IMPORT.match(t)) >= max(1, len(third) // 2)


def _stem_and_label(text: str) -> tuple[str, str]:
    """ "How satisfied are you? - Service" → (stem, "Service"); "Q - Selected Choice" → (Q, "")."""
    parts = [p.strip() for p in re.split(r"\s+-\s+", text)]
    parts = [p for p in parts if p not in ("Selected Choice",)]
    if len(parts) >= 2:
        return " - ".join(parts[:-1]), parts[-1]
    return (parts[0] if parts else text.strip()), ""


def prepare(raw: RawTable, header: list[str], file: str) -> Prepared:
    if raw.format == "sav":
        return _prepare_sav(raw, header)
    if not detect(raw):
        raise not_this(file, "qualtrics", "its third row holds no ImportId")
    texts = [cell(raw.body, 1, c) or header[c] for c in raw.body.columns]
    ids = [import_id(cell(raw.body, 2, c)) or "" for c in raw.body.columns]
    body = rows_only(raw.body, 2)
    prep = Prepared("qualtrics", [t or h for t, h in zip(texts, header, strict=True)], body)
    by_question: dict[tuple[str, str], list[int]] = {}
    nps: set[tuple[str, str]] = set()
    for pos, (tag, iid) in enumerate(zip(header, ids, strict=True)):
        plain = re.sub(r"^(panel|location)-", "", iid.lower())
        key = META.get(plain) or (META.get(tag.lower()) if not iid.upper().startswith("QID") else None)
        if key:
            prep.meta[pos] = key
            continue
        m = _QID.match(iid)
        if not m:
            continue  # not a question column Qualtrics names: inferred on its own
        loop, qid, part = m.group(1) or "", m.group(2), (m.group(3) or "").replace("-", "_")
        if part.endswith("NPS_GROUP") or "TEXT_" in part:  # NPS group, Text iQ topics: derived by Qualtrics
            prep.meta[pos] = "_derived"
            if part.endswith("NPS_GROUP"):
                nps.add((loop, qid))
            continue
        by_question.setdefault((loop, qid), []).append(pos)
    for (loop, qid), cols in by_question.items():
        _group(prep, header, ids, loop, qid, cols, (loop, qid) in nps)
    return prep


def _common_stem(texts: list[str]) -> tuple[str, list[str]]:
    """The stem shared by a group's column texts and each column's own label: "Q - Row" (current
    exports) or "Q-Row" (older ones), cut at the last separator inside the shared prefix."""
    if len(texts) == 1:
        stem, label = _stem_and_label(texts[0])
        if label:
            return stem, [label]
        cut = texts[0].rfind("-")
        return (texts[0][:cut].strip(), [texts[0][cut + 1:].strip()]) if cut > 0 else (texts[0], [""])
    prefix = os.path.commonprefix(texts)
    cut = prefix.rfind(" - ")
    width = 3 if cut > 0 else 1
    if cut <= 0:
        cut = prefix.rfind("-")
    if cut <= 0:
        return prefix.strip() or texts[0], [t[len(prefix):].strip() or t for t in texts]
    return prefix[:cut].strip(), [t[cut + width:].strip() for t in texts]


def _base_tag(tags: list[str], fallback: str) -> str:
    prefix = os.path.commonprefix(tags).rstrip("_-#") if len(tags) > 1 else re.sub(r"_\d+$", "", tags[0])
    return qid_of(prefix, fallback)


def _group(prep: Prepared, tags: list[str], ids: list[str], loop: str, qid: str, cols: list[int],
           nps: bool = False) -> None:
    parts = {p: (_QID.match(ids[p]).group(3) or "").replace("-", "_") for p in cols}  # type: ignore[union-attr]
    main = [p for p in cols if parts[p] == ""]
    texts = [p for p in cols if parts[p].endswith("TEXT")]
    rows = [p for p in cols if parts[p] and not parts[p].endswith("TEXT")]
    fallback = qid.replace("#", "_")
    if loop:  # a loop-and-merge iteration: "1_Q3" → L1_Q3 (ids start with a letter)
        tags = [re.sub(rf"^{loop}_", "", tg) for tg in tags]
    if main:
        base = qid_of(tags[main[0]], fallback)
        title = _stem_and_label(prep.header[main[0]])[0]
    elif rows:
        base = _base_tag([tags[p] for p in rows], fallback)
        title, labels = _common_stem([prep.header[p] for p in rows])
    else:
        base, title = qid_of(tags[texts[0]], fallback), prep.header[texts[0]]
    if loop:
        base = f"L{loop}_{base}"
    title = f"{title} ({loop})" if loop else title
    other = texts[0] if texts and (main or rows) else None
    if main:
        joined = prep.body[main[0]].astype(str).str.contains(",", regex=False).any()
        kind = "multi_split" if joined else ("auto" if nps else "single")  # an NPS question: its 0–10 scale
        prep.groups.append(Group(base, title, kind, main[:1], other=other, sep=","))
    elif rows:
        kind = "multi_flags" if _one_value_each(prep.body, rows) else "matrix"
        prep.groups.append(Group(base, title, kind, rows, labels, other))
    else:  # a text entry question: its only column is QIDn_TEXT
        numbers = pd.to_numeric(prep.body[texts[0]], errors="coerce")
        kind = "numeric" if numbers.notna().sum() == prep.body[texts[0]].notna().sum() > 0 else "text"
        prep.groups.append(Group(base, title, kind, texts[:1]))
    for p in (texts[1:] if other is not None or not texts else texts[1:]) + main[1:]:
        prep.groups.append(Group(qid_of(tags[p], f"{base}_{p}"), prep.header[p], "text", [p]))


def _one_value_each(body: pd.DataFrame, cols: list[int]) -> bool:
    """Columns of a multi-select split into columns: each holds one value (1, or the option's text) or nothing."""
    if len(cols) < 2:
        return False
    for p in cols:
        vals = {t for v in body[p].dropna().unique() if (t := str(v).strip())}
        if len(vals) > 1:
            return False
    return any(body[p].notna().any() for p in cols)


def _prepare_sav(raw: RawTable, header: list[str]) -> Prepared:
    body = raw.body
    prep = Prepared("qualtrics", list(header), body, value_labels=dict(raw.value_labels), names=list(raw.names))
    groups: dict[tuple[str, str], list[int]] = {}
    for pos, name in enumerate(raw.names):
        key = META.get(name.lower())
        if key:
            prep.meta[pos] = key
            continue
        m = _TAG.match(name)
        if not m:
            continue
        loop, stem, row, suffix = m.group(1) or "", m.group(2), m.group(3), m.group(4)
        if suffix == "NPS_GROUP":
            prep.meta[pos] = "_derived"
        elif row and not suffix:
            groups.setdefault((loop, stem), []).append(pos)
    for (loop, stem), cols in groups.items():
        if len(cols) < 2:
            continue
        labels = [_stem_and_label(header[p])[1] or raw.names[p] for p in cols]
        title = _stem_and_label(header[cols[0]])[0]
        flags = all(set(raw.value_labels.get(p, {})) <= {0, 1} for p in cols) and \
            all(set(pd.to_numeric(body[p], errors="coerce").dropna().unique()) <= {0.0, 1.0} for p in cols)
        qid = qid_of(f"{loop}_{stem}" if loop else stem, stem)
        prep.groups.append(Group(qid, f"{title} ({loop})" if loop else title, "multi_flags" if flags else "matrix",
                                 cols, labels, checked=1 if flags else None))
    return prep

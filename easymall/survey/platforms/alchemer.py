"""Alchemer (SurveyGizmo) SPSS: a checkbox question is one 0/1 variable per option labelled
"Option:Question" with value labels Unchecked/Checked; a grid is one variable per row labelled
"Row:Question"; ``V…`` variables are respondent metadata (response id, times, status, IP …)."""
from __future__ import annotations

import re

from easymall.survey.decode import RawTable
from easymall.survey.platforms.base import Group, Prepared, not_this, qid_of

#: Metadata by variable label (the ``V1`` … variables), lower case.
META = {"response id": "_id", "time started": "_started", "date submitted": "_submitted", "status": "_status",
        "contact id": "_user", "legacy comments": "_derived", "comments": "_derived", "language": "_language",
        "referer": "_source", "sessionid": "_derived", "user agent": "_derived", "tags": "_derived",
        "ip address": "_ip", "longitude": "_lon", "latitude": "_lat", "country": "_country", "city": "_city",
        "state/region": "_province", "postal": "_derived", "extended referer": "_derived"}
_V = re.compile(r"^V\d+$")


def _checkbox(labels: dict[object, str] | None) -> object:
    """The code meaning "Checked" when the value labels are Unchecked/Checked, else None."""
    if not labels:
        return None
    names = {str(v).strip().lower(): k for k, v in labels.items()}
    return names.get("checked") if {"checked", "unchecked"} <= set(names) else None


def detect(raw: RawTable) -> bool:
    if raw.format != "sav":
        return False
    v_meta = sum(1 for n, h in zip(raw.names, raw.header, strict=False) if _V.match(n) and h.strip().lower() in META)
    boxes = sum(1 for i in range(len(raw.names)) if _checkbox(raw.value_labels.get(i)) is not None)
    return v_meta >= 3 or boxes >= 2


def _split(label: str) -> tuple[str, str] | None:
    if ":" not in label:
        return None
    part, question = label.split(":", 1)
    return (part.strip(), question.strip()) if part.strip() and question.strip() else None


def prepare(raw: RawTable, header: list[str], file: str) -> Prepared:
    if not detect(raw):
        raise not_this(file, "alchemer", "no V… metadata variables and no Checked/Unchecked variables")
    prep = Prepared("alchemer", list(header), raw.body, value_labels=dict(raw.value_labels), names=list(raw.names))
    pos, n = 0, len(header)
    while pos < n:
        name, label = raw.names[pos], header[pos]
        if _V.match(name) and label.strip().lower() in META:
            prep.meta[pos] = META[label.strip().lower()]
            pos += 1
            continue
        split = _split(label)
        if split:
            j = pos + 1
            while j < n and (s2 := _split(header[j])) and s2[1] == split[1]:
                j += 1
            cols = list(range(pos, j))
            if len(cols) >= 2:
                checked = [_checkbox(raw.value_labels.get(c)) for c in cols]
                qid = qid_of(re.sub(r"_\d+$", "", name), f"Q{len(prep.groups) + 1}")
                labels = [_split(header[c])[0] for c in cols]  # type: ignore[index]
                if all(c is not None for c in checked):
                    prep.groups.append(Group(qid, split[1], "multi_flags", cols, labels, checked=checked[0]))
                else:
                    for c in cols:  # a grid: its ratings are the codes, not their labels
                        prep.value_labels.pop(c, None)
                    prep.groups.append(Group(qid, split[1], "matrix", cols, labels))
                pos = j
                continue
        kind = "single" if raw.value_labels.get(pos) else "auto"
        prep.groups.append(Group(qid_of(name, f"C{pos + 1}"), label, kind, [pos]))
        pos += 1
    return prep

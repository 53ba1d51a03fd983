"""Google Forms (Sheets / CSV download): ``Timestamp`` first; checkbox answers joined with ", "
(an option containing ", " stays whole when another respondent chose it alone); grid questions
``Question [Row]`` grouped into one matrix (a checkbox grid: one multi question per row)."""
from __future__ import annotations

import re

from easymall.survey.decode import RawTable
from easymall.survey.platforms.base import Group, Prepared, not_this

STAMPS = {"timestamp", "时间戳记", "marca temporal", "horodateur", "zeitstempel", "carimbo de data/hora",
          "タイムスタンプ", "时间戳"}
META = {**dict.fromkeys(STAMPS, "_submitted"), "email address": "_email", "电子邮件地址": "_email",
        "score": "_score", "分数": "_score", "username": "_email"}
_ROW = re.compile(r"^(.*\S)\s*\[(.+)\]\s*$")


def detect(raw: RawTable) -> bool:
    return raw.format != "sav" and bool(raw.header) and raw.header[0].strip().lower() in STAMPS


def prepare(raw: RawTable, header: list[str], file: str) -> Prepared:
    if not detect(raw):
        raise not_this(file, "google-forms", "its first column is not Timestamp")
    prep = Prepared("google-forms", list(header), raw.body)
    pos, n = 0, 0
    while pos < len(header):
        key = META.get(header[pos].strip().lower())
        if key:
            prep.meta[pos] = key
            pos += 1
            continue
        n += 1
        m = _ROW.match(header[pos])
        if m:
            stem, j = m.group(1), pos + 1
            while j < len(header) and (m2 := _ROW.match(header[j])) and m2.group(1) == stem:
                j += 1
            if j - pos >= 2:
                cols = list(range(pos, j))
                labels = [_ROW.match(header[c]).group(2) for c in cols]  # type: ignore[union-attr]
                prep.groups.append(Group(f"Q{n}", stem, "matrix", cols, labels))
                pos = j
                continue
        prep.groups.append(Group(f"Q{n}", header[pos], "multi_split", [pos], sep=", "))
        pos += 1
    return prep

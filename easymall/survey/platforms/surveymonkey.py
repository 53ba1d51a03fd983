"""SurveyMonkey CSV and XLSX exports: two header rows. The first holds each question's text once
(blank over its further columns), the second "Response", "Open-Ended Response", an option label
or a matrix row. A multi-select is one column per option holding the option's text when chosen;
a ranking one column per option holding its rank. The first columns are respondent metadata.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.survey.builders import LIKERT
from easymall.survey.decode import RawTable
from easymall.survey.platforms.base import Group, Prepared, cell, not_this, numbers, rows_only

META = {"respondent id": "_id", "collector id": "_collector", "start date": "_started", "end date": "_ended",
        "ip address": "_ip", "email address": "_email", "first name": "_name", "last name": "_name",
        "custom data": "_custom", "custom data 1": "_custom", "custom data 2": "_custom", "custom data 3": "_custom"}
SUB_RESPONSE = {"response", "open-ended response"}
#: Sub-fields of a "Contact information" question (SurveyMonkey's own labels, and short ones owners type):
#: personal data and location, so respondent metadata rather than answers.
CONTACT = {"name": "_name", "email": "_email", "email address": "_email", "phone": "_phone",
           "phone number": "_phone", "address": "_address", "address 2": "_address", "company": "_company",
           "city/town": "_city", "state/province": "_province", "zip/postal code": "_postal", "country": "_country"}
#: A ranking cell that ranks nothing (the respondent left the option out).
NOT_RANKED = {"n/a", "na", "-", "not applicable"}
#: How a closed question's cell joins the choices of a multi-select (the condensed layout).
JOINED = "; "
_OTHER = ("other (please specify)", "other", "其他（请注明）", "其他")


def detect(raw: RawTable) -> bool:
    """Respondent ID and Collector ID over a second header row; or Respondent ID alone (an owner may delete
    the other metadata columns before sharing) over a second row of Response / Open-Ended Response labels."""
    names = {h.strip().lower() for h in raw.header}
    if "respondent id" not in names or len(raw.body) < 1:
        return False
    second = [cell(raw.body, 1, c).lower() for c in raw.body.columns]
    if "collector id" not in names:
        return sum(1 for s in second if s in SUB_RESPONSE) >= 2
    return bool(set(second) & SUB_RESPONSE) or all(s == "" for s in second[:4])


def prepare(raw: RawTable, header: list[str], file: str) -> Prepared:
    if not detect(raw):
        raise not_this(file, "surveymonkey", "it has no Respondent ID and Collector ID columns over a second "
                                             "header row")
    subs = [cell(raw.body, 1, c) for c in raw.body.columns]
    body = rows_only(raw.body, 1)
    tops = list(raw.header)
    titles: list[str] = []
    for pos, top in enumerate(tops):
        top, sub = top.strip(), subs[pos]
        titles.append(top if top and sub.lower() in SUB_RESPONSE or not sub else (f"{top} — {sub}" if top else sub))
    prep = Prepared("surveymonkey", titles, body)
    blocks: list[list[int]] = []
    for pos, top in enumerate(tops):
        key = META.get(top.strip().lower())
        if key and not subs[pos]:
            prep.meta[pos] = key
            continue
        if top.strip() or not blocks:
            blocks.append([pos])
        else:
            blocks[-1].append(pos)
            prep.expected_headers.add(pos)
    # a column with no title over a second-row label is one the second row names (not a blank header)
    prep.expected_headers.update(p for p, top in enumerate(tops) if not top.strip() and subs[p])
    for n, cols in enumerate(blocks, start=1):
        _block(prep, tops[cols[0]].strip() or subs[cols[0]], cols, [subs[p] for p in cols], f"Q{n}")
    return prep


def _block(prep: Prepared, title: str, cols: list[int], subs: list[str], qid: str) -> None:
    body = prep.body
    if any(sub.lower() in CONTACT for sub in subs):  # a contact-information question: its fields are metadata
        for p, sub in zip(cols, subs, strict=True):
            if sub.lower() in CONTACT:
                prep.meta[p] = CONTACT[sub.lower()]
        cols, subs = [p for p in cols if p not in prep.meta], [s for p, s in zip(cols, subs, strict=True)
                                                                  if p not in prep.meta]
        if not cols:
            return
        if title.lower() in CONTACT:  # the owner blanked the question's title: each field is titled by itself
            for i, (p, sub) in enumerate(zip(cols, subs, strict=True), start=1):
                prep.groups.append(Group(f"{qid}_{i}" if len(cols) > 1 else qid, sub, _kind(body, p, sub), [p]))
            return
        if len(cols) > 1:
            prep.groups.append(Group(qid, title, "each", cols, subs))
            return
        title = f"{title} — {subs[0]}" if subs[0] else title
    if len(cols) == 1:
        kind = _kind(body, cols[0], subs[0])
        prep.groups.append(Group(qid, title, kind, cols, sep=JOINED if kind == "multi_split" else None))
        return
    other = cols[-1] if subs[-1].lower().startswith(_OTHER) else None
    opts, labels = (cols[:-1], subs[:-1]) if other is not None else (cols, subs)
    if len(opts) == 1 and labels[0].lower() in SUB_RESPONSE:  # single choice + "other (please specify)"
        prep.groups.append(Group(qid, title, "single", opts, other=other))
        return
    if _holds_labels(body, opts, labels):
        prep.groups.append(Group(qid, title, "multi_flags", opts, labels, other))
        return
    if _ranks(body, opts):
        prep.groups.append(Group(qid, title, "ranking", opts, labels, other))
        return
    if all(lab.lower() in SUB_RESPONSE for lab in labels) or not any(labels):
        prep.groups.append(Group(qid, title, "each", opts, [f"{i + 1}" for i in range(len(opts))]))
    else:
        prep.groups.append(Group(qid, title, "matrix" if _numeric_or_likert(body, opts) else "each", opts, labels,
                                 other))


def _kind(body: pd.DataFrame, col: int, sub: str) -> str:
    """One column: the second header row says whether it is open-ended (text) or a closed choice (one, or
    several joined with "; ").
    Numbers stay "auto" (a rating, a slider, a numeric text box) unless written with a leading zero, which
    makes them codes."""
    kind = {"open-ended response": "text", "response": "single"}.get(sub.lower())
    if kind is None:
        return "auto"
    vals = _values(body, col)
    if kind == "single" and any(JOINED in v for v in vals):  # a multi-select, its choices in one cell
        return "multi_split"
    numeric = bool(vals) and all(not pd.isna(pd.to_numeric(v, errors="coerce")) for v in vals)
    codes = any(len(v) > 1 and v[0] == "0" and v[1].isdigit() for v in vals)
    return "auto" if numeric and not codes else kind


def _values(body: pd.DataFrame, col: int) -> set[str]:
    """The distinct non-empty texts of a column (one pass over its distinct values)."""
    return {t for v in body[col].dropna().unique() if (t := str(v).strip())}


def _holds_labels(body: pd.DataFrame, cols: list[int], labels: list[str]) -> bool:
    """Each column holds its option's text (or nothing): a multi-select."""
    seen = False
    for p, lab in zip(cols, labels, strict=True):
        vals = _values(body, p)
        if vals - {lab}:
            return False
        seen = seen or bool(vals)
    return seen


def _ranks(body: pd.DataFrame, cols: list[int]) -> bool:
    """Whole numbers 1..k (k options), never the same rank twice in one row: a ranking."""
    raw = body[cols].apply(lambda s: s.mask(s.astype("string").str.strip().str.lower().isin(NOT_RANKED)))
    block = np.column_stack([numbers(raw[c]) for c in cols])
    filled = block[~np.isnan(block)]
    if not len(filled) or np.any(filled != np.round(filled)) or filled.min() < 1 or filled.max() > len(cols):
        return False
    text = raw.apply(lambda s: s.astype("string").str.strip().fillna("") != "").to_numpy(bool)
    if np.any(text & np.isnan(block)):  # a cell that is not a rank
        return False
    ordered = np.sort(block, axis=1)  # NaN last
    return not np.any((ordered[:, 1:] == ordered[:, :-1]) & ~np.isnan(ordered[:, 1:]))


def _numeric_or_likert(body: pd.DataFrame, cols: list[int]) -> bool:
    vals = {v.lower() for p in cols for v in _values(body, p)}
    return bool(vals) and all(v in LIKERT or not pd.isna(pd.to_numeric(v, errors="coerce")) for v in vals)

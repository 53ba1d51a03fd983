"""Rule segments: a structured :data:`~easymall.models.stp.Condition` evaluated over
``Dataset.frame`` (vectorised, never as text), the option orders and labels it is read with, and the
rule in plain words. A bad reference raises :class:`SegmentError` with one plain sentence.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.core.errors import CodedError
from easymall.core.text import Lang
from easymall.models.stp import AllCondition, AnswerCondition, AnyCondition, Condition, NotCondition
from easymall.models.survey import SurveyDocument
from easymall.survey import SEP, Dataset, Question


class SegmentError(CodedError, ValueError):
    """A rule or model that cannot be applied to the dataset; the message is one plain sentence (its
    ``code`` names it in the catalogue, ``segments.err.<code>``, for the Chinese UI)."""


# --------------------------------------------------------------------------- orders and labels


def option_orders(dataset: Dataset, survey_doc: SurveyDocument | None = None) -> dict[str, list[str]]:
    """Option order per question: the questionnaire's (``survey.yaml``) when known, else the dataset's."""
    orders = {q.id: list(q.options) for q in dataset.questions if q.type in ("single", "multi", "ranking")}
    if survey_doc is not None:
        for spec in survey_doc.questions:
            if spec.options:
                orders[spec.id] = [o.label for o in spec.options]
    return orders


class Labels:
    """Question titles and option labels in a language (translations from ``survey.yaml``)."""

    def __init__(self, dataset: Dataset | None, survey_doc: SurveyDocument | None, lang: Lang):
        self.dataset, self.doc, self.lang = dataset, survey_doc or SurveyDocument(), lang

    def question(self, qid: str) -> str:
        fallback = ""
        if self.dataset is not None and self.dataset.has(qid):
            fallback = self.dataset.question(qid).title
        return self.doc.question_title(qid, self.lang, fallback)

    def option(self, qid: str, label: str) -> str:
        return self.doc.option_text(qid, label, self.lang)

    def answer(self, qid: str, part: str | None) -> str:
        title = self.question(qid)
        return f"{title}: {self.option(qid, part)}" if part else title


# --------------------------------------------------------------------------- rules


def question_of(dataset: Dataset, qid: str) -> Question:
    if not dataset.has(qid):
        raise SegmentError(f"question {qid} is not in the dataset{_named(dataset)}", code="no_question",
                           question=qid, dataset=_named(dataset))
    return dataset.question(qid)


def _named(dataset: Dataset) -> str:
    return f" “{dataset.name}”" if dataset.name else ""


def _numbers(cond: AnswerCondition) -> list[float]:
    out = []
    for v in cond.values:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            raise SegmentError(f"{cond.question}: op {cond.op} needs numbers, got “{v}”", code="numbers",
                               question=cond.question, op=cond.op, value=v) from None
    return out


def _compare(values: pd.Series, cond: AnswerCondition, nums: list[float], answered: pd.Series) -> pd.Series:
    op = cond.op
    if op in ("in", "eq"):
        return values.isin(nums)
    if op == "not_in":
        return answered & ~values.isin(nums)
    if op == "gte":
        return values >= nums[0]
    if op == "lte":
        return values <= nums[0]
    return (values >= nums[0]) & (values <= nums[1])


def _leaf(cond: AnswerCondition, dataset: Dataset, orders: dict[str, list[str]]) -> pd.Series:
    q = question_of(dataset, cond.question)
    frame = dataset.frame
    labels = [str(v) for v in cond.values]
    if q.type in ("single", "text"):
        col = frame[q.id]
        answered = col.notna()
        if cond.op in ("in", "not_in", "eq"):
            if q.type == "single":
                unknown = [v for v in labels if v not in set(orders.get(q.id, q.options)) | set(q.options)]
                if unknown:
                    raise SegmentError(f"{q.id}: “{unknown[0]}” is not an option of the question", code="option",
                                   question=q.id, value=unknown[0])
            hit = col.isin(labels)
            return answered & ~hit if cond.op == "not_in" else hit
        if q.type == "text":
            raise SegmentError(f"{q.id}: a text question can only be compared with in, not_in or eq", code="text_op",
                               question=q.id)
        order = orders.get(q.id) or list(q.options)
        rank = {label: i for i, label in enumerate(order)}
        missing = [v for v in labels if v not in rank]
        if missing:
            raise SegmentError(f"{q.id}: “{missing[0]}” is not an option of the question", code="option",
                                   question=q.id, value=missing[0])
        codes = col.map(rank).astype(float)
        return _compare(codes, cond, [float(rank[v]) for v in labels], answered)
    if q.type == "multi":
        answered = dataset.answered(q.id)
        if cond.op in ("in", "not_in", "eq"):
            known = set(q.options) | set(orders.get(q.id, []))
            unknown = [v for v in labels if v not in known]
            if unknown:
                raise SegmentError(f"{q.id}: “{unknown[0]}” is not an option of the question", code="option",
                                   question=q.id, value=unknown[0])
            cols = [f"{q.id}{SEP}{v}" for v in labels if f"{q.id}{SEP}{v}" in frame]  # unchosen options
            hit = (frame[cols].fillna(False).astype(bool).any(axis=1) if cols
                   else pd.Series(False, index=frame.index))
            return answered & ~hit if cond.op == "not_in" else hit
        count = frame[q.columns].fillna(False).astype(bool).sum(axis=1).astype(float).where(answered)
        return _compare(count, cond, _numbers(cond), answered)
    if q.type in ("matrix", "ranking"):
        if cond.row is None:
            raise SegmentError(f"{q.id}: a {q.type} question needs the row to compare", code="row_needed", question=q.id,
                               type=q.type)
        col_name = f"{q.id}{SEP}{cond.row}"
        if col_name not in frame:
            raise SegmentError(f"{q.id}: “{cond.row}” is not a row of the question", code="row", question=q.id,
                               row=cond.row)
        col = frame[col_name].astype(float)
        return _compare(col, cond, _numbers(cond), col.notna())
    col = frame[q.id].astype(float)  # scale, numeric
    return _compare(col, cond, _numbers(cond), col.notna())


def evaluate(cond: Condition, dataset: Dataset, orders: dict[str, list[str]] | None = None) -> pd.Series:
    """Boolean Series (index = the frame's) of respondents meeting ``cond``."""
    orders = orders if orders is not None else option_orders(dataset)
    if isinstance(cond, AnswerCondition):
        return _leaf(cond, dataset, orders).fillna(False).astype(bool)
    if isinstance(cond, NotCondition):
        return ~evaluate(cond.of, dataset, orders)
    parts = [evaluate(sub, dataset, orders).to_numpy() for sub in cond.of]
    if isinstance(cond, AllCondition):
        out = np.logical_and.reduce(parts)
    elif isinstance(cond, AnyCondition):
        out = np.logical_or.reduce(parts)
    else:  # pragma: no cover - the union is closed
        raise TypeError(type(cond))
    return pd.Series(out, index=dataset.frame.index)


# --------------------------------------------------------------------------- rules in words

_OPS = {
    "en": {"in": "is {v}", "not_in": "is not {v}", "eq": "is {v}", "gte": "is {v} or above",
           "lte": "is {v} or below", "between": "is between {a} and {b}",
           "m_in": "includes {v}", "m_not_in": "includes none of {v}", "m_eq": "includes {v}",
           "m_gte": "has {v} or more chosen", "m_lte": "has {v} or fewer chosen",
           "m_between": "has {a}–{b} chosen", "or": " / ", "all": " and ", "any": " or ", "not": "not "},
    "zh": {"in": "为{v}", "not_in": "不为{v}", "eq": "为{v}", "gte": "为{v}及以上", "lte": "为{v}及以下",
           "between": "介于{a}与{b}之间", "m_in": "包含{v}", "m_not_in": "不包含{v}中任何一项", "m_eq": "包含{v}",
           "m_gte": "至少选择 {v} 项", "m_lte": "至多选择 {v} 项", "m_between": "选择 {a}–{b} 项",
           "or": "、", "all": "，且", "any": "，或", "not": "并非"},
}


def _fmt_value(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def describe(cond: Condition, labels: Labels, dataset: Dataset | None = None) -> str:
    """A condition in plain words: “Age is 18–25 or 26–30 and Shops online is Almost every day”."""
    words = _OPS[labels.lang]
    if isinstance(cond, AnswerCondition):
        qtype = dataset.question(cond.question).type if dataset is not None and dataset.has(cond.question) else None
        if qtype is None and labels.doc.spec(cond.question) is not None:
            qtype = labels.doc.spec(cond.question).type  # type: ignore[union-attr]
        subject = labels.question(cond.question)
        if cond.row:
            subject += f" · {labels.option(cond.question, cond.row)}"
        vals = [labels.option(cond.question, v) if isinstance(v, str) else _fmt_value(v) for v in cond.values]
        key = ("m_" if qtype == "multi" else "") + cond.op
        text = words[key].format(v=words["or"].join(vals) if cond.op != "not_in" else " / ".join(vals),
                                 a=vals[0], b=vals[-1])
        return f"{subject} {text}" if labels.lang == "en" else f"{subject}{text}"
    if isinstance(cond, NotCondition):
        return words["not"] + "(" + describe(cond.of, labels, dataset) + ")"
    joiner = words["all"] if isinstance(cond, AllCondition) else words["any"]
    parts = [describe(sub, labels, dataset) for sub in cond.of]
    parts = [f"({p})" if isinstance(sub, AllCondition | AnyCondition) else p for p, sub in zip(parts, cond.of,
                                                                                               strict=True)]
    return joiner.join(parts)


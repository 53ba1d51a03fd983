"""What the Segments page shows: one analysis per revision (masks, measures, ratings, GE scores),
the tables of each tab, labels, formatted figures, the rule builder's choices, defaults and the data's
hints on Kotler's gates. Pure: no streamlit.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from easymall.core.text import Lang, text_in
from easymall.models.stp import GATES, StpDocument
from easymall.models.survey import SurveyDocument
from easymall.store.merge import show_value
from easymall.stp.clustering import segment_masks
from easymall.stp.profiles import Profile
from easymall.stp.rules import Labels, SegmentError, describe, option_orders
from easymall.stp.targeting import Rating, ge_table, measure_table, ratings
from easymall.survey import Dataset, Question

# --------------------------------------------------------------------------- one analysis per revision


@dataclass(frozen=True)
class Analysis:
    """Everything the Segments page shows that depends only on the document and the dataset."""

    orders: dict[str, list[str]]
    masks: dict[str, pd.Series]
    errors: dict[str, str]
    measures: pd.DataFrame | None
    rated: dict[str, dict[str, Rating]]
    ge: pd.DataFrame


_ANALYSES: dict[tuple, Analysis] = {}
_ANALYSES_MAX = 16


def analyse(doc: StpDocument, dataset: Dataset | None, survey_doc: SurveyDocument | None = None) -> Analysis:
    """Masks, measures, ratings and GE scores; cached per (dataset, document content, questionnaire)."""

    key = (id(dataset), dataset.name if dataset is not None else "", dataset.n if dataset is not None else 0,
           hashlib.sha1(doc.model_dump_json(exclude={"revision"}).encode()).hexdigest(),
           survey_doc.revision if survey_doc is not None else -1)
    hit = _ANALYSES.get(key)
    if hit is not None:
        return hit
    if dataset is None:
        rated = ratings(doc, None)
        result = Analysis({}, {}, {}, None, rated, ge_table(doc, rated, None))
    else:
        orders = option_orders(dataset, survey_doc)
        masks, errors = segment_masks(doc, dataset, orders)
        try:
            measures = measure_table(doc, dataset, masks, orders)
        except SegmentError as exc:
            errors["__measures__"] = str(exc)
            measures = None
        rated = ratings(doc, measures)
        result = Analysis(orders, masks, errors, measures, rated, ge_table(doc, rated, measures))
    if len(_ANALYSES) >= _ANALYSES_MAX:
        _ANALYSES.pop(next(iter(_ANALYSES)))
    _ANALYSES[key] = result
    return result



# --------------------------------------------------------------------------- tables for the page


def segment_rows(doc: StpDocument, an: Analysis, labels: Labels, dataset: Dataset | None) -> pd.DataFrame:
    """One row per segment: id, name, source, definition in words, n, share of the sample, target."""
    rows = []
    for s in doc.segments:
        if s.source == "rule" and s.rule is not None:
            definition = describe(s.rule, labels, dataset)
        else:
            assert s.cluster is not None
            qs = ", ".join(v.question for v in s.cluster.variables)
            definition = ("cluster {c} of k = {k} on {qs} (seed {seed})" if labels.lang == "en"
                          else "基于 {qs} 的 k = {k} 聚类中的第 {c} 类（种子 {seed}）").format(
                c=s.cluster.cluster + 1, k=s.cluster.k, qs=qs, seed=s.cluster.seed)
        n = share = float("nan")
        if an.measures is not None and s.id in an.measures.index:
            n, share = float(an.measures.at[s.id, "n"]), float(an.measures.at[s.id, "size"])
        rows.append({"id": s.id, "name": text_in(s.name, labels.lang), "source": s.source, "definition": definition,
                     "description": text_in(s.description, labels.lang), "n": n, "share": share, "target": s.target})
    return pd.DataFrame(rows, columns=["id", "name", "source", "definition", "description", "n", "share", "target"])


def answer_rows(table: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A profile table with readable answer labels (``answer``) for display."""
    out = table.copy()
    out["answer"] = [labels.answer(q, p) for q, p in zip(out["question"], out["part"], strict=True)]
    out["label"] = out["answer"]
    return out


def formatted(table: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """A comparison table as text: shares in %, means to 2 decimals, NPS signed, counts with separators."""
    def fmt(kind: str, v: float) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "—"
        if kind == "share":
            return f"{v:.0%}"
        if kind == "nps":
            return f"{v:+.0f}"
        if kind == "count":
            return f"{v:,.0f}"
        return f"{v:,.2f}"

    out = pd.DataFrame({"question": table["question"], "answer": table["answer"]})
    for g in groups:
        out[g] = [fmt(k, float(v)) for k, v in zip(table["kind"], table[g], strict=True)]
    return out


def rating_frames(doc: StpDocument, an: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(effective ratings: segments × criteria, nullable ints) and (what the data says, as text
    “rating (value)” per measured criterion)."""
    crits = doc.targeting.criteria()
    eff = pd.DataFrame(index=[s.id for s in doc.segments], columns=[c.id for c in crits], dtype="Int64")
    data = pd.DataFrame(index=[s.id for s in doc.segments], columns=[c.id for c in crits if c.measure], dtype=object)
    for s in doc.segments:
        for c in crits:
            r = an.rated.get(s.id, {}).get(c.id)
            eff.at[s.id, c.id] = r.value if r is not None and r.value is not None else pd.NA
            if c.measure:
                value = float("nan")
                if an.measures is not None and s.id in an.measures.index:
                    value = float(an.measures.at[s.id, c.measure])
                shown = "—" if math.isnan(value) else f"{value:.0%}"
                data.at[s.id, c.id] = f"{r.data} ({shown})" if r is not None and r.data is not None else shown
    return eff, data


def item_rows(item: dict, lang: Lang) -> list[tuple[str, str]]:
    """An STP list item (segment, criterion, competitor ...) as (field, value) rows for the conflict
    view: a segment shows what people edit (name, target, ratings, gates, statement), not its model."""

    if "source" not in item:
        return [(k, show_value(v, lang, 300)) for k, v in item.items() if k != "id"]
    rows = [("name", show_value(item.get("name"), lang, 120)), ("target", show_value(item.get("target", False), lang))]
    if item.get("ratings"):
        rows.append(("ratings", ", ".join(f"{k} {v}" for k, v in item["ratings"].items())))
    gates = item.get("gates") or {}
    marks = {True: "✓", False: "✗", None: "–"}
    if gates:
        rows.append(("gates", ", ".join(f"{g} {marks[(gates.get(g) or {}).get('passed')]}" for g in GATES)))
    for part in ("need", "frame", "benefit", "reason"):
        if item.get("statement"):
            rows.append((part, show_value(item["statement"].get(part), lang, 200)))
    if item.get("ideal"):
        rows.append(("ideal", ", ".join(f"{k} {v:g}" for k, v in item["ideal"].items())))
    if item.get("source") == "cluster" and item.get("cluster"):
        c = item["cluster"]
        rows.append(("cluster", f"{c.get('cluster', 0) + 1} / k = {c.get('k')}"))
    return rows



# --------------------------------------------------------------------------- Kotler gates (data hints)


def gate_hints(segment_id: str, measures: pd.DataFrame | None, profile: Profile | None) -> dict[str, dict]:
    """What the data says about each gate: ``measurable`` (members found), ``substantial`` (share),
    ``differentiable`` (significant distinguishing answers). Accessible / actionable are judgement."""
    hints: dict[str, dict] = {g: {} for g in GATES}
    if measures is not None and segment_id in measures.index:
        n = int(measures.at[segment_id, "n"])
        hints["measurable"] = {"n": n}
        hints["substantial"] = {"share": float(measures.at[segment_id, "size"])}
    if profile is not None:
        hints["differentiable"] = {"answers": int(profile.table["significant"].sum())}
    return hints



def builder_questions(dataset: Dataset) -> list[Question]:
    """Questions the rule builder offers: single and multiple choice, scales and numbers."""
    return [q for q in dataset.questions if q.type in ("single", "multi", "scale", "numeric")]


def value_range(dataset: Dataset, qid: str) -> tuple[float, float]:
    """The answered range of a scale or numeric question (for a slider)."""
    col = pd.to_numeric(dataset.frame[qid], errors="coerce")
    if not col.notna().any():
        return 0.0, 0.0
    return float(col.min()), float(col.max())


def split_questions(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A comparison block's rows per question, in order (the ``n`` row left out), for one chart each."""
    body = table[table["kind"] != "count"]
    order = list(dict.fromkeys(body["question"]))
    return [(q, body[body["question"] == q]) for q in order]


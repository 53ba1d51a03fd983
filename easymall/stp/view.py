"""What the Segments page shows: one analysis per revision (masks, measures, ratings, GE scores),
the tables of each tab, labels, formatted figures, the rule builder's choices, defaults and the data's
hints on Kotler's gates. Pure: no streamlit.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from easymall.core.i18n import error_text, t
from easymall.core.text import Lang, markdown_literal, text_in
from easymall.core.units import format_value
from easymall.models.stp import GATES, StpDocument, diagnostics
from easymall.models.survey import SurveyDocument
from easymall.store.merge import show_value
from easymall.stp.clustering import WEAK_SILHOUETTE, ClusterRun, Progress, run_clustering, segment_masks
from easymall.stp.edit import EditError, RulePart, build_rule
from easymall.stp.positioning import easy_mall_scores, map_points, pca_map
from easymall.stp.profiles import (
    Profile,
    compare,
    distinguishing,
    indicators,
    profiles,
    segment_profile,
    suggest_name,
)
from easymall.stp.rules import Labels, SegmentError, describe, evaluate, option_orders
from easymall.stp.targeting import Rating, ge_table, measure_table, ratings
from easymall.survey import Dataset, Question

__all__ = [  # what the page uses from the domain, in one place
    "GATES", "Analysis", "ClusterRun", "Labels", "Profile", "SegmentError", "StpDocument", "analyse", "compare",
    "diagnostics", "distinguishing", "format_value", "map_points", "pca_map", "segment_profile",
]

#: Explorer columns at most, rule-builder conditions at most.
MAX_COMPARED = 4
MAX_CONDITIONS = 4
#: The three answers to a Kotler gate, and each gate's stored value.
GATE_CHOICES = ("yes", "no", "open")
PARTS = ("need", "frame", "benefit", "reason")
ERRORS = "segments.err"

# --------------------------------------------------------------------------- one analysis per revision


@dataclass(frozen=True)
class Analysis:
    """Everything the Segments page shows that depends only on the document and the dataset."""

    orders: dict[str, list[str]]
    masks: dict[str, pd.Series]
    errors: dict[str, SegmentError]
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
            errors["__measures__"] = exc
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


#: The unit (:func:`easymall.core.units.format_value`) of each kind of comparison row.
KIND_UNITS = {"share": "share", "nps": "nps", "count": "count", "mean": "score"}


def formatted(table: pd.DataFrame, groups: Sequence[str], lang: Lang = "en") -> pd.DataFrame:
    """A comparison table as text: shares in %, means as scores, NPS signed, counts (one formatter)."""
    out = pd.DataFrame({"question": table["question"], "answer": table["answer"]})
    for g in groups:
        out[g] = [format_value(float(v), KIND_UNITS.get(k, "score"), lang)
                  for k, v in zip(table["kind"], table[g], strict=True)]
    return out


def rating_frames(doc: StpDocument, an: Analysis, lang: Lang = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
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
                shown = format_value(value, "share", lang)
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
    for part in PARTS:
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


# --------------------------------------------------------------------------- the page's texts and defaults


def is_document(doc: object) -> bool:
    """Whether the stored STP document could be read (else the page says so and stops)."""
    return isinstance(doc, StpDocument)


def names(doc: StpDocument, lang: Lang) -> dict[str, str]:
    """Segment id → name in ``lang``."""
    return {s.id: text_in(s.name, lang) for s in doc.segments}


def error_sentence(exc: Exception, lang: Lang) -> str:
    """An edit's or a rule's error as one sentence in ``lang`` (``segments.err.<code>``); a rule error
    of a stored segment names the segment."""
    text = error_text(exc, lang, ERRORS)
    segment = getattr(exc, "params", {}).get("segment")
    if segment and lang != "en" and text != str(exc):
        return t("segments.err.in_segment", lang, segment=segment, message=text)
    return text


def rule_errors(an: Analysis, lang: Lang) -> list[str]:
    """Each rule or measure the data cannot evaluate, as one sentence (the segment is left out)."""
    return [t("segments.rule_error", lang, message=error_sentence(exc, lang)) for exc in an.errors.values()]


def dataset_caption(dataset: Dataset, lang: Lang) -> str:
    return t("segments.dataset_caption", lang, name=dataset.name, n=format_value(dataset.n, "count", lang))


def card_size(row: Mapping[str, Any], lang: Lang) -> str | None:
    """“n respondents · share of the sample” of a segment card (None without a dataset)."""
    if math.isnan(row["n"]):
        return None
    return t("segments.card_size", lang, n=format_value(row["n"], "count", lang),
             share=format_value(row["share"], "share", lang))


def builder_titles(dataset: Dataset, labels: Labels) -> dict[str, str]:
    """The rule builder's questions as “id · title”."""
    return {q.id: f"{q.id} · {labels.question(q.id)}" for q in builder_questions(dataset)}


def builder_options(dataset: Dataset, qid: str, orders: dict[str, list[str]], labels: Labels
                    ) -> dict[str, str] | None:
    """Options (label → shown text) of a choice question; None for a scale or number (a range instead)."""
    q = dataset.question(qid)
    if q.type not in ("single", "multi"):
        return None
    return {o: labels.option(qid, o) for o in (orders.get(qid) or q.options)}


def slider_range(dataset: Dataset, qid: str) -> tuple[float, float]:
    """The range slider of a scale or numeric question: the answered range, at least one wide."""
    lo, hi = value_range(dataset, qid)
    return lo, max(hi, lo + 1)


def rule_preview(parts: Sequence[RulePart], combine: str, dataset: Dataset, labels: Labels,
                 orders: dict[str, list[str]]) -> tuple[object | None, str, str]:
    """(the rule or None, ``info`` | ``incomplete`` | ``warning``, the sentence) for the rule builder."""
    lang = labels.lang
    try:
        rule = build_rule(parts, combine)
        hits = int(evaluate(rule, dataset, orders).sum())
    except EditError:
        return None, "incomplete", t("segments.rb_incomplete", lang)
    except SegmentError as exc:
        return None, "warning", t("segments.rule_error", lang, message=error_sentence(exc, lang))
    return rule, "info", t("segments.rb_preview", lang, n=format_value(hits, "count", lang),
                           share=format_value(hits / max(dataset.n, 1), "share", lang),
                           rule=describe(rule, labels, dataset))


def variable_options(doc: StpDocument, dataset: Dataset, labels: Labels) -> tuple[list[str], dict[str, str]]:
    """Questions to cluster on (no free text), grouped as in ``stp.yaml``, with their shown titles."""
    group_of = {q: text_in(g.label, labels.lang) for g in doc.clustering.groups for q in g.questions}
    order = {g.id: i for i, g in enumerate(doc.clustering.groups)}
    group_rank = {q: order[g.id] for g in doc.clustering.groups for q in g.questions}
    found = [q.id for q in dataset.questions if q.type != "text"]
    ids = sorted(found, key=lambda q: (group_rank.get(q, len(order)), found.index(q)))
    titles = {q: f"{q} · {labels.question(q)}" + (f" ({group_of[q]})" if q in group_of else "") for q in ids}
    return ids, titles


def default_variables(doc: StpDocument, ids: Sequence[str]) -> list[str]:
    return [q for q in doc.clustering.default_variables if q in ids]


def k_choices(doc: StpDocument, lang: Lang) -> dict[object, str]:
    """k to cluster with → its label: ``best`` (by silhouette over the document's range) or a number."""
    lo, hi = doc.clustering.k_min, doc.clustering.k_max
    return {"best": t("segments.k_best", lang, lo=lo, hi=hi)} | {k: str(k) for k in range(lo, hi + 1)}


@dataclass(frozen=True)
class Clustered:
    """One clustering run with each cluster's profile and suggested names (en and zh)."""

    run: ClusterRun
    profiles: list[Profile]
    names: list[dict[str, str]]


def cluster(doc: StpDocument, dataset: Dataset, survey_doc: SurveyDocument | None, variables: Sequence[str],
            k: object, seed: int, progress: Progress | None = None) -> Clustered:
    """Run k-means on ``variables`` (``k`` = ``"best"`` or a number) and profile each cluster."""
    orders = option_orders(dataset, survey_doc)
    run = run_clustering(dataset, variables, k=None if k == "best" else int(k),  # type: ignore[call-overload]
                         k_range=(doc.clustering.k_min, doc.clustering.k_max), seed=int(seed),
                         ordinal=doc.clustering.ordinal, orders=orders, progress=progress)
    profs = profiles(indicators(dataset, variables, orders), run.labels, run.k)
    en, zh = Labels(dataset, survey_doc, "en"), Labels(dataset, survey_doc, "zh")
    return Clustered(run, profs, [suggest_name(p, en, zh) for p in profs])


def progress_text(done: int, total: int, what: str, lang: Lang) -> str:
    if what == "fit":
        return t("segments.progress_fit", lang)
    return t("segments.progress_k", lang, k=what.split("=")[1], done=done + 1, total=total)


def done_text(run: ClusterRun, lang: Lang) -> str:
    return t("segments.progress_done", lang, k=run.k, n=format_value(len(run.labels), "count", lang))


def run_caption(run: ClusterRun, lang: Lang) -> str:
    return t("segments.run_caption", lang, k=run.k, vars=", ".join(run.questions), seed=run.seed,
             sil=format_value(run.silhouette.get(run.k, float("nan")), "ratio", lang))


def weak_structure_text(run: ClusterRun, lang: Lang) -> str | None:
    """A warning when the clusters barely separate (silhouette below the threshold), else None."""
    if not run.weak:
        return None
    return t("segments.weak_structure", lang, k=run.k,
             sil=format_value(run.silhouette.get(run.k, float("nan")), "ratio", lang),
             threshold=format_value(WEAK_SILHOUETTE, "ratio", lang))


def flat_criteria(doc: StpDocument, rated: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, int]]:
    """Criteria that give every rated segment (two or more) the same rating: (criterion id, rating).
    Such a criterion adds the same to every score and does not discriminate between segments."""
    out = []
    for c in doc.targeting.criteria():
        values = [r[c.id].value for r in rated.values() if c.id in r and r[c.id].value is not None]
        if len(values) >= 2 and len(set(values)) == 1:
            out.append((c.id, int(values[0])))
    return out


def flat_criteria_text(doc: StpDocument, rated: Mapping[str, Mapping[str, Any]], lang: Lang) -> list[str]:
    labels = {c.id: text_in(c.label, lang) for c in doc.targeting.criteria()}
    return [t("segments.flat_criterion", lang, criterion=labels[cid], rating=value)
            for cid, value in flat_criteria(doc, rated)]


def cluster_title(profile: Profile, lang: Lang) -> str:
    return t("segments.cluster_title", lang, i=profile.index + 1, n=format_value(profile.n, "count", lang),
             share=format_value(profile.share, "share", lang))


def compare_choices(doc: StpDocument, an: Analysis) -> tuple[list[str], list[str]]:
    """Segments the explorer can compare, and the default pick: up to three targets, else the first two."""
    options = [s.id for s in doc.segments if s.id in an.masks]
    default = [s.id for s in doc.targets() if s.id in an.masks][:3] or options[:2]
    return options, default


def filters_caption(dataset: Dataset, mask: pd.Series | None, summary: str, lang: Lang) -> str:
    kept = int(mask.sum()) if mask is not None else dataset.n
    return t("segments.filters_caption", lang, filters=summary or t("segments.no_filters", lang),
             n=format_value(kept, "count", lang), total=format_value(dataset.n, "count", lang))


def group_sizes(tables: list[tuple[str, pd.DataFrame]], groups: Sequence[str], lang: Lang) -> dict[str, str]:
    """Respondents per compared group (the ``n`` row of the first table), formatted."""
    size = tables[0][1].iloc[0] if tables else None
    return {g: format_value(float(size[g]) if size is not None else float("nan"), "count", lang) for g in groups}


def gate_choice(passed: bool | None) -> str:
    """A stored gate (passed, failed, open) as the answer the page shows."""
    return "yes" if passed is True else "no" if passed is False else "open"


def gate_hint(hint: dict, lang: Lang) -> str | None:
    """The data's hint on one gate as a caption (None when the data says nothing)."""
    if "share" in hint:
        return t("segments.hint_substantial", lang, share=format_value(hint["share"], "share", lang))
    if "n" in hint:
        return t("segments.hint_measurable", lang, n=format_value(hint["n"], "count", lang))
    if "answers" in hint:
        return t("segments.hint_differentiable", lang, n=hint["answers"])
    return None


def explorer_questions(doc: StpDocument) -> list[str]:
    """The questions of every explorer block (a segment's profile for the gates' hints)."""
    return [q for b in doc.explorer for q in b.questions]


def weights_caption(doc: StpDocument, dimension: str, lang: Lang) -> str:
    total = sum(c.weight for c in getattr(doc.targeting, dimension))
    return t("segments.weights_caption", lang, total=format_value(total, "ratio", lang))


def with_names(frame: pd.DataFrame, names_: dict[str, str]) -> pd.DataFrame:
    """A segments × columns frame with the segment's name as the first column ``segment``."""
    out = frame.copy()
    out.insert(0, "segment", [names_[i] for i in out.index])
    return out


def ge_rows(an: Analysis, names_: dict[str, str], lang: Lang, criteria: Mapping[str, str] | None = None
            ) -> pd.DataFrame:
    """The GE table as shown: name, scores, zone in words, n and share as read (“—” when the data has
    no such segment, never ``None``), missing ratings by their criterion's label; most attractive first."""
    ge = an.ge.copy()
    ge["name"] = [names_[s] for s in ge["segment"]]
    ge["zone"] = [t(f"segments.zone_{z}", lang) for z in ge["zone"]]
    sep = "、" if lang == "zh" else ", "
    ge["missing"] = [sep.join((criteria or {}).get(m, m) for m in ms) or "—" for ms in ge["missing"]]
    ge["n"] = [format_value(v, "count", lang) if v is not None and v == v else "—" for v in ge["n"]]
    ge["size"] = [format_value(v, "share", lang) if v is not None and v == v else "—" for v in ge["size"]]
    return ge[["name", "attractiveness", "strength", "zone", "n", "size", "missing"]].sort_values(
        "attractiveness", ascending=False)


def criterion_labels(doc: StpDocument, lang: Lang) -> dict[str, str]:
    """Targeting criterion id → its label in ``lang``."""
    return {c.id: text_in(c.label, lang) for c in doc.targeting.criteria()}


def attribute_labels(doc: StpDocument, lang: Lang) -> dict[str, str]:
    return {a.id: text_in(a.label, lang) for a in doc.positioning.attributes}


def map_axes(doc: StpDocument) -> tuple[int, int]:
    """Default x and y attributes of the perceptual map (positions in the attribute list)."""
    ids = [a.id for a in doc.positioning.attributes]
    return ids.index(doc.positioning.x or ids[0]), ids.index(doc.positioning.y or ids[1])


def pc_titles(pca: object, lang: Lang) -> tuple[str, str]:
    """Axis titles of the PCA map: “Component i (share of variance)”."""
    return tuple(t("segments.pc", lang, i=i + 1, share=format_value(pca.explained[i], "share", lang))  # type: ignore[attr-defined]
                 for i in range(2))  # type: ignore[return-value]


def easy_mall_rows(doc: StpDocument, dataset: Dataset | None, lang: Lang) -> pd.DataFrame:
    """Easy Mall's score per attribute and where it comes from (survey mean, team estimate)."""
    attrs = attribute_labels(doc, lang)
    return pd.DataFrame([{"attribute": attrs[a], "score": v, "source": t(f"segments.score_{src}", lang)}
                         for a, (v, src) in easy_mall_scores(doc, dataset).items()])


def competitor_frame(doc: StpDocument, lang: Lang) -> pd.DataFrame:
    """Competitors × attributes (the scores table people edit)."""
    attrs = attribute_labels(doc, lang)
    return pd.DataFrame([{"name": text_in(c.name, lang), **{a: c.scores.get(a) for a in attrs}}
                         for c in doc.positioning.competitors])


def ideal_frame(doc: StpDocument, lang: Lang) -> pd.DataFrame:
    """Target segments × attributes: their ideal points."""
    attrs, shown = attribute_labels(doc, lang), names(doc, lang)
    return pd.DataFrame([{"name": shown[s.id], **{a: s.ideal.get(a) for a in attrs}} for s in doc.targets()])


def statement_sentence(doc: StpDocument, sid: str, lang: Lang) -> str | None:
    """The positioning statement of a segment as one sentence (None before it has one)."""
    seg = doc.segment(sid)
    if seg.statement is None:
        return None
    return t("segments.statement_sentence", lang, segment=markdown_literal(text_in(seg.name, lang)),
             **{p: markdown_literal(text_in(getattr(seg.statement, p), lang)) for p in PARTS})


def statement_parts(doc: StpDocument, sid: str, lang: Lang) -> dict[str, str]:
    seg = doc.segment(sid)
    return {p: text_in(getattr(seg.statement, p), lang) if seg.statement else "" for p in PARTS}

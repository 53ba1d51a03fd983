"""Checks that span documents: every id one document cites must exist in the one it points to.

Each check takes the loaded documents by name and yields ``(document, dotted.path, message)``.
Add a check to :data:`CHECKS` when a document starts citing another.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from easymall.models.common import Document
from easymall.models.kpis import KPI_IDS
from easymall.models.stp import condition_answers

Finding = tuple[str, str, str]
Check = Callable[[dict[str, Document]], Iterator[Finding]]

CHECKS: list[Check] = []


def check_references(docs: dict[str, Document]) -> list[Finding]:
    """Run every registered check over the documents that loaded."""
    return [finding for check in CHECKS for finding in check(docs)]


def _marketing_references(docs: dict[str, Document]) -> Iterator[Finding]:
    """Marketing actions cite segments (stp) and TOWS strategies (swot); scenarios and TOWS lever
    presets cite marketing levers, whose values must lie in the lever's range."""
    marketing = docs.get("marketing")
    levers = {lv.id: lv for lv in getattr(marketing, "levers", [])}
    segments = {s.id for s in getattr(docs.get("stp"), "segments", [])}
    strategies = {s.id for s in getattr(docs.get("swot"), "strategies", [])}
    for i, action in enumerate(getattr(marketing, "actions", [])):
        if "stp" in docs:
            for seg in action.segments:
                if seg not in segments:
                    yield ("marketing", f"actions.{i}.segments",
                           f"action {action.id} targets segment {seg}, which is not in stp.yaml")
        if "swot" in docs and action.strategy and action.strategy not in strategies:
            yield ("marketing", f"actions.{i}.strategy",
                   f"action {action.id} implements strategy {action.strategy}, which is not in swot.yaml")
    if marketing is None:
        return
    presets = [("scenarios", f"scenarios.{i}.levers", f"scenario {s.id}", s.levers)
               for i, s in enumerate(getattr(docs.get("scenarios"), "scenarios", []))]
    presets += [("swot", f"strategies.{i}.levers", f"strategy {s.id}", s.levers)
                for i, s in enumerate(getattr(docs.get("swot"), "strategies", [])) if getattr(s, "levers", None)]
    for doc, path, who, values in presets:
        for key, value in values.items():
            lever = levers.get(key)
            if lever is None:
                yield (doc, path, f"{who} sets lever {key}, which is not in marketing.yaml")
            elif not lever.min <= value <= lever.max:
                yield (doc, path, f"{who} sets {key} to {value:g}, outside its range "
                                  f"{lever.min:g}–{lever.max:g} {lever.unit}")


CHECKS.append(_marketing_references)


def _swot_references(docs: dict[str, Document]) -> Iterator[Finding]:
    """SWOT items cite evidence (survey KPI ids or market fact ids); TOWS strategies pair SWOT
    items; the QSPM compares strategies over IFE/EFE factors."""
    swot = docs.get("swot")
    if swot is None:
        return
    quadrants = ("strengths", "weaknesses", "opportunities", "threats")
    facts = {f.id for f in getattr(docs.get("market"), "facts", [])}
    check_facts = "market" in docs  # a broken market.yaml is reported on its own; do not flag every fact
    items = {i.id for q in quadrants for i in getattr(swot, q)}
    for q in quadrants:
        for n, item in enumerate(getattr(swot, q)):
            for e in item.evidence:
                if e not in KPI_IDS and check_facts and e not in facts:
                    yield ("swot", f"{q}.{n}.evidence",
                           f"{item.id} cites evidence {e}, which is neither a survey KPI nor a fact in market.yaml")
    for n, s in enumerate(swot.strategies):
        for p in s.pairs:
            if p not in items:
                yield ("swot", f"strategies.{n}.pairs", f"strategy {s.id} pairs {p}, which is not a SWOT item")
    strategies = {s.id for s in swot.strategies}
    for n, sid in enumerate(swot.qspm.strategies):
        if sid not in strategies:
            yield ("swot", f"qspm.strategies.{n}", f"the QSPM compares {sid}, which is not a TOWS strategy")
    for n, row in enumerate(swot.qspm.rows):
        if row.id not in items:
            yield ("swot", f"qspm.rows.{n}.id", f"the QSPM scores {row.id}, which is not a SWOT item")


CHECKS.append(_swot_references)


def _stp_references(docs: dict[str, Document]) -> Iterator[Finding]:
    """STP rules, measures, clustering and explorer questions, and positioning attributes cite the
    questionnaire (survey.yaml): question ids, option labels and matrix rows must exist there.
    (Targets, ratings, ideal points and statements live inside their segment, so they cannot point
    at a segment that does not exist; the model checks criteria and attribute ids.)"""
    stp, survey = docs.get("stp"), docs.get("survey")
    questions = {q.id: q for q in getattr(survey, "questions", [])}
    if stp is None or not questions:
        return
    def conditions():
        for n, s in enumerate(stp.segments):
            if s.rule is not None:
                yield f"segments.{n}.rule", f"segment {s.id}", s.rule
        for n, m in enumerate(stp.targeting.measures):
            yield f"targeting.measures.{n}.condition", f"measure {m.id}", m.condition
            if m.base is not None:
                yield f"targeting.measures.{n}.base", f"measure {m.id}", m.base

    for path, who, cond in conditions():
        for leaf in condition_answers(cond):
            q = questions.get(leaf.question)
            if q is None:
                yield ("stp", path, f"{who} uses question {leaf.question}, which is not in survey.yaml")
                continue
            if leaf.row is not None and leaf.row not in {r.label for r in q.rows}:
                yield ("stp", path, f"{who}: “{leaf.row}” is not a row of {q.id} in survey.yaml")
            if q.type == "single" or (q.type == "multi" and leaf.op in ("in", "not_in", "eq")):
                known = {o.label for o in q.options}
                for v in leaf.values:
                    if isinstance(v, str) and v not in known:
                        yield ("stp", path, f"{who}: “{v}” is not an option of {q.id} in survey.yaml")
    named = [("clustering.default_variables", stp.clustering.default_variables),
             ("clustering.ordinal", stp.clustering.ordinal)]
    named += [(f"clustering.groups.{n}.questions", g.questions) for n, g in enumerate(stp.clustering.groups)]
    named += [(f"explorer.{n}.questions", b.questions) for n, b in enumerate(stp.explorer)]
    named += [(f"bases.{n}.questions", b.questions) for n, b in enumerate(stp.bases)]
    for path, qids in named:
        for qid in qids:
            if qid not in questions:
                yield ("stp", path, f"question {qid} is not in survey.yaml")
    for n, a in enumerate(stp.positioning.attributes):
        if a.survey is None:
            continue
        q = questions.get(a.survey.question)
        if q is None:
            yield ("stp", f"positioning.attributes.{n}.survey", f"attribute {a.id} uses question "
                                                                 f"{a.survey.question}, which is not in survey.yaml")
        elif a.survey.row not in {r.label for r in q.rows}:
            yield ("stp", f"positioning.attributes.{n}.survey",
                   f"attribute {a.id}: “{a.survey.row}” is not a row of {q.id} in survey.yaml")


CHECKS.append(_stp_references)

"""Checks that span documents: every id one document cites must exist in the one it points to.

Each check takes the loaded documents by name and yields a :class:`Finding`, which is the tuple
``(document, dotted.path, message)`` with the English message, and carries the sentence's ``code``
and ``params`` so the Chinese UI says it from the catalogue (``error.<code>``, like a model invariant).
Add a check to :data:`CHECKS` when a document starts citing another.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from easymall.models.common import Document
from easymall.models.kpis import KPI_IDS
from easymall.models.stp import condition_answers

#: Every finding's code -> its English sentence, with ``{placeholders}`` for its params.
SENTENCES: dict[str, str] = {
    "ref_action_segment": "action {id} targets segment {segment}, which is not in stp.yaml",
    "ref_action_strategy": "action {id} implements strategy {strategy}, which is not in swot.yaml",
    "ref_scenario_lever": "scenario {id} sets lever {lever}, which is not in marketing.yaml",
    "ref_strategy_lever": "strategy {id} sets lever {lever}, which is not in marketing.yaml",
    "ref_scenario_lever_range": "scenario {id} sets {lever} to {value}, outside its range {min}–{max} {unit}",
    "ref_strategy_lever_range": "strategy {id} sets {lever} to {value}, outside its range {min}–{max} {unit}",
    "ref_evidence": "{id} cites evidence {evidence}, which is neither a survey KPI nor a fact in market.yaml",
    "ref_strategy_pair": "strategy {id} pairs {item}, which is not a SWOT item",
    "ref_qspm_strategy": "the QSPM compares {strategy}, which is not a TOWS strategy",
    "ref_qspm_row": "the QSPM scores {item}, which is not a SWOT item",
    "ref_segment_question": "segment {id} uses question {question}, which is not in survey.yaml",
    "ref_measure_question": "measure {id} uses question {question}, which is not in survey.yaml",
    "ref_segment_row": "segment {id}: “{row}” is not a row of {question} in survey.yaml",
    "ref_measure_row": "measure {id}: “{row}” is not a row of {question} in survey.yaml",
    "ref_segment_option": "segment {id}: “{option}” is not an option of {question} in survey.yaml",
    "ref_measure_option": "measure {id}: “{option}” is not an option of {question} in survey.yaml",
    "ref_question": "question {question} is not in survey.yaml",
    "ref_attribute_question": "attribute {id} uses question {question}, which is not in survey.yaml",
    "ref_attribute_row": "attribute {id}: “{row}” is not a row of {question} in survey.yaml",
}


class Finding(tuple[str, str, str]):
    """``(document, path, message)``: ``message`` is the English sentence :data:`SENTENCES` ``[code]``
    filled with ``params``; ``code`` / ``params`` name its translation (``error.<code>``)."""

    code: str
    params: dict[str, str]

    def __new__(cls, doc: str, path: str, code: str, /, **params: object) -> Finding:
        values = {k: str(v) for k, v in params.items()}
        self = super().__new__(cls, (doc, path, SENTENCES[code].format(**values)))
        self.code, self.params = code, values
        return self


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
                    yield Finding("marketing", f"actions.{i}.segments", "ref_action_segment",
                                  id=action.id, segment=seg)
        if "swot" in docs and action.strategy and action.strategy not in strategies:
            yield Finding("marketing", f"actions.{i}.strategy", "ref_action_strategy",
                          id=action.id, strategy=action.strategy)
    if marketing is None:
        return
    presets = [("scenarios", f"scenarios.{i}.levers", "scenario", s.id, s.levers)
               for i, s in enumerate(getattr(docs.get("scenarios"), "scenarios", []))]
    presets += [("swot", f"strategies.{i}.levers", "strategy", s.id, s.levers)
                for i, s in enumerate(getattr(docs.get("swot"), "strategies", [])) if getattr(s, "levers", None)]
    for doc, path, kind, who, values in presets:
        for key, value in values.items():
            lever = levers.get(key)
            if lever is None:
                yield Finding(doc, path, f"ref_{kind}_lever", id=who, lever=key)
            elif not lever.min <= value <= lever.max:
                yield Finding(doc, path, f"ref_{kind}_lever_range", id=who, lever=key, value=f"{value:g}",
                              min=f"{lever.min:g}", max=f"{lever.max:g}", unit=lever.unit)


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
                    yield Finding("swot", f"{q}.{n}.evidence", "ref_evidence", id=item.id, evidence=e)
    for n, s in enumerate(swot.strategies):
        for p in s.pairs:
            if p not in items:
                yield Finding("swot", f"strategies.{n}.pairs", "ref_strategy_pair", id=s.id, item=p)
    strategies = {s.id for s in swot.strategies}
    for n, sid in enumerate(swot.qspm.strategies):
        if sid not in strategies:
            yield Finding("swot", f"qspm.strategies.{n}", "ref_qspm_strategy", strategy=sid)
    for n, row in enumerate(swot.qspm.rows):
        if row.id not in items:
            yield Finding("swot", f"qspm.rows.{n}.id", "ref_qspm_row", item=row.id)


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
                yield f"segments.{n}.rule", "segment", s.id, s.rule
        for n, m in enumerate(stp.targeting.measures):
            yield f"targeting.measures.{n}.condition", "measure", m.id, m.condition
            if m.base is not None:
                yield f"targeting.measures.{n}.base", "measure", m.id, m.base

    for path, kind, who, cond in conditions():
        for leaf in condition_answers(cond):
            q = questions.get(leaf.question)
            if q is None:
                yield Finding("stp", path, f"ref_{kind}_question", id=who, question=leaf.question)
                continue
            if leaf.row is not None and leaf.row not in {r.label for r in q.rows}:
                yield Finding("stp", path, f"ref_{kind}_row", id=who, row=leaf.row, question=q.id)
            if q.type == "single" or (q.type == "multi" and leaf.op in ("in", "not_in", "eq")):
                known = {o.label for o in q.options}
                for v in leaf.values:
                    if isinstance(v, str) and v not in known:
                        yield Finding("stp", path, f"ref_{kind}_option", id=who, option=v, question=q.id)
    named = [("clustering.default_variables", stp.clustering.default_variables),
             ("clustering.ordinal", stp.clustering.ordinal)]
    named += [(f"clustering.groups.{n}.questions", g.questions) for n, g in enumerate(stp.clustering.groups)]
    named += [(f"explorer.{n}.questions", b.questions) for n, b in enumerate(stp.explorer)]
    named += [(f"bases.{n}.questions", b.questions) for n, b in enumerate(stp.bases)]
    for path, qids in named:
        for qid in qids:
            if qid not in questions:
                yield Finding("stp", path, "ref_question", question=qid)
    for n, a in enumerate(stp.positioning.attributes):
        if a.survey is None:
            continue
        q = questions.get(a.survey.question)
        if q is None:
            yield Finding("stp", f"positioning.attributes.{n}.survey", "ref_attribute_question", id=a.id,
                          question=a.survey.question)
        elif a.survey.row not in {r.label for r in q.rows}:
            yield Finding("stp", f"positioning.attributes.{n}.survey", "ref_attribute_row",
                          id=a.id, row=a.survey.row, question=q.id)


CHECKS.append(_stp_references)

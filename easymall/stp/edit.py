"""Every user edit of the STP document: a pure function from a document to a new document, or one
:class:`EditError` (a :class:`~easymall.core.errors.CodedError`; its ``code`` names the Chinese
sentence ``segments.err.<code>``). The input document is never mutated.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from easymall.core.errors import CodedError
from easymall.core.i18n import explain
from easymall.core.text import Lang
from easymall.models.stp import GATES, Condition, StpDocument
from easymall.stp.clustering import ClusterRun
from easymall.stp.targeting import Rating

# --------------------------------------------------------------------------- edits (pure: new document out)


class EditError(CodedError, ValueError):
    """An edit that would make the document invalid; the message is one plain sentence (its
    ``code`` names it in the catalogue, ``segments.err.<code>``, for the Chinese UI)."""


def _rebuild(doc: StpDocument, data: dict) -> StpDocument:

    try:
        return StpDocument.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


def _invalid(exc: ValidationError) -> EditError:
    """The first validation error as one EditError: “where: sentence” (pydantic's sentence, or the
    catalogue's ``error.<type>`` for the Chinese UI; the model's own invariants stay as written)."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"] if not str(p)[:1].isupper() and "[" not in str(p))
    msg, zh = explain(err, "en"), explain(err, "zh")
    if where:
        return EditError(f"{where}: {msg}", code="invalid_at", where=where, sentence=zh)
    return EditError(msg, code="invalid", sentence=zh)


def _data(doc: StpDocument) -> dict:
    return doc.model_dump(mode="json", exclude_none=True)


def _seg(data: dict, sid: str) -> dict:
    for s in data["segments"]:
        if s["id"] == sid:
            return s
    raise EditError(f"segment {sid} no longer exists (someone may have removed it)", code="gone", id=sid)


def _text_data(old: object, lang: Lang, new: str) -> object:
    """``new`` as the ``lang`` text of a field stored as plain str or {en, zh} (plain data in/out)."""
    new = new.strip()
    if isinstance(old, dict):
        out = {"en": old.get("en", ""), "zh": old.get("zh", "")}
        out[lang] = new
        return out if (out["en"] or out["zh"]) else None
    if isinstance(old, str) and old and old != new:
        return {lang: new, ("zh" if lang == "en" else "en"): old} if new else old
    return new or None


def add_cluster_segment(doc: StpDocument, run: ClusterRun, cluster: int, name: dict[str, str] | str,
                        description: dict[str, str] | str | None = None) -> tuple[StpDocument, str]:
    """Save cluster ``cluster`` of ``run`` as a new segment (frozen model; not a target yet)."""
    data = _data(doc)
    sid = new_segment_id(doc, f"cluster_k{run.k}_{cluster + 1}")
    seg: dict = {"id": sid, "name": name, "source": "cluster", "cluster": run.model(cluster).model_dump(mode="json")}
    if description:
        seg["description"] = description
    data["segments"].append(seg)
    return _rebuild(doc, data), sid


def remove_segment(doc: StpDocument, sid: str) -> StpDocument:
    data = _data(doc)
    _seg(data, sid)
    data["segments"] = [s for s in data["segments"] if s["id"] != sid]
    return _rebuild(doc, data)


def rename_segment(doc: StpDocument, sid: str, lang: Lang, name: str) -> StpDocument:
    data = _data(doc)
    seg = _seg(data, sid)
    new = _text_data(seg.get("name"), lang, name)
    if new is None or not name.strip():
        raise EditError("a segment needs a name", code="name")
    seg["name"] = new
    return _rebuild(doc, data)


def set_gates(doc: StpDocument, sid: str, gates: dict[str, tuple[bool | None, str]], lang: Lang) -> StpDocument:
    """Set Kotler's gates of a segment: ``{gate: (passed, note in lang)}``."""
    data = _data(doc)
    seg = _seg(data, sid)
    out = seg.setdefault("gates", {})
    for g, (passed, note) in gates.items():
        if g not in GATES:
            raise EditError(f"unknown gate {g}", code="gate", gate=g)
        entry = out.setdefault(g, {})
        entry["passed"] = passed
        new_note = _text_data(entry.get("note"), lang, note or "")
        if new_note is None:
            entry.pop("note", None)
        else:
            entry["note"] = new_note
    return _rebuild(doc, data)


def set_weights(doc: StpDocument, dimension: str, weights: dict[str, float]) -> StpDocument:
    """New weights of one dimension (``attractiveness`` | ``strength``); they must sum to 1."""
    data = _data(doc)
    for c in data["targeting"][dimension]:
        if c["id"] in weights:
            c["weight"] = round(float(weights[c["id"]]), 4)
    return _rebuild(doc, data)


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 (rounded to 3 decimals, the rounding put on the largest)."""
    total = sum(max(w, 0) for w in weights.values())
    if total <= 0:
        raise EditError("at least one weight must be above 0", code="weights")
    out = {k: round(max(w, 0) / total, 3) for k, w in weights.items()}
    top = max(out, key=out.get)  # type: ignore[arg-type]
    out[top] = round(out[top] + 1 - sum(out.values()), 3)
    return out


def set_ratings(doc: StpDocument, changes: dict[str, dict[str, int | None]]) -> StpDocument:
    """``{segment: {criterion: rating or None}}`` — None removes the override (back to the data)."""
    data = _data(doc)
    for sid, row in changes.items():
        seg = _seg(data, sid)
        r = seg.setdefault("ratings", {})
        for cid, value in row.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                r.pop(cid, None)
            else:
                r[cid] = int(value)
    return _rebuild(doc, data)


def reset_measured(doc: StpDocument) -> StpDocument:
    """Drop every override of a criterion the data measures, so the data's ratings apply again."""
    measured = {c.id for c in doc.targeting.criteria() if c.measure is not None}
    data = _data(doc)
    for seg in data["segments"]:
        seg["ratings"] = {k: v for k, v in seg.get("ratings", {}).items() if k not in measured}
    return _rebuild(doc, data)


def set_targets(doc: StpDocument, targets: Sequence[str]) -> StpDocument:
    data = _data(doc)
    chosen = set(targets)
    for seg in data["segments"]:
        seg["target"] = seg["id"] in chosen
    return _rebuild(doc, data)


def set_statement(doc: StpDocument, sid: str, lang: Lang, parts: dict[str, str]) -> StpDocument:
    """The positioning statement of a segment in ``lang`` (need, frame, benefit, reason)."""
    data = _data(doc)
    seg = _seg(data, sid)
    old = seg.get("statement") or {}
    new = {}
    for key in ("need", "frame", "benefit", "reason"):
        value = _text_data(old.get(key), lang, parts.get(key, ""))
        if value is None or not parts.get(key, "").strip():
            raise EditError(f"the statement needs its “{key}” part", code=f"statement_{key}")
        new[key] = value
    seg["statement"] = new
    return _rebuild(doc, data)


def set_scores(doc: StpDocument, competitors: dict[str, dict[str, float | None]] | None = None,
               ideals: dict[str, dict[str, float | None]] | None = None) -> StpDocument:
    """Competitor scores and segments' ideal points (None removes a score)."""
    data = _data(doc)
    for cid, row in (competitors or {}).items():
        comp = next((c for c in data["positioning"]["competitors"] if c["id"] == cid), None)
        if comp is None:
            raise EditError(f"competitor {cid} no longer exists", code="competitor_gone", id=cid)
        for attr, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                comp.setdefault("scores", {}).pop(attr, None)
            else:
                comp.setdefault("scores", {})[attr] = round(float(v), 2)
    for sid, row in (ideals or {}).items():
        seg = _seg(data, sid)
        for attr, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                seg.setdefault("ideal", {}).pop(attr, None)
            else:
                seg.setdefault("ideal", {})[attr] = round(float(v), 2)
    return _rebuild(doc, data)


def new_segment_id(doc: StpDocument, stem: str) -> str:
    """A segment id not used yet: ``stem``, ``stem_2`` ..."""
    ids = {s.id for s in doc.segments}
    if stem not in ids:
        return stem
    n = 2
    while f"{stem}_{n}" in ids:
        n += 1
    return f"{stem}_{n}"


# --------------------------------------------------------------------------- rule builder


@dataclass(frozen=True)
class RulePart:
    """One line of the rule builder: a question, ``in``/``not_in`` options or a numeric ``between``."""

    question: str
    op: str  # "in" | "not_in" | "between"
    values: tuple = ()


def build_rule(parts: Sequence[RulePart], combine: str = "all") -> Condition:
    """A structured condition from builder lines (``combine``: ``all`` or ``any``); raises EditError."""

    leaves = []
    for p in parts:
        if not p.values:
            raise EditError(f"{p.question}: choose at least one answer", code="answers", question=p.question)
        leaves.append({"type": "answer", "question": p.question, "op": p.op, "values": list(p.values)})
    if not leaves:
        raise EditError("add at least one condition", code="conditions")
    data = leaves[0] if len(leaves) == 1 else {"type": combine, "of": leaves}
    try:
        return TypeAdapter(Condition).validate_python(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


def add_rule_segment(doc: StpDocument, name: dict[str, str] | str, rule: Condition) -> tuple[StpDocument, str]:
    """A new rule segment (not a target yet); its id comes from the English (or only) name."""

    base = (name.get("en") or name.get("zh") or "") if isinstance(name, dict) else name
    stem = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")[:40]
    stem = stem if stem[:1].isalpha() else f"segment_{stem}".strip("_")
    sid = new_segment_id(doc, stem or "segment")
    if not (name if isinstance(name, str) else any(name.values())):
        raise EditError("a segment needs a name", code="name")
    data = _data(doc)
    data["segments"].append({"id": sid, "name": name, "source": "rule",
                             "rule": rule.model_dump(mode="json", exclude_none=True)})
    return _rebuild(doc, data), sid


# --------------------------------------------------------------------------- what the page's editors hand in


#: A Kotler gate's answer on the page → its stored value (``open`` = not decided yet).
GATE_ANSWERS: dict[str, bool | None] = {"yes": True, "no": False, "open": None}


def gates_from_answers(answers: dict[str, tuple[str, str]]) -> dict[str, tuple[bool | None, str]]:
    """``{gate: (yes | no | open, note)}`` from the page as :func:`set_gates` takes it."""
    return {g: (GATE_ANSWERS[choice], note) for g, (choice, note) in answers.items()}


def rating_changes(rated: dict[str, dict[str, Rating]], seg_ids: Sequence[str], crit_ids: Sequence[str],
                   edited_rows: dict) -> dict[str, dict[str, int | None]]:
    """The ratings table's edits (``{row: {criterion: value}}``) as :func:`set_ratings` takes them: a
    rating equal to the data's own rating, or a cleared cell, is stored as None (the data applies)."""
    changes: dict[str, dict[str, int | None]] = {}
    for row, cols in edited_rows.items():
        sid = seg_ids[int(row)]
        for cid, value in cols.items():
            if cid not in crit_ids:
                continue
            r = rated.get(sid, {}).get(cid)
            same_as_data = r is not None and r.data is not None and value == r.data
            changes.setdefault(sid, {})[cid] = None if value is None or same_as_data else int(value)
    return changes


def score_changes(ids: Sequence[str], edited_rows: dict) -> dict[str, dict[str, float | None]]:
    """A scores table's edits (``{row: {attribute: value}}``) as :func:`set_scores` takes them."""
    return {ids[int(r)]: {a: (None if v is None else float(v)) for a, v in cols.items() if a != "name"}
            for r, cols in edited_rows.items()}


def cluster_name(suggested: dict[str, str], typed: str, lang: Lang) -> dict[str, str] | str:
    """The name a saved cluster gets: the suggestion in both languages unless someone typed another."""
    typed = (typed or "").strip()
    return suggested if not typed or typed == suggested[lang] else typed

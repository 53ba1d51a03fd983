"""Edits of a SWOT document, as pure functions: each takes a document and returns a new one.

Every function checks its input the way the model does and raises :class:`EditError` (a
:class:`~easymall.core.errors.CodedError`): one plain sentence (catalogue key ``swot.err.<code>``,
in English and Chinese) naming the item, row and field, instead of letting an invalid value
through; nothing that violates the model comes out.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from easymall.core.i18n import problem_text, t
from easymall.core.text import LANGS, Lang
from easymall.models.common import MAX_TEXT, LocalizedText, Text
from easymall.models.swot import (
    MATRIX,
    PREFIX,
    PRIORITIES,
    QUADRANTS,
    STRATEGY_TYPES,
    QspmRow,
    Strategy,
    SwotDocument,
    SwotItem,
)
from easymall.store.documents import validation_problems
from easymall.swot.errors import SwotError
from easymall.swot.matrices import normalise_weights

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
DEFAULT_RATING = {"strengths": 3, "weaknesses": 2, "opportunities": 2, "threats": 2}


class EditError(SwotError):
    """An edit that would make the document invalid: one plain sentence (``swot.err.<code>``)."""


# --------------------------------------------------------------------------- value checks


def check_weight(value: object, where: str) -> float:
    """A weight from a form, grid or paste: a number 0–1 (``"0.1"`` accepted, ``"abc"`` not)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise EditError("empty", where=where, field="weight")
    if isinstance(value, bool):
        raise EditError("not_number", where=where, field="weight", value=value)
    try:
        w = float(str(value).strip().replace("，", ".")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EditError("not_number", where=where, field="weight", value=value) from None
    if not math.isfinite(w) or not 0.0 <= w <= 1.0:
        raise EditError("range", where=where, field="weight", value=value, low=0, high=1)
    return round(w, 6)


def check_int(value: object, where: str, field: str, low: int, high: int) -> int:
    """A whole number in ``low..high`` (``"3"`` and ``3.0`` accepted, ``7`` and ``2.5`` not)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise EditError("empty", where=where, field=field)
    if isinstance(value, bool):
        raise EditError("not_number", where=where, field=field, value=value)
    try:
        f = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EditError("not_number", where=where, field=field, value=value) from None
    if not math.isfinite(f) or f != int(f) or not low <= f <= high:
        raise EditError("range_int", where=where, field=field, value=value, low=low, high=high)
    return int(f)


def check_text(value: object, where: str, field: str = "text") -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise EditError("empty", where=where, field=field)
    if len(text) > MAX_TEXT:
        raise EditError("too_long", where=where, field=field, n=f"{len(text):,}", max=f"{MAX_TEXT:,}")
    return text


def check_id(value: object, where: str) -> str:
    s = str(value or "").strip()
    if not _ID.match(s):
        raise EditError("bad_id", where=where, value=s)
    return s


def with_text(old: Text | None, lang: Lang, new: str) -> Text:
    """``old`` with its ``lang`` version replaced by ``new`` (a plain string stays plain)."""
    if old is None or isinstance(old, str):
        return new
    return LocalizedText(**{**old.model_dump(), lang: new})


def localized(en: object, zh: object, where: str) -> Text:
    """A text from the two language fields of a form; at least one is needed."""
    e, z = str(en or "").strip(), str(zh or "").strip()
    if not e and not z:
        raise EditError("empty", where=where, field="text")
    for v, f in ((e, "text_en"), (z, "text_zh")):
        if len(v) > MAX_TEXT:
            raise EditError("too_long", where=where, field=f, n=f"{len(v):,}", max=f"{MAX_TEXT:,}")
    return LocalizedText(en=e, zh=z)


def _problem(exc: ValidationError) -> dict[str, str]:
    """The model's first objection, in each language (without its path: the sentence names it)."""
    first = replace(validation_problems(exc, "config/swot.yaml")[0], path="")
    return {lang: problem_text(first, lang) for lang in LANGS}


def _validated(model: type, data: dict[str, Any], where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = str(err["loc"][0]) if err["loc"] else "value"
        raise EditError("invalid", where=where, field=field, problem=_problem(exc)) from None


def _doc(data: dict[str, Any]) -> SwotDocument:
    try:
        return SwotDocument.model_validate(data)
    except ValidationError as exc:
        raise EditError("document", problem=_problem(exc)) from None


def _copy(doc: SwotDocument) -> dict[str, Any]:
    return doc.model_dump()


def _all_ids(data: dict[str, Any]) -> set[str]:
    ids = {i["id"] for q in QUADRANTS for i in data[q]}
    ids |= {s["id"] for s in data["strategies"]}
    return ids


def next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


# --------------------------------------------------------------------------- items


def item_from_fields(fields: Mapping[str, Any], where: str, *, base: SwotItem | None = None,
                     lang: Lang = "en") -> SwotItem:
    """A validated item from loose field values (a form or a grid row). ``text`` replaces the
    ``lang`` version of ``base.text``; ``text_en``/``text_zh`` set both."""
    data: dict[str, Any] = base.model_dump() if base is not None else {"evidence": [], "tags": [], "owner": ""}
    if "id" in fields:
        data["id"] = check_id(fields["id"], where)
    if "text_en" in fields or "text_zh" in fields:
        data["text"] = localized(fields.get("text_en"), fields.get("text_zh"), where)
    elif "text" in fields:
        data["text"] = with_text(base.text if base else None, lang, check_text(fields["text"], where))
    if "weight" in fields:
        data["weight"] = check_weight(fields["weight"], where)
    if "rating" in fields:
        data["rating"] = check_int(fields["rating"], where, "rating", 1, 4)
    if "evidence" in fields:
        data["evidence"] = [check_id(e, where) for e in _as_list(fields["evidence"])]
    if "tags" in fields:
        data["tags"] = [str(x).strip()[:40] for x in _as_list(fields["tags"]) if str(x).strip()]
    if "owner" in fields:
        owner = str(fields["owner"] or "").strip()
        if len(owner) > 60:
            raise EditError("too_long", where=where, field="owner", n=f"{len(owner):,}", max="60")
        data["owner"] = owner
    if isinstance(data.get("text"), LocalizedText):
        data["text"] = data["text"].model_dump()
    return _validated(SwotItem, data, where)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,，;；]", value) if p.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def add_item(doc: SwotDocument, quadrant: str, fields: Mapping[str, Any], lang: Lang = "en") -> SwotDocument:
    data = _copy(doc)
    new_id = fields.get("id") or next_id(PREFIX[quadrant], _all_ids(data))
    if new_id in _all_ids(data):
        raise EditError("duplicate_id", where=quadrant_label(quadrant, lang), value=new_id)
    base = {"id": new_id, "weight": 0.0, "rating": DEFAULT_RATING[quadrant], **dict(fields)}
    item = item_from_fields(base, new_id, lang=lang)
    data[quadrant].append(item.model_dump())
    return _doc(data)


def quadrant_label(quadrant: str, lang: Lang) -> str:
    return t(f"swot.q.{quadrant}", lang)


def update_item(doc: SwotDocument, item_id: str, fields: Mapping[str, Any], lang: Lang = "en") -> SwotDocument:
    data = _copy(doc)
    q = doc.quadrant_of(item_id)
    if q is None:
        raise EditError("missing_item", where=item_id)
    idx = [i.id for i in getattr(doc, q)].index(item_id)
    item = item_from_fields(fields, item_id, base=getattr(doc, q)[idx], lang=lang)
    data[q][idx] = item.model_dump()
    return _doc(data)


def delete_item(doc: SwotDocument, item_id: str) -> SwotDocument:
    """Remove an item and every reference to it (strategy pairs, QSPM row)."""
    data = _copy(doc)
    q = doc.quadrant_of(item_id)
    if q is None:
        raise EditError("missing_item", where=item_id)
    data[q] = [i for i in data[q] if i["id"] != item_id]
    for s in data["strategies"]:
        s["pairs"] = [p for p in s["pairs"] if p != item_id]
    data["qspm"]["rows"] = [r for r in data["qspm"]["rows"] if r["id"] != item_id]
    return _doc(data)


def move_item(doc: SwotDocument, item_id: str, delta: int) -> SwotDocument:
    """Move an item ``delta`` places up (negative) or down within its quadrant."""
    data = _copy(doc)
    q = doc.quadrant_of(item_id)
    if q is None:
        raise EditError("missing_item", where=item_id)
    items = data[q]
    i = [x["id"] for x in items].index(item_id)
    j = max(0, min(len(items) - 1, i + delta))
    items.insert(j, items.pop(i))
    return _doc(data)


_SPLIT = re.compile(r"\t|\s\|\s|\|")


def parse_lines(text: str, quadrant: str, lang: Lang = "en") -> list[dict[str, Any]]:
    """Pasted lines (one item per line; optionally ``text<TAB>weight<TAB>rating``, as copied from a
    spreadsheet, or separated by ``|``) as item fields. Bullets and numbering are stripped."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in _SPLIT.split(line)]
        body = re.sub(r"^(?:[-*•·]|\d+[.)、]|[（(]\d+[)）])\s*", "", parts[0])
        where = t("swot.where_line", lang, n=n)
        fields: dict[str, Any] = {"text": check_text(body, where)}
        if len(parts) > 1 and parts[1]:
            fields["weight"] = check_weight(parts[1], where)
        if len(parts) > 2 and parts[2]:
            fields["rating"] = check_int(parts[2], where, "rating", 1, 4)
        if len(parts) > 3:
            raise EditError("too_many_columns", where=where, n=len(parts))
        out.append(fields)
    if not out:
        raise EditError("nothing_pasted", where=quadrant_label(quadrant, lang))
    return out


def paste_items(doc: SwotDocument, quadrant: str, text: str, lang: Lang = "en") -> SwotDocument:
    """Add one item per pasted line to ``quadrant`` (all or nothing)."""
    for fields in parse_lines(text, quadrant, lang):
        doc = add_item(doc, quadrant, fields, lang)
    return doc


def normalise(doc: SwotDocument, matrix: str) -> SwotDocument:
    """Scale the weights of the IFE (S+W) or EFE (O+T) matrix to sum to 1.00."""
    data = _copy(doc)
    quads = [q for q in QUADRANTS if MATRIX[q] == matrix]
    items = [i for q in quads for i in data[q]]
    for item, w in zip(items, normalise_weights([i["weight"] for i in items]), strict=True):
        item["weight"] = w
    return _doc(data)


def apply_grid_edit(doc: SwotDocument, quadrant: str, delta: Mapping[str, Any], lang: Lang = "en") -> SwotDocument:
    """Apply a ``st.data_editor`` change record (``edited_rows``, ``added_rows``, ``deleted_rows``)
    made on the quadrant's table (rows in item order, columns named like the item's fields)."""
    items = list(getattr(doc, quadrant))
    label = quadrant_label(quadrant, lang)
    for idx, changes in sorted((int(k), v) for k, v in (delta.get("edited_rows") or {}).items()):
        if idx >= len(items):
            continue
        fields = {k: v for k, v in changes.items() if k in _GRID_FIELDS}
        if fields:
            where = f"{label} {items[idx].id}"
            doc = update_item(doc, items[idx].id, _grid_fields(fields, where), lang)
    for n, row in enumerate(delta.get("added_rows") or [], start=1):
        fields = {k: v for k, v in row.items() if k in _GRID_FIELDS and v not in (None, "")}
        if not fields:
            continue
        where = t("swot.where_new_row", lang, quadrant=label, n=n)
        fields.setdefault("text", None)
        try:
            doc = add_item(doc, quadrant, _grid_fields(fields, where), lang)
        except EditError as exc:
            raise EditError(exc.code, **{**exc.fields, "where": where}) from None
    for idx in sorted((int(i) for i in delta.get("deleted_rows") or []), reverse=True):
        if idx < len(items):
            doc = delete_item(doc, items[idx].id)
    return doc


_GRID_FIELDS = {"text", "weight", "rating", "evidence", "tags", "owner"}


def _grid_fields(fields: dict[str, Any], where: str) -> dict[str, Any]:
    out = dict(fields)
    if "text" in out:
        out["text"] = check_text(out["text"], where)
    return out


# --------------------------------------------------------------------------- strategies


def strategy_from_fields(fields: Mapping[str, Any], where: str, base: Strategy | None = None) -> Strategy:
    data: dict[str, Any] = base.model_dump() if base is not None else {"pairs": [], "levers": {}, "owner": ""}
    if "id" in fields:
        data["id"] = check_id(fields["id"], where)
    if "type" in fields:
        if fields["type"] not in STRATEGY_TYPES:
            raise EditError("choice", where=where, field="type", value=fields["type"],
                            options=", ".join(STRATEGY_TYPES))
        data["type"] = fields["type"]
    if "text_en" in fields or "text_zh" in fields:
        data["text"] = localized(fields.get("text_en"), fields.get("text_zh"), where).model_dump()
    if "pairs" in fields:
        data["pairs"] = [check_id(p, where) for p in _as_list(fields["pairs"])]
    if "priority" in fields:
        if fields["priority"] not in PRIORITIES:
            raise EditError("choice", where=where, field="priority", value=fields["priority"],
                            options=", ".join(PRIORITIES))
        data["priority"] = fields["priority"]
    if "owner" in fields:
        data["owner"] = str(fields["owner"] or "").strip()[:60]
    if "levers" in fields:
        levers = {}
        for k, v in dict(fields["levers"] or {}).items():
            key = check_id(k, where)
            try:
                levers[key] = float(v)
            except (TypeError, ValueError):
                raise EditError("not_number", where=where, field="levers", value=v) from None
            if not math.isfinite(levers[key]):
                raise EditError("not_number", where=where, field="levers", value=v)
        data["levers"] = levers
    return _validated(Strategy, data, where)


def add_strategy(doc: SwotDocument, fields: Mapping[str, Any]) -> SwotDocument:
    data = _copy(doc)
    stype = fields.get("type", "SO")
    sid = fields.get("id") or next_id(str(stype), _all_ids(data))
    if sid in _all_ids(data):
        raise EditError("duplicate_id", where=str(stype), value=sid)
    strategy = strategy_from_fields({"priority": "medium", **dict(fields), "id": sid, "type": stype}, sid)
    data["strategies"].append(strategy.model_dump())
    return _doc(data)


def update_strategy(doc: SwotDocument, strategy_id: str, fields: Mapping[str, Any]) -> SwotDocument:
    data = _copy(doc)
    ids = [s.id for s in doc.strategies]
    if strategy_id not in ids:
        raise EditError("missing_item", where=strategy_id)
    idx = ids.index(strategy_id)
    data["strategies"][idx] = strategy_from_fields(fields, strategy_id, doc.strategies[idx]).model_dump()
    return _doc(data)


def delete_strategy(doc: SwotDocument, strategy_id: str) -> SwotDocument:
    """Remove a strategy, its QSPM column and its scores."""
    data = _copy(doc)
    if strategy_id not in [s.id for s in doc.strategies]:
        raise EditError("missing_item", where=strategy_id)
    data["strategies"] = [s for s in data["strategies"] if s["id"] != strategy_id]
    data["qspm"]["strategies"] = [s for s in data["qspm"]["strategies"] if s != strategy_id]
    for r in data["qspm"]["rows"]:
        r["scores"].pop(strategy_id, None)
    data["qspm"]["rows"] = [r for r in data["qspm"]["rows"] if r["scores"]]
    return _doc(data)


# --------------------------------------------------------------------------- QSPM and SPACE


def set_qspm_columns(doc: SwotDocument, strategy_ids: Sequence[str]) -> SwotDocument:
    data = _copy(doc)
    known = {s.id for s in doc.strategies}
    unknown = [s for s in strategy_ids if s not in known]
    if unknown:
        raise EditError("missing_item", where=", ".join(unknown))
    data["qspm"]["strategies"] = list(dict.fromkeys(strategy_ids))
    return _doc(data)


def set_qspm_row(doc: SwotDocument, factor_id: str, scores: Mapping[str, Any]) -> SwotDocument:
    """Set one factor's attractiveness scores (``None`` or ``""`` = not scored). A row with no
    score is removed; a partly scored row is kept (the QSPM reports it until completed)."""
    if doc.quadrant_of(factor_id) is None:
        raise EditError("missing_item", where=factor_id)
    clean = {}
    for sid, v in scores.items():
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            continue
        clean[sid] = check_int(v, f"{factor_id} / {sid}", "attractiveness", 1, 4)
    data = _copy(doc)
    rows = [r for r in data["qspm"]["rows"] if r["id"] != factor_id]
    if clean:
        pos = next((k for k, r in enumerate(data["qspm"]["rows"]) if r["id"] == factor_id), len(rows))
        rows.insert(pos, _validated(QspmRow, {"id": factor_id, "scores": clean}, factor_id).model_dump())
    data["qspm"]["rows"] = rows
    return _doc(data)


SPACE_DIMENSIONS = ("financial", "industry", "stability", "competitive")
SPACE_RANGE = {"financial": (1, 7), "industry": (1, 7), "stability": (-7, -1), "competitive": (-7, -1)}


def set_space_rating(doc: SwotDocument, dimension: str, factor_id: str, rating: object) -> SwotDocument:
    low, high = SPACE_RANGE[dimension]
    value = check_int(rating, factor_id, "rating", low, high)
    data = _copy(doc)
    for f in data["space"][dimension]:
        if f["id"] == factor_id:
            f["rating"] = value
            return _doc(data)
    raise EditError("missing_item", where=factor_id)


def parse_levers(text: str, lang: Lang = "en") -> dict[str, float]:
    """``name = value`` lines (a strategy's scenario lever preset) as a mapping."""
    out: dict[str, float] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = t("swot.where_line", lang, n=n)
        if "=" not in line and ":" not in line:
            raise EditError("lever_line", where=where, value=line)
        name, _, value = line.replace(":", "=", 1).partition("=")
        key = check_id(name.strip(), where)
        try:
            number = float(value.strip())
        except ValueError:
            raise EditError("not_number", where=where, field="levers", value=value.strip()) from None
        if not math.isfinite(number):
            raise EditError("not_number", where=where, field="levers", value=value.strip())
        out[key] = number
    return out


def apply_qspm_edit(doc: SwotDocument, row_ids: Sequence[str], strategies: Sequence[str],
                    edited_rows: Mapping[Any, Mapping[str, Any]]) -> SwotDocument:
    """Apply a ``st.data_editor`` change record made on the QSPM table (rows = ``row_ids``,
    one attractiveness column per strategy id)."""
    for idx, changes in edited_rows.items():
        fid = row_ids[int(idx)]
        current = next((dict(r.scores) for r in doc.qspm.rows if r.id == fid), {})
        scores = {**current, **{k: v for k, v in changes.items() if k in strategies}}
        doc = set_qspm_row(doc, fid, scores)
    return doc


def lever_ranges(marketing: Any) -> dict[str, tuple[float, float, str]] | None:
    """Scenario lever id → (min, max, unit) from the marketing document (None without one)."""
    if marketing is None:
        return None
    return {lv.id: (lv.min, lv.max, lv.unit) for lv in getattr(marketing, "levers", [])}


def check_levers(levers: Mapping[str, float], known: Mapping[str, tuple[float, float, str]] | None,
                 where: str) -> dict[str, float]:
    """Lever presets against the scenario levers (id → (min, max, unit)) of ``config/marketing.yaml``;
    ``known`` None (no marketing document) checks nothing."""
    if known is None:
        return dict(levers)
    for key, value in levers.items():
        if key not in known:
            raise EditError("unknown_lever", where=where, value=key, options=", ".join(sorted(known)))
        low, high, unit = known[key]
        if not low <= value <= high:
            raise EditError("lever_range", where=where, value=f"{key} = {value:g}", low=f"{low:g}",
                            high=f"{high:g}", unit=unit)
    return dict(levers)

"""Three-way merge of workspace documents by item id, and history diffs in words. Pure Python.

Works on any :class:`~easymall.models.common.Document` whose lists hold items with an ``id``
(SWOT quadrants, strategies, segments, levers, scenarios ...): such lists are merged item by item,
everything else value by value. ``revision`` is never merged (the store sets it).

API::

    from easymall.store.merge import merge, resolve, diff_words

    result = merge(base, mine, theirs)
    # base   = the document the edit started from (its revision is the save's base_revision)
    # mine   = base with this session's edit applied
    # theirs = the document stored now (ConflictError.current)
    result.conflicts   # [Conflict]: the same field of an item (or the same value) changed
                       # differently on both sides, or an item changed on one side and deleted on
                       # the other
    result.doc         # merged document; each conflicted field keeps *theirs* until resolved
    resolve(result, {c.key: "mine" | "theirs" | "custom" for c in result.conflicts},
            custom={c.key: value})  -> document   # "custom": a person typed the merged value

    diff_words(old, new, lang="en", labels=None) -> list[str]
    # ["S3 weight 0.10 → 0.15", "Added O7 to Opportunities: “…”", "Removed W2 (“…”) from Weaknesses"]

Rules:

* an item changed on one side only takes that side's version; changed identically on both sides
  is not a conflict; added on one side is added; deleted on one side and untouched on the
  other is deleted;
* an item changed on both sides is merged **field by field** (a text's ``en`` and ``zh`` are two
  fields): A's rating and B's Chinese text both survive; only a field both changed differently
  is a conflict (:attr:`Conflict.field` names it) for a person to decide;
* the order of a list follows the side that reordered it (theirs when both or neither did);
  items one side added keep their place after the item they followed on that side;
* a conflict's :attr:`Conflict.key` is ``"<list path>/<id>"`` for a whole item (deleted on one
  side, or added twice: ``"strengths/S3"``, ``"space.financial/fp_cash"``),
  ``"<list path>/<id>/<field path>"`` for one field of an item (``"strengths/S3/rating"``,
  ``"strengths/S3/text.zh"``) and the dotted path for a plain value (``"as_of"``);
* when the merged document would be invalid (e.g. the same new id added to two lists), the whole
  document is one conflict with key ``"*"``.

Field names in :func:`diff_words` are shown through the catalogue entry ``live.field.<name>``
when it exists, and ids used as keys or owners (criteria, attributes, competitors, segments, levers)
as the item's label or name (:func:`id_labels`; ``labels`` overrides both); anything else as it is
written in YAML.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from easymall.core.i18n import has, t
from easymall.core.text import Lang
from easymall.models.common import Document

Side = Literal["mine", "theirs"]
_SKIP = {"revision"}


@dataclass(frozen=True)
class Conflict:
    """The same item (``id`` set), one field of it (``field`` set too) or a value changed differently
    by this session and by someone else.

    ``base``, ``mine`` and ``theirs`` are plain data: an item's dict for a whole-item conflict, the
    field's value for a field conflict (``None`` = not there / deleted).
    """

    path: tuple[str, ...]
    id: str | None
    base: Any
    mine: Any
    theirs: Any
    field: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        if not self.path and self.id is None:
            return "*"
        where = ".".join(self.path)
        if self.id is None:
            return where
        return f"{where}/{self.id}/{'.'.join(self.field)}" if self.field else f"{where}/{self.id}"

    @property
    def label(self) -> str:
        """What to call it in a sentence: the item id (and field), or the value's path."""
        if self.id is None:
            return ".".join(self.path) or "*"
        return f"{self.id} · {'.'.join(self.field)}" if self.field else self.id

    @property
    def kind(self) -> Literal["both_changed", "deleted_mine", "deleted_theirs", "both_added", "value", "field"]:
        if self.id is None:
            return "value"
        if self.field:
            return "field"
        if self.base is None:
            return "both_added"
        if self.mine is None:
            return "deleted_mine"
        if self.theirs is None:
            return "deleted_theirs"
        return "both_changed"


@dataclass
class MergeResult:
    model: type[Document]
    data: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    mine_data: dict[str, Any] = field(default_factory=dict)
    theirs_data: dict[str, Any] = field(default_factory=dict)

    @property
    def doc(self) -> Document:
        """The merged document (conflicted items as *theirs*)."""
        return self.model.model_validate(self.data)

    @property
    def clean(self) -> bool:
        return not self.conflicts


# --------------------------------------------------------------------------- merge


def _dump(doc: Document | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(doc, Document):
        return doc.model_dump(mode="json")
    return dict(doc)


def _is_id_list(*values: Any) -> bool:
    lists = [v for v in values if v is not None]
    if not lists or not all(isinstance(v, list) for v in lists):
        return False
    elems = [e for v in lists for e in v]
    return bool(elems) and all(isinstance(e, dict) and "id" in e for e in elems)


def merge(base: Document, mine: Document, theirs: Document) -> MergeResult:
    """Three-way merge of ``mine`` and ``theirs`` against their common ``base`` (same model)."""
    model = type(theirs)
    b, m, th = _dump(base), _dump(mine), _dump(theirs)
    conflicts: list[Conflict] = []
    data: dict[str, Any] = {}
    for key in _keys(b, m, th):
        if key in _SKIP:
            continue
        value = _merge_value((key,), b.get(key), m.get(key), th.get(key), conflicts)
        if value is not _ABSENT:
            data[key] = value
    data["revision"] = th.get("revision", 0)
    result = MergeResult(model, data, conflicts, m, th)
    try:
        model.model_validate(data)
    except ValidationError:
        result = MergeResult(model, dict(th), [Conflict((), None, b, m, th)], m, th)
    return result


_ABSENT = object()


def _keys(*dicts: Mapping[str, Any] | None) -> list[str]:
    out: dict[str, None] = {}
    for d in dicts:
        if isinstance(d, Mapping):
            out.update(dict.fromkeys(d))
    return list(out)


def _merge_value(path: tuple[str, ...], b: Any, m: Any, th: Any, conflicts: list[Conflict]) -> Any:
    if m == th:
        return m
    if m == b:
        return th
    if th == b:
        return m
    if isinstance(b, str) and _is_text(m) and _is_text(th) and isinstance(m, dict) and isinstance(th, dict):
        b = {"en": b, "zh": ""}  # a plain text is its English: one side's zh and the other's en both survive
    if isinstance(m, str) and isinstance(th, dict) and _is_text(th):
        m = {"en": m, "zh": ""}
    if isinstance(th, str) and isinstance(m, dict) and _is_text(m):
        th = {"en": th, "zh": ""}
    if isinstance(m, dict) and isinstance(th, dict) and isinstance(b, dict | None):
        b = b or {}
        out = {}
        for key in _keys(b, m, th):
            v = _merge_value((*path, key), b.get(key, _MISSING), m.get(key, _MISSING), th.get(key, _MISSING),
                             conflicts)
            if v is not _MISSING:
                out[key] = v
        return out
    if _is_id_list(b, m, th) and isinstance(m, list) and isinstance(th, list):
        return _merge_list(path, b or [], m, th, conflicts)
    conflicts.append(Conflict(path, None, _none(b), _none(m), _none(th)))
    return th


_MISSING = object()


def _none(v: Any) -> Any:
    return None if v is _MISSING else v


def _relative_order(ids: list[str], keep: set[str]) -> list[str]:
    return [i for i in ids if i in keep]


def _merge_list(path: tuple[str, ...], b: list[dict], m: list[dict], th: list[dict],
                conflicts: list[Conflict]) -> list[dict]:
    bmap = {e["id"]: e for e in b}
    mmap = {e["id"]: e for e in m}
    tmap = {e["id"]: e for e in th}
    kept: dict[str, dict] = {}
    for iid in _keys(bmap, mmap, tmap):
        bv, mv, tv = bmap.get(iid), mmap.get(iid), tmap.get(iid)
        if bv is not None:
            if mv == bv:
                val = tv
            elif tv == bv or mv == tv:
                val = mv
            elif mv is None or tv is None:  # deleted on one side, changed on the other: the whole item
                conflicts.append(Conflict(path, iid, bv, mv, tv))
                val = tv
            else:  # changed on both sides: field by field
                val = _merge_item(path, iid, bv, mv, tv, conflicts)
        elif mv is None:
            val = tv
        elif tv is None or mv == tv:
            val = mv
        else:
            conflicts.append(Conflict(path, iid, None, mv, tv))
            val = tv
        if val is not None:
            kept[iid] = val
    bids, mids, tids = list(bmap), list(mmap), list(tmap)
    mine_moved = _relative_order(mids, set(bids)) != _relative_order(bids, set(mids))
    theirs_moved = _relative_order(tids, set(bids)) != _relative_order(bids, set(tids))
    primary, other = (mids, tids) if mine_moved and not theirs_moved else (tids, mids)
    order = [i for i in primary if i in kept]
    for pos, iid in enumerate(other):
        if iid in kept and iid not in order:
            prev = next((other[k] for k in range(pos - 1, -1, -1) if other[k] in order), None)
            order.insert(order.index(prev) + 1 if prev is not None else 0, iid)
    for iid in kept:  # defensive: anything not placed yet goes last
        if iid not in order:
            order.append(iid)
    return [kept[i] for i in order]


def _merge_item(path: tuple[str, ...], iid: str, b: dict, m: dict, th: dict,
                conflicts: list[Conflict]) -> dict:
    """One item changed on both sides, merged field by field; a field both changed differently is
    one conflict (a nested list of items inside the item counts as one field)."""
    inner: list[Conflict] = []
    out: dict[str, Any] = {}
    for key in _keys(b, m, th):
        v = _merge_value((key,), b.get(key, _MISSING), m.get(key, _MISSING), th.get(key, _MISSING), inner)
        if v is not _MISSING:
            out[key] = v
    seen: set[tuple[str, ...]] = set()
    for c in inner:
        fld = c.path
        if c.id is not None:  # a conflict inside a nested id list: the person decides the whole field
            if fld in seen:
                continue
            base_v, mine_v, theirs_v = (_none(_get_path(x, fld)) for x in (b, m, th))
            c = Conflict(fld, None, base_v, mine_v, theirs_v)
            _set_path(out, fld, theirs_v)
        seen.add(fld)
        conflicts.append(Conflict(path, iid, c.base, c.mine, c.theirs, field=fld))
    return out


Choice = Literal["mine", "theirs", "custom"]


def resolve(result: MergeResult, choices: Mapping[str, Choice], custom: Mapping[str, Any] | None = None
            ) -> Document:
    """The merged document with each conflict settled by ``choices[conflict.key]`` (default
    ``"theirs"``; ``"custom"`` takes ``custom[conflict.key]``, a value a person typed for that
    field). Raises ``pydantic.ValidationError`` if the chosen combination is invalid."""
    data = _deep(result.data)
    custom = custom or {}
    for c in result.conflicts:
        side = choices.get(c.key, "theirs")
        if c.key == "*":
            data = _deep(result.mine_data if side == "mine" else result.theirs_data)
            data["revision"] = result.theirs_data.get("revision", 0)
            continue
        if side == "custom" and c.key in custom:
            chosen = custom[c.key]
        else:
            chosen = c.mine if side == "mine" else c.theirs
        if c.field:
            lst = _get_path(data, c.path) or []
            item = next((e for e in lst if e.get("id") == c.id), None)
            if item is not None:
                _set_path(item, c.field, chosen)
            continue
        if c.id is None:
            _set_path(data, c.path, chosen)
            continue
        lst = _get_path(data, c.path)
        if lst is None:
            lst = []
            _set_path(data, c.path, lst)
        idx = next((k for k, e in enumerate(lst) if e.get("id") == c.id), None)
        if chosen is None:
            if idx is not None:
                lst.pop(idx)
        elif idx is not None:
            lst[idx] = _deep(chosen)
        else:
            side_list = _get_path(result.mine_data if side == "mine" else result.theirs_data, c.path) or []
            ids = [e.get("id") for e in side_list]
            at = ids.index(c.id) if c.id in ids else len(lst)
            lst.insert(min(at, len(lst)), _deep(chosen))
    return result.model.model_validate(data)


def _deep(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _deep(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_deep(x) for x in v]
    return v


def _get_path(data: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        if not isinstance(data, dict) or p not in data:
            return None
        data = data[p]
    return data


def _set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for p in path[:-1]:
        data = data.setdefault(p, {})
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = _deep(value)


# --------------------------------------------------------------------------- diff in words


def _label(name: str, lang: Lang, labels: Mapping[str, str] | None) -> str:
    if labels and name in labels:
        return labels[name]
    key = f"live.field.{name}"
    return t(key, lang) if has(key) else name


def show_value(v: Any, lang: Lang, limit: int = 60) -> str:
    """A value as it reads in a sentence: numbers to two decimals, texts in ``lang``, quoted."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v - round(v, 2)) < 1e-9 else f"{v:.4g}"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dict) and set(v) <= {"en", "zh"} and v:
        other = "zh" if lang == "en" else "en"
        v = v.get(lang) or v.get(other) or ""
    if isinstance(v, str):
        s = " ".join(v.split())
        return "“" + (s if len(s) <= limit else s[: limit - 1] + "…") + "”"
    if isinstance(v, list):
        return "[" + ", ".join(show_value(x, lang, 20) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {show_value(x, lang, 20)}" for k, x in v.items()) + "}"
    return str(v)


def _is_text(v: Any) -> bool:
    return isinstance(v, str) or (isinstance(v, dict) and bool(v) and set(v) <= {"en", "zh"})


def _item_summary(item: dict[str, Any], lang: Lang) -> str:
    for key in ("text", "label", "name", "title"):
        if key in item and _is_text(item[key]):
            return ("：" if lang == "zh" else ": ") + show_value(item[key], lang, 40)
    return ""


def diff_words(old: Document | Mapping[str, Any], new: Document | Mapping[str, Any], lang: Lang = "en",
               labels: Mapping[str, str] | None = None) -> list[str]:
    """What changed from ``old`` to ``new``, one short sentence per change, in ``lang``."""
    a, b = _dump(old), _dump(new)
    if labels is None:  # ids written as keys (criteria, attributes, levers ...) read as their labels
        labels = {**id_labels(a, lang), **id_labels(b, lang)}
    out: list[str] = []
    for key in _keys(a, b):
        if key in _SKIP:
            continue
        _diff(out, (key,), a.get(key, _MISSING), b.get(key, _MISSING), lang, labels, owner=None)
    return out


def id_labels(data: Any, lang: Lang = "en") -> dict[str, str]:
    """``{id: label}`` for every item in ``data`` (a dumped document) that has an ``id`` and a
    ``label`` or ``name``: a rating keyed by criterion id then reads "Fit with the bank" rather than
    "fit". Items known by their text (SWOT factors) keep their id."""
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("label", node.get("name"))
            if isinstance(node.get("id"), str) and name:
                out[node["id"]] = name.get(lang) or next(iter(name.values()), "") if isinstance(name, dict) else str(name)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return {k: v for k, v in out.items() if v}


def _where(path: tuple[str, ...], lang: Lang, labels: Mapping[str, str] | None) -> str:
    return " · ".join(_label(p, lang, labels) for p in path)


def _diff(out: list[str], path: tuple[str, ...], a: Any, b: Any, lang: Lang,
          labels: Mapping[str, str] | None, owner: str | None) -> None:
    if a == b:
        return
    if _is_id_list(_none(a), _none(b)):
        _diff_list(out, path, _none(a) or [], _none(b) or [], lang, labels)
        return
    if isinstance(a, dict) and isinstance(b, dict) and not (_is_text(a) and _is_text(b)):
        for key in _keys(a, b):
            _diff(out, (*path, key), a.get(key, _MISSING), b.get(key, _MISSING), lang, labels, owner)
        return
    if owner is not None and owner in path:
        rel = path[path.index(owner) + 1:]
        subject = f"{_label(owner, lang, labels)} {_where(rel, lang, labels)}"
    else:
        subject = _where(path, lang, labels)
    if isinstance(a, dict) and isinstance(b, dict):  # both {en, zh}: show the language that changed
        other = "zh" if lang == "en" else "en"
        pick = lang if a.get(lang) != b.get(lang) else other
        a, b = a.get(pick) or None, b.get(pick) or None
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str | int | float) for x in a + b):
        added = [x for x in b if x not in a]
        removed = [x for x in a if x not in b]
        parts = [f"+ {', '.join(map(str, added))}"] if added else []
        parts += [f"− {', '.join(map(str, removed))}"] if removed else []
        if not parts:
            parts = [t("live.diff.reordered_values", lang)]
        out.append(f"{subject}: {'; '.join(parts)}")
        return
    out.append(f"{subject} {show_value(_none(a), lang)} → {show_value(_none(b), lang)}")


def _diff_list(out: list[str], path: tuple[str, ...], a: list[dict], b: list[dict], lang: Lang,
               labels: Mapping[str, str] | None) -> None:
    amap = {e["id"]: e for e in a}
    bmap = {e["id"]: e for e in b}
    where = _where(path, lang, labels)
    for iid, item in bmap.items():
        if iid not in amap:
            out.append(t("live.diff.added", lang, id=iid, where=where, summary=_item_summary(item, lang)))
    for iid, item in amap.items():
        if iid not in bmap:
            out.append(t("live.diff.removed", lang, id=iid, where=where, summary=_item_summary(item, lang)))
    for iid, item in bmap.items():
        if iid in amap and amap[iid] != item:
            old = amap[iid]
            for key in _keys(old, item):
                if key == "id":
                    continue
                _diff(out, (*path, iid, key), old.get(key, _MISSING), item.get(key, _MISSING), lang, labels,
                      owner=iid)
    common_a = [i for i in amap if i in bmap]
    common_b = [i for i in bmap if i in amap]
    if common_a != common_b:
        out.append(t("live.diff.reordered", lang, where=where))

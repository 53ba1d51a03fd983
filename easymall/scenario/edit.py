"""Edits of the marketing and scenarios documents, each a pure function: a document in, a new
document out, or one :class:`EditError` (a :class:`~easymall.core.errors.CodedError` whose ``code``
names its sentence in the catalogue, ``strategy.<code>``, so the Chinese UI reads it in Chinese).

* scenarios: :func:`with_scenario` (save or replace a named scenario), :func:`without_scenario`;
* the marketing mix: :func:`apply_action_edits` and :func:`apply_lever_edits` take a data editor's
  change record (``edited_rows`` / ``added_rows`` / ``deleted_rows``) for one 4P group.

Text edits change only the current language; the other language is kept.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from easymall.core.errors import CodedError
from easymall.core.i18n import explain
from easymall.core.text import Lang
from easymall.core.text import slug as text_slug
from easymall.core.units import display_factor
from easymall.models.common import LocalizedText, Text
from easymall.models.marketing import Action, MarketingDocument
from easymall.models.scenarios import Scenario, ScenariosDocument
from easymall.scenario import model as sc

#: The actions table's value for "implements no TOWS strategy".
NO_STRATEGY = "—"


class EditError(CodedError, ValueError):
    """An edit the documents refuse: one plain English sentence (``str``), its catalogue name
    (``code``, read as ``strategy.<code>``) and the values the sentence needs (``params``)."""


def _invalid(exc: ValidationError, where: str = "") -> EditError:
    """The first problem of a validation error as one :class:`EditError` (``err.invalid``); the
    Chinese sentence uses pydantic's error type from the shared catalogue (``error.<type>``)."""
    err = exc.errors(include_url=False)[0]
    problem, problem_zh = explain(err, "en"), explain(err, "zh")
    if where:
        return EditError(f"{where}: {problem}", code="err.invalid", where=where, problem=problem,
                         problem_zh=problem_zh)
    return EditError(problem, code="err.invalid_document", problem=problem, problem_zh=problem_zh)


# --------------------------------------------------------------------------- scenarios


def slug(text: str, taken: Sequence[str]) -> str:
    """A scenario id from a name: ASCII snake_case, unique among ``taken``."""
    return text_slug(text, taken, "scenario", prefix="s")


def with_scenario(doc: ScenariosDocument, model: sc.Model, name: str, notes: str, author: str,
                  values: Mapping[str, float], lang: Lang, strategy: str | None = None,
                  today: date | None = None, replace: str | None = None) -> tuple[ScenariosDocument, str]:
    """``doc`` plus a scenario named ``name`` storing the levers that differ from the baseline.
    With ``replace`` (an existing id) that scenario is updated instead. Returns (doc, id)."""
    name = name.strip()
    if not name:
        raise EditError("Give the scenario a name.", code="err.name_needed")
    label: Text = LocalizedText(**{lang: name})
    note: Text | None = LocalizedText(**{lang: notes.strip()}) if notes.strip() else None
    overrides = sc.overrides_of(model, values)
    created = (today or date.today()).isoformat()
    scenarios = list(doc.scenarios)
    if replace is not None:
        idx = next((i for i, s in enumerate(scenarios) if s.id == replace), None)
        if idx is None:
            raise EditError(f"There is no scenario {replace}.", code="err.no_scenario", id=replace)
        old = scenarios[idx]
        merged_name = old.name.model_copy(update={lang: name}) if isinstance(old.name, LocalizedText) else label
        scenarios[idx] = old.model_copy(update={"name": merged_name, "notes": note or old.notes, "levers": overrides,
                                                "author": author or old.author, "created": created})
        sid = replace
    else:
        sid = slug(name, [s.id for s in scenarios] + [sc.BASELINE])
        scenarios.append(Scenario(id=sid, name=label, author=author, created=created, notes=note,
                                  strategy=strategy, levers=overrides))
    return ScenariosDocument(revision=doc.revision, scenarios=scenarios), sid


def without_scenario(doc: ScenariosDocument, scenario_id: str) -> ScenariosDocument:
    return ScenariosDocument(revision=doc.revision, scenarios=[s for s in doc.scenarios if s.id != scenario_id])


# --------------------------------------------------------------------------- marketing mix


def _set_text(old: Text, value: str, lang: Lang) -> Text:
    value = str(value).strip()
    if isinstance(old, LocalizedText):
        return old.model_copy(update={lang: value})
    return LocalizedText(**{lang: value, ("en" if lang == "zh" else "zh"): old})


def apply_action_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang
                       ) -> MarketingDocument:
    """Apply a data-editor change record (``edited_rows`` keyed by row position within ``group``,
    ``added_rows``, ``deleted_rows``) to the actions of ``group``; raises :class:`EditError` with
    one sentence when a value is invalid. Text edits change only the current language."""
    try:
        return _apply_action_edits(doc, group, edits, lang)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise _invalid(exc, ".".join(str(p) for p in err["loc"])) from None


def _apply_action_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang
                        ) -> MarketingDocument:
    group_ids = [a.id for a in doc.actions if a.group == group]
    actions = {a.id: a for a in doc.actions}
    for pos, change in (edits.get("edited_rows") or {}).items():
        aid = group_ids[int(pos)]
        a = actions[aid]
        update: dict[str, Any] = {}
        for col, value in change.items():
            if col in ("title", "owner", "description"):
                if not str(value or "").strip():
                    raise EditError(f"Action {aid}: {col} cannot be empty.", code="err.empty", id=aid, column=col)
                update[col] = _set_text(getattr(a, col), value, lang)
            elif col == "cost":
                try:
                    cost = float(value)
                except (TypeError, ValueError):
                    cost = math.nan
                if not math.isfinite(cost) or cost < 0:
                    raise EditError(f"Action {aid}: the budget must be a number of CNY m, zero or more.",
                                    code="err.cost", id=aid)
                update["cost"] = cost / display_factor("CNY m", lang)  # typed as shown (万元 in Chinese)
            elif col in ("segments", "levers"):
                update[col] = [str(x) for x in (value or [])]
            elif col == "strategy":
                update["strategy"] = str(value) if value and value != NO_STRATEGY else None
        actions[aid] = Action.model_validate({**a.model_dump(), **update})
    deleted = {group_ids[int(i)] for i in (edits.get("deleted_rows") or [])}
    new_actions = [actions[a.id] for a in doc.actions if a.id not in deleted]
    taken = [a.id for a in new_actions]
    for row in edits.get("added_rows") or []:
        title = str(row.get("title") or "").strip()
        if not title:
            continue  # an empty new row: the user has not typed yet
        aid = slug(title, taken)
        taken.append(aid)
        new_actions.append(Action(
            id=aid, group=group, title=LocalizedText(**{lang: title}),  # type: ignore[arg-type]
            description=LocalizedText(**{lang: str(row.get("description") or title)}),
            owner=LocalizedText(**{lang: str(row.get("owner") or "—")}),
            cost=float(row.get("cost") or 0) / display_factor("CNY m", lang), segments=[str(x) for x in row.get("segments") or []],
            strategy=str(row["strategy"]) if row.get("strategy") not in (None, "", NO_STRATEGY) else None,
            levers=[str(x) for x in row.get("levers") or []]))
    data = doc.model_dump()
    data["actions"] = [a.model_dump() for a in new_actions]
    return MarketingDocument.model_validate(data)


#: Numeric columns of the levers table and where each is stored in a lever.
_LEVER_NUMBERS = ("value", "min", "max", "step", "mc_low", "mc_high")


def apply_lever_edits(doc: MarketingDocument, group: str, edits: Mapping[str, Any], lang: Lang) -> MarketingDocument:
    """Apply a data-editor change record (``edited_rows`` by position within ``group``) to the levers'
    baseline, range, step, Monte Carlo range and note; raises :class:`EditError` with one sentence."""
    ids = [lv.id for lv in doc.levers if lv.group == group]
    data = doc.model_dump()
    by_id = {lv["id"]: lv for lv in data["levers"]}
    for pos, change in (edits.get("edited_rows") or {}).items():
        lever = by_id[ids[int(pos)]]
        for col, value in change.items():
            if col == "note":
                if not str(value or "").strip():
                    raise EditError(f"Lever {lever['id']}: {col} cannot be empty.", code="err.lever_empty",
                                    id=lever["id"], column=col)
                old = doc.lever(lever["id"]).note
                lever["note"] = _set_text(old, value, lang).model_dump()
            elif col in _LEVER_NUMBERS:
                try:
                    x = float(value)
                except (TypeError, ValueError):
                    raise EditError(f"Lever {lever['id']}: {col} must be a number.", code="err.number",
                                    id=lever["id"], column=col) from None
                if col == "mc_low":
                    lever["triangular"]["low"] = x
                elif col == "mc_high":
                    lever["triangular"]["high"] = x
                else:  # typed as shown (a CNY m lever in 万元 in Chinese)
                    lever[col] = x / display_factor(lever["unit"], lang)
    try:
        return MarketingDocument.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc, msg = err["loc"], explain(err, "en")
        if len(loc) > 1 and loc[0] == "levers" and isinstance(loc[1], int) and not msg.startswith("lever "):
            raise _invalid(exc, f"lever {data['levers'][loc[1]]['id']}") from None
        raise _invalid(exc) from None

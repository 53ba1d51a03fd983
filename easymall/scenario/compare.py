"""The Strategy page's comparison of scenarios: what can be compared, the default picks, one run per
pick and what the list of saved scenarios says (re-exported by :mod:`easymall.scenario.view`)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from easymall.core.i18n import t
from easymall.core.text import Lang, markdown_literal, text_in
from easymall.models.scenarios import ScenariosDocument
from easymall.scenario import model as sc

#: The pick that stands for the sliders' current values.
CURRENT = "__current__"
#: Most scenarios compared at once.
MAX_COMPARED = 4
#: Monthly KPIs the comparison chart offers.
COMPARE_KPIS = ("active_users", "gmv", "profit", "cumulative_profit", "new_users", "revenue", "retention")


def compare_options(scenarios: ScenariosDocument, lang: Lang) -> dict[str, str]:
    options = {sc.BASELINE: t("strategy.baseline", lang), CURRENT: t("strategy.current", lang)}
    for s in scenarios.scenarios:
        options[f"scenario:{s.id}"] = text_in(s.name, lang)
    return options


def compare_picks(picked: Sequence[str] | None, options: Mapping[str, str], scenarios: ScenariosDocument,
                  moved: bool) -> list[str]:
    """The compared picks still on offer; when none are, the baseline, the sliders when they differ
    from it (``moved``), then the saved scenarios (four at most)."""
    kept = [p for p in (picked or []) if p in options]
    if kept:
        return kept
    picks = [sc.BASELINE] + ([CURRENT] if moved else []) + [f"scenario:{s.id}" for s in scenarios.scenarios]
    return picks[:MAX_COMPARED]


def picks_after_save(picked: Sequence[str] | None, sid: str) -> list[str]:
    """The compared picks after saving scenario ``sid``: baseline, sliders, it, then the other saved ones."""
    before = [p for p in picked or [] if p.startswith("scenario:") and p != f"scenario:{sid}"]
    return ([sc.BASELINE, CURRENT, f"scenario:{sid}"] + before)[:MAX_COMPARED]


def compared_results(model: sc.Model, baseline: sc.Result, scenarios: ScenariosDocument, picks: Sequence[str],
                     values: Mapping[str, float]) -> list[sc.Result]:
    """One run per pick: the baseline, the sliders (``values``) or a saved scenario."""
    results = []
    for key in picks:
        if key == sc.BASELINE:
            results.append(baseline)
        elif key == CURRENT:
            results.append(sc.run(model, values, "current"))
        else:
            s = scenarios.get(key.split(":", 1)[1])
            results.append(sc.run(model, sc.scenario_levers(model, s).values, s.id if s else key))
    return results


def incremental_notes(model: sc.Model, results: Sequence[sc.Result], names: Sequence[str], lang: Lang) -> list[str]:
    """For each compared plan that differs from the first, when its extra profit pays back."""
    out = []
    for r, name in zip(results[1:], names[1:], strict=True):
        if sc.overrides_of(model, r.levers) == sc.overrides_of(model, results[0].levers):
            continue  # the same plan as the reference
        month = sc.incremental_payback(r, results[0])
        out.append(f"{name}: " + (t("strategy.compare.incremental", lang, name=names[0], month=month) if month
                                  else t("strategy.compare.incremental_never", lang, name=names[0])))
    return out


@dataclass(frozen=True)
class SavedRow:
    id: str
    title: str  # markdown: name, id and the TOWS strategy it implements
    caption: str  # author, date, notes and the levers it changes


def saved_rows(model: sc.Model, scenarios: ScenariosDocument, lang: Lang) -> list[SavedRow]:
    """The saved scenarios as the list under the comparison shows them."""
    known = set(model.lever_ids)
    rows = []
    for s in scenarios.scenarios:
        title = f"**{markdown_literal(text_in(s.name, lang))}**  ·  `{s.id}`" + (
            f"  ·  TOWS {markdown_literal(s.strategy)}" if s.strategy else "")
        meta = t("strategy.compare.by", lang, author=s.author or "—", date=s.created or "—")
        levers = ", ".join(f"{text_in(model.doc.lever(k).label, lang) if k in known else k} = {v:g}"
                           for k, v in s.levers.items())
        caption = markdown_literal(meta + (f" — {text_in(s.notes, lang)}" if s.notes else "")) + (
            f"  \n{markdown_literal(levers)}" if levers else "")
        rows.append(SavedRow(s.id, title, caption))
    return rows

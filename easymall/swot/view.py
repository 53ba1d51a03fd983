"""What the SWOT page shows: its tables, labels, formatted figures, defaults and the XLSX/CSV export.

The page takes its constants from here (quadrants, priorities, strategy types, the SPACE scales),
so it imports nothing below the SWOT area.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from easymall.core import export
from easymall.core.i18n import error_text, t
from easymall.core.text import Lang, text_in
from easymall.core.units import display_factor, format_value
from easymall.models.common import Text
from easymall.models.swot import PRIORITIES, QUADRANTS, STRATEGY_TYPES, Strategy, SwotDocument
from easymall.store.merge import show_value
from easymall.swot.edit import SPACE_DIMENSIONS, SPACE_RANGE, lever_ranges
from easymall.swot.errors import AREA, SwotError
from easymall.swot.evidence import Evidence, workspace_evidence
from easymall.swot.ie import IeCell, ie_cell
from easymall.swot.matrices import MatrixTable, efe_table, ife_table, swot_diagnostics
from easymall.swot.qspm import TIE_MARGIN, QspmResult, qspm
from easymall.swot.space import SpaceResult, space_vector
from easymall.swot.tows import SIDES, allowed_pairs, tows_diagnostics, tows_matrix

__all__ = [  # what the page uses, including the area's results it lays out
    "DOC", "GRID_ORDER", "PRIORITIES", "QUADRANTS", "SIDES", "SPACE_DIMENSIONS", "SPACE_RANGE", "STRATEGY_TYPES",
    "TABS", "TOWS_TYPES", "Evidence", "SwotDocument", "allowed_pairs", "describe", "efe_table", "error_message",
    "evidence_options", "evidence_text", "export_name", "grid_frame", "item_cards", "ItemCard", "ie_of", "ife_table", "item_label",
    "items_export", "known_levers", "levers_from_text", "levers_line", "levers_text", "matrix_frame", "qspm", "qspm_editor_frame", "qspm_frame",
    "qspm_verdict",
    "space_of", "strategy_label", "strategy_texts", "swot_diagnostics", "text_versions", "to_csv", "to_xlsx", "tows_diagnostics",
    "tows_matrix", "workspace_evidence",
]

#: The workspace document the page edits.
DOC = "swot"
#: The page's tabs, in order (``swot.tab.<id>``).
TABS = ("swot", "scores", "tows", "history", "export")
#: TOWS strategy types in the order of the 2 × 2 grid.
TOWS_TYPES = ("SO", "ST", "WO", "WT")
#: Columns of a quadrant's editor grid, in order.
GRID_ORDER = ["id", "weight", "rating", "text", "evidence_values", "owner"]
#: A new strategy's defaults (type, priority) when the form has none.
DEFAULT_TYPE, DEFAULT_PRIORITY = "SO", "medium"
#: Choice of the strategy picker that adds a strategy.
NEW_STRATEGY = "__new__"
#: Item fields with a name in the catalogue (``swot.field.<key>``), for the conflict panel.
FIELD_KEYS = {"text", "weight", "rating", "evidence", "tags", "owner", "pairs", "priority", "levers", "type",
              "scores", "label"}
#: File types of the export.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Charts offered as PNG: (chart kind, catalogue key of the button).
PNG_CHARTS = (("quadrants", "swot.png_quadrants"), ("ie", "swot.png_ie"), ("space", "swot.png_space"))


def error_message(exc: Exception, lang: Lang) -> str:
    """A SWOT error (:class:`SwotError`) as one sentence in ``lang``."""
    return error_text(exc, lang, AREA)


def known_levers(ws: Any) -> dict[str, tuple[float, float, str]] | None:
    """The scenario levers a strategy may preset (id → (min, max, unit)); None without a model."""
    return lever_ranges(ws.load_safe("marketing").doc)


def evidence_unit(ev: Evidence) -> str:
    """The unit an evidence value is formatted in (an NPS reads as one: ``+12``, not ``12.00``)."""
    return "nps" if ev.kind == "kpi" and ev.id == "nps" else ev.unit


def evidence_text(ev: Evidence | None, lang: Lang, evidence_id: str = "") -> str:
    """``NPS −12`` / ``Double 11 ¥120.7 bn (unverified)`` / ``双十一 1,207 亿元（未核实）``, the figure
    as the Overview shows it; the id alone when it is unknown."""
    if ev is None:
        return t("swot.evidence_unknown", lang, id=evidence_id)
    label = text_in(ev.label, lang)
    if ev.date:
        value = ev.date
    elif ev.value is None or (isinstance(ev.value, float) and math.isnan(ev.value)):
        value = t("swot.evidence_no_data", lang)
    else:
        value = format_value(ev.value, evidence_unit(ev), lang)
    status = f" ({t(f'status.{ev.status}', lang)})" if ev.status and ev.status != "sourced" else ""
    n = f" n={format_value(ev.n, 'count', lang)}" if ev.n else ""
    return f"{label} {value}{status}{n}"


def evidence_options(evidence: Mapping[str, Evidence], cited: list[str], lang: Lang) -> dict[str, str]:
    """Evidence an item may cite (the catalogue, then ids it cites that are not in it) → its label."""
    return {e: f"{e} — {evidence_text(evidence.get(e), lang, e)}" for e in dict.fromkeys([*evidence, *cited])}


def describe(item: dict, lang: Lang) -> list[tuple[str, str]]:
    """Rows to show one version of an item in the conflict panel."""
    return [(t(f"swot.field.{k}", lang) if k in FIELD_KEYS else k, show_value(v, lang, 400))
            for k, v in item.items() if k != "id"]


def item_label(doc: SwotDocument, item_id: str, lang: Lang, limit: int = 70) -> str:
    """``S1 · Trust in the bank …`` (the id alone for an item that is gone)."""
    try:
        return f"{item_id} · {text_in(doc.item(item_id).text, lang)[:limit]}"
    except KeyError:
        return item_id


def strategy_label(s: Strategy, lang: Lang, limit: int = 70) -> str:
    return f"{s.id} · {text_in(s.text, lang)[:limit]}"


def strategy_texts(doc: SwotDocument, lang: Lang) -> dict[str, str]:
    """Strategy id → its text in ``lang`` (the QSPM chart's labels)."""
    return {s.id: text_in(s.text, lang) for s in doc.strategies}


def text_versions(text: Text | None) -> tuple[str, str]:
    """A text's English and Chinese versions for a form (a plain text is its English)."""
    if text is None or isinstance(text, str):
        return text or "", ""
    return text.en, text.zh


def levers_text(levers: Mapping[str, float], known: Mapping[str, tuple[float, float, str]] | None = None,
                lang: Lang = "en") -> str:
    """A strategy's lever preset as the form edits it: ``name = value`` per line, each value in the
    scale the Strategy page shows it (a CNY m lever in 万元 in Chinese: ``online_ad_spend = 1200``)."""
    return "\n".join(f"{k} = {v * _factor(k, known, lang):g}" for k, v in levers.items())


def levers_from_text(levers: Mapping[str, float], known: Mapping[str, tuple[float, float, str]] | None,
                     lang: Lang) -> dict[str, float]:
    """The preset typed in :func:`levers_text`'s scale back in the levers' own units."""
    return {k: v / _factor(k, known, lang) for k, v in levers.items()}


def _factor(lever: str, known: Mapping[str, tuple[float, float, str]] | None, lang: Lang) -> float:
    return display_factor(known[lever][2], lang) if known and lever in known else 1.0


def levers_line(levers: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in levers.items())


def ie_of(doc: SwotDocument) -> IeCell | None:
    """The IE cell of the document's IFE and EFE totals (None while a total is outside 1–4)."""
    try:
        return ie_cell(ife_table(doc).total, efe_table(doc).total)
    except SwotError:
        return None


def space_of(doc: SwotDocument, lang: Lang) -> tuple[SpaceResult | None, str]:
    """The SPACE vector, or None and the sentence saying why it cannot be computed."""
    try:
        return space_vector(doc.space), ""
    except SwotError as exc:
        return None, error_message(exc, lang)


def grid_frame(doc: SwotDocument, quadrant: str, lang: Lang, evidence: dict[str, Evidence]) -> pd.DataFrame:
    """The quadrant editor's table: one row per item in order (``evidence_values`` is read-only)."""
    rows = [{
        "id": i.id, "text": text_in(i.text, lang), "weight": i.weight, "rating": i.rating,
        "evidence": list(i.evidence),
        "evidence_values": "; ".join(evidence_text(evidence.get(e), lang, e) for e in i.evidence),
        "owner": i.owner,
    } for i in getattr(doc, quadrant)]
    return pd.DataFrame(rows, columns=["id", "text", "weight", "rating", "evidence", "evidence_values", "owner"])


@dataclass(frozen=True)
class ItemCard:
    """One SWOT item as a card shows it: its whole text in the UI language and the other one, its
    weight and rating as read, its evidence with figures, its owner."""

    id: str
    text: str
    other: str
    weight: str
    rating: str
    evidence: tuple[str, ...]
    owner: str


def item_cards(doc: SwotDocument, quadrant: str, lang: Lang, evidence: Mapping[str, Evidence]) -> list[ItemCard]:
    """The cards of a quadrant, in order (the text never cut: a meeting reads all of it)."""
    other: Lang = "zh" if lang == "en" else "en"
    cards = []
    for i in getattr(doc, quadrant):
        mine, theirs = text_in(i.text, lang), "" if isinstance(i.text, str) else text_in(i.text, other)
        cards.append(ItemCard(i.id, mine, theirs if theirs != mine else "", format_value(i.weight, "ratio", lang),
                              str(i.rating), tuple(evidence_text(evidence.get(e), lang, e) for e in i.evidence),
                              i.owner))
    return cards


def matrix_frame(table: MatrixTable, lang: Lang) -> pd.DataFrame:
    rows = [{"id": r.id, "factor": text_in(r.text, lang), "group": t(f"swot.q.{r.quadrant}", lang),
             "weight": r.weight, "rating": r.rating, "score": r.score} for r in table.rows]
    return pd.DataFrame(rows, columns=["id", "factor", "group", "weight", "rating", "score"])


def qspm_verdict(res: QspmResult, lang: Lang) -> str:
    """The QSPM's answer with its margin: a clear leader, or a tie when the lead is below the threshold."""
    if not res.winners:
        return ""
    if res.margin is None or res.runner_up is None:
        return t("swot.qspm_alone", lang, id=res.winners[0])
    fields = {"id": res.winners[0], "runner": res.runner_up, "margin": f"{res.margin:.2f}",
              "threshold": f"{TIE_MARGIN:.2f}", "tied": ", ".join(res.tied)}
    return t("swot.qspm_tie" if res.tie else "swot.qspm_lead", lang, **fields)


def qspm_frame(res: QspmResult, lang: Lang) -> pd.DataFrame:
    """Factors × (AS, TAS) per compared strategy; unscored cells are empty."""
    rows = []
    for line in res.lines:
        row: dict[str, object] = {"id": line.id, "factor": text_in(line.text, lang), "weight": line.weight}
        for s in res.strategies:
            row[f"{s}"] = float(line.scores[s]) if s in line.scores else math.nan   # empty cell, not "None"
            row[f"{s} TAS"] = line.tas.get(s, math.nan)
        row["state"] = line.state
        rows.append(row)
    return pd.DataFrame(rows)


def qspm_editor_frame(res: QspmResult, lang: Lang) -> pd.DataFrame:
    """The QSPM table as the page edits it: the row state in words."""
    frame = qspm_frame(res, lang)
    if "state" in frame:
        frame["state"] = frame["state"].map(lambda v: t(f"swot.qspm_state.{v}", lang))
    return frame


def export_name(doc: SwotDocument, what: str, ext: str) -> str:
    """``swot-r12.xlsx``, ``swot-ie-r12.png``: the revision on screen is in the file's name."""
    return f"swot-{what}-r{doc.revision}.{ext}" if what else f"swot-r{doc.revision}.{ext}"


def items_export(doc: SwotDocument, lang: Lang) -> pd.DataFrame:
    rows = []
    for q in QUADRANTS:
        for i in getattr(doc, q):
            rows.append({
                t("swot.col.quadrant", lang): t(f"swot.q.{q}", lang), "id": i.id,
                t("swot.text_en", lang): text_in(i.text, "en") if not isinstance(i.text, str) else i.text,
                t("swot.text_zh", lang): text_in(i.text, "zh") if not isinstance(i.text, str) else i.text,
                t("swot.col.weight", lang): i.weight, t("swot.col.rating", lang): i.rating,
                t("swot.col.score", lang): round(i.weight * i.rating, 4),
                t("swot.col.evidence", lang): ", ".join(i.evidence), t("swot.col.tags", lang): ", ".join(i.tags),
                t("swot.col.owner", lang): i.owner,
            })
    return pd.DataFrame(rows)


def to_csv(doc: SwotDocument, lang: Lang) -> bytes:
    """The SWOT items as CSV (UTF-8 with BOM so Excel shows Chinese correctly)."""
    return export.to_csv(items_export(doc, lang))


def to_xlsx(doc: SwotDocument, lang: Lang) -> bytes:
    """Workbook: SWOT items, IFE, EFE (with totals), IE / SPACE summary, TOWS strategies, QSPM."""
    ife, efe = ife_table(doc), efe_table(doc)
    cols = {"id": "id", "factor": t("swot.col.factor", lang), "group": t("swot.col.quadrant", lang),
            "weight": t("swot.col.weight", lang), "rating": t("swot.col.rating", lang),
            "score": t("swot.col.score", lang)}
    summary = [(t("swot.ife_total", lang), round(ife.total, 2)), (t("swot.efe_total", lang), round(efe.total, 2))]
    try:
        cell = ie_cell(ife.total, efe.total)
        summary.append((t("swot.ie_cell", lang), f"{cell.roman} — {t(f'swot.ie.{cell.prescription}', lang)}"))
    except ValueError:
        pass
    try:
        sp = space_vector(doc.space)
        summary += [("SPACE x", round(sp.x, 2)), ("SPACE y", round(sp.y, 2)),
                    (t("swot.space_quadrant", lang),
                     t(f"swot.space.{sp.quadrant}", lang) if sp.quadrant else t("swot.space.on_axis", lang))]
    except ValueError:
        pass
    res = qspm(doc)
    summary += [(f"QSPM {s}", round(res.totals[s], 2)) for s in res.strategies]
    if res.winners:
        summary.append((t("swot.qspm_winner", lang), ", ".join(res.winners)))
        summary.append((t("swot.qspm_verdict_label", lang), qspm_verdict(res, lang)))
    strategies = pd.DataFrame([{
        "id": s.id, t("swot.col.type", lang): s.type, t("swot.col.text", lang): text_in(s.text, lang),
        t("swot.col.pairs", lang): ", ".join(s.pairs), t("swot.col.priority", lang): t(f"swot.priority.{s.priority}", lang),
        t("swot.col.owner", lang): s.owner,
        t("swot.col.levers", lang): ", ".join(f"{k}={v:g}" for k, v in s.levers.items()),
    } for s in doc.strategies])
    frames = {"Summary": pd.DataFrame(summary, columns=[t("swot.col.measure", lang), t("swot.col.value", lang)]),
              "SWOT": items_export(doc, lang)}
    for name, table in (("IFE", ife), ("EFE", efe)):
        df = matrix_frame(table, lang)
        total = {"id": "", "factor": t("swot.total", lang), "group": "", "weight": round(table.weight_sum, 4),
                 "rating": None, "score": round(table.total, 4)}
        frames[name] = pd.concat([df, pd.DataFrame([total])], ignore_index=True).rename(columns=cols)
    frames["TOWS"] = strategies
    frames["QSPM"] = qspm_frame(res, lang).rename(columns={"factor": t("swot.col.factor", lang),
                                                           "weight": t("swot.col.weight", lang)})
    return export.to_xlsx(frames, fit_columns=True)

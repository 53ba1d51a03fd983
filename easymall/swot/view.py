"""Tables of a SWOT document for the editor grid, the score tables and the XLSX/CSV export."""
from __future__ import annotations

import io
import math

import pandas as pd

from easymall.core.i18n import t
from easymall.core.text import Lang, text_in
from easymall.models.swot import QUADRANTS, SwotDocument
from easymall.swot.evidence import Evidence
from easymall.swot.ie import ie_cell
from easymall.swot.matrices import MatrixTable, efe_table, ife_table
from easymall.swot.qspm import QspmResult, qspm
from easymall.swot.space import space_vector


def evidence_text(ev: Evidence | None, lang: Lang, evidence_id: str = "") -> str:
    """``NPS −12.3`` / ``Double 11 ¥120.7 bn (unverified)``; the id alone when it is unknown."""
    if ev is None:
        return t("swot.evidence_unknown", lang, id=evidence_id)
    label = text_in(ev.label, lang)
    if ev.date:
        value = ev.date
    elif ev.value is None or (isinstance(ev.value, float) and math.isnan(ev.value)):
        value = t("swot.evidence_no_data", lang)
    else:
        value = format_value(ev.value, ev.unit)
    status = f" ({t(f'status.{ev.status}', lang)})" if ev.status and ev.status != "sourced" else ""
    n = f" n={ev.n:,}" if ev.n else ""
    return f"{label} {value}{status}{n}"


def format_value(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    if unit == "score":
        return f"{value:+.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if unit == "yuan":
        return f"¥{value:,.0f}"
    if unit in ("CNY bn", "CNY tn", "CNY m"):
        return f"¥{value:,.{0 if value >= 1000 else 1 if value >= 10 else 2}f} {unit.split()[1]}"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "date":
        return ""
    return f"{value:,.0f} {unit}" if unit not in ("count",) else f"{value:,.0f}"


def grid_frame(doc: SwotDocument, quadrant: str, lang: Lang, evidence: dict[str, Evidence]) -> pd.DataFrame:
    """The quadrant editor's table: one row per item in order (``evidence_values`` is read-only)."""
    rows = [{
        "id": i.id, "text": text_in(i.text, lang), "weight": i.weight, "rating": i.rating,
        "evidence": list(i.evidence),
        "evidence_values": "; ".join(evidence_text(evidence.get(e), lang, e) for e in i.evidence),
        "owner": i.owner,
    } for i in getattr(doc, quadrant)]
    return pd.DataFrame(rows, columns=["id", "text", "weight", "rating", "evidence", "evidence_values", "owner"])


def matrix_frame(table: MatrixTable, lang: Lang) -> pd.DataFrame:
    rows = [{"id": r.id, "factor": text_in(r.text, lang), "group": t(f"swot.q.{r.quadrant}", lang),
             "weight": r.weight, "rating": r.rating, "score": r.score} for r in table.rows]
    return pd.DataFrame(rows, columns=["id", "factor", "group", "weight", "rating", "score"])


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


def _safe(value: object) -> object:
    """Spreadsheet-safe: a text starting with = + - @ would run as a formula in Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    return df.apply(lambda col: col.map(_safe) if col.dtype == object or pd.api.types.is_string_dtype(col) else col)


def items_export(doc: SwotDocument, lang: Lang) -> pd.DataFrame:
    rows = []
    for q in QUADRANTS:
        for i in getattr(doc, q):
            rows.append({
                t("swot.col.quadrant", lang): t(f"swot.q.{q}", lang), "id": i.id,
                t("swot.col.text", lang) + " (en)": text_in(i.text, "en") if not isinstance(i.text, str) else i.text,
                t("swot.col.text", lang) + " (zh)": text_in(i.text, "zh") if not isinstance(i.text, str) else i.text,
                t("swot.col.weight", lang): i.weight, t("swot.col.rating", lang): i.rating,
                t("swot.col.score", lang): round(i.weight * i.rating, 4),
                t("swot.col.evidence", lang): ", ".join(i.evidence), t("swot.col.tags", lang): ", ".join(i.tags),
                t("swot.col.owner", lang): i.owner,
            })
    return _safe_frame(pd.DataFrame(rows))


def to_csv(doc: SwotDocument, lang: Lang) -> bytes:
    """The SWOT items as CSV (UTF-8 with BOM so Excel shows Chinese correctly)."""
    return items_export(doc, lang).to_csv(index=False).encode("utf-8-sig")


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
    strategies = pd.DataFrame([{
        "id": s.id, t("swot.col.type", lang): s.type, t("swot.col.text", lang): text_in(s.text, lang),
        t("swot.col.pairs", lang): ", ".join(s.pairs), t("swot.col.priority", lang): t(f"swot.priority.{s.priority}", lang),
        t("swot.col.owner", lang): s.owner,
        t("swot.col.levers", lang): ", ".join(f"{k}={v:g}" for k, v in s.levers.items()),
    } for s in doc.strategies])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.DataFrame(summary, columns=[t("swot.col.measure", lang), t("swot.col.value", lang)]).to_excel(
            xw, sheet_name="Summary", index=False)
        items_export(doc, lang).to_excel(xw, sheet_name="SWOT", index=False)
        for name, table in (("IFE", ife), ("EFE", efe)):
            df = matrix_frame(table, lang)
            total = {"id": "", "factor": t("swot.total", lang), "group": "", "weight": round(table.weight_sum, 4),
                     "rating": None, "score": round(table.total, 4)}
            df = pd.concat([df, pd.DataFrame([total])], ignore_index=True).rename(columns=cols)
            _safe_frame(df).to_excel(xw, sheet_name=name, index=False)
        _safe_frame(strategies).to_excel(xw, sheet_name="TOWS", index=False)
        q = qspm_frame(res, lang).rename(columns={"factor": t("swot.col.factor", lang),
                                                 "weight": t("swot.col.weight", lang)})
        _safe_frame(q).to_excel(xw, sheet_name="QSPM", index=False)
        for ws in xw.book.worksheets:
            for col in ws.columns:
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return buf.getvalue()

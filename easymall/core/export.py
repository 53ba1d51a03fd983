"""The one exporter behind every download (CSV and XLSX): no cell can run as a spreadsheet formula.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``); every
such text — cells and column headers alike — gets a leading apostrophe, so it shows as typed and
never runs. Numbers stay numbers.
"""
from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

#: First characters a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column header made :func:`safe_cell`."""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out[c] = col.map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV, UTF-8 with a BOM (Chinese Excel opens it correctly), without the index.
    Lines end in CRLF, so a field holding a lone CR is quoted too (a CR would otherwise start a new
    row whose first cell could be a formula)."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frames: Mapping[str, pd.DataFrame], *, fit_columns: bool = False) -> bytes:
    """A workbook with one sheet per ``{sheet name: frame}`` (in order), without the index;
    ``fit_columns`` sizes each column to its longest value (8–60 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in frames.items():
            safe_frame(frame).to_excel(xw, sheet_name=name[:31], index=False)
        if fit_columns:
            for ws in xw.book.worksheets:
                for col in ws.columns:
                    width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                    ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return buf.getvalue()

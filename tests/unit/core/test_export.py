"""The one exporter: formula-leading texts are neutralised in every CSV and XLSX download."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd

from easymall.core import export
from easymall.models.survey import SurveyDocument
from easymall.store import Workspace
from easymall.survey.datasets import export_table, parse_bytes
from easymall.swot import edit
from easymall.swot import view as swot_view
from tests.conftest import ROOT

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


def _no_formula_cells(data: bytes) -> list[str]:
    """Every text cell of every sheet, asserting no cell is stored as a formula."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    values.append(c.value)
    return values


def _number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _csv_cells(data: bytes) -> list[str]:
    """Every text (non-number) cell of a CSV."""
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for c in row if not _number(c)]


def _neutral(cells: list[str]) -> None:
    for c in cells:
        assert c[:1] not in export.FORMULA_START, c


def test_every_formula_lead_is_neutralised_in_cells_and_headers_numbers_kept() -> None:
    frame = pd.DataFrame({"=bad header": FORMULAS, "n": range(len(FORMULAS)),
                          "cat": pd.Categorical(FORMULAS), "neg": [-1.5] * len(FORMULAS)})
    for cells in (_csv_cells(export.to_csv(frame)), _no_formula_cells(export.to_xlsx({"x": frame}))):
        _neutral(cells)
        assert "'=cmd|' /C calc'!A0" in cells and "'=bad header" in cells
    back = pd.read_excel(io.BytesIO(export.to_xlsx({"x": frame})), engine="openpyxl")
    assert back["neg"].tolist() == [-1.5] * len(FORMULAS) and back["n"].tolist() == list(range(len(FORMULAS)))


def test_survey_cleaned_data_downloads_are_neutralised() -> None:
    doc = Workspace(ROOT).load("survey")
    assert isinstance(doc, SurveyDocument)
    texts = [f"{f} row {i}" for i, f in enumerate(FORMULAS * 6)]  # all different: a free-text question
    body = "".join(f'{i},"{f.replace(chr(34), chr(34) * 2)}"\n' for i, f in enumerate(texts))
    ds = parse_bytes(('id,"=HYPERLINK(""http://evil.example"",""q"")"\n' + body).encode(), "f.csv", doc).dataset
    cells = _csv_cells(export_table(ds, None, "csv"))
    _neutral(cells)
    assert "'=cmd|' /C calc'!A0 row 0" in cells
    cells = _no_formula_cells(export_table(ds, None, "xlsx"))
    _neutral(cells)
    assert '\'=HYPERLINK("http://evil.example","x") row 1' in cells


def test_swot_downloads_are_neutralised() -> None:
    doc = Workspace(ROOT).load("swot")
    doc = edit.update_item(doc, "S1", {"text": FORMULAS[0]}, "en")
    doc = edit.update_item(doc, "W1", {"text": FORMULAS[1]}, "en")
    _neutral(_csv_cells(swot_view.to_csv(doc, "en")))
    cells = _no_formula_cells(swot_view.to_xlsx(doc, "en"))
    _neutral(cells)
    assert "'" + FORMULAS[0] in cells

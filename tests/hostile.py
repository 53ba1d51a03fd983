"""Hostile input built in the tests (nothing big is committed): a workspace copy whose user texts
carry Markdown and HTML an attacker would plant, a zip-bomb workbook and wide tables."""
from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from easymall.store import Workspace
from easymall.survey import view as survey_view
from easymall.swot import edit as swot_edit
from tests.conftest import ROOT

TRACKER = "http://127.0.0.1:9/track.png"
EVIL = "http://evil.example"
HOSTILE = f"![x]({TRACKER}) [evil]({EVIL}) <b>x</b>"
#: An author name holds 60 characters at most: the image and a link.
AUTHOR = f"![x]({TRACKER})[e]({EVIL})"
#: What must never appear in a Markdown body: the planted syntax, unescaped.
RAW = (f"![x]({TRACKER})", f"[evil]({EVIL})", f"[e]({EVIL})", "<b>x</b>")
FILE_NAME = f"![t]({TRACKER}).xlsx"


def plant(ws_path: Path, author: str = AUTHOR) -> None:
    ws = Workspace(ws_path)
    swot = ws.load("swot")
    swot = swot_edit.update_item(swot, "S1", {"text": "S " + HOSTILE}, "en")
    swot = swot_edit.update_strategy(swot, "SO1", {"text_en": "SO " + HOSTILE, "text_zh": "SO " + HOSTILE})
    swot.strategies[0].owner = author
    ws.save("swot", swot, base_revision=swot.revision, author=author)
    stp = ws.load("stp")
    stp.segments[0].name = "Seg " + HOSTILE
    ws.save("stp", stp, base_revision=stp.revision, author=author)
    sc = ws.load("scenarios")
    sc.scenarios[0].name = "Plan " + HOSTILE
    sc.scenarios[0].author = author
    ws.save("scenarios", sc, base_revision=sc.revision, author=author)
    data = (ROOT / "sample_data" / "easymall_survey_2017_by_number.xlsx").read_bytes()  # not the stored one
    outcome = survey_view.import_upload(ws, FILE_NAME, data, doc=ws.load("survey"), author=author, lang="en")
    assert outcome[0] == "ok", outcome


_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _col(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def workbook(sheet_rows, *, dimension: str | None = None) -> bytes:
    """An .xlsx whose only sheet is written from ``sheet_rows`` (an iterable of XML byte chunks)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                f.write(f'<dimension ref="{dimension}"/>'.encode())
            f.write(b"<sheetData>")
            for chunk in sheet_rows:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


@functools.lru_cache(maxsize=4)
def zip_bomb(unpacked_mb: int = 400) -> bytes:
    """A workbook of a few hundred KB whose sheet unpacks to ``unpacked_mb`` MB of one repeated cell."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * 20_000

    def rows():
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>Q1</t></is></c></row>'
        for _ in range(unpacked_mb * 1_000_000 // len(chunk)):
            yield chunk

    return workbook(rows())


def wide_xlsx(columns: int = 20_000, rows: int = 3, *, dimension: bool = True) -> bytes:
    def cells(r: int) -> bytes:
        return f'<row r="{r}">'.encode() + b"".join(
            f'<c r="{_col(c)}{r}"><v>{c % 5 + 1}</v></c>'.encode() for c in range(1, columns + 1)) + b"</row>"

    return workbook((cells(r) for r in range(1, rows + 2)),
                    dimension=f"A1:{_col(columns)}{rows + 1}" if dimension else None)


def wide_csv(columns: int = 20_000, rows: int = 3) -> bytes:
    header = ",".join(f"C{i}" for i in range(columns))
    body = "\n".join(",".join(str((i + r) % 5 + 1) for i in range(columns)) for r in range(rows))
    return (header + "\n" + body + "\n").encode()

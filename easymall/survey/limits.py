"""What an upload may hold, checked from its bytes before any reader builds a table.

* the declared size (bytes), for every format;
* an ``.xlsx`` workbook's unpacked size (the sum of its parts' sizes in the zip directory) and each
  large part's compression ratio (a zip bomb packs gigabytes of one repeated cell into megabytes),
  then each sheet's ``<dimension>`` (columns, rows, cells) from the first bytes of its XML;
* a CSV's columns from its header line (read from the first bytes only), rows from its line count.

Legacy ``.xls`` is bounded by its format (256 columns, 65,536 rows); an SPSS file's variable count
is read from its dictionary before its data (:func:`easymall.survey.decode.read_sav`); every reader's
table is checked again by :func:`check_table` before it becomes a DataFrame. What a check cannot
see is bounded by the child process the parse runs in (:mod:`easymall.survey.sandbox`).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass

from easymall.models.survey import SurveyDocument
from easymall.survey.errors import SurveyImportError

#: How much of a CSV is decoded to find its header line; of a sheet's XML to find its <dimension>.
HEAD_BYTES = 4_000_000
SHEET_HEAD = 65_536
#: Parts smaller than this may compress well without being a bomb (styles, shared strings of a few cells).
RATIO_MIN_PART = 10_000_000

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,4})(\d+)(?::([A-Z]{1,4})(\d+))?\"")


@dataclass(frozen=True)
class Limits:
    """The workspace's import limits (``config/survey.yaml``)."""

    upload_mb: int
    unpacked_mb: int
    zip_ratio: int
    columns: int
    rows: int
    cells: int
    memory_mb: int
    timeout_s: int

    @classmethod
    def of(cls, doc: SurveyDocument | None = None) -> Limits:
        d = doc or SurveyDocument()
        return cls(d.max_upload_mb, d.max_unpacked_mb, d.max_zip_ratio, d.max_columns, d.max_rows, d.max_cells,
                   d.parse_memory_mb, d.parse_timeout_s)


DEFAULT = Limits.of()


def _n(x: int) -> str:
    return f"{x:,}"  # exact: a limit is a whole number, never "50 m"


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:,.1f}"


def check_size(file: str, size: int, limits: Limits) -> None:
    if size > limits.upload_mb * 1_000_000:
        mb, limit = _mb(size), f"{limits.upload_mb:,}"
        raise SurveyImportError(f"{file} is {mb} MB; the limit is {limit} MB", file=file, code="too_large",
                                mb=mb, limit=limit)


def check_table(file: str, rows: int, columns: int, limits: Limits) -> None:
    """Refuse a table over the column, row or cell limit (counts may be upper bounds)."""
    if columns > limits.columns:
        raise SurveyImportError(f"{file} has {_n(columns)} columns; the limit is {_n(limits.columns)}", file=file,
                                code="too_many_columns", n=_n(columns), limit=_n(limits.columns))
    if rows > limits.rows:
        raise SurveyImportError(f"{file} has {_n(rows)} rows; the limit is {_n(limits.rows)}", file=file,
                                code="too_many_rows", n=_n(rows), limit=_n(limits.rows))
    if rows * columns > limits.cells:
        raise SurveyImportError(f"{file} has {_n(rows * columns)} cells; the limit is {_n(limits.cells)}", file=file,
                                code="too_many_cells", n=_n(rows * columns), limit=_n(limits.cells))


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_xlsx(data: bytes, file: str, limits: Limits) -> None:
    """The zip directory's sizes and ratios, then each sheet's declared dimension."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the reader says what is wrong with it
    with zf:
        parts = zf.infolist()
        total = sum(p.file_size for p in parts)
        if total > limits.unpacked_mb * 1_000_000:
            mb, limit = _mb(total), f"{limits.unpacked_mb:,}"
            raise SurveyImportError(f"{file} unpacks to {mb} MB; the limit is {limit} MB", file=file,
                                    code="unpacked_too_large", mb=mb, limit=limit)
        for p in parts:
            ratio = p.file_size / max(1, p.compress_size)
            if p.file_size >= RATIO_MIN_PART and ratio > limits.zip_ratio:
                raise SurveyImportError(
                    f"{file} is compressed {ratio:,.0f}-fold ({p.filename}); the limit is {limits.zip_ratio:,}-fold",
                    file=file, code="zip_ratio", ratio=f"{ratio:,.0f}", part=p.filename,
                    limit=f"{limits.zip_ratio:,}")
        for p in parts:
            if not (p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")):
                continue
            try:
                with zf.open(p) as fh:
                    head = fh.read(SHEET_HEAD)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
                return  # damaged or encrypted: the reader says so
            m = _DIMENSION.search(head)
            if m and m.group(3):
                columns = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
                rows = int(m.group(4)) - int(m.group(2))  # the header row is not an answer
                check_table(file, max(0, rows), max(1, columns), limits)


def head_text(data: bytes) -> str:
    head = data[:HEAD_BYTES]
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(enc, errors="ignore")
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def check_csv(data: bytes, file: str, limits: Limits, sep: str) -> None:
    """Columns from the header line (the first bytes only), rows from the number of line breaks."""
    text = head_text(data)
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
    columns = len(first)
    if "\n" not in text and "\r" not in text:  # the header line is longer than the head: at least this many
        columns = max(columns, text.count(sep) + 1)
    newline = b"\n\x00" if data[:2] == codecs.BOM_UTF16_LE else b"\x00\n" if data[:2] == codecs.BOM_UTF16_BE else b"\n"
    rows = max(0, data.count(newline) - 1)
    check_table(file, rows, max(1, columns), limits)

"""Bytes → a raw grid (header + rows of cells), by content: CSV text, XLSX, legacy XLS or SPSS ``.sav``.

Text encodings are tried strictly, in order: UTF-8 with BOM, UTF-16 with BOM, UTF-8, GBK, GB18030
(Chinese Excel saves GBK without a BOM). A character is never replaced: a file that none of them
decodes is refused with the line of the first bad byte.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.survey.errors import SurveyImportError, issue
from easymall.survey.limits import DEFAULT, Limits, check_csv, check_table, check_xlsx, head_text

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAV_MAGICS = (b"$FL2", b"$FL3")
SEPARATORS = [",", "\t", ";", "|"]


@dataclass
class RawTable:
    """What a file holds before any interpretation: header strings and cells (object columns 0..k-1)."""

    header: list[str]
    body: pd.DataFrame  # index 1..n (data row number), object columns, None/NaN for empty
    format: str
    encoding: str | None = None
    issues: list[dict[str, object]] = field(default_factory=list)
    #: SPSS only: value labels {column position: {code: label}}, variable names and multiple
    #: response sets as pyreadstat gives them ({name: {is_dichotomy, counted_value, label, variable_list}})
    value_labels: dict[int, dict[object, str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    mr_sets: dict[str, dict[str, object]] = field(default_factory=dict)


def sniff_format(data: bytes) -> str:
    """``xlsx``, ``xls``, ``sav`` or ``csv`` from the first bytes (never from the file name)."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    if data[:4] in SAV_MAGICS:
        return "sav"
    return "csv"


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode_text(data: bytes, file: str = "the file") -> tuple[str, str]:
    """(text, encoding name). Raises :class:`SurveyImportError` when no encoding in the chain fits."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise SurveyImportError(
                f"{file} starts with a UTF-8 marker but line {_line_of(data, exc.start + 3)} is not valid UTF-8",
                file=file, row=_line_of(data, exc.start + 3), code="utf8_marker",
                line=_line_of(data, exc.start + 3)) from None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(name), "utf-16"
            except UnicodeDecodeError:
                raise SurveyImportError(f"{file} starts with a UTF-16 marker but is not valid UTF-16",
                                        file=file, code="utf16_marker") from None
    if b"\x00" in data[:65536]:
        raise SurveyImportError(f"{file} is not a text, Excel or SPSS file (it contains binary data)", file=file,
                                code="binary")
    first_error = 0
    for enc in ("utf-8", "gbk", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc.start
            continue
        sample = text[:65536]
        controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
        if controls > max(2, len(sample) // 100):
            raise SurveyImportError(f"{file} is not a text, Excel or SPSS file (it contains binary data)",
                                    file=file, code="binary")
        return text, enc
    line = _line_of(data, first_error)
    raise SurveyImportError(
        f"{file} is not text in UTF-8, GBK or GB18030: line {line} has bytes none of them can read",
        file=file, row=line, code="encoding", line=line)


def _sniff_sep(text: str) -> str:
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for sep in SEPARATORS:
        counts = [ln.count(sep) for ln in lines]
        if counts[0] == 0:
            continue
        same = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = same * 10 + min(counts[0], 50) / 50
        if score > best_score:
            best, best_score = sep, score
    return best


def read_csv_text(text: str, encoding: str, file: str) -> RawTable:
    if not text.strip():
        raise SurveyImportError(f"{file} is empty", file=file, code="empty")
    sep = _sniff_sep(text)
    issues: list[dict[str, object]] = []
    grid: pd.DataFrame | None = None
    try:
        raw = text.encode("utf-8") if encoding not in ("utf-8", "utf-8-sig") else text.encode("utf-8")
        grid = pd.read_csv(io.BytesIO(raw), sep=sep, header=None, dtype=str, engine="pyarrow",
                           keep_default_na=False)
    except Exception:
        grid = None
    if grid is None:
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        except csv.Error as exc:
            raise SurveyImportError(f"{file} is not valid CSV ({exc})", file=file, code="bad_csv", detail=exc) from None
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            raise SurveyImportError(f"{file} is empty", file=file, code="empty")
        width = len(rows[0])
        for i, r in enumerate(rows[1:], start=1):
            if len(r) != width:
                short = len(r) < width
                issues.append(issue(i, None, "ragged_row", f"row {i} has {len(r)} fields, the header has {width}; "
                                    + ("missing fields are left empty" if short else "the extra fields are ignored"),
                                    row=i, fields=len(r), width=width, variant="short" if short else "long"))
                rows[i] = (r + [""] * width)[:width]
        grid = pd.DataFrame(rows, dtype=object)
    header = ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)  # columns stay string-typed (Arrow): no per-cell objects
    body.index = pd.RangeIndex(1, len(body) + 1)
    body.columns = range(body.shape[1])
    return RawTable(header, body, "csv", encoding, issues)


def read_excel(data: bytes, fmt: str, file: str, limits: Limits = DEFAULT) -> RawTable:
    from python_calamine import CalamineWorkbook

    if fmt == "xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise SurveyImportError(f"{file} is a damaged or truncated Excel workbook", file=file,
                                    code="damaged_excel") from None
        if "xl/workbook.xml" not in names:
            raise SurveyImportError(f"{file} is a zip archive, not an Excel workbook", file=file, code="zip")
        check_xlsx(data, file, limits)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = None
        for name in wb.sheet_names:
            got = wb.get_sheet_by_name(name).to_python(skip_empty_area=True)
            if got and any(any(c not in ("", None) for c in r) for r in got):
                rows = got
                break
    except SurveyImportError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's own errors, and Rust panics (pyo3 PanicException is a BaseException)
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise SurveyImportError(f"{file} is not a readable Excel workbook ({detail})", file=file, code="bad_excel",
                                detail=detail) from None
    if not rows:
        raise SurveyImportError(f"{file} is empty (no sheet has any cells)", file=file, code="empty_excel")
    check_table(file, len(rows) - 1, max(len(r) for r in rows), limits)
    header = ["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer() else str(c))
              for c in rows[0]]
    body = pd.DataFrame(rows[1:], dtype=object) if len(rows) > 1 else pd.DataFrame(columns=range(len(header)))
    body = body.reindex(columns=range(len(header)))
    body.index = pd.RangeIndex(1, len(body) + 1)
    return RawTable(header, body, fmt, None)


def read_sav(data: bytes, file: str, limits: Limits = DEFAULT) -> RawTable:
    import pyreadstat

    fd, tmp = tempfile.mkstemp(suffix=".sav")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            _, head = pyreadstat.read_sav(tmp, metadataonly=True)  # the dictionary only: cheap
            check_table(file, int(head.number_rows or 0), int(head.number_columns or 0), limits)
            df, meta = pyreadstat.read_sav(tmp)
        except SurveyImportError:
            raise
        except Exception as exc:
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
            raise SurveyImportError(f"{file} is not a readable SPSS file ({detail})", file=file, code="bad_sav",
                                    detail=detail) from None
    finally:
        os.unlink(tmp)
    names = list(df.columns)
    labels = meta.column_names_to_labels or {}
    header = [str(labels.get(n) or n) for n in names]
    value_labels = {}
    for i, n in enumerate(names):
        vl = (meta.variable_value_labels or {}).get(n)
        if vl:
            value_labels[i] = dict(vl)
    body = df.astype(object).where(df.notna(), None)
    body.columns = range(len(names))
    body.index = pd.RangeIndex(1, len(body) + 1)
    return RawTable(header, body, "sav", getattr(meta, "file_encoding", None) or None,
                    value_labels=value_labels, names=names, mr_sets=dict(getattr(meta, "mr_sets", None) or {}))


def check_bounds(data: bytes, file: str, limits: Limits = DEFAULT) -> None:
    """Refuse, from the bytes alone (no reader runs), a file over a workspace limit."""
    fmt = sniff_format(data)
    if fmt == "xlsx":
        check_xlsx(data, file, limits)
    elif fmt == "csv":
        check_csv(data, file, limits, _sniff_sep(head_text(data)))


def read_raw(data: bytes, file: str = "the file", limits: Limits = DEFAULT) -> RawTable:
    """The grid in ``data``; raises :class:`SurveyImportError` with one sentence when it cannot be read
    or is over a limit (checked before the reader builds a table)."""
    if not data:
        raise SurveyImportError(f"{file} is empty", file=file, code="empty")
    fmt = sniff_format(data)
    if fmt in ("xlsx", "xls"):
        raw = read_excel(data, fmt, file, limits)
    elif fmt == "sav":
        raw = read_sav(data, file, limits)
    else:
        check_csv(data, file, limits, _sniff_sep(head_text(data)))
        text, enc = decode_text(data, file)
        raw = read_csv_text(text, enc, file)
        check_table(file, len(raw.body), len(raw.header), limits)
    if len(raw.body) == 0:
        raise SurveyImportError(f"{file} has a header row but no answers", file=file, code="no_answers")
    return raw

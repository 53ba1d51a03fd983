"""Survey datasets stored in the workspace (``data/``), their import reports and the active one.

Layout in the workspace's ``data`` area (through the store's file API, never paths):

* ``<name>.<ext>`` — the uploaded bytes, never altered;
* ``<name>.twin.<ext>`` — for a Wenjuanxing pair, the other download mode of the same survey (joined
  with the first on 序号 every time the dataset is read);
* ``<name>.report.json`` — original file name, upload time, author, content hash, the import report;
* ``active.json`` — ``{"name": ...}``, the dataset every page uses.

Parsing is cached by content hash (and the questionnaire revision), so every session shares one
parsed, read-only :class:`Dataset`.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from easymall.core import export
from easymall.core.text import text_in
from easymall.models.survey import PLACEHOLDER_TITLE, SurveyDocument
from easymall.store import Workspace
from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.decode import sniff_format
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import Parsed
from easymall.survey.limits import Limits
from easymall.survey.overrides import apply_overrides
from easymall.survey.pair import join_on_serial
from easymall.survey.quality import QualityFlags, quality_flags
from easymall.survey.questionnaire import spec_matches
from easymall.survey.report import ImportReport, build_report
from easymall.survey.sandbox import bounded_load

AREA = "data"
ACTIVE = "active.json"
REPORT_SUFFIX = ".report.json"
TWIN = ".twin"
#: The file types an upload may have, each with the extension its bytes are stored under. The format
#: itself is sniffed from the bytes (never the name): a .txt or .tsv export reads as delimited text.
EXT = {"csv": "csv", "txt": "csv", "tsv": "csv", "xlsx": "xlsx", "xls": "xls", "sav": "sav"}


@dataclass(frozen=True, eq=False)
class Loaded:
    """A parsed dataset with its report and quality flags (shared, read-only)."""

    dataset: Dataset
    report: ImportReport
    flags: QualityFlags
    sha256: str


@dataclass(frozen=True)
class StoredDataset:
    name: str
    original_name: str
    uploaded: str
    author: str
    size: int
    sha256: str
    report: ImportReport
    active: bool
    twin: str | None = None  # original name of the joined by-text / by-number twin, if any


# --------------------------------------------------------------------------- parsing (cached)

_CACHE: OrderedDict[tuple[str, str, str], Loaded] = OrderedDict()
_CACHE_MAX = 6
#: Files that could not be read (over a limit, or unreadable), by the same key: a stored dataset that
#: cannot be shown is refused at once on every later run instead of being parsed again.
_FAILED: OrderedDict[tuple[str, str, str], SurveyImportError] = OrderedDict()
_FAILED_MAX = 32
_LOCK = threading.Lock()


def _survey_doc(ws: Workspace | None) -> SurveyDocument:
    if ws is None:
        return SurveyDocument()
    doc = ws.load_safe("survey").doc
    return doc if isinstance(doc, SurveyDocument) else SurveyDocument()


def _key(digest: str, doc: SurveyDocument, file: str) -> tuple[str, str, str]:
    qhash = hashlib.sha1(doc.model_dump_json(include={"questions", "quality", "multi_separator", "imports"})
                         .encode()).hexdigest()
    return (digest, qhash, file)


def _cached(key: tuple[str, str, str]) -> Loaded | None:
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
        return hit


def parse_bytes(data: bytes, file: str, survey_doc: SurveyDocument | None = None, *,
                platform: str | None = None) -> Loaded:
    """Parse (or fetch from the cache) a file's bytes; raises :class:`SurveyImportError` only.

    The platform is ``platform``, else the one ``survey.yaml`` keeps for the export's column
    signature (``imports.platforms``), else the one its structure shows."""
    doc = survey_doc or SurveyDocument()

    def build() -> Parsed:
        limits = Limits.of(doc)
        parsed = bounded_load(data, file, multi_sep=doc.multi_separator, limits=limits, platform=platform)
        kept = doc.imports.platforms.get(parsed.signature)
        if platform is None and kept and kept != parsed.platform:
            parsed = bounded_load(data, file, multi_sep=doc.multi_separator, limits=limits, platform=kept)
        return parsed

    digest = hashlib.sha256(data).hexdigest()
    return _finish(digest if platform is None else f"{digest}:{platform}", file, doc, build)


def pair_digest(data: bytes, twin_data: bytes) -> str:
    """The content hash of a Wenjuanxing pair (order matters: the first file, then its twin)."""
    return hashlib.sha256(hashlib.sha256(data).digest() + hashlib.sha256(twin_data).digest()).hexdigest()


def parse_pair(data: bytes, file: str, twin_data: bytes, twin_file: str,
               survey_doc: SurveyDocument | None = None) -> Loaded:
    """A Wenjuanxing by-text export joined with its by-number twin on 序号 (either may come first).

    The by-text answers are kept; the twin gives every question its options in questionnaire order
    (and options nobody chose). Respondents in one file only are left out and listed as issues.
    Raises :class:`SurveyImportError` when the two files are not such a pair.
    """
    doc = survey_doc or SurveyDocument()

    def build() -> Parsed:
        limits = Limits.of(doc)
        first = bounded_load(data, file, multi_sep=doc.multi_separator, limits=limits)
        second = bounded_load(twin_data, twin_file, multi_sep=doc.multi_separator, limits=limits)
        if {first.wjx_mode, second.wjx_mode} != {"text", "number"}:
            raise SurveyImportError(f"{file} and {twin_file} are not a Wenjuanxing by-text and by-number "
                                    "export of one survey", file=file, code="not_pair", twin=twin_file)
        by_text, by_number = (first, second) if first.wjx_mode == "text" else (second, first)
        joined = join_on_serial(by_text.dataset, by_number.dataset)
        if joined.dataset.n == 0:
            raise SurveyImportError(f"{file} and {twin_file} have no 序号 in common", file=file, code="no_common_serial",
                                    twin=twin_file)
        dataset = Dataset(joined.dataset.questions, joined.dataset.frame, file)
        return Parsed(dataset, by_text.format, by_text.encoding, "pair", by_text.issues + joined.issues,
                      "wenjuanxing", by_text.metadata, by_text.signature)

    return _finish(pair_digest(data, twin_data), file, doc, build)


def _finish(digest: str, file: str, doc: SurveyDocument, parse: Callable[[], Parsed]) -> Loaded:
    """The cached :class:`Loaded` for ``digest``, or ``parse()`` with the questionnaire, flags and report."""
    key = _key(digest, doc, file)
    hit = _cached(key)
    if hit is not None:
        return hit
    with _LOCK:
        failed = _FAILED.get(key)
    if failed is not None:
        raise failed
    try:
        parsed = parse()
    except SurveyImportError as exc:
        with _LOCK:
            _FAILED[key] = exc
            while len(_FAILED) > _FAILED_MAX:
                _FAILED.popitem(last=False)
        raise
    parsed.dataset, unused = apply_overrides(parsed.dataset, doc.imports.questions)
    parsed.issues = [*parsed.issues, *unused]
    parsed.dataset = apply_questionnaire(parsed.dataset, doc)
    flags = quality_flags(parsed.dataset, doc.quality)
    loaded = Loaded(parsed.dataset, build_report(parsed, flags), flags, digest)
    with _LOCK:
        _CACHE[key] = loaded
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
    return loaded


def apply_questionnaire(dataset: Dataset, doc: SurveyDocument) -> Dataset:
    """Put options and matrix rows in questionnaire order (adding never-chosen options) where the
    questionnaire in ``survey.yaml`` knows the question; other questions are left as found."""
    if not doc.questions:
        return dataset
    frame = None
    questions: list[Question] = []
    for q in dataset.questions:
        spec = doc.spec(q.id)
        if spec is None or not spec_matches(spec, q):
            questions.append(q)
            continue
        if q.type == "single":
            labels = [o.label for o in spec.options]
            codes = {str(i): lab for i, lab in enumerate(labels, start=1)}
            if q.options and not set(q.options) & set(labels) and set(q.options) <= set(codes):
                # a by-number export: option numbers → the questionnaire's labels
                if frame is None:
                    frame = dataset.frame.copy()
                frame[q.id] = frame[q.id].map(codes).astype(object)
                questions.append(Question(q.id, q.title, q.type, labels, [], q.columns))
                continue
            questions.append(Question(q.id, q.title, q.type, labels + [o for o in q.options if o not in labels],
                                      [], q.columns))
        elif q.type in ("multi", "ranking"):
            labels = [o.label for o in spec.options]
            opts = labels + [o for o in q.options if o not in labels]
            title = text_in(spec.title, "zh") if PLACEHOLDER_TITLE.match(q.title) else q.title
            if frame is None:
                frame = dataset.frame.copy()
            for o in opts:
                col = f"{q.id}{SEP}{o}"
                if col not in frame:
                    frame[col] = False if q.type == "multi" else np.nan
            questions.append(Question(q.id, title, q.type, opts, [], [f"{q.id}{SEP}{o}" for o in opts]))
        elif q.type == "matrix":
            labels = [o.label for o in spec.rows]
            rows = [r for r in labels if r in q.rows] + [r for r in q.rows if r not in labels]
            points = q.options
            if spec.scale_min is not None and spec.scale_max is not None:
                points = [str(i) for i in range(spec.scale_min, spec.scale_max + 1)]
            questions.append(Question(q.id, q.title, q.type, points, rows, [f"{q.id}{SEP}{r}" for r in rows]))
        elif q.type == "scale" and spec.scale_min is not None and spec.scale_max is not None:
            points = [str(i) for i in range(spec.scale_min, spec.scale_max + 1)]
            questions.append(Question(q.id, q.title, q.type, points, [], q.columns))
        else:
            questions.append(q)
    return Dataset(questions, dataset.frame if frame is None else frame, dataset.name)


# --------------------------------------------------------------------------- storage


def _slug(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:60]
    return s if s and s[0].isalnum() else "survey-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _read_json(ws: Workspace, name: str) -> dict[str, Any] | None:
    try:
        return json.loads(ws.get_file(AREA, name).decode("utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return None


def _data_file(ws: Workspace, name: str) -> str | None:
    for f in ws.list_files(AREA):
        if f.rsplit(".", 1)[0] == name and not f.endswith(REPORT_SUFFIX) and f != ACTIVE:
            return f
    return None


def _twin_file(ws: Workspace, name: str) -> str | None:
    return _data_file(ws, name + TWIN)


def list_datasets(ws: Workspace) -> list[StoredDataset]:
    """Stored datasets, newest first, each with its import report."""
    active = active_name(ws)
    out = []
    for f in ws.list_files(AREA):
        if not f.endswith(REPORT_SUFFIX):
            continue
        meta = _read_json(ws, f)
        if not meta:
            continue
        name = f[: -len(REPORT_SUFFIX)]
        if _data_file(ws, name) is None:
            continue
        out.append(StoredDataset(name, meta.get("original_name", name), meta.get("uploaded", ""),
                                 meta.get("author", ""), int(meta.get("size", 0)), meta.get("sha256", ""),
                                 ImportReport.from_dict(meta.get("report", {})), name == active,
                                 (meta.get("twin") or {}).get("original_name")))
    return sorted(out, key=lambda d: d.uploaded, reverse=True)


def _check_size(filename: str, data: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        mb, limit = f"{len(data) / 1e6:,.1f}", f"{max_bytes / 1e6:,.0f}"
        raise SurveyImportError(f"{filename} is {mb} MB; the limit is {limit} MB", file=filename, code="too_large",
                                mb=mb, limit=limit)


def store_dataset(ws: Workspace, filename: str, data: bytes, *, author: str | None = None, activate: bool | None = True,
                  max_bytes: int | None = None) -> tuple[StoredDataset, Loaded]:
    """Parse and store an upload; nothing is stored (and the active dataset stays) when it cannot be read.

    ``activate``: True makes it the active dataset (recorded as by ``author``); None only when no
    dataset is active; False never — the app stores uploads and activates them as a separate,
    confirmed step (:func:`set_active`).

    The same content uploaded twice is stored once; a different file with a taken name gets a suffix.
    ``author`` (every upload the app makes) is checked by the store: an editor may upload, only an
    admin's upload becomes the active dataset where roles are enforced (``None``: the operator).
    """
    _check_size(filename, data, max_bytes)
    if author is not None:
        ws.authorize(author, "upload")
    may_activate = author is None or ws.may(author, "dataset.activate")
    doc = _survey_doc(ws)
    loaded = parse_bytes(data, filename, doc)
    for d in list_datasets(ws):
        if d.sha256 == loaded.sha256:
            if activate and may_activate:
                set_active(ws, d.name, author=author)
            return next(x for x in list_datasets(ws) if x.name == d.name), loaded
    base = _slug(filename)
    taken = {f.rsplit(".", 1)[0] for f in ws.list_files(AREA)} | {ACTIVE.split(".")[0]}
    name, k = base, 2
    while name in taken or f"{name}.report" in taken:
        name, k = f"{base}-{k}", k + 1
    ext = EXT[sniff_format(data)]
    ws.put_file(AREA, f"{name}.{ext}", data, author=author)
    meta = {"original_name": filename, "uploaded": datetime.now(UTC).isoformat(timespec="seconds"),
            "author": author or "", "size": len(data), "sha256": loaded.sha256, "report": loaded.report.to_dict()}
    ws.put_file(AREA, name + REPORT_SUFFIX, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"),
                author=author)
    if may_activate and (activate or (activate is None and active_name(ws) is None)):
        set_active(ws, name, author=author)
    return next(x for x in list_datasets(ws) if x.name == name), loaded


def attach_twin(ws: Workspace, name: str, filename: str, data: bytes, *,
                max_bytes: int | None = None, author: str | None = None) -> tuple[StoredDataset, Loaded]:
    """Join stored dataset ``name`` with the other Wenjuanxing download mode of the same survey.

    Nothing is stored when ``data`` is not that twin (the dataset stays as it was). The stored
    dataset is then read as the pair every time; its report is the joined one.
    """
    _check_size(filename, data, max_bytes)
    if author is not None:
        ws.authorize(author, "upload")
    f, meta = _data_file(ws, name), _read_json(ws, name + REPORT_SUFFIX)
    if f is None or meta is None:
        raise KeyError(f"no stored dataset called {name}")
    if meta.get("twin"):
        first, twin = meta.get("original_name", name), meta["twin"].get("original_name")
        raise SurveyImportError(f"{first} is already joined with {twin}", file=first, code="already_joined", twin=twin)
    loaded = parse_pair(ws.get_file(AREA, f), meta.get("original_name", f), data, filename, _survey_doc(ws))
    ws.put_file(AREA, f"{name}{TWIN}.{EXT[sniff_format(data)]}", data, author=author)
    meta["twin"] = {"original_name": filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                    "pair_sha256": loaded.sha256, "attached": datetime.now(UTC).isoformat(timespec="seconds")}
    meta["report"] = loaded.report.to_dict()
    ws.put_file(AREA, name + REPORT_SUFFIX, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"),
                author=author)
    return next(x for x in list_datasets(ws) if x.name == name), loaded


def delete_dataset(ws: Workspace, name: str, *, author: str | None = None) -> None:
    """Remove a stored dataset and its report; if it was active, the newest remaining one becomes active.
    ``author`` must be an admin where roles are enforced (``None``: the operator)."""
    if author is not None:
        ws.authorize(author, "dataset.delete")
    f = _data_file(ws, name)
    if f is None:
        raise KeyError(f"no stored dataset called {name}")
    was_active = active_name(ws) == name
    twin = _twin_file(ws, name)
    if twin is not None:
        ws.delete_file(AREA, twin, author=author)
    ws.delete_file(AREA, f, author=author)
    ws.delete_file(AREA, name + REPORT_SUFFIX, author=author)
    if was_active:
        rest = list_datasets(ws)
        if rest:
            set_active(ws, rest[0].name, author=author)
        else:
            ws.delete_file(AREA, ACTIVE, author=author)


def set_active(ws: Workspace, name: str, *, author: str | None = None) -> None:
    """Make ``name`` the active dataset every page uses, recording who did it and when; ``author``
    must be an admin where roles are enforced (``None``: the operator)."""
    if author is not None:
        ws.authorize(author, "dataset.activate")
    if _data_file(ws, name) is None:
        raise KeyError(f"no stored dataset called {name}")
    record = {"name": name, "author": author or "", "time": datetime.now(UTC).isoformat(timespec="seconds")}
    ws.put_file(AREA, ACTIVE, json.dumps(record, ensure_ascii=False).encode("utf-8"), author=author)


def active_label(ws: Workspace) -> str | None:
    """The active dataset as people know it: the name of the file that was uploaded."""
    name = active_name(ws)
    if name is None:
        return None
    meta = _read_json(ws, name + REPORT_SUFFIX)
    return str(meta.get("original_name") or name) if isinstance(meta, dict) else name


def active_record(ws: Workspace) -> tuple[str, str]:
    """Who made the active dataset active, and when (ISO time); ``("", "")`` when not recorded."""
    meta = _read_json(ws, ACTIVE)
    if not isinstance(meta, dict) or active_name(ws) is None:
        return "", ""
    return str(meta.get("author") or ""), str(meta.get("time") or "")


def clear_active(ws: Workspace, *, author: str | None = None) -> None:
    """No dataset is active (every stored one is kept): pages show no survey until one is made active."""
    if author is not None:
        ws.authorize(author, "dataset.activate")
    ws.put_file(AREA, ACTIVE, json.dumps({"name": None}).encode("utf-8"), author=author)


def active_name(ws: Workspace) -> str | None:
    meta = _read_json(ws, ACTIVE)
    name = meta.get("name") if isinstance(meta, dict) else None
    return name if isinstance(name, str) and _data_file(ws, name) else None


def load_stored(ws: Workspace, name: str) -> Loaded:
    f = _data_file(ws, name)
    if f is None:
        raise KeyError(f"no stored dataset called {name}")
    meta = _read_json(ws, name + REPORT_SUFFIX) or {}
    doc = _survey_doc(ws)
    file = meta.get("original_name", f)
    twin, twin_file = meta.get("twin") or {}, _twin_file(ws, name)
    digest = twin.get("pair_sha256") if twin else meta.get("sha256")
    if digest:  # stored files never change: the recorded hash finds the parsed dataset
        hit = _cached(_key(str(digest), doc, file))
        if hit is not None:
            return hit
    if twin and twin_file is not None:
        return parse_pair(ws.get_file(AREA, f), file, ws.get_file(AREA, twin_file), twin.get("original_name", twin_file),
                          doc)
    return parse_bytes(ws.get_file(AREA, f), file, doc)


def stored_bytes(ws: Workspace, name: str) -> tuple[bytes, str]:
    """A stored dataset's uploaded bytes and original file name (KeyError: no such dataset)."""
    f = _data_file(ws, name)
    if f is None:
        raise KeyError(f"no stored dataset called {name}")
    meta = _read_json(ws, name + REPORT_SUFFIX) or {}
    return ws.get_file(AREA, f), str(meta.get("original_name", f))


def active_loaded(ws: Workspace) -> Loaded | None:
    """The active dataset with its report and flags, or None (no dataset, or it no longer reads)."""
    name = active_name(ws)
    if name is None:
        return None
    try:
        return load_stored(ws, name)
    except (SurveyImportError, KeyError, FileNotFoundError):
        return None


def active_error(ws: Workspace) -> SurveyImportError | None:
    """Why the active dataset cannot be read (over a limit, damaged), or None. Cheap after the first
    attempt: failures are remembered like parsed datasets."""
    name = active_name(ws)
    if name is None:
        return None
    try:
        load_stored(ws, name)
    except SurveyImportError as exc:
        return exc
    except (KeyError, FileNotFoundError):
        return None
    return None


def active_dataset(ws: Workspace) -> Dataset | None:
    """The workspace's active dataset (parsed once per content hash and shared), or None."""
    loaded = active_loaded(ws)
    return loaded.dataset if loaded else None


def cleaned_frame(dataset: Dataset, mask: pd.Series | np.ndarray | None = None) -> pd.DataFrame:
    """The answers (filtered) with the data row number as a first column, for download."""
    f = dataset.frame if mask is None else dataset.frame[np.asarray(mask, bool)]
    out = f.copy()
    out.insert(0, "row", out.index)
    return out


def export_table(dataset: Dataset, mask: pd.Series | np.ndarray | None, fmt: str) -> bytes:
    """Cleaned (filtered) answers as CSV (UTF-8 with BOM, opens in Chinese Excel) or XLSX bytes,
    through the one exporter (:mod:`easymall.core.export`: no cell runs as a formula)."""
    frame = cleaned_frame(dataset, mask)
    for c in frame.columns:
        if str(frame[c].dtype).startswith("datetime"):
            frame[c] = frame[c].dt.strftime("%Y-%m-%d %H:%M:%S")
    if fmt == "csv":
        return export.to_csv(frame)
    if fmt == "xlsx":
        return export.to_xlsx({"answers": frame})
    raise ValueError(f"unknown export format {fmt!r}")

"""``easymall survey-report FILE [--json] [--platform P]``: the import report of a survey file (read as
platform ``P``'s export, or as the platform its structure shows);
``easymall survey-dataset list|activate NAME|deactivate|delete NAME [--workspace W]``: the stored datasets.

Exit 0 with the report; 1 with one plain sentence when the file cannot be read or is over a limit of
the workspace (the same bounds, memory and time budget as an upload: :mod:`easymall.survey.sandbox`).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from easymall.core.errors import UserError
from easymall.models.survey import SurveyDocument
from easymall.store import workspace_arg
from easymall.survey import datasets
from easymall.survey.datasets import parse_bytes
from easymall.survey.errors import SurveyImportError
from easymall.survey.limits import Limits
from easymall.survey.pair import join_on_serial
from easymall.survey.platforms import LABELS, PLATFORMS
from easymall.survey.sandbox import bounded_load


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("survey-report", help="import report of a survey file (CSV, Excel, SPSS, Wenjuanxing)")
    p.add_argument("file", help="the survey export")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--workspace", help="workspace whose config/survey.yaml gives the questionnaire and thresholds")
    p.add_argument("--separator", help="separator of multi-choice answers in a generic file (default: detected)")
    p.add_argument("--platform", choices=PLATFORMS,
                   help="read the file as this platform's export (default: detected from the file's structure)")
    p.add_argument("--twin", metavar="FILE",
                   help="the same Wenjuanxing survey downloaded in the other mode (by number / by text): "
                        "join the two on 序号 and report the option codebooks")
    p.set_defaults(func=run)
    d = subparsers.add_parser("survey-dataset", help="list, activate, deactivate or delete stored survey datasets")
    d.add_argument("action", choices=["list", "activate", "deactivate", "delete"])
    d.add_argument("name", nargs="?", help="the dataset (activate, delete), as `list` names it")
    d.add_argument("workspace", nargs="?", help="workspace folder or postgresql:// URL (default: EASYMALL_WORKSPACE or the repo)")
    d.set_defaults(func=run_dataset)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"{path} does not exist or is not a file")
    doc = None
    if args.workspace:
        ws = workspace_arg(args.workspace)
        loaded = ws.load_safe("survey")
        doc = loaded.doc
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path} cannot be read ({exc.strerror})") from None
    if args.separator:
        doc = (doc or SurveyDocument()).model_copy(update={"multi_separator": args.separator})
    try:
        report = parse_bytes(data, path.name, doc, platform=args.platform).report  # type: ignore[arg-type]
    except SurveyImportError as exc:
        raise UserError(str(exc)) from None
    twin = _twin(args, data, path.name, doc) if args.twin else None
    if args.json:
        out = report.to_dict()
        if twin is not None:
            out["twin"] = twin
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{report.file}: {report.format_label}, {LABELS.get(report.platform, report.platform)}"
          + (f", encoding {report.encoding}" if report.encoding else "")
          + (f", Wenjuanxing by {report.wjx_mode}" if report.wjx_mode else "")
          + f", {report.rows:,} rows, {len(report.questions)} questions")
    for q in report.questions:
        extra = f" ({len(q['options'])} options)" if q["options"] else ""
        extra += f" ({len(q['rows'])} rows)" if q.get("rows") else ""
        print(f"  {q['id']:<8} {q['type']:<8} {q['title'][:70]}{extra}")
    if report.metadata:
        print("metadata: " + ", ".join(f"{m['column']} ({m['key']})" for m in report.metadata)[:300])
    print("quality: " + ", ".join(f"{k} {v}" for k, v in report.quality.items()))
    if twin is not None:
        print(f"joined with {twin['file']} on 序号: {twin['matched']:,} respondents in both, "
              f"{len(twin['codebooks'])} codebooks")
        for qid, book in twin["codebooks"].items():
            print(f"  {qid:<8} " + ", ".join(f"{k}={v}" for k, v in book.items())[:150])
        for i in twin["issues"]:
            print(f"  {i['code']}: {i['message']}")
    if report.issues:
        print(f"{len(report.issues)} issue(s):")
        for i in report.issues:
            print(f"  row {i['row'] if i['row'] is not None else '-'}: {i['column'] or '-'}: {i['code']}: {i['message']}")
    return 0


def _twin(args: argparse.Namespace, data: bytes, name: str, doc) -> dict:
    """Join the file with its other-mode twin on 序号 (whichever of the two is the by-text one)."""
    other = Path(args.twin)
    if not other.is_file():
        raise UserError(f"{other} does not exist or is not a file")
    limits = Limits.of(doc)
    try:
        first = bounded_load(data, name, limits=limits)
        second = bounded_load(other.read_bytes(), other.name, limits=limits)
    except SurveyImportError as exc:
        raise UserError(str(exc)) from None
    modes = {first.wjx_mode, second.wjx_mode}
    if modes != {"text", "number"}:
        raise UserError(f"{name} and {other.name} are not a Wenjuanxing by-text and by-number pair")
    by_text, by_number = (first, second) if first.wjx_mode == "text" else (second, first)
    try:
        joined = join_on_serial(by_text.dataset, by_number.dataset)
    except SurveyImportError as exc:
        raise UserError(str(exc)) from None
    return {"file": other.name, "matched": joined.dataset.n, "codebooks": joined.codebooks, "issues": joined.issues}


def run_dataset(args: argparse.Namespace) -> int:
    """Stored datasets, without parsing any (a dataset that cannot be shown can always be removed)."""
    name, workspace = args.name, args.workspace
    if args.action in ("list", "deactivate") and name is not None and workspace is None:
        name, workspace = None, name  # `survey-dataset list WORKSPACE`
    ws = workspace_arg(workspace)
    if args.action == "list":
        for d in datasets.list_datasets(ws):
            print(f"{'*' if d.active else ' '} {d.name}  {d.original_name}  {d.size:,} bytes  "
                  f"{d.report.rows:,} rows  {len(d.report.questions):,} questions  {d.uploaded}")
        return 0
    if args.action == "deactivate":
        datasets.clear_active(ws)
        print(f"no dataset is active in {ws.label}")
        return 0
    if not name:
        raise UserError(f"survey-dataset {args.action} needs the name of a dataset (see survey-dataset list)")
    try:
        (datasets.set_active if args.action == "activate" else datasets.delete_dataset)(ws, name)
    except KeyError:
        raise UserError(f"{ws.label} has no stored dataset called {name}") from None
    print(f"{name} {'is active' if args.action == 'activate' else 'deleted'}")
    return 0

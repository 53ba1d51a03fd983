"""``easymall survey-report FILE [--json]``: the import report of a survey file.

Exit 0 with the report; 1 with one plain sentence when the file cannot be read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from easymall.survey.errors import SurveyImportError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("survey-report", help="import report of a survey file (CSV, Excel, SPSS, Wenjuanxing)")
    p.add_argument("file", help="the survey export")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--workspace", help="workspace whose config/survey.yaml gives the questionnaire and thresholds")
    p.add_argument("--separator", help="separator of multi-choice answers in a generic file (default: detected)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from easymall.cli import UserError
    from easymall.survey.datasets import parse_bytes

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"{path} does not exist or is not a file")
    doc = None
    if args.workspace:
        from easymall.cli import workspace_arg

        ws = workspace_arg(args.workspace)
        loaded = ws.load_safe("survey")
        doc = loaded.doc
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path} cannot be read ({exc.strerror})") from None
    if args.separator:
        from easymall.models.survey import SurveyDocument

        doc = (doc or SurveyDocument()).model_copy(update={"multi_separator": args.separator})
    try:
        report = parse_bytes(data, path.name, doc).report  # type: ignore[arg-type]
    except SurveyImportError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{report.file}: {report.format_label}"
          + (f", encoding {report.encoding}" if report.encoding else "")
          + (f", Wenjuanxing by {report.wjx_mode}" if report.wjx_mode else "")
          + f", {report.rows:,} rows, {len(report.questions)} questions")
    for q in report.questions:
        extra = f" ({len(q['options'])} options)" if q["options"] else ""
        extra += f" ({len(q['rows'])} rows)" if q.get("rows") else ""
        print(f"  {q['id']:<8} {q['type']:<8} {q['title'][:70]}{extra}")
    print("quality: " + ", ".join(f"{k} {v}" for k, v in report.quality.items()))
    if report.issues:
        print(f"{len(report.issues)} issue(s):")
        for i in report.issues:
            print(f"  row {i['row'] if i['row'] is not None else '-'}: {i['column'] or '-'}: {i['code']}: {i['message']}")
    return 0

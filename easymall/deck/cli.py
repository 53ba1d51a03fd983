"""``easymall export [WORKSPACE] --format html|pdf|pptx --out PATH [--lang en|zh] [--deck NAME]``.

Builds the deck from the live workspace (every slide, or a named deck of ``decks.yaml`` in its order
and, unless ``--lang`` says otherwise, its language) and writes it to PATH. Exit 0; 1 with one
sentence on bad input (an unknown deck, a path that cannot be written); 2 on usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from easymall.core.errors import UserError
from easymall.deck.slide import DeckError
from easymall.store import workspace_arg

#: The file formats ``--format`` takes (each has its renderer in ``easymall.deck.<format>``).
FORMATS = ("html", "pdf", "pptx")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("export", help="export the deck from the live workspace as HTML, PDF or PPTX",
                              description="Export the study's deck (built from the workspace) to a file.")
    p.add_argument("workspace", nargs="?", help="workspace folder or postgresql:// URL (default: EASYMALL_WORKSPACE or the repo)")
    p.add_argument("--format", required=True, choices=FORMATS, help="file format")
    p.add_argument("--out", required=True, metavar="PATH", help="file to write")
    p.add_argument("--lang", choices=("en", "zh"), help="language (default: the deck's, else en)")
    p.add_argument("--deck", metavar="NAME", help="a deck id from decks.yaml (default: every slide)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    # heavy: only export needs the deck builder and the renderers (scikit-learn, Plotly, python-pptx,
    # Playwright: seconds of start-up that every other ``easymall`` command would pay if imported above)
    from easymall.deck.build import build_deck, deck_language
    from easymall.deck.html import render_html
    from easymall.deck.pdf import render_pdf
    from easymall.deck.pptx import render_pptx

    renderers = {"html": render_html, "pdf": render_pdf, "pptx": render_pptx}
    ws = workspace_arg(args.workspace)
    out = Path(args.out)
    if out.is_dir():
        raise UserError(f"cannot write {out}: it is a folder")
    if not out.parent.exists():
        raise UserError(f"cannot write {out}: the folder {out.parent} does not exist")
    try:
        lang = args.lang or (deck_language(ws, args.deck) if args.deck else None) or "en"
        slides = build_deck(ws, lang, args.deck)
        data = renderers[args.format](slides, lang)
    except DeckError as exc:
        raise UserError(str(exc)) from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    missing = [s.key for s in slides if s.missing]
    if missing:
        print(f"warning: slide(s) without their data: {', '.join(missing)}", file=sys.stderr)
    print(f"wrote {out} ({len(slides)} slides, {args.format}, {lang}, {len(data):,} bytes)")
    return 0

"""``easymall`` command line: validate, survey-report, scenario, export, user, copy, serve.

Exit codes: 0 ok, 1 bad input (one plain sentence on stderr, never a traceback), 2 usage.
Each command lives in its own module with ``register(subparsers)``; the handler it sets as
``func`` takes the parsed arguments and returns the exit code.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from easymall.core.errors import UserError
from easymall.models.survey import SurveyDocument
from easymall.store import Workspace, transfer, workspace_arg

#: Modules that add a sub-command (each defines ``register(subparsers)``).
COMMAND_MODULES: list[str] = ["easymall.survey.cli", "easymall.scenario.cli", "easymall.deck.cli", "easymall.store.users"]


def _validate(args: argparse.Namespace) -> int:
    ws = workspace_arg(args.workspace)
    problems = ws.validate()
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {ws.label}", file=sys.stderr)
        return 1
    print(f"ok: {ws.label} is valid ({len(Workspace.documents())} documents)")
    return 0


def _copy(args: argparse.Namespace) -> int:
    done = transfer.copy(args.source, args.dest, force=args.force)
    print(f"copied {done.documents} documents, {done.revisions} revisions and {done.files} files "
          f"from {done.source} to {done.dest}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    ws = workspace_arg(args.workspace)
    app = Path(__file__).resolve().parent.parent / "app.py"
    env = dict(os.environ, EASYMALL_WORKSPACE=ws.address)
    flags = [f for f in args.streamlit_args if f != "--"]
    # the server's own upload cap follows the workspace's (config/survey.yaml max_upload_mb), so a
    # bigger file is refused before it is in memory; Streamlit reads it only at start (not st.set_option)
    survey = ws.load_safe("survey").doc
    cap = str(getattr(survey, "max_upload_mb", None) or SurveyDocument().max_upload_mb)
    # no full gc.collect() after every script run (Streamlit's default): it costs tens of ms on every rerun,
    # fragment run and live-sync poll (DESIGN §10, benchmarks/bench_load.py); set here too because
    # .streamlit/config.toml is read from the current folder only. A later flag may turn it back on.
    # easymall.ui.server is `streamlit run` with TCP_NODELAY on every connection (its docstring says why)
    cmd = [sys.executable, "-m", "easymall.ui.server", "run", str(app), "--browser.gatherUsageStats", "false",
           "--server.maxUploadSize", cap, "--runner.postScriptGC", "false", *flags]
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="easymall", description="Easy Mall Strategy Studio")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every workspace document; print file:line: path: message")
    p.add_argument("workspace", nargs="?", help="workspace folder or postgresql:// URL (default: EASYMALL_WORKSPACE or the repo)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("copy", help="copy a whole workspace (documents, history, datasets) between two addresses",
                       description="Copy a whole workspace — documents, every revision, uploaded datasets — "
                                   "between a folder and PostgreSQL, either way.")
    p.add_argument("source", help="workspace folder or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?workspace=NAME]")
    p.add_argument("dest", help="folder or postgresql:// URL; must be empty unless --force")
    p.add_argument("--force", action="store_true", help="replace what the destination holds")
    p.set_defaults(func=_copy)

    p = sub.add_parser("serve", help="start the app on a workspace (extra flags go to streamlit)")
    p.add_argument("workspace", nargs="?")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="e.g. -- --server.port 8600")
    p.set_defaults(func=_serve)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if argv[:1] == ["serve"] and "--" in argv:  # everything after "--" is Streamlit's, never a workspace
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)  # exits 2 on usage errors
    if extra:
        args.streamlit_args = [*extra, *args.streamlit_args]
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the contract: one sentence, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

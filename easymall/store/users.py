"""``easymall user add NAME --role viewer|editor|admin [--password-stdin] [WORKSPACE]``,
``easymall user remove NAME [WORKSPACE]``, ``easymall user list [WORKSPACE]``: the accounts and roles of
``config/access.yaml``.

In ``oidc`` mode NAME is an e-mail and has no password; otherwise it is an account, whose password
is read from stdin (``--password-stdin``: its first line) or asked for twice when stdin is a
terminal. Only the salted scrypt hash is stored; a password is never printed, logged or kept.
The command runs as the operator of the machine that holds the workspace (no login). Exit 0; 1
with one sentence on bad input; 2 on usage.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from pydantic import ValidationError

from easymall.access import ROLES
from easymall.core.errors import UserError
from easymall.core.i18n import explain
from easymall.store.guard import AccessFileError
from easymall.store.workspace import workspace_arg


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("user", help="accounts and roles in config/access.yaml (add, remove, list)",
                              description="Manage who may look, edit or administer a workspace.", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER, help="add NAME --role ROLE [--password-stdin] [WORKSPACE] | "
                   "remove NAME [WORKSPACE] | list [WORKSPACE]")
    p.set_defaults(func=_run)


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser per action, each read with ``parse_intermixed_args`` (the WORKSPACE may follow the flags)."""
    a = argparse.ArgumentParser(prog="easymall user add", description="Add an account (or change its role and password).")
    a.add_argument("name", help="account name (an e-mail in oidc mode)")
    a.add_argument("workspace", nargs="?", help="workspace folder (default: EASYMALL_WORKSPACE or the repo)")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    a.set_defaults(func=_add)
    r = argparse.ArgumentParser(prog="easymall user remove", description="Remove an account.")
    r.add_argument("name")
    r.add_argument("workspace", nargs="?")
    r.set_defaults(func=_remove)
    ls = argparse.ArgumentParser(prog="easymall user list", description="Accounts and roles (never passwords).")
    ls.add_argument("workspace", nargs="?")
    ls.set_defaults(func=_list)
    return {"add": a, "remove": r, "list": ls}


def _run(args: argparse.Namespace) -> int:
    parsers = _parsers()
    action, rest = (args.rest[0], args.rest[1:]) if args.rest else ("", [])
    if action not in parsers:
        usage = "usage: easymall user {add NAME --role viewer|editor|admin [--password-stdin] [WORKSPACE] | " \
                "remove NAME [WORKSPACE] | list [WORKSPACE]}"
        print(usage, file=sys.stderr if action not in ("-h", "--help") else sys.stdout)
        return 0 if action in ("-h", "--help") else 2
    parsed = parsers[action].parse_intermixed_args(rest)  # exits 2 on usage errors
    return int(parsed.func(parsed) or 0)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise UserError("the two passwords differ; nothing was changed")
    else:
        raise UserError("stdin is not a terminal: give --password-stdin and pipe the password in")
    if not password:
        raise UserError("the password is empty; nothing was changed")
    return password


def _add(args: argparse.Namespace) -> int:
    ws = workspace_arg(args.workspace)
    _readable(ws)
    oidc = ws.access_mode() == "oidc"
    try:
        if oidc:
            user = ws.set_user("", args.role, email=args.name)
        else:
            user = ws.set_user(args.name, args.role, _password(args))
    except ValidationError as exc:
        raise UserError(f"cannot add {args.name!r}: {explain(exc)}") from None
    except AccessFileError as exc:
        raise UserError(str(exc)) from None
    print(f"{user.name or user.email} is {user.role} in {ws.root}")
    if ws.access_mode() == "open":
        print("note: config/access.yaml says mode: open (everyone edits); set mode: accounts to require logins")
    return 0


def _remove(args: argparse.Namespace) -> int:
    ws = workspace_arg(args.workspace)
    _readable(ws)
    try:
        removed = ws.remove_user(args.name)
    except AccessFileError as exc:
        raise UserError(str(exc)) from None
    if not removed:
        raise UserError(f"{ws.root} has no account called {args.name}")
    print(f"{args.name} removed")
    return 0


def _list(args: argparse.Namespace) -> int:
    ws = workspace_arg(args.workspace)
    _readable(ws)
    settings = ws.access_settings()
    print(f"mode: {settings.mode}")
    for u in settings.users:
        who = u.name or u.email
        extra = "" if u.email and not u.name else ("  password set" if u.password else "  no password (cannot log in)")
        print(f"{who}  {u.role}{extra}")
    return 0


def _readable(ws: Any) -> None:
    problem = ws.access_problem()
    if problem is not None:
        raise UserError(f"{problem} (nobody can log in or save until it is fixed)")

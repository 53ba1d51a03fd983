"""Workspace addresses: a folder path, or a PostgreSQL URL.

``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?workspace=NAME]`` names workspace ``NAME``
(default ``default``) in that database; any other query parameter (``sslmode=verify-full`` ...)
goes to libpq unchanged, and a password left out comes from ``PGPASSWORD`` or ``~/.pgpass`` as
libpq does. Anything else is a folder.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

SCHEMES = ("postgresql", "postgres")
DEFAULT_WORKSPACE = "default"
_WS_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


class AddressError(ValueError):
    """An address that is neither a folder nor a usable PostgreSQL URL (one sentence)."""


@dataclass(frozen=True)
class PgAddress:
    """A workspace in a PostgreSQL database."""

    dsn: str  # what libpq gets: the URL without ``workspace=`` (password included)
    workspace: str
    display: str  # the URL without its password (for messages, logs, cache keys)
    full: str  # the address as given, to hand on (``easymall serve`` → the app's environment)


def is_database_url(address: str | os.PathLike[str]) -> bool:
    return isinstance(address, str) and address.split("://", 1)[0].lower() in SCHEMES and "://" in address


def parse_pg(address: str) -> PgAddress:
    """Split a PostgreSQL URL into what libpq needs and the workspace name; :class:`AddressError`
    saying what is wrong otherwise."""
    try:
        parts = urlsplit(address)
        port = parts.port  # raises on a non-numeric port
    except ValueError:
        raise AddressError(f"{_masked(address)} is not a PostgreSQL URL (postgresql://USER@HOST:PORT/DBNAME)") from None
    dbname = unquote(parts.path.lstrip("/"))
    if not parts.hostname or not dbname or "/" in dbname:
        raise AddressError(f"{_masked(address)} names no host and database "
                           "(expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?workspace=NAME])")
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [v for k, v in query if k == "workspace"]
    workspace = names[-1] if names else DEFAULT_WORKSPACE
    if not _WS_NAME.match(workspace):
        raise AddressError(f"workspace={workspace!r} in {_masked(address)} is not a valid workspace name "
                           "(letters, digits, _ . -; at most 63)")
    rest = urlencode([(k, v) for k, v in query if k != "workspace"])
    user = f"{quote(unquote(parts.username), safe='')}@" if parts.username else ""
    secret = f"{quote(unquote(parts.username or ''), safe='')}:{quote(unquote(parts.password), safe='')}@" \
        if parts.password is not None else user
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    hostport = f"{host}:{port}" if port else host
    path = "/" + quote(dbname, safe="")
    dsn = f"postgresql://{secret}{hostport}{path}" + (f"?{rest}" if rest else "")
    display = f"postgresql://{user}{hostport}{path}?workspace={workspace}"
    return PgAddress(dsn, workspace, display, address)


def _masked(address: str) -> str:
    """``address`` with any password replaced by ``***`` (never print a password)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", address)


def folder(address: str | os.PathLike[str]) -> Path:
    return Path(address).expanduser().resolve()

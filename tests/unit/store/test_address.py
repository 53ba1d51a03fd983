"""Workspace addresses: a folder, or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?workspace=NAME]."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.core.errors import UserError
from easymall.store import address, open_workspace, workspace_arg


def test_a_url_names_database_and_workspace_and_keeps_the_password_out_of_sight() -> None:
    a = address.parse_pg("postgresql://li:s3cr%40t@db.bank.local:6543/strategy?workspace=retail&sslmode=require")
    assert a.workspace == "retail"
    assert a.dsn == "postgresql://li:s3cr%40t@db.bank.local:6543/strategy?sslmode=require"  # libpq gets the rest
    assert a.display == "postgresql://li@db.bank.local:6543/strategy?workspace=retail"
    assert "s3cr" not in a.display


def test_the_workspace_defaults_and_both_schemes_are_urls() -> None:
    a = address.parse_pg("postgres://easymall@localhost/easymall")
    assert (a.workspace, a.dsn) == ("default", "postgresql://easymall@localhost/easymall")
    assert address.is_database_url("postgresql://u@h/d") and address.is_database_url("POSTGRES://u@h/d")
    assert not address.is_database_url("/srv/workspace") and not address.is_database_url(Path("postgresql:"))


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql://u:pw@/db", "names no host and database"),
    ("postgresql://u:pw@host", "names no host and database"),
    ("postgresql://u:pw@host:port/db", "is not a PostgreSQL URL"),
    ("postgresql://u:pw@host/db?workspace=../x", "is not a valid workspace name"),
])
def test_a_bad_url_is_one_sentence_without_the_password(url: str, says: str) -> None:
    with pytest.raises(address.AddressError) as info:
        address.parse_pg(url)
    assert says in str(info.value) and "pw" not in str(info.value)
    with pytest.raises(UserError, match=says):  # what every CLI [WORKSPACE] says (exit 1)
        workspace_arg(url)


def test_an_unreachable_database_is_one_sentence() -> None:
    with pytest.raises(UserError, match=r"could not connect to postgresql://u@127\.0\.0\.1:1/db: ") as info:
        open_workspace("postgresql://u:pw@127.0.0.1:1/db")
    assert "pw" not in str(info.value)


def test_environment_selects_a_database_workspace(pg_cluster, pg_db, ws_address: str, monkeypatch) -> None:
    monkeypatch.setenv("EASYMALL_WORKSPACE", ws_address)
    ws = workspace_arg(None)
    assert ws.address == ws_address and ws.load("swot").revision >= 0
    if ws.root is None:
        assert ws.label == ws_address and ws.name == ws_address.rsplit("=", 1)[1]


def test_an_empty_database_workspace_is_no_workspace_yet(pg_cluster, pg_db) -> None:
    url = pg_cluster.url(pg_db, workspace="nothing_here")
    with pytest.raises(UserError, match="is not a workspace yet"):
        workspace_arg(url)

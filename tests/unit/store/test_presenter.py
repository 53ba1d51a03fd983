"""The presenter's position: stored by the backend (so replicas agree), cheap to poll, robust —
on a folder and in PostgreSQL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from easymall.store import Position, Workspace


def test_no_position_until_someone_presents(ws_address: str) -> None:
    assert Workspace(ws_address).presenter_position("default") is None


def test_a_position_set_in_one_workspace_object_is_seen_by_another(ws_address: str) -> None:
    presenter, follower = Workspace(ws_address), Workspace(ws_address)  # two replicas on one workspace
    stored = presenter.set_presenter_position("default", 4, "Li Wei", key="swot")
    seen = follower.presenter_position("default")
    assert isinstance(seen, Position)
    assert (seen.deck, seen.slide, seen.key, seen.author) == ("default", 4, "swot", "Li Wei")
    assert abs((seen.time - stored.time).total_seconds()) < 0.01
    presenter.set_presenter_position("default", 5, "Li Wei")
    assert follower.presenter_position("default").slide == 5  # every step is seen, even within one tick
    presenter.set_presenter_position("default", 6, "Li Wei")
    assert follower.presenter_position("default").slide == 6


def test_positions_are_per_deck_and_stored_as_json_under_state(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    ws.set_presenter_position("board", 2, "王芳")
    assert ws.presenter_position("default") is None
    data = json.loads((ws_path / "state" / "presenter-board.json").read_text("utf-8"))
    assert data["slide"] == 2 and data["author"] == "王芳"
    assert not list((ws_path / "state").glob(".*.tmp"))  # written atomically, nothing left over


def test_polling_an_unchanged_position_does_not_reread_the_file(ws_address: str, monkeypatch) -> None:
    ws = Workspace(ws_address)
    ws.set_presenter_position("default", 1, "Li Wei")
    first = ws.presenter_position("default")
    reads = []
    original = ws._backend.read_file
    monkeypatch.setattr(ws._backend, "read_file", lambda *a: reads.append(a) or original(*a))
    for _ in range(5):
        assert ws.presenter_position("default") == first
    assert reads == []
    Workspace(ws_address).set_presenter_position("default", 2, "Li Wei")
    assert ws.presenter_position("default").slide == 2
    assert len(reads) == 1


def test_an_unreadable_position_reads_as_nobody_presenting(ws_address: str) -> None:
    Workspace(ws_address)._backend.put_file("state", "presenter-default.json", b"{not json")  # a foreign writer
    assert Workspace(ws_address).presenter_position("default") is None


@pytest.mark.parametrize("deck", ["../config/swot", "", "a/b"])
def test_deck_names_cannot_leave_the_state_area(ws_address: str, deck: str) -> None:
    with pytest.raises(ValueError):
        Workspace(ws_address).set_presenter_position(deck, 0, "x")


def test_a_negative_slide_is_refused(ws_address: str) -> None:
    with pytest.raises(ValueError):
        Workspace(ws_address).set_presenter_position("default", -1, "x")

"""easymall.ui.push: the rule that decides a session is behind, and where the hub cannot run."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from easymall.ui import push

STORED = {"swot": 7, "stp": 3, "market": None}


@pytest.mark.parametrize(("page", "watched", "behind"), [
    ({"swot": 7}, {}, False),                 # up to date
    ({"swot": 6}, {}, True),                  # someone saved the page's document
    ({"swot": None}, {}, False),              # nothing shown yet: the page's own run loads it
    ({"market": 2}, {}, False),               # unreadable now: the page keeps the last good version
    ({"swot": 7}, {"stp": 2}, True),          # a line of the sidebar moved
    ({"swot": 7}, {"market": 4}, True),       # ... or broke
    ({"swot": 7}, {"stp": 3, "market": None}, False),
])
def test_a_session_is_behind_when_a_revision_it_shows_moved(page, watched, behind) -> None:
    slots = {name: SimpleNamespace(revision=rev) for name, rev in page.items()}
    assert push.moved(STORED.get, slots, watched) is behind


def test_the_hub_reads_what_a_slot_holds_when_it_looks() -> None:
    """A save made later in the same run moves the slot: no rerun for a revision already shown."""
    slot = SimpleNamespace(revision=6)
    page = {"swot": slot}
    assert push.moved(STORED.get, page, {})
    slot.revision = 7
    assert not push.moved(STORED.get, page, {})


def test_outside_a_server_the_pages_poll_from_the_browser() -> None:
    assert push.available() is False
    push.publish("documents", lambda: True)  # no script run: nothing is published
    assert push.HUB.followers() == 0


def test_a_check_that_cannot_answer_now_leaves_the_other_sessions_checked(monkeypatch) -> None:
    """One follower's store refusing (the database down) must not stop the tick for everyone."""
    hub = push._Hub()
    asked: list[str] = []

    def broken() -> bool:
        raise OSError("the database cannot be reached")

    class Loop:
        def call_soon_threadsafe(self, fn, key, *args):  # noqa: ANN001, ANN002, ANN202
            asked.append(key[0])

    monkeypatch.setattr(push, "_session", lambda sid: SimpleNamespace(_event_loop=Loop()))
    with hub._lock:  # as publish() files them, without starting the thread
        hub._followers[("a", "documents")] = push._Follower(broken)
        hub._followers[("b", "documents")] = push._Follower(lambda: True)
        hub._followers[("c", "documents")] = push._Follower(lambda: False)
    hub.tick()
    assert asked == ["b"]

"""Deck edits: save a named deck with its slides in order, keep the other language's name, remove."""
from __future__ import annotations

import pytest

from easymall.core.i18n import catalogue, error_text
from easymall.deck import edit
from easymall.store import Workspace
from tests.conftest import ROOT


@pytest.fixture
def decks():
    return Workspace(ROOT).load("decks")


def test_a_new_deck_keeps_the_chosen_order(decks) -> None:
    new, did = edit.save_deck(decks, name="Risk review", language="zh", slides=["risk", "title", "swot"], ui_lang="en")
    assert did == "risk_review"
    assert new.get(did).slides == ["risk", "title", "swot"] and new.get(did).language == "zh"
    assert len(new.decks) == len(decks.decks) + 1 and new.revision == decks.revision


def test_renaming_in_chinese_keeps_the_english_name(decks) -> None:
    new, did = edit.save_deck(decks, name="董事会简报", language="zh", slides=["title"], ui_lang="zh", deck_id="board")
    assert did == "board" and new.get("board").name.zh == "董事会简报"
    assert new.get("board").name.en == decks.get("board").name.en
    again, did2 = edit.save_deck(decks, name="董事会", language="zh", slides=["title"], ui_lang="zh")
    assert did2 == "deck" and again.get("deck").name.zh == "董事会"


def test_refused_edits_say_why_in_both_languages(decks) -> None:
    for kwargs, code in [({"name": " ", "slides": ["title"]}, "name"), ({"name": "X", "slides": []}, "no_slides"),
                         ({"name": "X", "slides": ["nope"]}, "unknown"),
                         ({"name": "X", "slides": ["title"], "deck_id": "gone_deck"}, "gone")]:
        with pytest.raises(edit.EditError) as exc:
            edit.save_deck(decks, language="en", ui_lang="en", **kwargs)
        assert exc.value.code == code
        assert f"deck.err.{code}" in catalogue()
        zh = error_text(exc.value, "zh", "deck.err")
        assert zh != str(exc.value) and not any(c.isascii() and c.isalpha() for c in zh.replace("gone_deck", "").replace("nope", ""))


def test_remove_a_deck(decks) -> None:
    assert edit.remove_deck(decks, "board").get("board") is None
    with pytest.raises(edit.EditError):
        edit.remove_deck(decks, "nope")

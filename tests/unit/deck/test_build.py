"""build_deck: every slide in both languages with an action title; named decks; missing data says so."""
from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest
from pydantic import ValidationError

from easymall.deck import SLIDE_KEYS, DeckError, build_deck, deck_choices
from easymall.models.decks import Deck, DecksDocument
from easymall.store import Workspace
from tests.conftest import copy_workspace

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_slide_key_in_order_with_a_title(decks: dict, lang: str) -> None:
    slides = decks[lang]
    assert [s.key for s in slides] == list(SLIDE_KEYS)
    assert 16 <= len(slides) <= 20
    for s in slides:
        assert s.title.strip() and not s.missing, s.key
        assert "None" not in s.title and "{" not in s.title, s.title
        assert s.notes.strip(), f"{s.key} has no speaker notes"
        assert all(isinstance(f, go.Figure) for f in s.figures)
    charted = [s.key for s in slides if s.figures]
    assert {"market", "problems", "ife_efe", "qspm", "ge", "positioning", "scenarios", "sensitivity", "risk"} <= set(charted)


def test_chinese_titles_are_chinese_and_english_ones_are_not(decks: dict) -> None:
    assert all(CJK.search(s.title) for s in decks["zh"])
    assert not any(CJK.search(s.title) for s in decks["en"] if s.key != "title")  # the title names 融e购


def test_titles_state_the_findings_with_the_live_numbers(decks: dict) -> None:
    by = {s.key: s for s in decks["en"]}
    assert "IE cell V" in by["ife_efe"].title and "hold and maintain" in by["ife_efe"].title
    assert "WO1" in by["qspm"].title
    assert "29.1%" in by["problems"].title  # usage, from the active survey
    assert any("n = 812" in b for b in by["problems"].table.iloc[:, 3])
    assert "161.6%" in by["market"].title  # Double 11 ÷ Walmart China, through the one formatter


def test_an_edit_changes_the_slide(tmp_path) -> None:  # noqa: ANN001
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    doc = ws.load("swot")
    top = max(doc.strengths, key=lambda i: i.weight)
    changed = doc.model_copy(deep=True)
    next(i for i in changed.strengths if i.id == top.id).text = "Bank-grade trust: everything else follows"
    ws.save("swot", changed, base_revision=doc.revision, author="test", message="deck test")
    decks = ws.load("decks")
    mine = decks.model_copy(update={"decks": [*decks.decks, Deck(id="swot_only", name="SWOT", slides=["swot"])]})
    ws.save("decks", mine, base_revision=decks.revision, author="test", message="a deck of one slide")
    (swot,) = build_deck(ws, "en", deck="swot_only")
    assert swot.key == "swot" and "Bank-grade trust" in swot.title


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_an_active_survey_the_problems_slide_says_so(no_survey, lang: str) -> None:  # noqa: ANN001
    slides = {s.key: s for s in build_deck(no_survey, lang)}
    problems = slides["problems"]
    assert problems.missing and not problems.figures
    expected = "no data" if lang == "en" else "暂无数据"
    assert expected in problems.title
    assert any(("Survey page" if lang == "en" else "问卷调研") in b for b in problems.bullets)
    assert slides["segments"].missing
    assert not slides["ife_efe"].missing  # the SWOT does not need the survey


def test_a_named_deck_gives_its_slides_in_its_order(ws) -> None:  # noqa: ANN001
    slides = build_deck(ws, "en", deck="survey_readout")
    assert [s.key for s in slides] == ["title", "problems", "segments", "positioning", "decisions"]
    assert deck_choices(ws, "zh")["board"] == "董事会汇报"
    with pytest.raises(DeckError, match="no deck named 'nope'") as info:
        build_deck(ws, "en", deck="nope")
    assert info.value.code == "unknown_deck"


def test_the_decks_document_rejects_unknown_keys_and_duplicates() -> None:
    ok = {"id": "a", "name": "A", "slides": ["title"]}
    with pytest.raises(ValidationError, match="unknown slide key"):
        DecksDocument.model_validate({"decks": [{**ok, "slides": ["title", "nonsense"]}]})
    with pytest.raises(ValidationError, match="duplicate deck"):
        DecksDocument.model_validate({"decks": [ok, ok]})
    with pytest.raises(ValidationError, match="duplicate slide"):
        DecksDocument.model_validate({"decks": [{**ok, "slides": ["title", "title"]}]})
    with pytest.raises(ValidationError, match="extra"):
        DecksDocument.model_validate({"decks": [{**ok, "colour": "red"}]})

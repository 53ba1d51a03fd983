"""Edits of ``config/decks.yaml``: save a named deck (its name, language and slides in order) or
remove one. Each edit is a pure function from the document to a new document, or one
:class:`EditError` (``deck.err.<code>`` in the catalogue)."""
from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from easymall.core.errors import CodedError
from easymall.core.i18n import explain
from easymall.core.text import Lang, slug
from easymall.models.common import LocalizedText
from easymall.models.decks import SLIDE_KEYS, DecksDocument


class EditError(CodedError, ValueError):
    """A deck edit the document refuses: one English sentence, its code and values."""


def new_id(name: str, taken: Sequence[str]) -> str:
    """A deck id from its name: ASCII snake_case (``deck`` for a Chinese name), unique among ``taken``."""
    return slug(name, taken, "deck")


def save_deck(doc: DecksDocument, *, name: str, language: Lang, slides: Sequence[str], ui_lang: Lang,
              deck_id: str | None = None) -> tuple[DecksDocument, str]:
    """``doc`` with the deck ``deck_id`` replaced (or a new deck added when ``deck_id`` is None):
    ``name`` in the UI language ``ui_lang`` (the other language's name is kept), ``language`` and
    ``slides`` in the order given. Returns the new document and the deck's id."""
    name = name.strip()
    if not name:
        raise EditError("give the deck a name", code="name")
    if not slides:
        raise EditError("choose at least one slide", code="no_slides")
    unknown = [s for s in slides if s not in SLIDE_KEYS]
    if unknown:
        raise EditError(f"unknown slide(s): {', '.join(unknown)}", code="unknown", keys=", ".join(unknown))
    data = doc.model_dump(mode="json")
    decks = data["decks"]
    old = next((d for d in decks if d["id"] == deck_id), None) if deck_id else None
    if deck_id and old is None:
        raise EditError(f"deck {deck_id} no longer exists (someone may have removed it)", code="gone", id=deck_id)
    names = dict(old["name"]) if old is not None and isinstance(old["name"], dict) else (
        {"en": old["name"]} if old is not None else {})
    names[ui_lang] = name
    entry = {"id": deck_id or new_id(name, [d["id"] for d in decks]),
             "name": LocalizedText(**names).model_dump(), "language": language, "slides": list(slides)}
    if old is not None:
        decks[decks.index(old)] = entry
    else:
        decks.append(entry)
    try:
        return DecksDocument.model_validate(data), entry["id"]
    except ValidationError as exc:
        raise EditError(explain(exc, "en"), code="invalid", problem=explain(exc, "zh")) from None


def remove_deck(doc: DecksDocument, deck_id: str) -> DecksDocument:
    """``doc`` without the deck ``deck_id``."""
    if doc.get(deck_id) is None:
        raise EditError(f"deck {deck_id} no longer exists (someone may have removed it)", code="gone", id=deck_id)
    return doc.model_copy(update={"decks": [d for d in doc.decks if d.id != deck_id]})

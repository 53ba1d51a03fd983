"""The deck editor of the Present page: choose slides and their order, name the deck, pick its
language and save it for everyone in ``config/decks.yaml`` (through :mod:`easymall.ui.live`, so the
save is attributed, merged with others' saves and kept in history), or remove a saved deck.

Session state: ``decks_msg`` (the last outcome, shown inside the editor); the widgets are keyed by
the document's revision and the deck, so a save elsewhere or another choice starts them afresh.
"""
from __future__ import annotations

import streamlit as st

from easymall.core.i18n import error_text
from easymall.deck import edit, view
from easymall.ui import live
from easymall.ui.context import lang, tr, workspace

MSG = "decks_msg"


def editor(choice: str, on_saved_key: str) -> None:
    """The editor for the deck ``choice`` (``view.ALL``: a new deck from every slide);
    ``on_saved_key`` is the picker's session key, set to the saved deck."""
    doc = live.document("decks")
    if doc is None:
        st.caption(tr("live.broken_file", problem=""))
        return
    name, language, slides = view.editor_defaults(workspace(), choice, lang())
    key = f"decks_{doc.revision}_{choice}"
    st.caption(tr("decks.help"))
    st.text_input(tr("decks.name"), value=name, key=f"{key}_name", max_chars=80)
    st.multiselect(tr("decks.slides"), list(view.SLIDE_KEYS), default=slides, key=f"{key}_slides",
                   format_func=lambda k: view.slide_key_label(k, lang()), placeholder=tr("widget.choose"))
    st.segmented_control(tr("decks.language"), ["en", "zh"], default=language, key=f"{key}_lang",
                         format_func={"en": "English", "zh": "中文"}.get)
    saved = choice != view.ALL
    with st.container(horizontal=True):
        if saved:
            st.button(tr("decks.save"), key="decks_save", type="primary", icon=":material/save:",
                      on_click=_save, args=(doc, key, choice, on_saved_key))
        st.button(tr("decks.save_new"), key="decks_save_new", type="secondary" if saved else "primary",
                  icon=":material/add:", on_click=_save, args=(doc, key, None, on_saved_key))
        if saved:
            st.button(tr("decks.remove"), key="decks_remove", icon=":material/delete:",
                      on_click=_remove, args=(doc, choice, on_saved_key))
    kind, text = st.session_state.pop(MSG, (None, ""))
    if kind == "error":
        st.markdown(f":red[:material/error: {live.literal(text)}]")
    elif kind:
        st.markdown(f":green[:material/check_circle: {live.literal(text)}]")


def _save(doc, key: str, deck_id: str | None, picker: str) -> None:
    name = st.session_state.get(f"{key}_name", "")
    try:
        new, did = edit.save_deck(doc, name=name, language=st.session_state.get(f"{key}_lang") or lang(),
                                  slides=st.session_state.get(f"{key}_slides") or [], ui_lang=lang(),
                                  deck_id=deck_id)
    except edit.EditError as exc:
        st.session_state[MSG] = ("error", error_text(exc, lang(), "deck.err"))
        return
    out = live.save("decks", new, base=doc, message=tr("decks.message.save", id=did), quiet=True)
    if out.status in ("saved", "merged"):
        st.session_state[MSG] = ("ok", tr("decks.saved", name=name.strip(), revision=out.revision))
        st.session_state[picker] = did
    else:
        st.session_state[MSG] = ("error", out.message)


def _remove(doc, deck_id: str, picker: str) -> None:
    try:
        new = edit.remove_deck(doc, deck_id)
    except edit.EditError as exc:
        st.session_state[MSG] = ("error", error_text(exc, lang(), "deck.err"))
        return
    name = view.deck_options(workspace(), lang()).get(deck_id, deck_id)
    out = live.save("decks", new, base=doc, message=tr("decks.message.remove", id=deck_id), quiet=True)
    if out.status in ("saved", "merged"):
        st.session_state[MSG] = ("ok", tr("decks.removed", name=name))
        st.session_state[picker] = view.ALL
    else:
        st.session_state[MSG] = ("error", out.message)

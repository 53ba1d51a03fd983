"""Unsaved edits of every editor, kept server-side for the person (and the workspace), so a reload
or a dropped connection loses nothing — one mechanism for all pages.

An *editor* is a set of widgets editing fields of one document, opened on a base revision (its
widget keys carry that revision). Typical use, in a ui/ helper::

    from easymall.ui import drafts

    drafts.restore("stp")       # the page, once per session, before live.messages: every draft back, with a note
    ed = drafts.editor("stp", f"stmt:{sid}", doc, stored_of, drafts.keys(f"segments_stmt_{sid}_{{field}}_{{rev}}"),
                       label=("segments.draft_statement", {"segment": name}))
    st.text_area(label, key=ed.key("need"))   # no value=: the editor seeded the widget (stored value or draft)
    ed.track()                                 # after the widgets: what differs from the stored values is kept
    ed.discard_button()                        # shown while there is something to discard
    # in the save callback:  drafts.done("stp", f"stmt:{sid}", ok)

What is kept expires after :data:`easymall.ui.person.DRAFT_TTL` seconds and is private to its person:
nobody else sees it, waits for it or is blocked by it. Saving (or a conflict that took the edit into
the pending conflict panel, itself kept server-side) and discarding forget it. The base revision is
kept with the draft, so a save after a reload merges field by field against what the person saw.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from easymall.models.common import Document
from easymall.ui import live, person
from easymall.ui.context import author, literal, tr

_CACHE = "_drafts"            # session: {document: {editor key: record}} as last kept
_RESTORED = "_drafts_restored"

Label = tuple[str, Mapping[str, str]]


def _kind(name: str) -> str:
    return f"drafts-{name}"


def _records(name: str) -> dict[str, dict[str, Any]]:
    cache = st.session_state.setdefault(_CACHE, {})
    if name not in cache:
        kept = person.kept(_kind(name)) or {}
        editors = kept.get("editors") if isinstance(kept, dict) else None
        cache[name] = dict(editors) if isinstance(editors, dict) else {}
    return cache[name]


def _write(name: str) -> None:
    records = _records(name)
    if records:
        person.keep(_kind(name), {"editors": records})
    else:
        person.forget(_kind(name))


def keys(template: str) -> Callable[[str, int], str]:
    """Widget keys from a template with ``{field}`` and ``{rev}`` (the base revision)."""
    return lambda f, rev: template.format(field=f, rev=rev)


def restore(name: str) -> None:
    """Once per session: every editor's draft this person left in ``name`` comes back — its base
    revision, its selection (which item the editor showed) — with one note each."""
    done = st.session_state.setdefault(_RESTORED, set())
    if name in done:
        return
    done.add(name)
    records = _records(name)
    for key, record in list(records.items()):
        try:
            rev = record.get("rev")
            base = live.revision_doc(name, int(rev)) if rev is not None else None
            if rev is not None and base is None:
                raise LookupError(rev)
            if base is not None:
                live.set_base(name, key, base)
            for widget, value in (record.get("select") or {}).items():
                st.session_state[widget] = value
            label_key, params = record["label"]
            what = tr(label_key, **params)
        except Exception:  # noqa: BLE001 - kept by an older version, or its revision is gone: nothing to restore
            records.pop(key, None)
            _write(name)
            continue
        live.notify(name, "success", tr("live.restored_draft", id=what))


def done(name: str, key: str, ok: bool) -> None:
    """After a save from editor ``key``: saved (or taken into a pending conflict) → the draft is gone."""
    if ok or live.pending(name) is not None:
        clear(name, key)


def clear(name: str, key: str) -> None:
    """Forget editor ``key``'s draft and its base (the editor opens on the newest revision again)."""
    records = _records(name)
    if records.pop(key, None) is not None:
        _write(name)
    live.release(name, key)


@dataclass
class Editor:
    name: str
    id: str
    base: Document
    stored: dict[str, Any]
    key_of: Callable[[str, int], str]
    label: Label
    stored_of: Callable[[Document], dict[str, Any]]
    select: dict[str, Any] = field(default_factory=dict)

    def key(self, f: str) -> str:
        """The widget key of field ``f`` (it carries the base revision)."""
        return self.key_of(f, self.base.revision)

    def typed(self) -> dict[str, Any]:
        return {f: st.session_state.get(self.key(f), v) for f, v in self.stored.items()}

    @property
    def dirty(self) -> bool:
        return self.typed() != self.stored

    def track(self) -> None:
        """Keep what the person typed (the fields that differ from the stored ones) for them, or
        forget the draft when nothing differs. Writes only when it changed."""
        typed = self.typed()
        records = _records(self.name)
        changed = {self.key(f): v for f, v in typed.items() if v != self.stored[f]}
        record = {"rev": self.base.revision, "values": changed, "label": [self.label[0], dict(self.label[1])],
                  "select": self.select} if changed else None
        if records.get(self.id) == record:
            return
        if record is None:
            records.pop(self.id, None)
        else:
            records[self.id] = record
        _write(self.name)

    def stale(self, doc: Document) -> bool:
        """Someone saved other values of what this editor shows after it opened (``doc`` is the newest)."""
        if self.base.revision == doc.revision:
            return False
        try:
            return self.stored_of(doc) != self.stored
        except (LookupError, ValueError):
            return False

    def note(self, doc: Document, what: str) -> None:
        """"<what> was changed by <author> since you opened it; saving will ask ..." when :meth:`stale`."""
        if self.stale(doc):
            st.caption(tr("live.changed_since", id=literal(what), author=literal(live.author_of(self.name, doc.revision))))

    def discard_button(self, where: Any = None, doc: Document | None = None) -> None:
        """"Discard my changes" while something differs from the stored values; else, when someone
        saved meanwhile (``doc`` is the newest), "Load the latest version". Both open the newest revision."""
        label = ("live.discard_mine" if self.dirty else
                 "live.load_latest" if doc is not None and self.stale(doc) else None)
        if label:
            (where or st).button(tr(label), key=f"drafts_discard_{self.name}_{self.id}", icon=":material/undo:",
                                 on_click=_discard, args=(self.name, self.id, [self.key(f) for f in self.stored]))


def _discard(name: str, key: str, widgets: list[str]) -> None:
    for w in widgets:
        st.session_state.pop(w, None)
    clear(name, key)


def editor(name: str, key: str, doc: Document, stored_of: Callable[[Document], dict[str, Any]],
           key_of: Callable[[str, int], str], *, label: Label, select: Mapping[str, Any] | None = None) -> Editor:
    """Open editor ``key`` of document ``name`` on the revision it was first opened on (kept while it
    is open: its widget keys stay the same across other people's saves, so nothing typed — even not yet
    sent — is replaced; :meth:`Editor.note` / :meth:`Editor.discard_button` offer the newest), or the
    newest ``doc`` when what it edits is not in that revision or when nothing is typed in it and the
    newest revision is this person's own save. Its widgets are seeded with the person's
    draft or the stored values. ``stored_of(base)`` returns ``{field: stored value}`` (raises
    LookupError/KeyError when the edited thing is not in ``base``)."""
    base = live.edit_base(name, key) or doc
    try:
        stored = stored_of(base)
    except (LookupError, ValueError):
        live.release(name, key)
        base = live.edit_base(name, key) or doc
        stored = stored_of(base)
    kept = (_records(name).get(key) or {}).get("values") or {}
    ed = Editor(name, key, base, stored, key_of, label, stored_of, dict(select or {}))
    if base.revision != doc.revision and not _typed(ed, kept) and live.author_of(name, doc.revision) == author():
        live.release(name, key)  # this person's own save elsewhere (a click: nothing half-typed here) → the newest
        ed = Editor(name, key, doc, stored_of(doc), key_of, label, stored_of, dict(select or {}))
        live.set_base(name, key, doc)
    for f, value in ed.stored.items():
        st.session_state.setdefault(ed.key(f), kept.get(ed.key(f), value))
    return ed


def _typed(ed: Editor, kept: Mapping[str, Any]) -> bool:
    """Anything in the editor (typed in this session or kept as a draft) differs from its stored values."""
    return any(st.session_state.get(ed.key(f), kept.get(ed.key(f), v)) != v for f, v in ed.stored.items())

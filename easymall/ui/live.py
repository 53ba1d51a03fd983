"""Live collaboration for editing pages: follow other sessions' saves, save without overwriting.

Generic over any workspace document (swot, stp, marketing, scenarios ...); the merge itself is
:mod:`easymall.store.merge`. Typical page::

    from easymall.ui import live

    def render():
        doc = live.document("swot")            # this session's view: the newest revision it has seen
        live.follow("swot")                    # poll: another session's save reruns this page within ~1.5 s
        live.messages("swot")                  # toasts / errors left by callbacks and the poll
        if live.conflict_panel("swot"):        # a stale save touched the same item: choose, then go on
            return
        ...
        # in a button/editor callback — ``base`` is the document the edit started from:
        live.save("swot", edited_doc, base=doc, message="S3 weight")

API

``document(name) -> Document | None``
    The document this session shows. Loaded through ``Workspace.load_safe`` (the last good version
    when the file is broken) and refreshed at the start of any run after someone saved; a refresh
    by another author queues a toast "Li Wei saved revision 7: S3 weight 0.10 → 0.15".
``follow(name, every=1.5)`` / ``follow_all(names, every=1.5)``
    Rerun the whole page when another session saves ``name``: the server's live-sync hub
    (:mod:`easymall.ui.push`) checks every session's shown revisions twice a second and reruns the
    ones that moved, so an idle tab costs no script run. Where the hub cannot run (AppTest, a
    Streamlit without the runtime parts it uses) a ``st.fragment(run_every=every)`` polls from the
    browser instead, with the same rule (:func:`easymall.ui.push.moved`). Draws nothing.
    ``follow_all`` follows several documents at once: a page follows everything it shows in one call.
``watch(revisions)`` / ``poll_watched(every)``
    The frame's sidebar line of every document's revision: ``watch`` (at the start of a page run)
    records the revisions it shows, and the page's follow covers them too; ``poll_watched`` (after
    the page) follows them alone when the page followed nothing. One publication (or one poll) a
    session a run.
``save(name, doc, *, base=None, message="") -> Outcome``
    ``ws.save`` with ``base_revision=base.revision`` (``base`` defaults to :func:`document`). On a
    :class:`~easymall.store.ConflictError` it merges ``base``/``doc``/stored three-way **field by
    field**: different items, or different fields of one item (A's rating, B's Chinese text) → saved
    merged (``Outcome.status == "merged"``, the message names the other author); the same field
    changed by both → nothing is saved, the conflict is kept for :func:`conflict_panel`
    (``"conflict"``) — in the session *and* server-side for the person (:mod:`easymall.ui.person`),
    so a reload or a dropped connection brings the panel back with a note. Invalid → ``"error"``
    with one sentence. The outcome's message is also queued for :func:`messages`. Safe in callbacks.
``edit_base(name, key) -> Document`` / ``release(name, key)`` / ``set_base(name, key, doc)``
    For editors that stay open across reruns (forms): the document as it was when editor ``key``
    was opened, so a save from it merges against what the user actually saw. Key the editor's
    widgets with ``base.revision`` so a refresh does not reset what the user is typing. Drafts
    (what someone typed, kept server-side for the person so a reload restores it) are
    :mod:`easymall.ui.drafts`, built on these three.
``conflict_panel(name, describe=None) -> bool``
    When a conflict is pending: per conflicting field (``S4 · 内容 · 中文``) both values side by
    side in full, each headed by its author ("Your version (李伟)", "Saved version (revision 7,
    王经理)"), and a choice "Keep 李伟's" / "Keep 王经理's" / "Edit the merged text" (texts and
    numbers: a box starting from both versions); then "Save my choices" / "Discard my changes".
    A whole item deleted on one side and changed on the other is one choice, shown through
    ``describe(item_dict, lang) -> [(label, text)]`` (default: its fields). Choices and typed values
    are kept server-side as they are made. Returns True when shown.
``author_of(name, revision)`` / ``author_name(recorded)``
    Who saved a revision, as the UI says it (never blank: "Someone" / "the workspace file" in the
    UI language). Every notice that names an author goes through them.
``literal(text)``
    User text escaped for elements that render Markdown (labels, captions, toasts, alerts): the one
    helper :func:`easymall.core.text.markdown_literal`, re-exported.
``messages(name)`` / ``notify(name, kind, text)``
    Shows (and clears) the queued toasts and errors for ``name`` / queues one (kind ``"error"``
    shows an error box, ``"success"`` and ``"toast"`` a toast).
``author_gate() -> str | None``
    The author's name; in open mode asks for it once (``st.session_state["author"]``, the same key
    as the sidebar field) and returns None until given. The name is kept for the person
    (:func:`easymall.ui.person.remember_name`), so a reloaded page knows it again.
``revision_doc(name, rev)``, ``revision_words(name, rev, lang)``, ``compare_words(name, a, b, lang)``
    Cached history helpers (snapshots never change): a revision's document, what it changed
    relative to the revision before, and the difference between two revisions in words.
``message_text(message, lang)``
    A revision's message in the reader's language (the app's own messages are catalogue sentences,
    written again in ``lang``; the store's "revert to revision 3" too); what a person typed, as typed.
``revert(name, rev) -> Outcome``
    Reverts to ``rev`` as a new revision; when someone saved meanwhile nothing is reverted and
    the outcome says so (the user looks again, then reverts).
"""
from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from easymall.core.i18n import catalogue, error_text, has, problem_text, t
from easymall.models import DOCUMENTS
from easymall.models.common import Document
from easymall.store import ConflictError, DocumentError, WriteError
from easymall.store.merge import Conflict, MergeResult, diff_words, merge, resolve, show_value
from easymall.ui import person, push
from easymall.ui.access import denied_text, rights
from easymall.ui.context import author, lang, literal, login_configured, tr, workspace

Status = Literal["saved", "merged", "conflict", "error", "unchanged"]
_STATE = "live"


@dataclass
class Outcome:
    status: Status
    revision: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "merged", "unchanged")


@dataclass
class _Pending:
    result: MergeResult
    base_revision: int
    theirs: Document
    theirs_author: str
    message: str
    mine_author: str = ""
    choices: dict[str, str] = field(default_factory=dict)   # conflict key -> mine | theirs | custom
    custom: dict[str, Any] = field(default_factory=dict)    # conflict key -> the value a person typed

    def data(self) -> dict[str, Any]:
        """Plain JSON data, kept server-side for the person until they choose."""
        r = self.result
        return {"data": r.data, "mine": r.mine_data, "theirs": r.theirs_data, "base_revision": self.base_revision,
                "theirs_author": self.theirs_author, "mine_author": self.mine_author, "message": self.message,
                "choices": self.choices, "custom": self.custom,
                "conflicts": [{"path": list(c.path), "id": c.id, "base": c.base, "mine": c.mine, "theirs": c.theirs,
                               "field": list(c.field)} for c in r.conflicts]}

    @classmethod
    def from_data(cls, name: str, d: dict[str, Any]) -> _Pending:
        model = DOCUMENTS[name]
        conflicts = [Conflict(tuple(c["path"]), c["id"], c["base"], c["mine"], c["theirs"], tuple(c["field"]))
                     for c in d["conflicts"]]
        result = MergeResult(model, d["data"], conflicts, d["mine"], d["theirs"])
        return cls(result, int(d["base_revision"]), model.model_validate(d["theirs"]), str(d["theirs_author"]),
                   str(d["message"]), str(d.get("mine_author", "")), dict(d.get("choices") or {}),
                   dict(d.get("custom") or {}))


@dataclass
class _Slot:
    doc: Document | None = None
    revision: int | None = None
    queue: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): toast | error | success
    pending: _Pending | None = None
    bases: dict[str, Document] = field(default_factory=dict)


def _slot(name: str) -> _Slot:
    state = st.session_state.setdefault(_STATE, {})
    if name not in state:
        state[name] = _Slot()
        _restore_pending(name, state[name])
    return state[name]


def _pending_kind(name: str) -> str:
    return f"conflict-{name}"


def _keep_pending(name: str, p: _Pending | None) -> None:
    """A pending conflict lives server-side for the person too: a reload or a dropped connection
    brings it back (:func:`_restore_pending`)."""
    if p is None:
        person.forget(_pending_kind(name))
    else:
        person.keep(_pending_kind(name), p.data())


def _restore_pending(name: str, slot: _Slot) -> None:
    """A new session (a reload) takes back the conflict this person had not settled yet, with a note."""
    kept = person.kept(_pending_kind(name))
    if not kept:
        return
    try:
        slot.pending = _Pending.from_data(name, kept)
    except Exception:  # noqa: BLE001 - kept by an older version of the app: nothing to restore
        person.forget(_pending_kind(name))
        return
    for n, c in enumerate(slot.pending.result.conflicts):
        if c.key in slot.pending.choices:
            st.session_state.setdefault(_choice_key(name, n), slot.pending.choices[c.key])
    slot.queue.append(("success", tr("live.restored_conflict")))


# --------------------------------------------------------------------------- following


def document(name: str) -> Document | None:
    """This session's view of ``name``, refreshed when a newer revision was saved."""
    slot = _slot(name)
    ws = workspace()
    rev = ws.revision(name)
    if slot.doc is not None and (rev is None or rev == slot.revision):
        return slot.doc
    result = ws.load_safe(name)
    new = result.doc
    if slot.doc is not None and new is not None and new.revision != slot.revision:
        _announce(name, slot.doc, new, slot)
    slot.doc = new
    slot.revision = new.revision if new is not None else None
    if result.error is None:
        _remember(name, new)
    return new


def _announce(name: str, old: Document, new: Document, slot: _Slot) -> None:
    words = diff_words(old, new, lang())
    who = author_of(name, new.revision)
    what = words[0] if words else t("live.diff.none", lang())
    if len(words) > 1:
        what += tr("live.toast_more", n=len(words) - 1)
    slot.queue.append(("toast", tr("live.toast", author=who, revision=new.revision, what=what)))


def _author_of(name: str, revision: int) -> str:
    for r in workspace().history(name)[:5]:
        if r.revision == revision:
            return r.author
    return ""


def author_of(name: str, revision: int) -> str:
    """Who saved ``revision`` of ``name`` ("Someone" in the UI language when nobody is recorded)."""
    return author_name(_author_of(name, revision))


def author_name(recorded: str) -> str:
    """A recorded author as the UI shows it: the state a file had before the app first saved it
    reads as "the workspace file" in the UI language; nobody recorded reads as "Someone"."""
    if recorded == WORKSPACE_FILE:
        return tr("live.workspace_file")
    return recorded or tr("live.someone")


#: The author the store records for a file's state before the app first saved it.
WORKSPACE_FILE = "(workspace file)"


#: Seconds between two browser polls of a followed document where the hub cannot run: another
#: session's save shows within 2 s (the poll plus the rerun), at one script run per 1.5 s a session.
POLL_S = 1.5


def follow(name: str, every: float = POLL_S) -> None:
    """Poll the stored revision; rerun the page when another session saved."""
    follow_all((name,), every)


def follow_all(names: Sequence[str], every: float = POLL_S) -> None:
    """:func:`follow` for several documents with one poll (a page built from all of them)."""
    for name in names:
        document(name)  # bring this session up to date first, so the poll never reruns for a revision already shown
    _poll(tuple(names), every)


#: Session state: the revisions the frame's sidebar line shows (name -> revision or None).
WATCHED = "live_watched"
#: Whether this script run started a poll (one thread runs one script run at a time).
_RUN = threading.local()


def watch(revisions: dict[str, int | None]) -> None:
    """Rerun the page when any of these stored revisions moves (see the module doc)."""
    st.session_state[WATCHED] = dict(revisions)
    _RUN.polled = False


def poll_watched(every: float = 2.0) -> None:
    """The poll of :func:`watch`'s revisions, unless the page's own poll already checks them."""
    if WATCHED in st.session_state and not getattr(_RUN, "polled", False):
        _poll((), every)


def _poll_body(names: tuple[str, ...]) -> None:
    if push.moved(workspace().revision, {name: _slot(name) for name in names}, st.session_state.get(WATCHED, {})):
        st.rerun(scope="app")


_POLLERS: dict[float, Callable[[tuple[str, ...]], None]] = {}


def _poll(names: tuple[str, ...], every: float) -> None:
    _RUN.polled = True
    if push.available():  # the server reruns this session when a revision moves: no poll from the browser
        ws, page, watched = workspace(), {name: _slot(name) for name in names}, st.session_state.get(WATCHED, {})
        push.publish("documents", lambda: push.moved(ws.revision, page, watched))
        return
    poller = _POLLERS.get(every)
    if poller is None:
        poller = _POLLERS[every] = st.fragment(run_every=every)(_poll_body)
    poller(names)


def messages(name: str) -> None:
    """Show and clear what callbacks, saves and the poll queued for ``name``."""
    slot = _slot(name)
    queue, slot.queue = slot.queue, []
    for kind, text in queue:
        if kind == "error":
            st.error(literal(text), icon=":material/error:")
        elif kind == "success":
            st.toast(literal(text), icon=":material/check_circle:")
        else:
            st.toast(literal(text), icon=":material/sync:")


# --------------------------------------------------------------------------- saving


def edit_base(name: str, key: str) -> Document | None:
    """The document as it was when editor ``key`` opened (captured on the first call)."""
    slot = _slot(name)
    if key not in slot.bases:
        doc = document(name)
        if doc is None:
            return None
        slot.bases[key] = doc
    return slot.bases[key]


def set_base(name: str, key: str, doc: Document) -> None:
    """Editor ``key`` edits from ``doc`` (a draft restored after a reload: the revision it was typed on)."""
    _slot(name).bases[key] = doc


def release(name: str, key: str | None = None) -> None:
    """Forget editor ``key``'s base (all editors' bases when ``key`` is None)."""
    slot = _slot(name)
    if key is None:
        slot.bases.clear()
    else:
        slot.bases.pop(key, None)


def save(name: str, doc: Document, *, base: Document | None = None, message: str = "",
         quiet: bool = False) -> Outcome:
    """Save ``doc`` (an edit of ``base``) without overwriting anyone; see the module docstring."""
    slot = _slot(name)
    base = base if base is not None else document(name)
    if base is None:
        return _queue(slot, Outcome("error", None, tr("live.broken_file", problem="")))
    who = author()
    if not who:  # every revision is attributed: no name, no save (the page keeps the edit)
        return _queue(slot, Outcome("error", None, _who_needed()))
    person.remember_name(who)
    ws = workspace()
    target, base_rev, merged_with = doc, base.revision, ""
    for _ in range(5):
        try:
            rev = ws.save(name, target, base_revision=base_rev, author=who, message=message)
        except ConflictError as exc:
            current = exc.current
            result = merge(base, doc, current)
            theirs_author = _author_of(name, current.revision)
            if result.conflicts:
                slot.pending = _Pending(result, base.revision, current, theirs_author, message, who)
                _keep_pending(name, slot.pending)
                return Outcome("conflict", current.revision, tr("live.conflict_title"))
            target, base_rev, merged_with = result.doc, current.revision, author_name(theirs_author)
            continue
        except DocumentError as exc:
            p = exc.first
            return _queue(slot, Outcome("error", None, tr("live.invalid_doc", file=p.file,
                                                          problem=problem_text(p, lang()))))
        except WriteError as exc:  # disk full, read-only folder: nothing changed, the page keeps the edit
            return _queue(slot, Outcome("error", None, write_error(exc)))
        except PermissionError as exc:  # the store's roles refused: say so, keep the edit unsaved
            return _queue(slot, Outcome("error", None, denied_text(exc)))
        saved = type(target).model_validate(target.model_dump()).model_copy(update={"revision": rev})
        slot.doc, slot.revision = saved, rev
        _remember(name, saved)
        ws.revision(name)  # re-read the new file now, once, so the other sessions' refresh finds it cached
        if slot.pending is not None:
            _keep_pending(name, None)
        slot.pending = None
        if merged_with:
            return _queue(slot, Outcome("merged", rev, tr("live.merged", revision=rev, author=merged_with)))
        out = Outcome("saved", rev, tr("live.saved", revision=rev))
        return out if quiet else _queue(slot, out)
    return _queue(slot, Outcome("error", None, tr("live.invalid_doc", file=name, problem=tr("live.busy"))))


def notify(name: str, kind: Literal["error", "success", "toast"], text: str) -> None:
    """Queue a message for :func:`messages` (e.g. an invalid edit's sentence from a callback)."""
    _slot(name).queue.append((kind, text))


def _queue(slot: _Slot, outcome: Outcome) -> Outcome:
    kind = "error" if outcome.status == "error" else "success"
    slot.queue.append((kind, outcome.message))
    return outcome


def pending(name: str) -> _Pending | None:
    return _slot(name).pending


def conflict_panel(name: str, describe: Callable[[dict[str, Any], str], list[tuple[str, str]]] | None = None
                   ) -> bool:
    """Both versions of each conflicting field (or item) side by side, each named by its author, to
    choose per field: mine, theirs, or a merged value typed here. True when shown."""
    slot = _slot(name)
    p = slot.pending
    if p is None:
        return False
    mine_who, theirs_who = author_name(p.mine_author or author()), author_name(p.theirs_author)
    with st.container(border=True, key=f"live_conflict_{name}"):
        st.subheader(tr("live.conflict_title"), anchor=False)
        st.caption(tr("live.conflict_intro", base=p.base_revision, author=literal(theirs_who),
                      revision=p.theirs.revision))
        for n, c in enumerate(p.result.conflicts):
            _conflict_row(name, n, c, p, describe, mine_who, theirs_who)
        a, b, _ = st.columns([1, 1, 3])
        a.button(tr("live.apply_choice"), type="primary", key=f"live_apply_{name}", on_click=_apply, args=(name,))
        b.button(tr("live.discard_mine"), key=f"live_discard_{name}", on_click=_discard, args=(name,))
    return True


def _choice_key(name: str, n: int) -> str:
    """The widget key of the choice for conflict ``n`` (stable: tests and session state use it)."""
    return f"live_choice_{name}_{n}"


def field_label(c: Conflict, lang_: str) -> str:
    """``S4 · 评分`` / ``S4 · 内容 · 中文``: the item and the field a conflict is about, in words."""
    parts = [t(f"live.field.{f}", lang_) if has(f"live.field.{f}") else f for f in c.field]
    return " · ".join([c.label if not c.field else str(c.id), *parts])


def _editable(c: Conflict) -> bool:
    """A field a person can type the merged value of (a text or a number)."""
    values = [v for v in (c.mine, c.theirs) if v is not None]
    return bool(c.field) and bool(values) and (all(isinstance(v, str) for v in values) or all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values))


def _conflict_row(name: str, n: int, c: Conflict, p: _Pending, describe: Any, mine_who: str, theirs_who: str) -> None:
    with st.container(border=True, key=f"live_conflict_{name}_{n}"):
        st.markdown(f"**{literal(field_label(c, lang()))}**")
        left, right = st.columns(2)
        mine_rows, theirs_rows = _rows(c, c.mine, describe), _rows(c, c.theirs, describe)
        with left:
            st.caption(tr("live.yours_named", author=literal(mine_who)))
            _show_rows(mine_rows, theirs_rows)
        with right:
            st.caption(tr("live.theirs", revision=p.theirs.revision, author=literal(theirs_who)))
            _show_rows(theirs_rows, mine_rows)
        options = ["mine", "theirs", *(["custom"] if _editable(c) else [])]
        labels = {"mine": tr("live.keep_named", author=mine_who), "theirs": tr("live.keep_named", author=theirs_who),
                  "custom": tr("live.edit_merged")}
        if theirs_who == mine_who:
            labels["mine"], labels["theirs"] = tr("live.keep_mine"), tr("live.keep_theirs")
        ck = _choice_key(name, n)
        st.session_state.setdefault(ck, p.choices.get(c.key, "theirs"))
        if st.session_state[ck] not in options:
            st.session_state[ck] = "theirs"
        choice = st.radio(tr("live.conflict_item", label=literal(c.label)), options, key=ck, horizontal=True,
                          label_visibility="collapsed", format_func=labels.get, on_change=_choice_changed,
                          args=(name, c.key, ck))
        if choice == "custom":
            _custom_editor(name, n, c, p)


def _custom_editor(name: str, n: int, c: Conflict, p: _Pending) -> None:
    ek = f"live_custom_{name}_{n}"
    if isinstance(c.mine, str) or isinstance(c.theirs, str):
        start = p.custom.get(c.key, "\n".join(dict.fromkeys(x for x in (c.theirs, c.mine) if x)))
        st.session_state.setdefault(ek, start)
        st.text_area(tr("live.merged_value"), key=ek, height=110, on_change=_custom_changed, args=(name, c.key, ek))
    else:
        start = p.custom.get(c.key, c.mine if c.mine is not None else c.theirs)
        st.session_state.setdefault(ek, start)
        st.number_input(tr("live.merged_value"), key=ek, on_change=_custom_changed, args=(name, c.key, ek))
    if c.key not in p.custom:
        p.custom[c.key] = st.session_state[ek]
        _keep_pending(name, p)


def _choice_changed(name: str, key: str, widget: str) -> None:
    p = _slot(name).pending
    if p is not None:
        p.choices[key] = st.session_state.get(widget, "theirs")
        _keep_pending(name, p)


def _custom_changed(name: str, key: str, widget: str) -> None:
    p = _slot(name).pending
    if p is not None:
        p.custom[key] = st.session_state.get(widget)
        _keep_pending(name, p)


def write_error(exc: WriteError) -> str:
    """A refused write as one sentence in the session's language, naming the document."""
    return tr(f"store.{exc.code}", name=tr(f"doc.{exc.name}"))


def _rows(c: Conflict, value: Any, describe: Callable[[dict[str, Any], str], list[tuple[str, str]]] | None
          ) -> list[tuple[str, str]] | None:
    if value is None:
        return None
    if c.field:  # one field: its value in full
        return [("", show_value(value, lang(), 4000))]
    if isinstance(value, dict) and describe is not None:
        return describe(value, lang())
    if isinstance(value, dict):
        return [(k, show_value(v, lang(), 400)) for k, v in value.items() if k != "id"]
    return [(c.label, show_value(value, lang(), 400))]


def _show_rows(rows: list[tuple[str, str]] | None, other: list[tuple[str, str]] | None) -> None:
    """One version, field by field, as literal text; fields that differ from the other version are marked ●."""
    with st.container(border=True):
        if rows is None:
            st.text(tr("live.deleted"))
            return
        theirs = dict(other or [])
        for label, text in rows:
            mark = "● " if theirs.get(label) != text else "  "
            st.text(f"{mark}{label}: {text}" if label else text)


def _apply(name: str) -> None:
    slot = _slot(name)
    p = slot.pending
    if p is None:
        return
    choices = {c.key: st.session_state.get(_choice_key(name, n), p.choices.get(c.key, "theirs"))
               for n, c in enumerate(p.result.conflicts)}
    custom = {c.key: st.session_state.get(f"live_custom_{name}_{n}", p.custom.get(c.key))
              for n, c in enumerate(p.result.conflicts) if choices[c.key] == "custom"}
    try:
        doc = resolve(p.result, choices, custom)
    except Exception as exc:  # noqa: BLE001 - an impossible combination: say so, keep the panel
        problem = error_text(exc, lang(), "live").splitlines()[0]
        slot.queue.append(("error", tr("live.invalid_doc", file=name, problem=problem)))
        return
    slot.pending = None
    _keep_pending(name, None)
    _clear_panel_keys(name)
    slot.doc, slot.revision = p.theirs, p.theirs.revision
    release(name)
    save(name, doc, base=p.theirs, message=p.message)


def _clear_panel_keys(name: str) -> None:
    for k in [k for k in st.session_state if str(k).startswith((f"live_choice_{name}_", f"live_custom_{name}_"))]:
        del st.session_state[k]


def _discard(name: str) -> None:
    slot = _slot(name)
    p = slot.pending
    slot.pending = None
    _keep_pending(name, None)
    _clear_panel_keys(name)
    release(name)
    slot.doc, slot.revision = None, None
    doc = document(name)
    if p is not None and doc is not None:
        slot.queue = [q for q in slot.queue if q[0] != "toast"]
        slot.queue.append(("success", tr("live.discarded", revision=doc.revision)))


# --------------------------------------------------------------------------- author


def may_edit() -> bool:
    """This person may edit and is known by name (the page draws its edit controls), asking nothing:
    :func:`author_gate` asks for the name where the page has room for it."""
    return rights().edit and bool(author())


def author_gate() -> str | None:
    """The author's name, asking once in open mode; None until given, and None (asking nothing) for
    a person who may not edit (a viewer, the read-only view)."""
    if not rights().edit:
        return None
    name = author()
    if name:
        return name
    with st.container(border=True, key="live_author_gate"):
        if login_configured():
            st.info(tr("live.login_needed"), icon=":material/badge:")
            st.button(tr("sidebar.login"), key="live_login_button", on_click=st.login, type="primary")
            return None
        st.info(tr("live.author_needed"), icon=":material/badge:")
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        c1.text_input(tr("live.author_prompt"), key="live_author_input", max_chars=60)
        c2.button(tr("live.author_set"), key="live_author_button", on_click=_set_author, type="primary")
    return None


def _who_needed() -> str:
    return tr("live.login_needed" if login_configured() else "live.author_needed")


def _set_author() -> None:
    name = (st.session_state.get("live_author_input") or "").strip()
    if name:
        st.session_state["author"] = name


# --------------------------------------------------------------------------- history


def _ws_key() -> str:
    """Which workspace, for cache keys (no file-system detail: ``repr`` names the backend's location)."""
    return repr(workspace())


_SNAP_LOCK = threading.Lock()
_SNAPS: OrderedDict[tuple[str, str, int], Document] = OrderedDict()
_SNAP_MAX = 512


def _remember(name: str, doc: Document | None) -> None:
    """Keep a document this process already holds as the snapshot of its revision (saves a parse)."""
    if doc is None:
        return
    key = (_ws_key(), name, doc.revision)
    with _SNAP_LOCK:
        _SNAPS[key] = doc
        _SNAPS.move_to_end(key)
        while len(_SNAPS) > _SNAP_MAX:
            _SNAPS.popitem(last=False)


def _snapshot(root: str, name: str, revision: int) -> Document | None:
    key = (root, name, revision)
    with _SNAP_LOCK:
        hit = _SNAPS.get(key)
    if hit is not None:
        return hit
    try:
        doc = workspace().load_revision(name, revision)
    except (KeyError, DocumentError):
        return None
    _remember(name, doc)
    return doc


#: Catalogue prefixes of revision messages the app writes (re-read in the reader's language) and of
#: words that may fill them (a quadrant's name).
_MESSAGE_PREFIXES = ("swot.msg.", "live.msg.")
_WORD_PREFIXES = ("swot.q.", "live.field.")
_WORD_FIELDS = {"quadrant"}  # fields that hold such a word, never an id


@functools.cache
def _message_patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for key, entry in catalogue().items():
        if not key.startswith(_MESSAGE_PREFIXES):
            continue
        for text in entry.values():
            parts = re.split(r"\{(\w+)\}", text)
            rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            out.append((re.compile(f"^{rx}$"), key))
    return out


@functools.cache
def _word_keys() -> dict[str, str]:
    return {text: key for key, entry in catalogue().items() if key.startswith(_WORD_PREFIXES)
            for text in entry.values()}


def message_text(message: str, lang_: str | None = None) -> str:
    """A revision's message in the reader's language: one the app wrote (in the saver's language,
    or the store's "revert to revision 3") is written again in ``lang_``; anything else as typed."""
    lang_ = lang_ or lang()
    if message == "state before first save":
        return t("live.msg.first_state", lang_)
    words = _word_keys()
    for rx, key in _message_patterns():
        m = rx.match(message)
        if m and all(v in words for k, v in m.groupdict().items() if k in _WORD_FIELDS):
            fields = {k: t(words[v], lang_) if v in words else v for k, v in m.groupdict().items()}
            return t(key, lang_, **fields)
    return message


def revision_doc(name: str, revision: int) -> Document | None:
    """The document saved at ``revision`` (shared cache: do not mutate it)."""
    return _snapshot(_ws_key(), name, revision)


@st.cache_resource(show_spinner=False, max_entries=2048)
def _words(root: str, name: str, revision: int, previous: int, lang_: str) -> list[str]:
    new = _snapshot(root, name, revision)
    old = _snapshot(root, name, previous) if previous >= 0 else None
    if new is None:
        return []
    if old is None:
        return []
    return diff_words(old, new, lang_)  # type: ignore[arg-type]


def revision_words(name: str, revision: int, lang_: str, previous: int | None = None) -> list[str]:
    """What ``revision`` changed relative to ``previous`` (default: the saved revision before it)."""
    if previous is None:
        earlier = [r.revision for r in workspace().history(name) if r.revision < revision]
        previous = max(earlier) if earlier else -1
    return _words(_ws_key(), name, revision, previous, lang_)


def compare_words(name: str, a: int, b: int, lang_: str) -> list[str]:
    """The changes from revision ``a`` to revision ``b``."""
    return _words(_ws_key(), name, b, a, lang_)


def revert(name: str, revision: int) -> Outcome:
    """Make ``revision`` current again (a new revision), unless someone saved meanwhile."""
    slot = _slot(name)
    current = document(name)
    if current is None:
        return _queue(slot, Outcome("error", None, tr("live.broken_file", problem="")))
    if not author():
        return _queue(slot, Outcome("error", None, _who_needed()))
    try:
        rev = workspace().revert(name, revision, base_revision=current.revision, author=author())
    except ConflictError as exc:
        slot.doc, slot.revision = exc.current, exc.current.revision
        return _queue(slot, Outcome("error", None, tr("live.revert_conflict", name=name, base=exc.base_revision,
                                                      revision=exc.current.revision)))
    except KeyError:
        return _queue(slot, Outcome("error", None, tr("live.no_revision", name=name, revision=revision)))
    except DocumentError as exc:
        p = exc.first
        return _queue(slot, Outcome("error", None, tr("live.invalid_doc", file=p.file, problem=problem_text(p, lang()))))
    except WriteError as exc:
        return _queue(slot, Outcome("error", None, write_error(exc)))
    except PermissionError as exc:
        return _queue(slot, Outcome("error", None, denied_text(exc)))
    slot.doc, slot.revision = None, None
    document(name)
    release(name)
    return _queue(slot, Outcome("saved", rev, tr("live.reverted", revision=revision, new=rev)))

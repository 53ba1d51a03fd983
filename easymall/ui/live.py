"""Live collaboration for editing pages: follow other sessions' saves, save without overwriting.

Generic over any workspace document (swot, stp, marketing, scenarios ...); the merge itself is
:mod:`easymall.store.merge`. Typical page::

    from easymall.ui import live

    def render():
        doc = live.document("swot")            # this session's view: the newest revision it has seen
        live.follow("swot")                    # poll: another session's save reruns this page within ~1 s
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
``follow(name, every=1.0)`` / ``follow_all(names, every=1.0)``
    A ``st.fragment(run_every=every)`` that checks ``ws.revision(name)`` (a stat when nothing
    changed) and reruns the whole page only when the revision moved. Draws nothing. ``follow_all``
    watches several documents with one poll.
``save(name, doc, *, base=None, message="") -> Outcome``
    ``ws.save`` with ``base_revision=base.revision`` (``base`` defaults to :func:`document`). On a
    :class:`~easymall.store.ConflictError` it merges ``base``/``doc``/stored three-way: different
    items → saved merged (``Outcome.status == "merged"``); the same item → nothing is saved, the
    conflict is kept for :func:`conflict_panel` (``"conflict"``). Invalid → ``"error"`` with one
    sentence. The outcome's message is also queued for :func:`messages`. Safe in callbacks.
``edit_base(name, key) -> Document`` / ``release(name, key)``
    For editors that stay open across reruns (forms): the document as it was when editor ``key``
    was opened, so a save from it merges against what the user actually saw. Key the editor's
    widgets with ``base.revision`` so a refresh does not reset what the user is typing.
``conflict_panel(name, describe=None) -> bool``
    When a conflict is pending: both versions of every conflicting item side by side, a choice
    per item, "Save my choices" / "Discard my changes". ``describe(item_dict, lang)`` returns
    ``[(label, text)]`` rows to show for an item (default: its fields). Returns True when shown.
``literal(text)``
    User text escaped for elements that render Markdown (labels, captions, toasts, alerts): the one
    helper :func:`easymall.core.text.markdown_literal`, re-exported.
``messages(name)`` / ``notify(name, kind, text)``
    Shows (and clears) the queued toasts and errors for ``name`` / queues one (kind ``"error"``
    shows an error box, ``"success"`` and ``"toast"`` a toast).
``author_gate() -> str | None``
    The author's name; in open mode asks for it once (``st.session_state["author"]``, the same key
    as the sidebar field) and returns None until given.
``revision_doc(name, rev)``, ``revision_words(name, rev, lang)``, ``compare_words(name, a, b, lang)``
    Cached history helpers (snapshots never change): a revision's document, what it changed
    relative to the revision before, and the difference between two revisions in words.
``revert(name, rev) -> Outcome``
    Reverts to ``rev`` as a new revision; when someone saved meanwhile nothing is reverted and
    the outcome says so (the user looks again, then reverts).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from easymall.core.i18n import error_text, problem_text, t
from easymall.models.common import Document
from easymall.store import ConflictError, DocumentError, WriteError
from easymall.store.merge import Conflict, MergeResult, diff_words, merge, resolve, show_value
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
    return state[name]


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
    who = _author_of(name, new.revision) or tr("live.someone")
    what = words[0] if words else t("live.diff.none", lang())
    if len(words) > 1:
        what += tr("live.toast_more", n=len(words) - 1)
    slot.queue.append(("toast", tr("live.toast", author=who, revision=new.revision, what=what)))


def _author_of(name: str, revision: int) -> str:
    for r in workspace().history(name)[:5]:
        if r.revision == revision:
            return r.author
    return ""


def follow(name: str, every: float = 1.0) -> None:
    """Poll the stored revision; rerun the page when another session saved."""
    follow_all((name,), every)


def follow_all(names: Sequence[str], every: float = 1.0) -> None:
    """:func:`follow` for several documents with one poll (a page built from all of them)."""
    for name in names:
        document(name)  # bring this session up to date first, so the poll never reruns for a revision already shown
    _poll(tuple(names), every)


def _poll_body(names: tuple[str, ...]) -> None:
    ws = workspace()
    for name in names:
        slot = _slot(name)
        rev = ws.revision(name)
        if rev is not None and slot.revision is not None and rev != slot.revision:
            st.rerun(scope="app")


_POLLERS: dict[float, Callable[[tuple[str, ...]], None]] = {}


def _poll(names: tuple[str, ...], every: float) -> None:
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
                slot.pending = _Pending(result, base.revision, current, theirs_author, message)
                return Outcome("conflict", current.revision, tr("live.conflict_title"))
            target, base_rev, merged_with = result.doc, current.revision, theirs_author or tr("live.someone")
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
    """Both versions of each conflicting item side by side, to choose; True when shown."""
    slot = _slot(name)
    p = slot.pending
    if p is None:
        return False
    with st.container(border=True, key=f"live_conflict_{name}"):
        st.subheader(tr("live.conflict_title"), anchor=False)
        st.caption(tr("live.conflict_intro", base=p.base_revision, author=literal(p.theirs_author or tr("live.someone")),
                      revision=p.theirs.revision))
        for n, c in enumerate(p.result.conflicts):
            st.markdown(f"**{literal(c.label)}**")
            left, right = st.columns(2)
            mine_rows, theirs_rows = _rows(c, c.mine, describe), _rows(c, c.theirs, describe)
            with left:
                st.caption(tr("live.yours"))
                _show_rows(mine_rows, theirs_rows)
            with right:
                st.caption(tr("live.theirs", revision=p.theirs.revision, author=literal(p.theirs_author or "—")))
                _show_rows(theirs_rows, mine_rows)
            st.radio(tr("live.conflict_item", label=literal(c.label)), ["mine", "theirs"], key=f"live_choice_{name}_{n}",
                     horizontal=True, label_visibility="collapsed",
                     format_func={"mine": tr("live.keep_mine"), "theirs": tr("live.keep_theirs")}.get)
        a, b, _ = st.columns([1, 1, 3])
        a.button(tr("live.apply_choice"), type="primary", key=f"live_apply_{name}", on_click=_apply, args=(name,))
        b.button(tr("live.discard_mine"), key=f"live_discard_{name}", on_click=_discard, args=(name,))
    return True


def write_error(exc: WriteError) -> str:
    """A refused write as one sentence in the session's language, naming the document."""
    return tr(f"store.{exc.code}", name=tr(f"doc.{exc.name}"))


def _rows(c: Conflict, value: Any, describe: Callable[[dict[str, Any], str], list[tuple[str, str]]] | None
          ) -> list[tuple[str, str]] | None:
    if value is None:
        return None
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
            st.text(f"{mark}{label}: {text}")


def _apply(name: str) -> None:
    slot = _slot(name)
    p = slot.pending
    if p is None:
        return
    choices = {c.key: st.session_state.get(f"live_choice_{name}_{n}", "theirs")
               for n, c in enumerate(p.result.conflicts)}
    try:
        doc = resolve(p.result, choices)
    except Exception as exc:  # noqa: BLE001 - an impossible combination: say so, keep the panel
        problem = error_text(exc, lang(), "live").splitlines()[0]
        slot.queue.append(("error", tr("live.invalid_doc", file=name, problem=problem)))
        return
    slot.pending = None
    slot.doc, slot.revision = p.theirs, p.theirs.revision
    release(name)
    save(name, doc, base=p.theirs, message=p.message)


def _discard(name: str) -> None:
    slot = _slot(name)
    p = slot.pending
    slot.pending = None
    release(name)
    slot.doc, slot.revision = None, None
    doc = document(name)
    if p is not None and doc is not None:
        slot.queue = [q for q in slot.queue if q[0] != "toast"]
        slot.queue.append(("success", tr("live.discarded", revision=doc.revision)))


# --------------------------------------------------------------------------- author


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

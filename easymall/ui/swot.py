"""The SWOT page's widget plumbing: column configs, the edit callbacks (change records, forms,
sliders), lazy tabs, cached charts and their PNGs, and the history table.

Every callback runs one pure edit of :mod:`easymall.swot.edit` and saves the new document; an
invalid edit shows its sentence in the UI language and saves nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from easymall.charts import swot as charts
from easymall.charts.export import figure_png
from easymall.scenario import view as scenario_view
from easymall.swot import edit
from easymall.swot.ie import ie_cell
from easymall.swot.space import space_vector
from easymall.swot.view import (
    DEFAULT_PRIORITY,
    DEFAULT_TYPE,
    DOC,
    NEW_STRATEGY,
    PNG_CHARTS,
    XLSX_MIME,
    SwotDocument,
    efe_table,
    error_message,
    evidence_options,
    export_name,
    ife_table,
    item_label,
    items_export,
    known_levers,
    levers_from_text,
    levers_line,
    levers_text,
    qspm,
    qspm_verdict,
    strategy_texts,
    text_versions,
    to_csv,
    to_xlsx,
)
from easymall.ui import drafts, live
from easymall.ui.access import rights
from easymall.ui.context import fine_print, lang, tr, txt, workspace

#: Revisions listed in the history tab (newest first).
HISTORY_ROWS = 50
#: Row height of a full-height table (pixels, as Streamlit draws them).
ROW_PX = 36


def table_height(rows: int) -> int:
    """A table tall enough to show ``rows`` rows and its header without scrolling."""
    return ROW_PX * (rows + 1) + 4


# --------------------------------------------------------------------------- small helpers


def labels(mapping: dict[str, str]) -> Callable[[Any], str]:
    """A format_func from labels made now, in this run's language (Streamlit may call it later)."""
    return lambda v: mapping.get(v, str(v))


def bump(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, 0) + 1


def nonce() -> int:
    """Changes after each grid edit, so the editors start again from the saved document."""
    return st.session_state.get("swot_grid_nonce", 0)


def diag_line(d: Any) -> None:
    """One diagnostic as an inline error or warning."""
    msg = live.literal(d.message(lang()))
    if d.level == "error":
        st.error(msg, icon=":material/error:")
    else:
        st.warning(msg, icon=":material/warning:")


def diag_lines(diags: Sequence[Any]) -> None:
    """Diagnostics as compact lines (an icon and the sentence), so the cards stay on the first screen."""
    for d in diags:
        icon = ":red[:material/error:]" if d.level == "error" else ":orange[:material/warning:]"
        st.caption(f"{icon} {live.literal(d.message(lang()))}")


def item_cards(quadrant: str, cards: Sequence[Any], editing: bool) -> None:
    """A quadrant's items as cards, one Markdown element each (id, weight, rating and owner on one line,
    then the whole text — both languages, the UI's first — and its evidence), drawn as bordered cards
    by the frame's style (``.st-key-swot_cards_<quadrant>``); for editors, one row of item ids under
    them ("Edit: S1 S2 …") opens the one chosen in the item editor below. One message a card: a
    quadrant stays cheap to rerun."""
    with st.container(key=f"swot_cards_{quadrant}", gap="small"):
        for card in cards:
            st.markdown(card_markdown(card))
    if editing and cards:
        key = f"swot_edit_pick_{quadrant}"
        st.pills(tr("swot.card_edit"), [c.id for c in cards], key=key, on_change=_open_item, args=(key,),
                 help=tr("swot.card_edit_help"))


def card_markdown(card: Any) -> str:
    """One SWOT item card's Markdown (user text shown literally)."""
    owner = f" · {tr('swot.col.owner')} {live.literal(card.owner)}" if card.owner else ""
    lines = [f"**{card.id}** · {tr('swot.col.weight')} {card.weight} · {tr('swot.col.rating')} {card.rating}{owner}",
             live.literal(card.text)]
    if card.other:
        lines.append(fine_print(live.literal(card.other)))
    if card.evidence:
        joined = ("；" if lang() == "zh" else "; ").join(card.evidence)
        lines.append(fine_print(tr("swot.card_evidence", evidence=live.literal(joined))))
    return "\n\n".join(lines)


def _open_item(key: str) -> None:
    picked = st.session_state.get(key)
    if picked:
        st.session_state["swot_item_sel"] = picked
    st.session_state[key] = None  # a row of shortcuts, not a selection: nothing stays highlighted


def lazy_tabs(ids: Sequence[str]) -> dict[str, Any]:
    """The page's tabs (``swot.tab.<id>``), keeping the open tab across a language switch; only the
    open tab's body should run, so a rerun pays for one tab."""
    names = {k: tr(f"swot.tab.{k}") for k in ids}
    if st.session_state.get("swot_tab") not in names.values() and st.session_state.get("swot_tab_id") in names:
        st.session_state["swot_tab"] = names[st.session_state["swot_tab_id"]]  # same tab after a language switch
    tabs = dict(zip(ids, st.tabs(list(names.values()), key="swot_tab", on_change="rerun"), strict=True))
    st.session_state["swot_tab_id"] = next((k for k, tab in tabs.items() if tab.open), ids[0])
    return tabs


def attempt(action: Callable[[], SwotDocument], base: SwotDocument, message: str,
            after: Callable[[], None] | None = None) -> None:
    """Run an edit (a function returning the new document) and save it; an invalid edit shows
    its sentence and saves nothing."""
    try:
        new = action()
    except edit.EditError as exc:
        live.notify(DOC, "error", error_message(exc, lang()))
        return
    if new == base:
        return
    outcome = live.save(DOC, new, base=base, message=message)
    if after is not None and outcome.ok:
        after()


# --------------------------------------------------------------------------- charts


def figure(kind: str, doc: SwotDocument, lang_: str) -> go.Figure:
    """The chart ``kind`` (quadrants, ie, space, qspm) of a document."""
    if kind == "quadrants":
        return charts.quadrant_chart(doc, lang_)
    if kind == "ie":
        ife, efe = ife_table(doc).total, efe_table(doc).total
        return charts.ie_chart(ife, efe, ie_cell(ife, efe), lang_)
    if kind == "space":
        return charts.space_chart(space_vector(doc.space), lang_)
    return charts.qspm_chart(qspm(doc), strategy_texts(doc, lang_), lang_)


@st.cache_resource(show_spinner=False, max_entries=128)
def _chart(kind: str, content: str, lang_: str, _doc: SwotDocument) -> go.Figure:
    """A chart, built once per content and language and shared by every session (Plotly figures take
    tens of ms to build); ``content`` is a digest of exactly what the chart shows."""
    return figure(kind, _doc, lang_)


def plot(kind: str, doc: SwotDocument) -> None:
    st.plotly_chart(_chart(kind, charts.content_key(kind, doc), lang(), doc), key=f"swot_{kind}_chart")


def png(doc: SwotDocument, kind: str, lang_: str) -> bytes:
    """Runs when the download is clicked (no script context: everything it needs is passed in)."""
    fig = figure(kind, doc, lang_)
    if kind == "quadrants":
        return figure_png(fig, width=1600)
    return figure_png(fig, width=1000, height=1000)  # equal axes: a square keeps the matrix square


# --------------------------------------------------------------------------- column configs


#: A quadrant grid's row height (px): three lines, so an item's text wraps and reads whole.
GRID_ROW_HEIGHT = 84


def grid_config(quadrant: str) -> dict[str, Any]:
    """Columns of a quadrant's editor grid (the text column wide; with :data:`GRID_ROW_HEIGHT` it wraps)."""
    col = st.column_config
    return {
        "id": col.TextColumn(tr("swot.col.id"), width="small", disabled=True),
        "text": col.TextColumn(tr("swot.col.text"), width=260, max_chars=2000, required=True),
        "weight": col.NumberColumn(tr("swot.col.weight"), min_value=0.0, max_value=1.0, step=0.01, format="%.2f",
                                   width="small"),
        "rating": col.NumberColumn(tr("swot.col.rating"), min_value=1, max_value=4, step=1, format="%d",
                                   width="small", help=tr(f"swot.rating_help.{quadrant}")),
        "evidence_values": col.TextColumn(tr("swot.col.evidence_values"), width=170, disabled=True),
        "owner": col.TextColumn(tr("swot.col.owner"), width="small", max_chars=60),
    }


def matrix_config() -> dict[str, Any]:
    """Columns of an IFE / EFE score table."""
    col = st.column_config
    return {
        "id": col.TextColumn(tr("swot.col.id"), width="small"),
        "factor": col.TextColumn(tr("swot.col.factor"), width="large"),
        "group": col.TextColumn(tr("swot.col.quadrant"), width="small"),
        "weight": col.NumberColumn(tr("swot.col.weight"), format="%.2f"),
        "rating": col.NumberColumn(tr("swot.col.rating"), format="%d"),
        "score": col.NumberColumn(tr("swot.col.score"), format="%.2f"),
    }


def qspm_config(strategies: Sequence[str]) -> dict[str, Any]:
    """Columns of the QSPM editor: the factor, then AS (editable) and TAS per compared strategy."""
    col = st.column_config
    config = {"id": col.TextColumn(tr("swot.col.id"), width="small", disabled=True),
              "factor": col.TextColumn(tr("swot.col.factor"), width="large", disabled=True),
              "weight": col.NumberColumn(tr("swot.col.weight"), format="%.2f", disabled=True),
              "state": col.TextColumn(tr("swot.col.state"), width="small", disabled=True)}
    for sid in strategies:
        config[sid] = col.NumberColumn(f"{sid} AS", min_value=1, max_value=4, step=1, format="%d",
                                       help=tr("swot.as_help"))
        config[f"{sid} TAS"] = col.NumberColumn(f"{sid} TAS", format="%.2f", disabled=True)
    return config


def qspm_locked(strategies: Sequence[str]) -> list[str]:
    """The QSPM editor's read-only columns."""
    return ["id", "factor", "weight", "state", *[f"{s} TAS" for s in strategies]]


def history_config() -> dict[str, Any]:
    col = st.column_config
    return {
        "revision": col.NumberColumn(tr("swot.col.revision"), format="%d", width="small"),
        "author": col.TextColumn(tr("swot.col.author"), width="small"),
        "time": col.TextColumn(tr("swot.col.time"), width="small"),
        "message": col.TextColumn(tr("swot.col.message"), width="medium"),
        "changes": col.TextColumn(tr("swot.col.changes"), width="large"),
    }


# --------------------------------------------------------------------------- history


def revisions() -> list[Any]:
    """The document's latest saved revisions, newest first."""
    return workspace().history(DOC)[:HISTORY_ROWS]


def history_frame(revs: Sequence[Any]) -> pd.DataFrame:
    """One row per revision: who, when, the message and what changed, in words."""
    rows = []
    for n, r in enumerate(revs):
        previous = revs[n + 1].revision if n + 1 < len(revs) else -1
        words = live.revision_words(DOC, r.revision, lang(), previous=previous)
        rows.append({"revision": r.revision, "author": live.author_name(r.author),
                     "time": r.time.strftime("%Y-%m-%d %H:%M:%S UTC"), "message": live.message_text(r.message) or "—",
                     "changes": "\n".join(words) if words else "—"})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- edit bases


def _stored_strategy(sid: str, d: SwotDocument) -> dict[str, Any]:
    """The strategy form's fields as stored in ``d`` (KeyError when the strategy is not in it)."""
    s = d.strategy(sid) if sid != NEW_STRATEGY else None
    en, zh = text_versions(s.text if s else None)
    return {"type": s.type if s else DEFAULT_TYPE, "en": en, "zh": zh, "pairs": list(s.pairs) if s else [],
            "prio": s.priority if s else DEFAULT_PRIORITY, "owner": s.owner if s else "",
            "levers": levers_text(s.levers if s else {}, known_levers(workspace()), lang())}


def strategy_editor(doc: SwotDocument, sid: str) -> drafts.Editor:
    """The strategy form's editor (widget keys ``swot_s_<sid>_<base revision>_<field>``): it edits from
    the revision it opened on while the person's typing differs from it, and what they typed is kept
    for them server-side until saved or discarded (:mod:`easymall.ui.drafts`)."""
    label = ("swot.draft_new_strategy", {}) if sid == NEW_STRATEGY else ("swot.draft_strategy", {"id": sid})
    return drafts.editor(DOC, f"strategy:{sid}", doc, partial(_stored_strategy, sid),
                         drafts.keys(f"swot_s_{sid}_{{rev}}_{{field}}"), label=label, select={"swot_strat_sel": sid})


# --------------------------------------------------------------------------- the item editor (with drafts)

#: The item editor's widgets: (key suffix, field of :func:`easymall.swot.edit.update_item`).
_ITEM_FIELDS = (("en", "text_en"), ("zh", "text_zh"), ("w", "weight"), ("r", "rating"), ("owner", "owner"),
                ("ev", "evidence"), ("tags", "tags"))


def _item_values(item: Any) -> dict[str, Any]:
    en, zh = text_versions(item.text)
    return {"en": en, "zh": zh, "w": float(item.weight), "r": int(item.rating), "owner": item.owner,
            "ev": list(item.evidence), "tags": ", ".join(item.tags)}


def _stored_item(item_id: str, d: SwotDocument) -> dict[str, Any]:
    return _item_values(d.item(item_id))  # KeyError when the item is not in ``d``


def item_editor(doc: SwotDocument, item_id: str) -> drafts.Editor:
    """The item form's editor (widget keys ``swot_f_<id>_<base revision>_<suffix>``): it edits from the
    revision it opened on while the person's typing differs from it, and what they typed is kept for
    them server-side until saved or discarded (a reload restores it: :func:`easymall.ui.drafts.restore`)."""
    return drafts.editor(DOC, f"item:{item_id}", doc, partial(_stored_item, item_id),
                         drafts.keys(f"swot_f_{item_id}_{{rev}}_{{field}}"), label=("swot.draft_item", {"id": item_id}),
                         select={"swot_item_sel": item_id})


def item_form(doc: SwotDocument, evidence: dict[str, Any]) -> None:
    """Edit one item: its text in both languages, weight, rating, owner, evidence, tags (see :func:`item_editor`)."""
    with st.container(border=True):
        st.subheader(tr("swot.edit_item"), anchor=False)
        ids = [i.id for i in doc.items()]
        if not ids:
            st.caption(tr("swot.no_items"))
            return
        if st.session_state.get("swot_item_sel") not in ids:
            st.session_state["swot_item_sel"] = ids[0]
        item_id = st.selectbox(tr("swot.pick_item"), ids, key="swot_item_sel",
                               format_func=partial(item_label, doc, lang=lang()))
        ed = item_editor(doc, item_id)
        base = ed.base
        item = base.item(item_id)
        if ed.stale(doc):
            c1, c2 = st.columns([3, 1], vertical_alignment="center")
            c1.info(tr("live.changed_since", id=item_id, author=live.literal(live.author_of(DOC, doc.revision))),
                    icon=":material/info:")
            c2.button(tr("swot.load_latest"), key="swot_item_latest", icon=":material/refresh:",
                      on_click=_load_latest, args=(item_id, [ed.key(f) for f in ed.stored]))
        p = f"swot_f_{item_id}_{base.revision}"
        q = base.quadrant_of(item_id) or "strengths"
        c1, c2 = st.columns(2)
        c1.text_area(tr("swot.text_en"), key=f"{p}_en", height=90)
        c2.text_area(tr("swot.text_zh"), key=f"{p}_zh", height=90)
        c3, c4, c5 = st.columns([1, 1, 2])
        c3.number_input(tr("swot.col.weight"), min_value=0.0, max_value=1.0, step=0.01, format="%.2f", key=f"{p}_w")
        c4.number_input(tr("swot.col.rating"), min_value=1, max_value=4, step=1, key=f"{p}_r",
                        help=tr(f"swot.rating_help.{q}"))
        c5.text_input(tr("swot.col.owner"), key=f"{p}_owner", max_chars=60)
        options = evidence_options(evidence, list(item.evidence), lang())
        st.session_state[f"{p}_ev"] = [e for e in st.session_state[f"{p}_ev"] if e in options]
        st.multiselect(tr("swot.col.evidence"), list(options), key=f"{p}_ev", format_func=labels(options),
                       help=tr("swot.evidence_help"), placeholder=tr("widget.choose"))
        st.text_input(tr("swot.col.tags"), key=f"{p}_tags", help=tr("swot.tags_help"))
        ed.track()
        row = st.container(horizontal=True, gap="small")  # each button as wide as its label ("保存条目", never "保…")
        row.button(tr("swot.save_item"), type="primary", icon=":material/save:", key=f"{p}_save",
                   on_click=save_item, args=(base, item_id, p))
        ed.discard_button(row)
        b1, b2, b3, _ = st.columns([1, 1, 1, 2])
        for col, key, label, icon, change, msg in (
                (b1, "swot_up", "swot.move_up", "arrow_upward", partial(edit.move_item, doc, item_id, -1), "moved"),
                (b2, "swot_down", "swot.move_down", "arrow_downward", partial(edit.move_item, doc, item_id, 1), "moved"),
                (b3, "swot_delete", "swot.delete", "delete", partial(edit.delete_item, doc, item_id), "deleted")):
            col.button(tr(label), key=key, icon=f":material/{icon}:",
                       on_click=attempt, args=(change, doc, tr(f"swot.msg.{msg}", id=item_id)))


def _load_latest(item_id: str, widgets: list[str]) -> None:
    for w in widgets:
        st.session_state.pop(w, None)
    drafts.clear(DOC, f"item:{item_id}")


# --------------------------------------------------------------------------- callbacks


def grid_changed(q: str, key: str, base: SwotDocument) -> None:
    """A quadrant grid's change record (edited, added, deleted rows)."""
    delta = st.session_state.get(key) or {}
    attempt(lambda: edit.apply_grid_edit(base, q, delta, lang()), base, tr("swot.msg.grid", quadrant=tr(f"swot.q.{q}")))
    bump("swot_grid_nonce")


def save_item(base: SwotDocument, item_id: str, p: str) -> None:
    """The item form (widget keys ``<p>_en``, ``<p>_zh``, ``<p>_w`` ...) submitted."""
    s = st.session_state
    fields = {"text_en": s.get(f"{p}_en"), "text_zh": s.get(f"{p}_zh"), "weight": s.get(f"{p}_w"),
              "rating": s.get(f"{p}_r"), "owner": s.get(f"{p}_owner"), "evidence": s.get(f"{p}_ev") or [],
              "tags": s.get(f"{p}_tags") or ""}
    attempt(lambda: edit.update_item(base, item_id, fields, lang()), base, tr("swot.msg.item", id=item_id),
            after=partial(drafts.clear, DOC, f"item:{item_id}"))  # saved: the editor shows the new revision, no draft
    drafts.done(DOC, f"item:{item_id}", False)  # the edit now lives in the pending conflict (kept server-side too)


def paste_clicked(base: SwotDocument) -> None:
    q = st.session_state.get("swot_paste_q", "strengths")
    text = st.session_state.get("swot_paste_text", "")

    def clear() -> None:
        st.session_state["swot_paste_text"] = ""

    attempt(lambda: edit.paste_items(base, q, text, lang()), base, tr("swot.msg.pasted", quadrant=tr(f"swot.q.{q}")),
            after=clear)


def space_changed(base: SwotDocument, dim: str, factor_id: str, key: str) -> None:
    value = st.session_state.get(key)
    attempt(lambda: edit.set_space_rating(base, dim, factor_id, value), base, tr("swot.msg.space", id=factor_id))


def save_strategy(base: SwotDocument, sid: str, p: str, stype: str) -> None:
    """The strategy form submitted: a new strategy (``sid`` is ``NEW_STRATEGY``) or an edit."""
    s = st.session_state
    try:
        known = known_levers(workspace())
        typed = edit.parse_levers(s.get(f"{p}_levers") or "", lang())
        levers = edit.check_levers(levers_from_text(typed, known, lang()), known, sid if sid != NEW_STRATEGY else stype)
    except edit.EditError as exc:
        live.notify(DOC, "error", error_message(exc, lang()))
        return
    fields = {"type": stype, "text_en": s.get(f"{p}_en"), "text_zh": s.get(f"{p}_zh"),
              "pairs": s.get(f"{p}_pairs") or [], "priority": s.get(f"{p}_prio"), "owner": s.get(f"{p}_owner"),
              "levers": levers}
    saved = partial(drafts.clear, DOC, f"strategy:{sid}")  # saved: the form opens on the newest revision, no draft
    if sid == NEW_STRATEGY:
        attempt(lambda: edit.add_strategy(base, fields), base, tr("swot.msg.strategy_added", type=stype), after=saved)
    else:
        attempt(lambda: edit.update_strategy(base, sid, fields), base, tr("swot.msg.strategy", id=sid), after=saved)
    drafts.done(DOC, f"strategy:{sid}", False)  # a conflict took the edit into the panel: not a draft any more


def qspm_cols_changed(base: SwotDocument, key: str) -> None:
    cols = st.session_state.get(key) or []
    attempt(lambda: edit.set_qspm_columns(base, cols), base, tr("swot.msg.qspm_columns"))


def qspm_changed(base: SwotDocument, key: str, ids: list[str], strategies: list[str]) -> None:
    """The QSPM editor's change record (only edited cells: its rows are the factors)."""
    delta = (st.session_state.get(key) or {}).get("edited_rows") or {}
    attempt(lambda: edit.apply_qspm_edit(base, ids, strategies, delta), base, tr("swot.msg.qspm"))
    bump("swot_grid_nonce")


# --------------------------------------------------------------------------- panels


def history_panel(doc: SwotDocument, editing: bool) -> None:
    """The revisions table, one revision's items (with revert) and the words between two revisions."""
    saved = revisions()
    st.subheader(tr("swot.history_title"), anchor=False)
    if not saved:
        st.info(tr("swot.history_empty"))
        return
    revs = [r.revision for r in saved]
    st.dataframe(history_frame(saved), hide_index=True, width="stretch", key="swot_history_table",
                 column_config=history_config())
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown(f"**{tr('swot.view_revision')}**")
        rev = st.selectbox(tr("swot.col.revision"), revs, key="swot_hist_view")
        old = live.revision_doc(DOC, rev)
        if old is not None:
            st.dataframe(items_export(old, lang()), hide_index=True, width="stretch", key="swot_hist_items",
                         column_config={"id": st.column_config.TextColumn(tr("swot.col.id"))})
            if editing and rights().revert:
                st.button(tr("swot.revert", revision=rev), key="swot_revert", icon=":material/history:",
                          disabled=rev == doc.revision, on_click=live.revert, args=(DOC, rev))
    with right, st.container(border=True):
        st.markdown(f"**{tr('swot.compare')}**")
        c1, c2 = st.columns(2)
        a = c1.selectbox(tr("swot.compare_from"), revs, index=min(1, len(revs) - 1), key="swot_cmp_a")
        b = c2.selectbox(tr("swot.compare_to"), revs, index=0, key="swot_cmp_b")
        words = live.compare_words(DOC, a, b, lang())
        st.text("\n".join(words) if words else tr("live.diff.none"))


def export_panel(doc: SwotDocument) -> None:
    """Downloads made when clicked from the revision on screen: the workbook, the items, the charts."""
    st.subheader(tr("swot.export_title"), anchor=False)
    st.caption(tr("swot.export_help"))
    lg = lang()
    c = st.columns(2)
    c[0].download_button(tr("swot.export_xlsx"), data=partial(to_xlsx, doc, lg), file_name=export_name(doc, "", "xlsx"),
                         mime=XLSX_MIME, key="swot_dl_xlsx", icon=":material/table:", on_click="ignore")
    c[1].download_button(tr("swot.export_csv"), data=partial(to_csv, doc, lg), file_name=export_name(doc, "", "csv"),
                         mime="text/csv", key="swot_dl_csv", icon=":material/csv:", on_click="ignore")
    st.markdown(f"**{tr('swot.export_png')}**")
    for col, (name, key) in zip(st.columns(3), PNG_CHARTS, strict=True):
        col.download_button(tr(key), data=partial(png, doc, name, lg), file_name=export_name(doc, name, "png"),
                            mime="image/png", key=f"swot_dl_{name}", icon=":material/image:", on_click="ignore")


def qspm_totals(doc: SwotDocument, res: Any) -> None:
    """One card per compared strategy with its sum of TAS; the most attractive wears a badge."""
    verdict = qspm_verdict(res, lang())
    if verdict:
        (st.warning if res.tie else st.info)(live.literal(verdict), icon=":material/balance:" if res.tie
                                             else ":material/emoji_events:")
    for col, sid in zip(st.columns(len(res.strategies)), res.strategies, strict=True):
        win = sid in res.winners
        with col, st.container(border=True, key=f"swot_qspm_total_{sid}" + ("_winner" if win else "")):
            st.metric(f"{sid} · {tr('swot.qspm_sum')}", f"{res.totals[sid]:.2f}")
            if res.tie and sid in res.tied:
                st.badge(tr("swot.qspm_tied"), color="orange", icon=":material/balance:")
            elif win:
                st.badge(tr("swot.qspm_winner"), color="red", icon=":material/emoji_events:")
            st.caption(live.literal(txt(doc.strategy(sid).text)))


def weight_status(doc: SwotDocument, table: Any, editing: bool) -> None:
    """An IFE / EFE matrix's factor count and weight sum, with the button that normalises it."""
    a, b = st.columns([3, 2], vertical_alignment="center")
    ok = table.weights_ok
    a.markdown(tr("swot.weight_status", matrix=table.kind, sum=f"{table.weight_sum:.2f}",
                  icon=":green[:material/check_circle:]" if ok else ":orange[:material/warning:]", n=len(table.rows)))
    if editing:
        b.button(tr("swot.normalise", matrix=table.kind), key=f"swot_norm_{table.kind}", disabled=ok,
                 icon=":material/balance:", width="stretch",
                 on_click=attempt, args=(partial(edit.normalise, doc, table.kind), doc,
                                         tr("swot.msg.normalised", matrix=table.kind)))


def lever_presets(levers: dict[str, float]) -> str:
    """A strategy's lever preset as people read it: each lever's label, value and unit in the UI
    language ("分期手续费减免 60%"), as the Strategy page names them; an unknown id as written."""
    marketing = workspace().load_safe("marketing").doc
    known = {lv.id: lv for lv in getattr(marketing, "levers", [])}
    parts = [f"{txt(known[k].label)} {scenario_view.lever_value(v, known[k].unit, lang())}" if k in known
             else levers_line({k: v}) for k, v in levers.items()]
    return "；".join(parts) if lang() == "zh" else "; ".join(parts)


def known_levers_caption() -> str | None:
    """The levers a strategy may preset, with their labels and units, for the strategy form."""
    marketing = workspace().load_safe("marketing").doc
    levers = getattr(marketing, "levers", [])
    if not levers:
        return None
    sep = "；" if lang() == "zh" else "; "
    return tr("swot.levers_known", levers=live.literal(sep.join(
        f"{lv.id} = {txt(lv.label)}（{scenario_view.unit_label(lv.unit, lang())}）" if lang() == "zh"
        else f"{lv.id} = {txt(lv.label)} ({scenario_view.unit_label(lv.unit, lang())})" for lv in levers)))


def strategy_card(doc: SwotDocument, s: Any, diags: Sequence[Any]) -> None:
    """A TOWS strategy: its text, priority and owner, the items it pairs, its levers, its diagnostics."""
    st.text(f"{s.id} · {txt(s.text)}")
    st.caption(tr("swot.strategy_meta", priority=tr(f"swot.priority.{s.priority}"), owner=live.literal(s.owner or "—"),
                  n=len(s.pairs)))
    st.text("\n".join(item_label(doc, p, lang(), 60) for p in s.pairs) or "—")
    if s.levers:
        st.text(tr("swot.levers_line", levers=lever_presets(s.levers)))
    for d in diags:
        diag_line(d)

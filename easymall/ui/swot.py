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
from easymall.swot import edit
from easymall.swot.ie import ie_cell
from easymall.swot.space import space_vector
from easymall.swot.view import (
    DOC,
    NEW_STRATEGY,
    PNG_CHARTS,
    XLSX_MIME,
    SwotDocument,
    efe_table,
    error_message,
    export_name,
    ife_table,
    item_label,
    items_export,
    known_levers,
    levers_line,
    qspm,
    strategy_texts,
    to_csv,
    to_xlsx,
)
from easymall.ui import live
from easymall.ui.access import rights
from easymall.ui.context import lang, tr, txt, workspace

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


def grid_config(quadrant: str) -> dict[str, Any]:
    """Columns of a quadrant's editor grid."""
    col = st.column_config
    return {
        "id": col.TextColumn(tr("swot.col.id"), width="small", disabled=True),
        "text": col.TextColumn(tr("swot.col.text"), width="medium", max_chars=2000, required=True),
        "weight": col.NumberColumn(tr("swot.col.weight"), min_value=0.0, max_value=1.0, step=0.01, format="%.2f",
                                   width="small"),
        "rating": col.NumberColumn(tr("swot.col.rating"), min_value=1, max_value=4, step=1, format="%d",
                                   width="small", help=tr(f"swot.rating_help.{quadrant}")),
        "evidence_values": col.TextColumn(tr("swot.col.evidence_values"), width="medium", disabled=True),
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
        rows.append({"revision": r.revision, "author": r.author, "time": r.time.strftime("%Y-%m-%d %H:%M:%S UTC"),
                     "message": r.message, "changes": "\n".join(words) if words else "—"})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- edit bases


def item_base(doc: SwotDocument, item_id: str) -> SwotDocument:
    """The revision the item form edits from (kept while the form is open; the latest when the item
    was not in it)."""
    base = live.edit_base(DOC, f"item:{item_id}")
    if base is None or base.quadrant_of(item_id) is None:
        live.release(DOC, f"item:{item_id}")
        base = live.edit_base(DOC, f"item:{item_id}") or doc
    return base


def item_changed_since(base: SwotDocument, doc: SwotDocument, item_id: str) -> bool:
    """Someone saved another version of the item after the form opened."""
    return (base.revision != doc.revision and bool(base.quadrant_of(item_id)) and bool(doc.quadrant_of(item_id))
            and base.item(item_id) != doc.item(item_id))


def strategy_base(doc: SwotDocument, sid: str) -> SwotDocument:
    """The revision the strategy form edits from (see :func:`item_base`)."""
    base = live.edit_base(DOC, f"strategy:{sid}") or doc
    if sid != NEW_STRATEGY and sid not in {s.id for s in base.strategies}:
        live.release(DOC, f"strategy:{sid}")
        base = live.edit_base(DOC, f"strategy:{sid}") or doc
    return base


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
            after=lambda: live.release(DOC, f"item:{item_id}"))
    if live.pending(DOC) is None:
        live.release(DOC, f"item:{item_id}")


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
        levers = edit.check_levers(edit.parse_levers(s.get(f"{p}_levers") or "", lang()), known_levers(workspace()),
                                   sid if sid != NEW_STRATEGY else stype)
    except edit.EditError as exc:
        live.notify(DOC, "error", error_message(exc, lang()))
        return
    fields = {"type": stype, "text_en": s.get(f"{p}_en"), "text_zh": s.get(f"{p}_zh"),
              "pairs": s.get(f"{p}_pairs") or [], "priority": s.get(f"{p}_prio"), "owner": s.get(f"{p}_owner"),
              "levers": levers}
    if sid == NEW_STRATEGY:
        attempt(lambda: edit.add_strategy(base, fields), base, tr("swot.msg.strategy_added", type=stype),
                after=lambda: live.release(DOC, f"strategy:{NEW_STRATEGY}"))
    else:
        attempt(lambda: edit.update_strategy(base, sid, fields), base, tr("swot.msg.strategy", id=sid),
                after=lambda: live.release(DOC, f"strategy:{sid}"))


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
            st.dataframe(items_export(old, lang()), hide_index=True, width="stretch", key="swot_hist_items")
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
    for col, sid in zip(st.columns(len(res.strategies)), res.strategies, strict=True):
        win = sid in res.winners
        with col, st.container(border=True, key=f"swot_qspm_total_{sid}" + ("_winner" if win else "")):
            st.metric(f"{sid} · {tr('swot.qspm_sum')}", f"{res.totals[sid]:.2f}")
            if win:
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


def strategy_card(doc: SwotDocument, s: Any, diags: Sequence[Any]) -> None:
    """A TOWS strategy: its text, priority and owner, the items it pairs, its levers, its diagnostics."""
    st.text(f"{s.id} · {txt(s.text)}")
    st.caption(tr("swot.strategy_meta", priority=tr(f"swot.priority.{s.priority}"), owner=live.literal(s.owner or "—"),
                  n=len(s.pairs)))
    st.text("\n".join(item_label(doc, p, lang(), 60) for p in s.pairs) or "—")
    if s.levers:
        st.text(tr("swot.levers_line", levers=levers_line(s.levers)))
    for d in diags:
        diag_line(d)

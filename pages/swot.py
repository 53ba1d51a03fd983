"""SWOT workbench: the quadrants edited live, IFE/EFE/IE/SPACE scores, TOWS and QSPM, history, export."""
from __future__ import annotations

from functools import partial

import streamlit as st

from easymall.swot import edit
from easymall.swot import view as v
from easymall.swot.view import DOC, SwotDocument
from easymall.ui import drafts, live
from easymall.ui import swot as ui
from easymall.ui.context import lang, tr, txt, workspace


def render() -> None:
    st.title(tr("swot.title"))
    st.caption(tr("swot.subtitle"))
    doc = live.document(DOC)
    live.follow(DOC)
    drafts.restore(DOC)  # what this person typed before a reload, back in the item and strategy editors
    live.messages(DOC)
    if doc is None:
        st.error(tr("swot.no_document"), icon=":material/error:")
        return
    if live.conflict_panel(DOC, describe=v.describe):
        return
    editing = live.may_edit()  # the name prompt comes after the quadrants: they fill the first screen
    tabs = ui.lazy_tabs(v.TABS)  # lazy: only the open tab runs
    if tabs["swot"].open:
        with tabs["swot"]:
            _quadrants(doc, v.workspace_evidence(workspace()), editing)
    if tabs["scores"].open:
        with tabs["scores"]:
            _scores(doc, editing)
    if tabs["tows"].open:
        with tabs["tows"]:
            _tows(doc, editing)
            _qspm(doc, editing)
    if tabs["history"].open:
        with tabs["history"]:
            ui.history_panel(doc, editing)
    if tabs["export"].open:
        with tabs["export"]:
            ui.export_panel(doc)
    if not editing:
        live.author_gate()


# --------------------------------------------------------------------------- quadrants


def _quadrants(doc: SwotDocument, evidence: dict[str, v.Evidence], editing: bool) -> None:
    diags = v.swot_diagnostics(doc)
    rows = (st.columns(2), st.columns(2))
    for k, q in enumerate(v.QUADRANTS):
        with rows[k // 2][k % 2], st.container(border=True, key=f"swot_quadrant_{q}"):
            cards = v.item_cards(doc, q, lang(), evidence)
            st.subheader(tr(f"swot.q.{q}") + f" · {len(cards)}", anchor=False, help=tr(f"swot.q.{q}.hint"))
            ui.item_cards(q, cards, editing)
            ids = {c.id for c in cards}
            ui.diag_lines([d for d in diags if d.where in ids or d.where == q])
    c1, c2 = st.columns(2)
    for col, table in ((c1, v.ife_table(doc)), (c2, v.efe_table(doc))):
        with col, st.container(border=True):
            ui.weight_status(doc, table, editing)
            ui.diag_lines([d for d in diags if d.where == table.kind])
    table = st.expander(tr("swot.grid_expander" if editing else "swot.view_table"), key="swot_table_open",
                        on_change="rerun")  # lazy: the four tables are built only while it is open
    if table.open:
        with table:
            for q in v.QUADRANTS:
                st.markdown(f"**{tr(f'swot.q.{q}')}**")
                _grid(doc, q, evidence, editing)
    if editing:
        left, right = st.columns([3, 2])
        with left:
            ui.item_form(doc, evidence)
        with right:
            _paste(doc)


def _grid(doc: SwotDocument, q: str, evidence: dict[str, v.Evidence], editing: bool) -> None:
    frame = v.grid_frame(doc, q, lang(), evidence)
    if not editing:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=ui.grid_config(q), key=f"swot_view_{q}",
                     column_order=v.GRID_ORDER, row_height=ui.GRID_ROW_HEIGHT)
        return
    key = f"swot_grid_{q}_{doc.revision}_{ui.nonce()}"
    st.data_editor(frame, hide_index=True, width="stretch", column_config=ui.grid_config(q), num_rows="dynamic",
                   key=key, disabled=["id", "evidence_values"], column_order=v.GRID_ORDER, row_height=ui.GRID_ROW_HEIGHT,
                   on_change=ui.grid_changed, args=(q, key, doc))


def _paste(doc: SwotDocument) -> None:
    with st.container(border=True):
        st.subheader(tr("swot.paste_title"), anchor=False)
        st.caption(tr("swot.paste_help"))
        st.selectbox(tr("swot.paste_quadrant"), v.QUADRANTS, key="swot_paste_q",
                     format_func=ui.labels({q: tr(f"swot.q.{q}") for q in v.QUADRANTS}))
        st.text_area(tr("swot.paste_lines"), key="swot_paste_text", height=140,
                     placeholder=tr("swot.paste_placeholder"))
        st.button(tr("swot.paste_add"), key="swot_paste_btn", icon=":material/playlist_add:",
                  on_click=ui.paste_clicked, args=(doc,))


# --------------------------------------------------------------------------- scores


def _scores(doc: SwotDocument, editing: bool) -> None:
    ife, efe = v.ife_table(doc), v.efe_table(doc)
    cell = v.ie_of(doc)
    m = st.columns([1, 1, 1, 2])
    m[0].metric(tr("swot.ife_total"), f"{ife.total:.2f}", help=tr("swot.total_help"))
    m[1].metric(tr("swot.efe_total"), f"{efe.total:.2f}", help=tr("swot.total_help"))
    if cell is not None:
        m[2].metric(tr("swot.ie_cell"), cell.roman)
        m[3].metric(tr("swot.ie_prescription"), tr(f"swot.ie.{cell.prescription}"))
    else:
        m[2].warning(tr("swot.ie_unavailable"))
    left, right = st.columns(2)
    for col, table in ((left, ife), (right, efe)):
        with col:
            st.subheader(tr(f"swot.{table.kind.lower()}_title"), anchor=False)
            st.dataframe(v.matrix_frame(table, lang()), hide_index=True, width="stretch",
                         height=ui.table_height(len(table.rows)), column_config=ui.matrix_config(),
                         key=f"swot_table_{table.kind}")
            st.markdown(tr("swot.table_total", weights=f"{table.weight_sum:.2f}", total=f"{table.total:.2f}"))
    if cell is not None:
        ui.plot("ie", doc)
    ui.plot("quadrants", doc)
    _space(doc, editing)


def _space(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.space_title"), anchor=False)
    st.caption(tr("swot.space_help"))
    res, problem = v.space_of(doc, lang())
    if res is None:
        st.warning(live.literal(problem))
        return
    left, right = st.columns([2, 3])
    with left:
        m = st.columns([1, 1, 2])
        m[0].metric("x = CP + IP", f"{res.x:+.2f}")
        m[1].metric("y = FP + SP", f"{res.y:+.2f}")
        m[2].metric(tr("swot.space_quadrant"),
                    tr(f"swot.space.{res.quadrant}") if res.quadrant else tr("swot.space.on_axis"))
        if res.quadrant:
            st.caption(tr(f"swot.space.{res.quadrant}.meaning"))
        for dim in v.SPACE_DIMENSIONS:
            low, high = v.SPACE_RANGE[dim]
            st.markdown(f"**{tr(f'swot.space_dim.{dim}')}** ({low:+d} … {high:+d})")
            for f in getattr(doc.space, dim):
                key = f"swot_space_{f.id}_{doc.revision}"
                st.slider(live.literal(txt(f.label)), min_value=low, max_value=high, value=f.rating, step=1, key=key,
                          disabled=not editing, on_change=ui.space_changed, args=(doc, dim, f.id, key))
    with right:
        ui.plot("space", doc)


# --------------------------------------------------------------------------- TOWS and QSPM


def _tows(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.tows_title"), anchor=False)
    st.caption(tr("swot.tows_help"))
    matrix, diags = v.tows_matrix(doc), v.tows_diagnostics(doc)
    grid = (st.columns(2), st.columns(2))
    for k, stype in enumerate(v.TOWS_TYPES):
        with grid[k // 2][k % 2], st.container(border=True):
            st.markdown(f"**{tr(f'swot.tows.{stype}')}**")
            st.caption(tr(f"swot.tows.{stype}.hint"))
            for s in matrix[stype]:
                ui.strategy_card(doc, s, [d for d in diags if d.where == s.id])
    if editing:
        _strategy_form(doc)


def _strategy_form(doc: SwotDocument) -> None:
    with st.container(border=True):
        st.subheader(tr("swot.edit_strategy"), anchor=False)
        options = [v.NEW_STRATEGY, *[s.id for s in doc.strategies]]
        if st.session_state.get("swot_strat_sel") not in options:
            st.session_state["swot_strat_sel"] = options[1] if len(options) > 1 else v.NEW_STRATEGY
        sid = st.selectbox(tr("swot.pick_strategy"), options, key="swot_strat_sel",
                           format_func=ui.labels({v.NEW_STRATEGY: tr("swot.new_strategy"),
                                                  **{s.id: v.strategy_label(s, lang()) for s in doc.strategies}}))
        ed = ui.strategy_editor(doc, sid)
        base, s = ed.base, ed.base.strategy(sid) if sid != v.NEW_STRATEGY else None
        stype = st.segmented_control(tr("swot.col.type"), v.STRATEGY_TYPES, key=ed.key("type")) or v.DEFAULT_TYPE
        allowed = list(dict.fromkeys([*v.allowed_pairs(base, stype), *(s.pairs if s else [])]))
        st.session_state[ed.key("pairs")] = [x for x in st.session_state[ed.key("pairs")] if x in allowed]
        c1, c2 = st.columns(2)
        c1.text_area(tr("swot.text_en"), key=ed.key("en"), height=80)
        c2.text_area(tr("swot.text_zh"), key=ed.key("zh"), height=80)
        a, b = v.SIDES[stype]
        st.multiselect(tr("swot.col.pairs"), allowed, key=ed.key("pairs"), format_func=partial(v.item_label, base, lang=lang()),
                       help=tr("swot.pairs_help", a=tr(f"swot.q.{a}"), b=tr(f"swot.q.{b}")), placeholder=tr("widget.choose"))
        c3, c4 = st.columns(2)
        c3.selectbox(tr("swot.col.priority"), v.PRIORITIES, key=ed.key("prio"),
                     format_func=ui.labels({x: tr(f"swot.priority.{x}") for x in v.PRIORITIES}))
        c4.text_input(tr("swot.col.owner"), key=ed.key("owner"), max_chars=60)
        st.text_area(tr("swot.col.levers"), key=ed.key("levers"), height=70, help=tr("swot.levers_help"))
        ed.track()  # what is typed is kept for this person until saved or discarded: a reload loses nothing
        ed.note(doc, sid)
        known = ui.known_levers_caption()
        if known:
            st.caption(known)
        b1, b2, b3, _ = st.columns([1, 1, 1, 2])
        b1.button(tr("swot.save_strategy"), type="primary", icon=":material/save:", key="swot_strat_save",
                  on_click=ui.save_strategy, args=(base, sid, f"swot_s_{sid}_{base.revision}", stype))
        ed.discard_button(b2, doc)
        if s is not None:
            b3.button(tr("swot.delete"), key="swot_strat_delete", icon=":material/delete:",
                      on_click=ui.attempt, args=(partial(edit.delete_strategy, doc, sid), doc,
                                                 tr("swot.msg.deleted", id=sid)))


def _qspm(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.qspm_title"), anchor=False)
    st.caption(tr("swot.qspm_help"))
    res = v.qspm(doc)
    cols_key = f"swot_qspm_cols_{doc.revision}"
    st.multiselect(tr("swot.qspm_columns"), [s.id for s in doc.strategies], default=list(doc.qspm.strategies),
                   key=cols_key, disabled=not editing, max_selections=8,
                   format_func=ui.labels({s.id: v.strategy_label(s, lang(), 50) for s in doc.strategies}),
                   on_change=ui.qspm_cols_changed, args=(doc, cols_key), placeholder=tr("widget.choose"))
    for d in res.diagnostics:
        ui.diag_line(d)
    if not res.strategies:
        st.info(tr("swot.qspm_empty"))
        return
    ui.qspm_totals(doc, res)
    frame = v.qspm_editor_frame(res, lang())
    config, height = ui.qspm_config(res.strategies), ui.table_height(len(frame))
    if editing:
        key = f"swot_qspm_{doc.revision}_{ui.nonce()}"
        st.data_editor(frame, hide_index=True, width="stretch", column_config=config, key=key, height=height,
                       disabled=ui.qspm_locked(res.strategies),
                       on_change=ui.qspm_changed, args=(doc, key, list(frame["id"]), list(res.strategies)))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key="swot_qspm_view",
                     height=height)
    ui.plot("qspm", doc)


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

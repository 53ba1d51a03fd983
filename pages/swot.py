"""SWOT workbench: the quadrants edited live, IFE/EFE/IE/SPACE scores, TOWS and QSPM, history, export."""
from __future__ import annotations

from functools import partial

import streamlit as st

from easymall.charts import swot as charts
from easymall.core.text import text_in
from easymall.models.swot import PRIORITIES, QUADRANTS, STRATEGY_TYPES, SwotDocument
from easymall.swot import (
    edit,
    ie_cell,
    qspm,
    space_vector,
    swot_diagnostics,
    tows_diagnostics,
    tows_matrix,
)
from easymall.swot.evidence import Evidence, workspace_evidence
from easymall.swot.matrices import efe_table, ife_table
from easymall.swot.tows import SIDES, allowed_pairs
from easymall.swot.view import evidence_text, grid_frame, matrix_frame, qspm_frame, to_csv, to_xlsx
from easymall.ui import live
from easymall.ui.context import lang, tr, txt, workspace

DOC = "swot"


def render() -> None:
    st.title(tr("swot.title"))
    st.caption(tr("swot.subtitle"))
    doc = live.document(DOC)
    live.follow(DOC)
    live.messages(DOC)
    if doc is None:
        st.error(tr("swot.no_document"), icon=":material/error:")
        return
    if live.conflict_panel(DOC, describe=_describe):
        return
    editing = live.author_gate() is not None
    evidence = workspace_evidence(workspace())  # survey KPIs (cached per dataset) and market facts
    # lazy tabs: only the open tab runs, so a rerun (an edit, another session's save) pays for one tab
    names = {k: tr(f"swot.tab.{k}") for k in TABS}
    if st.session_state.get("swot_tab") not in names.values() and st.session_state.get("swot_tab_id") in names:
        st.session_state["swot_tab"] = names[st.session_state["swot_tab_id"]]  # same tab after a language switch
    tabs = dict(zip(TABS, st.tabs(list(names.values()), key="swot_tab", on_change="rerun"), strict=True))
    st.session_state["swot_tab_id"] = next((k for k, tab in tabs.items() if tab.open), "swot")
    if tabs["swot"].open:
        with tabs["swot"]:
            _quadrants(doc, evidence, editing)
    if tabs["scores"].open:
        with tabs["scores"]:
            _scores(doc, editing)
    if tabs["tows"].open:
        with tabs["tows"]:
            _tows(doc, editing)
            _qspm(doc, editing)
    if tabs["history"].open:
        with tabs["history"]:
            _history(doc, editing)
    if tabs["export"].open:
        with tabs["export"]:
            _export(doc)


TABS = ("swot", "scores", "tows", "history", "export")


# --------------------------------------------------------------------------- helpers


def _describe(item: dict, lang_: str) -> list[tuple[str, str]]:
    """Rows to show one version of an item in the conflict panel."""
    from easymall.store.merge import show_value

    return [(tr(f"swot.field.{k}") if k in _FIELD_KEYS else k, show_value(v, lang_, 400))
            for k, v in item.items() if k != "id"]


_FIELD_KEYS = {"text", "weight", "rating", "evidence", "tags", "owner", "pairs", "priority", "levers", "type",
               "scores", "label"}


def _save(doc: SwotDocument, base: SwotDocument, message: str) -> None:
    live.save(DOC, doc, base=base, message=message)


@st.cache_resource(show_spinner=False, max_entries=128)
def _chart(kind: str, content: str, lang_: str, _doc: SwotDocument):
    """A chart, built once per content and language and shared by every session (Plotly figures take
    tens of ms to build); ``content`` is a digest of exactly what the chart shows."""
    return _build_chart(kind, _doc, lang_)


def _build_chart(kind: str, doc: SwotDocument, lang_: str):
    if kind == "quadrants":
        return charts.quadrant_chart(doc, lang_)
    if kind == "ie":
        ife, efe = ife_table(doc).total, efe_table(doc).total
        return charts.ie_chart(ife, efe, ie_cell(ife, efe), lang_)
    if kind == "space":
        return charts.space_chart(space_vector(doc.space), lang_)
    return charts.qspm_chart(qspm(doc), {s.id: text_in(s.text, lang_) for s in doc.strategies}, lang_)


def _plot(kind: str, doc: SwotDocument) -> None:
    fig = _chart(kind, charts.content_key(kind, doc), lang(), doc)
    st.plotly_chart(fig, key=f"swot_{kind}_chart")


def _attempt(action, base: SwotDocument, message: str, after=None) -> None:
    """Run an edit (a function returning the new document) and save it; an invalid edit shows
    its sentence and saves nothing."""
    try:
        new = action()
    except edit.EditError as exc:
        live.notify(DOC, "error", exc.message(lang()))
        return
    if new == base:
        return
    outcome = live.save(DOC, new, base=base, message=message)
    if after is not None and outcome.ok:
        after()


def _labels(mapping: dict[str, str]):
    """A format_func from labels made now, in this run's language (Streamlit may call it later)."""
    return lambda v: mapping.get(v, str(v))


def _bump(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _diag_line(d) -> None:
    msg = live.literal(d.message(lang()))
    if d.level == "error":
        st.error(msg, icon=":material/error:")
    else:
        st.warning(msg, icon=":material/warning:")


# --------------------------------------------------------------------------- quadrants


def _quadrants(doc: SwotDocument, evidence: dict[str, Evidence], editing: bool) -> None:
    diags = swot_diagnostics(doc)
    ife, efe = ife_table(doc), efe_table(doc)
    c1, c2 = st.columns(2)
    for col, table in ((c1, ife), (c2, efe)):
        with col, st.container(border=True):
            a, b = st.columns([3, 2], vertical_alignment="center")
            ok = table.weights_ok
            a.markdown(tr("swot.weight_status", matrix=table.kind, sum=f"{table.weight_sum:.2f}",
                          icon=":green[:material/check_circle:]" if ok else ":orange[:material/warning:]",
                          n=len(table.rows)))
            if editing:
                b.button(tr("swot.normalise", matrix=table.kind), key=f"swot_norm_{table.kind}", disabled=ok,
                         icon=":material/balance:", width="stretch",
                         on_click=_attempt, args=(partial(edit.normalise, doc, table.kind), doc,
                                                  tr("swot.msg.normalised", matrix=table.kind)))
            for d in diags:
                if d.where == table.kind:
                    _diag_line(d)
    nonce = st.session_state.get("swot_grid_nonce", 0)
    rows = (st.columns(2), st.columns(2))
    for k, q in enumerate(QUADRANTS):
        with rows[k // 2][k % 2], st.container(border=True):
            items = getattr(doc, q)
            st.subheader(tr(f"swot.q.{q}") + f" · {len(items)}", anchor=False)
            st.caption(tr(f"swot.q.{q}.hint"))
            _grid(doc, q, evidence, editing, nonce)
            ids = {i.id for i in items}
            for d in diags:
                if d.where in ids or d.where == q:
                    _diag_line(d)
    if editing:
        left, right = st.columns([3, 2])
        with left:
            _item_form(doc, evidence)
        with right:
            _paste(doc)


def _grid(doc: SwotDocument, q: str, evidence: dict[str, Evidence], editing: bool, nonce: int) -> None:
    frame = grid_frame(doc, q, lang(), evidence)
    key = f"swot_grid_{q}_{doc.revision}_{nonce}"
    config = {
        "id": st.column_config.TextColumn(tr("swot.col.id"), width="small", disabled=True),
        "text": st.column_config.TextColumn(tr("swot.col.text"), width="medium", max_chars=2000, required=True),
        "weight": st.column_config.NumberColumn(tr("swot.col.weight"), min_value=0.0, max_value=1.0, step=0.01,
                                                format="%.2f", width="small"),
        "rating": st.column_config.NumberColumn(tr("swot.col.rating"), min_value=1, max_value=4, step=1,
                                                format="%d", width="small",
                                                help=tr(f"swot.rating_help.{q}")),
        "evidence_values": st.column_config.TextColumn(tr("swot.col.evidence_values"), width="medium",
                                                       disabled=True),
        "owner": st.column_config.TextColumn(tr("swot.col.owner"), width="small", max_chars=60),
    }
    if not editing:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key=f"swot_view_{q}",
                     column_order=_GRID_ORDER)
        return
    st.data_editor(frame, hide_index=True, width="stretch", column_config=config, num_rows="dynamic", key=key,
                   disabled=["id", "evidence_values"], column_order=_GRID_ORDER,
                   on_change=_grid_changed, args=(q, key, doc))


_GRID_ORDER = ["id", "weight", "rating", "text", "evidence_values", "owner"]


def _grid_changed(q: str, key: str, base: SwotDocument) -> None:
    delta = st.session_state.get(key) or {}
    _attempt(lambda: edit.apply_grid_edit(base, q, delta, lang()), base, tr("swot.msg.grid", quadrant=tr(f"swot.q.{q}")))
    _bump("swot_grid_nonce")


def _item_label(doc: SwotDocument, item_id: str, limit: int = 70, lang_: str | None = None) -> str:
    try:
        return f"{item_id} · {text_in(doc.item(item_id).text, lang_ or lang())[:limit]}"
    except KeyError:
        return item_id


def _item_form(doc: SwotDocument, evidence: dict[str, Evidence]) -> None:
    with st.container(border=True):
        st.subheader(tr("swot.edit_item"), anchor=False)
        ids = [i.id for i in doc.items()]
        if not ids:
            st.caption(tr("swot.no_items"))
            return
        if st.session_state.get("swot_item_sel") not in ids:
            st.session_state["swot_item_sel"] = ids[0]
        item_id = st.selectbox(tr("swot.pick_item"), ids, key="swot_item_sel",
                               format_func=partial(_item_label, doc, lang_=lang()))
        base = live.edit_base(DOC, f"item:{item_id}")
        if base is None or base.quadrant_of(item_id) is None:
            live.release(DOC, f"item:{item_id}")
            base = live.edit_base(DOC, f"item:{item_id}") or doc
        item = base.item(item_id) if base.quadrant_of(item_id) else doc.item(item_id)
        if base.revision != doc.revision and base.quadrant_of(item_id) and doc.quadrant_of(item_id) \
                and base.item(item_id) != doc.item(item_id):
            c1, c2 = st.columns([3, 1], vertical_alignment="center")
            c1.info(tr("live.changed_since", id=item_id, author=tr("live.someone")), icon=":material/info:")
            c2.button(tr("swot.load_latest"), key="swot_item_latest", icon=":material/refresh:",
                      on_click=live.release, args=(DOC, f"item:{item_id}"))
        p = f"swot_f_{item_id}_{base.revision}"
        q = base.quadrant_of(item_id) or "strengths"
        text = item.text
        with st.form(key=f"{p}_form", border=False):
            c1, c2 = st.columns(2)
            c1.text_area(tr("swot.text_en"), value=text if isinstance(text, str) else text.en, key=f"{p}_en",
                         height=90)
            c2.text_area(tr("swot.text_zh"), value="" if isinstance(text, str) else text.zh, key=f"{p}_zh",
                         height=90)
            c3, c4, c5 = st.columns([1, 1, 2])
            c3.number_input(tr("swot.col.weight"), min_value=0.0, max_value=1.0, step=0.01, format="%.2f",
                            value=float(item.weight), key=f"{p}_w")
            c4.number_input(tr("swot.col.rating"), min_value=1, max_value=4, step=1, value=int(item.rating),
                            key=f"{p}_r", help=tr(f"swot.rating_help.{q}"))
            c5.text_input(tr("swot.col.owner"), value=item.owner, key=f"{p}_owner", max_chars=60)
            options = list(dict.fromkeys([*evidence, *item.evidence]))
            st.multiselect(tr("swot.col.evidence"), options, default=list(item.evidence), key=f"{p}_ev",
                           format_func=_labels({e: f"{e} — {evidence_text(evidence.get(e), lang(), e)}"
                                                for e in options}),
                           help=tr("swot.evidence_help"))
            st.text_input(tr("swot.col.tags"), value=", ".join(item.tags), key=f"{p}_tags",
                          help=tr("swot.tags_help"))
            st.form_submit_button(tr("swot.save_item"), type="primary", icon=":material/save:",
                                  on_click=_save_item, args=(base, item_id, p))
        b1, b2, b3, _ = st.columns([1, 1, 1, 2])
        b1.button(tr("swot.move_up"), key="swot_up", icon=":material/arrow_upward:",
                  on_click=_attempt, args=(partial(edit.move_item, doc, item_id, -1), doc,
                                           tr("swot.msg.moved", id=item_id)))
        b2.button(tr("swot.move_down"), key="swot_down", icon=":material/arrow_downward:",
                  on_click=_attempt, args=(partial(edit.move_item, doc, item_id, 1), doc,
                                           tr("swot.msg.moved", id=item_id)))
        b3.button(tr("swot.delete"), key="swot_delete", icon=":material/delete:",
                  on_click=_attempt, args=(partial(edit.delete_item, doc, item_id), doc,
                                           tr("swot.msg.deleted", id=item_id)))


def _save_item(base: SwotDocument, item_id: str, p: str) -> None:
    s = st.session_state
    fields = {"text_en": s.get(f"{p}_en"), "text_zh": s.get(f"{p}_zh"), "weight": s.get(f"{p}_w"),
              "rating": s.get(f"{p}_r"), "owner": s.get(f"{p}_owner"), "evidence": s.get(f"{p}_ev") or [],
              "tags": s.get(f"{p}_tags") or ""}
    _attempt(lambda: edit.update_item(base, item_id, fields, lang()), base, tr("swot.msg.item", id=item_id),
             after=lambda: live.release(DOC, f"item:{item_id}"))
    if live.pending(DOC) is None:
        live.release(DOC, f"item:{item_id}")


def _paste(doc: SwotDocument) -> None:
    with st.container(border=True):
        st.subheader(tr("swot.paste_title"), anchor=False)
        st.caption(tr("swot.paste_help"))
        st.selectbox(tr("swot.paste_quadrant"), QUADRANTS, key="swot_paste_q", format_func=_labels({q: tr(f"swot.q.{q}") for q in QUADRANTS}))
        st.text_area(tr("swot.paste_lines"), key="swot_paste_text", height=140,
                     placeholder=tr("swot.paste_placeholder"))
        st.button(tr("swot.paste_add"), key="swot_paste_btn", icon=":material/playlist_add:",
                  on_click=_paste_clicked, args=(doc,))


def _paste_clicked(base: SwotDocument) -> None:
    q = st.session_state.get("swot_paste_q", "strengths")
    text = st.session_state.get("swot_paste_text", "")

    def clear() -> None:
        st.session_state["swot_paste_text"] = ""

    _attempt(lambda: edit.paste_items(base, q, text, lang()), base, tr("swot.msg.pasted", quadrant=tr(f"swot.q.{q}")),
             after=clear)


# --------------------------------------------------------------------------- scores


def _scores(doc: SwotDocument, editing: bool) -> None:
    ife, efe = ife_table(doc), efe_table(doc)
    try:
        cell = ie_cell(ife.total, efe.total)
    except ValueError:
        cell = None
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
            st.dataframe(matrix_frame(table, lang()), hide_index=True, width="stretch",
                         height=36 * (len(table.rows) + 1) + 4, column_config={
                "id": st.column_config.TextColumn(tr("swot.col.id"), width="small"),
                "factor": st.column_config.TextColumn(tr("swot.col.factor"), width="large"),
                "group": st.column_config.TextColumn(tr("swot.col.quadrant"), width="small"),
                "weight": st.column_config.NumberColumn(tr("swot.col.weight"), format="%.2f"),
                "rating": st.column_config.NumberColumn(tr("swot.col.rating"), format="%d"),
                "score": st.column_config.NumberColumn(tr("swot.col.score"), format="%.2f"),
            }, key=f"swot_table_{table.kind}")
            st.markdown(tr("swot.table_total", weights=f"{table.weight_sum:.2f}", total=f"{table.total:.2f}"))
    if cell is not None:
        _plot("ie", doc)
    _plot("quadrants", doc)
    _space(doc, editing)


def _space(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.space_title"), anchor=False)
    st.caption(tr("swot.space_help"))
    try:
        res = space_vector(doc.space)
    except ValueError as exc:
        st.warning(str(exc))
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
        for dim in edit.SPACE_DIMENSIONS:
            low, high = edit.SPACE_RANGE[dim]
            factors = getattr(doc.space, dim)
            st.markdown(f"**{tr(f'swot.space_dim.{dim}')}** ({low:+d} … {high:+d})")
            for f in factors:
                key = f"swot_space_{f.id}_{doc.revision}"
                st.slider(live.literal(txt(f.label)), min_value=low, max_value=high, value=f.rating, step=1, key=key,
                          disabled=not editing, on_change=_space_changed, args=(doc, dim, f.id, key))
    with right:
        _plot("space", doc)


def _space_changed(base: SwotDocument, dim: str, factor_id: str, key: str) -> None:
    value = st.session_state.get(key)
    _attempt(lambda: edit.set_space_rating(base, dim, factor_id, value), base, tr("swot.msg.space", id=factor_id))


# --------------------------------------------------------------------------- TOWS and QSPM


def _tows(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.tows_title"), anchor=False)
    st.caption(tr("swot.tows_help"))
    matrix = tows_matrix(doc)
    diags = tows_diagnostics(doc)
    grid = (st.columns(2), st.columns(2))
    for k, stype in enumerate(("SO", "ST", "WO", "WT")):
        with grid[k // 2][k % 2], st.container(border=True):
            st.markdown(f"**{tr(f'swot.tows.{stype}')}**")
            st.caption(tr(f"swot.tows.{stype}.hint"))
            for s in matrix[stype]:
                st.text(f"{s.id} · {txt(s.text)}")
                pairs = "\n".join(_item_label(doc, p, 60) for p in s.pairs) or "—"
                st.caption(tr("swot.strategy_meta", priority=tr(f"swot.priority.{s.priority}"),
                              owner=s.owner or "—", n=len(s.pairs)))
                st.text(pairs)
                if s.levers:
                    st.text(tr("swot.levers_line", levers=", ".join(f"{k2} = {v:g}" for k2, v in s.levers.items())))
                for d in diags:
                    if d.where == s.id:
                        _diag_line(d)
    if editing:
        _strategy_form(doc)


def _strategy_form(doc: SwotDocument) -> None:
    with st.container(border=True):
        st.subheader(tr("swot.edit_strategy"), anchor=False)
        options = ["__new__", *[s.id for s in doc.strategies]]
        if st.session_state.get("swot_strat_sel") not in options:
            st.session_state["swot_strat_sel"] = options[1] if len(options) > 1 else "__new__"
        sid = st.selectbox(tr("swot.pick_strategy"), options, key="swot_strat_sel",
                           format_func=_labels({"__new__": tr("swot.new_strategy"),
                                                **{s.id: f"{s.id} · {txt(s.text)[:70]}" for s in doc.strategies}}))
        base = live.edit_base(DOC, f"strategy:{sid}") or doc
        if sid != "__new__" and sid not in {s.id for s in base.strategies}:
            live.release(DOC, f"strategy:{sid}")
            base = live.edit_base(DOC, f"strategy:{sid}") or doc
        s = base.strategy(sid) if sid != "__new__" else None
        p = f"swot_s_{sid}_{base.revision}"
        stype = st.segmented_control(tr("swot.col.type"), STRATEGY_TYPES, default=s.type if s else "SO",
                                     key=f"{p}_type") or (s.type if s else "SO")
        allowed = list(dict.fromkeys([*allowed_pairs(base, stype), *(s.pairs if s else [])]))
        with st.form(key=f"{p}_form", border=False):
            c1, c2 = st.columns(2)
            text = s.text if s else ""
            c1.text_area(tr("swot.text_en"), value=text if isinstance(text, str) else text.en, key=f"{p}_en", height=80)
            c2.text_area(tr("swot.text_zh"), value="" if isinstance(text, str) else text.zh, key=f"{p}_zh", height=80)
            a, b = SIDES[stype]
            st.multiselect(tr("swot.col.pairs"), allowed, default=list(s.pairs) if s else [], key=f"{p}_pairs",
                           format_func=partial(_item_label, base, lang_=lang()),
                           help=tr("swot.pairs_help", a=tr(f"swot.q.{a}"), b=tr(f"swot.q.{b}")))
            c3, c4 = st.columns(2)
            c3.selectbox(tr("swot.col.priority"), PRIORITIES, index=PRIORITIES.index(s.priority) if s else 1,
                         key=f"{p}_prio", format_func=_labels({v: tr(f"swot.priority.{v}") for v in PRIORITIES}))
            c4.text_input(tr("swot.col.owner"), value=s.owner if s else "", key=f"{p}_owner", max_chars=60)
            st.text_area(tr("swot.col.levers"), value="\n".join(f"{k} = {v:g}" for k, v in (s.levers if s else {}).items()),
                         key=f"{p}_levers", height=70, help=tr("swot.levers_help"))
            known = edit.lever_ranges(workspace().load_safe("marketing").doc)
            if known:
                st.caption(tr("swot.levers_known", levers=", ".join(known)))
            st.form_submit_button(tr("swot.save_strategy"), type="primary", icon=":material/save:",
                                  on_click=_save_strategy, args=(base, sid, p, stype))
        if s is not None:
            st.button(tr("swot.delete"), key="swot_strat_delete", icon=":material/delete:",
                      on_click=_attempt, args=(partial(edit.delete_strategy, doc, sid), doc,
                                               tr("swot.msg.deleted", id=sid)))


def _save_strategy(base: SwotDocument, sid: str, p: str, stype: str) -> None:
    s = st.session_state
    known = edit.lever_ranges(workspace().load_safe("marketing").doc)
    try:
        levers = edit.check_levers(edit.parse_levers(s.get(f"{p}_levers") or "", lang()), known,
                                   sid if sid != "__new__" else stype)
    except edit.EditError as exc:
        live.notify(DOC, "error", exc.message(lang()))
        return
    fields = {"type": stype, "text_en": s.get(f"{p}_en"), "text_zh": s.get(f"{p}_zh"),
              "pairs": s.get(f"{p}_pairs") or [], "priority": s.get(f"{p}_prio"), "owner": s.get(f"{p}_owner"),
              "levers": levers}
    if sid == "__new__":
        _attempt(lambda: edit.add_strategy(base, fields), base, tr("swot.msg.strategy_added", type=stype),
                 after=lambda: live.release(DOC, "strategy:__new__"))
    else:
        _attempt(lambda: edit.update_strategy(base, sid, fields), base, tr("swot.msg.strategy", id=sid),
                 after=lambda: live.release(DOC, f"strategy:{sid}"))


def _qspm(doc: SwotDocument, editing: bool) -> None:
    st.subheader(tr("swot.qspm_title"), anchor=False)
    st.caption(tr("swot.qspm_help"))
    res = qspm(doc)
    st.multiselect(tr("swot.qspm_columns"), [s.id for s in doc.strategies], default=list(doc.qspm.strategies),
                   key=f"swot_qspm_cols_{doc.revision}", disabled=not editing, max_selections=8,
                   format_func=_labels({s.id: f"{s.id} · {txt(s.text)[:50]}" for s in doc.strategies}),
                   on_change=_qspm_cols_changed, args=(doc, f"swot_qspm_cols_{doc.revision}"))
    for d in res.diagnostics:
        _diag_line(d)
    if not res.strategies:
        st.info(tr("swot.qspm_empty"))
        return
    cols = st.columns(len(res.strategies))
    for col, sid in zip(cols, res.strategies, strict=True):
        win = sid in res.winners
        with col, st.container(border=True, key=f"swot_qspm_total_{sid}" + ("_winner" if win else "")):
            st.metric(f"{sid} · {tr('swot.qspm_sum')}", f"{res.totals[sid]:.2f}")
            if win:
                st.badge(tr("swot.qspm_winner"), color="red", icon=":material/emoji_events:")
            st.caption(live.literal(txt(doc.strategy(sid).text)))
    frame = qspm_frame(res, lang())
    config = {"id": st.column_config.TextColumn(tr("swot.col.id"), width="small", disabled=True),
              "factor": st.column_config.TextColumn(tr("swot.col.factor"), width="large", disabled=True),
              "weight": st.column_config.NumberColumn(tr("swot.col.weight"), format="%.2f", disabled=True),
              "state": st.column_config.TextColumn(tr("swot.col.state"), width="small", disabled=True)}
    for sid in res.strategies:
        config[sid] = st.column_config.NumberColumn(f"{sid} AS", min_value=1, max_value=4, step=1, format="%d",
                                                    help=tr("swot.as_help"))
        config[f"{sid} TAS"] = st.column_config.NumberColumn(f"{sid} TAS", format="%.2f", disabled=True)
    frame["state"] = frame["state"].map(lambda v: tr(f"swot.qspm_state.{v}"))
    nonce = st.session_state.get("swot_grid_nonce", 0)
    key = f"swot_qspm_{doc.revision}_{nonce}"
    if editing:
        st.data_editor(frame, hide_index=True, width="stretch", column_config=config, key=key,
                       height=36 * (len(frame) + 1) + 4,
                       disabled=["id", "factor", "weight", "state", *[f"{s} TAS" for s in res.strategies]],
                       on_change=_qspm_changed, args=(doc, key, list(frame["id"]), list(res.strategies)))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key="swot_qspm_view",
                     height=36 * (len(frame) + 1) + 4)
    _plot("qspm", doc)


def _qspm_cols_changed(base: SwotDocument, key: str) -> None:
    cols = st.session_state.get(key) or []
    _attempt(lambda: edit.set_qspm_columns(base, cols), base, tr("swot.msg.qspm_columns"))


def _qspm_changed(base: SwotDocument, key: str, ids: list[str], strategies: list[str]) -> None:
    delta = (st.session_state.get(key) or {}).get("edited_rows") or {}

    def apply() -> SwotDocument:
        return edit.apply_qspm_edit(base, ids, strategies, delta)

    _attempt(apply, base, tr("swot.msg.qspm"))
    _bump("swot_grid_nonce")


# --------------------------------------------------------------------------- history and export


def _history(doc: SwotDocument, editing: bool) -> None:
    ws = workspace()
    revisions = ws.history(DOC)[:50]
    st.subheader(tr("swot.history_title"), anchor=False)
    if not revisions:
        st.info(tr("swot.history_empty"))
        return
    revs = [r.revision for r in revisions]
    rows = []
    for n, r in enumerate(revisions):
        previous = revisions[n + 1].revision if n + 1 < len(revisions) else -1
        words = live.revision_words(DOC, r.revision, lang(), previous=previous)
        rows.append({"revision": r.revision, "author": r.author, "time": r.time.strftime("%Y-%m-%d %H:%M:%S UTC"),
                     "message": r.message, "changes": "\n".join(words) if words else "—"})
    import pandas as pd

    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="swot_history_table", column_config={
        "revision": st.column_config.NumberColumn(tr("swot.col.revision"), format="%d", width="small"),
        "author": st.column_config.TextColumn(tr("swot.col.author"), width="small"),
        "time": st.column_config.TextColumn(tr("swot.col.time"), width="small"),
        "message": st.column_config.TextColumn(tr("swot.col.message"), width="medium"),
        "changes": st.column_config.TextColumn(tr("swot.col.changes"), width="large"),
    })
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown(f"**{tr('swot.view_revision')}**")
        rev = st.selectbox(tr("swot.col.revision"), revs, key="swot_hist_view")
        old = live.revision_doc(DOC, rev)
        if old is not None:
            from easymall.swot.view import items_export

            st.dataframe(items_export(old, lang()), hide_index=True, width="stretch", key="swot_hist_items")
            if editing:
                st.button(tr("swot.revert", revision=rev), key="swot_revert", icon=":material/history:",
                          disabled=rev == doc.revision, on_click=live.revert, args=(DOC, rev))
    with right, st.container(border=True):
        st.markdown(f"**{tr('swot.compare')}**")
        c1, c2 = st.columns(2)
        a = c1.selectbox(tr("swot.compare_from"), revs, index=min(1, len(revs) - 1), key="swot_cmp_a")
        b = c2.selectbox(tr("swot.compare_to"), revs, index=0, key="swot_cmp_b")
        words = live.compare_words(DOC, a, b, lang())
        st.text("\n".join(words) if words else tr("live.diff.none"))


def _export(doc: SwotDocument) -> None:
    st.subheader(tr("swot.export_title"), anchor=False)
    st.caption(tr("swot.export_help"))
    lg = lang()
    c = st.columns(2)
    c[0].download_button(tr("swot.export_xlsx"), data=partial(to_xlsx, doc, lg), file_name=f"swot-r{doc.revision}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key="swot_dl_xlsx", icon=":material/table:", on_click="ignore")
    c[1].download_button(tr("swot.export_csv"), data=partial(to_csv, doc, lg), file_name=f"swot-r{doc.revision}.csv",
                         mime="text/csv", key="swot_dl_csv", icon=":material/csv:", on_click="ignore")
    st.markdown(f"**{tr('swot.export_png')}**")
    c = st.columns(3)
    for col, (name, key) in zip(c, (("quadrants", "swot.png_quadrants"), ("ie", "swot.png_ie"),
                                    ("space", "swot.png_space")), strict=True):
        col.download_button(tr(key), data=partial(_png, doc, name, lg), file_name=f"swot-{name}-r{doc.revision}.png",
                            mime="image/png", key=f"swot_dl_{name}", icon=":material/image:", on_click="ignore")


def _png(doc: SwotDocument, name: str, lg: str) -> bytes:
    """Runs when the download is clicked (no script context: everything it needs is passed in)."""
    from easymall.charts.export import figure_png

    fig = _build_chart(name, doc, lg)
    if name == "quadrants":
        return figure_png(fig, width=1600)
    return figure_png(fig, width=1000, height=1000)  # equal axes: a square keeps the matrix square


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

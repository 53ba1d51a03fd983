"""Widget plumbing of the Segments page: the editors' column configs, the on_change / on_click
callbacks that save a pure :mod:`easymall.stp.edit` through :mod:`easymall.ui.live`, the clustering
run kept in the session, and the cached comparison figures."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from easymall.charts import segments as charts
from easymall.stp import edit, view
from easymall.ui import drafts, live
from easymall.ui.access import rights
from easymall.ui.context import fine_print, html_text, lang, literal, tr, tr_literal, txt

DOC = "stp"
#: Session keys of the "Rename or remove" and "Define a rule segment" expanders (open = True). Their
#: contents are built only while open; the rename editor's draft reopens its expander after a reload,
#: and the rule builder's choices are kept while it is closed (``persist_state="page"``).
MANAGE_OPEN = "segments_manage_open"
BUILDER_OPEN = "segments_builder_open"
RUN = "segments_run"
ERROR = "segments_error"
PLOTLY = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}
Doc = view.StpDocument


# --------------------------------------------------------------------------- saving


def may_edit() -> bool:
    """True when this person may change the segmentation (:func:`easymall.ui.access.rights`)."""
    return rights().edit


def _refused(exc: Exception) -> None:
    st.session_state[ERROR] = tr("segments.edit_error", message=literal(view.error_sentence(exc, lang())))


def save(base: Doc, change: Callable[[Doc], Doc], message: str) -> bool:
    """Apply a domain edit to ``base`` and save it through live collaboration (in callbacks)."""
    try:
        new = change(base)
    except edit.EditError as exc:
        _refused(exc)
        return False
    return live.save(DOC, new, base=base, message=message).ok


def pop_error() -> str | None:
    """The sentence of the last refused edit (shown once)."""
    return st.session_state.pop(ERROR, None)


def _reset_editor(key: str) -> None:
    """Drop a table editor's pending edits (after a refused save) so it shows the stored values again."""
    st.session_state.pop(key, None)


def _edited(key: str) -> dict:
    return (st.session_state.get(key) or {}).get("edited_rows", {})


# --------------------------------------------------------------------------- callbacks


def rename(doc: Doc, sid: str, key: str) -> None:
    """``doc`` is the revision the name field was opened on: a rename someone saved meanwhile is a
    conflict naming both, never silently replaced by theirs."""
    name = st.session_state.get(key, "")
    drafts.done(DOC, f"rename:{sid}", save(doc, lambda d: edit.rename_segment(d, sid, lang(), name),
                                           f"rename segment {sid}"))


def remove(doc: Doc, sid: str) -> None:
    save(doc, lambda d: edit.remove_segment(d, sid), f"remove segment {sid}")


def add_rule(doc: Doc, name: str, rule: object) -> None:
    save(doc, lambda d: edit.add_rule_segment(d, name.strip(), rule)[0], f"new rule segment “{name.strip()}”")


def save_cluster(doc: Doc, run: view.ClusterRun, cluster: int, suggested: dict[str, str], key: str) -> None:
    name = edit.cluster_name(suggested, st.session_state.get(key) or "", lang())
    save(doc, lambda d: edit.add_cluster_segment(d, run, cluster, name)[0], f"save cluster {cluster + 1} as a segment")


def save_gates(doc: Doc, sid: str, keys: dict[str, tuple[str, str]]) -> None:
    gates = edit.gates_from_answers({g: (st.session_state.get(rk, "open"), st.session_state.get(nk, ""))
                                     for g, (rk, nk) in keys.items()})
    drafts.done(DOC, f"gates:{sid}", save(doc, lambda d: edit.set_gates(d, sid, gates, lang()), f"Kotler gates of {sid}"))


def save_weights(doc: Doc, dim: str, keys: dict[str, str], norm_key: str) -> None:
    weights = {cid: float(st.session_state.get(k, 0.0)) for cid, k in keys.items()}
    if st.session_state.get(norm_key):
        try:
            weights = edit.normalised(weights)
        except edit.EditError as exc:
            _refused(exc)
            return
    drafts.done(DOC, f"weights:{dim}", save(doc, lambda d: edit.set_weights(d, dim, weights), f"{dim} weights"))


def ratings_changed(doc: Doc, seg_ids: list[str], crit_ids: list[str], key: str, an: view.Analysis) -> None:
    changes = edit.rating_changes(an.rated, seg_ids, crit_ids, _edited(key))
    if changes and not save(doc, lambda d: edit.set_ratings(d, changes), "ratings " + ", ".join(sorted(changes))):
        _reset_editor(key)


def reset_measured(doc: Doc) -> None:
    save(doc, edit.reset_measured, "ratings back to the data")


def targets_changed(doc: Doc, key: str) -> None:
    chosen = list(st.session_state.get(key) or [])
    save(doc, lambda d: edit.set_targets(d, chosen), "targets: " + ", ".join(chosen))


def scores_changed(doc: Doc, key: str, ids: list[str], which: str) -> None:
    changes = edit.score_changes(ids, _edited(key))
    if not changes:
        return
    if which == "comp":
        ok = save(doc, lambda d: edit.set_scores(d, competitors=changes), "competitor scores")
    else:
        ok = save(doc, lambda d: edit.set_scores(d, ideals=changes), "ideal points")
    if not ok:
        _reset_editor(key)


def save_statement(doc: Doc, sid: str, keys: dict[str, str]) -> None:
    parts = {p: st.session_state.get(k, "") for p, k in keys.items()}
    drafts.done(DOC, f"stmt:{sid}", save(doc, lambda d: edit.set_statement(d, sid, lang(), parts),
                                         f"positioning statement of {sid}"))


# --------------------------------------------------------------------------- clustering in the session


def run_clustering(doc: Doc, ds: view.Dataset, survey_doc: object, sha: str) -> None:
    """Run the clustering the form asks for, with a progress bar; keep the result for this dataset."""
    variables = list(st.session_state.get("segments_vars") or [])
    if not variables:
        st.warning(tr("segments.no_variables"), icon=":material/warning:")
        return
    bar = st.progress(0.0, text=tr("segments.progress_start"))

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=view.progress_text(done, total, what, lang()))

    try:
        result = view.cluster(doc, ds, survey_doc, variables, st.session_state.get("segments_k", "best"),  # type: ignore[arg-type]
                              st.session_state.get("segments_seed", doc.clustering.seed), progress)
    except view.SegmentError as exc:
        bar.empty()
        st.error(tr("segments.cluster_error", message=literal(view.error_sentence(exc, lang()))), icon=":material/error:")
        return
    serial = st.session_state.get("segments_run_serial", 0) + 1
    st.session_state["segments_run_serial"] = serial
    st.session_state[RUN] = {"sha": sha, "run": result.run, "profiles": result.profiles, "serial": serial,
                             "names": result.names}
    bar.progress(1.0, text=view.done_text(result.run, lang()))


def clustering_state(sha: str) -> dict | None:
    """The session's clustering run, if it was made on this dataset."""
    state = st.session_state.get(RUN)
    return state if state is not None and state["sha"] == sha else None


def cached(state: dict, key: tuple, build: Callable[[], object]) -> object:
    """One run's tables and figures, per language and name (built once)."""
    cache = state.setdefault("cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


# --------------------------------------------------------------------------- column configs


def profile_columns() -> dict:
    return {"answer": st.column_config.TextColumn(tr("segments.col_answer"), width="medium"),
            "value": st.column_config.NumberColumn(tr("segments.col_cluster"), format="%.2f"),
            "overall": st.column_config.NumberColumn(tr("segments.col_overall"), format="%.2f"),
            "lift": st.column_config.NumberColumn(tr("segments.col_lift"), format="×%.2f"),
            "p": st.column_config.NumberColumn(tr("segments.col_p"), format="%.1e")}


def ratings_columns(doc: Doc) -> dict:
    return {"segment": st.column_config.TextColumn(tr("segments.col_segment"), width="medium"),
            **{c.id: st.column_config.NumberColumn(
                txt(c.label)[:16], min_value=1, max_value=5, step=1, format="%d", width="small",
                help=txt(c.label) + (" · " + tr("segments.measured") if c.measure else ""))
               for c in doc.targeting.criteria()}}


def ge_columns() -> dict:
    return {"name": st.column_config.TextColumn(tr("segments.col_segment")),
            "attractiveness": st.column_config.NumberColumn(tr("segments.col_attr"), format="%.2f"),
            "strength": st.column_config.NumberColumn(tr("segments.col_strength"), format="%.2f"),
            "zone": st.column_config.TextColumn(tr("segments.col_zone")),
            "n": st.column_config.TextColumn(tr("segments.col_n")),
            "size": st.column_config.TextColumn(tr("segments.col_share")),
            "missing": st.column_config.TextColumn(tr("segments.col_missing"), help=tr("segments.missing_help"))}


def easy_mall_columns() -> dict:
    return {"attribute": st.column_config.TextColumn(tr("segments.col_attribute")),
            "score": st.column_config.NumberColumn(tr("segments.col_score"), format="%.2f"),
            "source": st.column_config.TextColumn(tr("segments.col_source"))}


def scores_columns(attrs: dict[str, str], first: str) -> dict:
    """Columns of a scores editor: the row's name (``first``: a catalogue key) and one 1–5 score per attribute."""
    return {"name": st.column_config.TextColumn(tr(first)),
            **{a: st.column_config.NumberColumn(label[:14], min_value=1.0, max_value=5.0, step=0.1, format="%.1f",
                                                help=label) for a, label in attrs.items()}}


# --------------------------------------------------------------------------- explorer pieces


def legend(groups: list[str], names: dict[str, str], colors: dict[str, str]) -> None:
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;gap:6px;margin-right:20px">'
        f'<span style="width:14px;height:14px;border-radius:2px;background:{colors[g]}"></span>'
        f'{html_text(names[g])}</span>' for g in groups)
    st.html(f'<div style="font-size:14px;line-height:1.8">{items}</div>')


@st.cache_resource(show_spinner=False, max_entries=256)
def compare_figure(table: pd.DataFrame, groups: tuple[str, ...], names: tuple[tuple[str, str], ...], lang_: str,
                   title: str, legend: bool) -> go.Figure:  # a shared, read-only figure
    return charts.compare_figure(table, groups, dict(names), lang_, title, legend)


# --------------------------------------------------------------------------- editors (forms and tables)


def manage_segments(doc) -> None:  # noqa: ANN001
    names = view.names(doc, lang())
    if st.session_state.get("segments_manage_pick") not in names:  # a restored draft's segment was removed
        st.session_state.pop("segments_manage_pick", None)
    sid = st.selectbox(tr("segments.manage_pick"), list(names), key="segments_manage_pick", format_func=names.get)
    c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="bottom")
    ed = rename_editor(doc, sid, names[sid])
    key = ed.key("name")
    c1.text_input(tr("segments.rename"), key=key, max_chars=120)
    c2.button(tr("segments.rename_save"), key=f"segments_rename_btn_{sid}", on_click=rename,
              args=(ed.base, sid, key), icon=":material/save:")
    ed.track()
    ed.note(doc, names[sid])
    c3.button(tr("segments.remove"), key=f"segments_remove_btn_{sid}", on_click=remove, args=(doc, sid),
              icon=":material/delete:", help=tr("segments.remove_help"))
    ed.discard_button(None, doc)


def _stored_name(sid: str, d: Doc) -> dict:
    return {"name": view.names(d, lang())[sid]}


def rename_editor(doc: Doc, sid: str, name: str) -> drafts.Editor:
    """The rename field's editor: it keeps the revision it opened on (someone else's rename then never
    replaces what they typed; a note and "Load the latest version" offer theirs), and what they typed
    is kept for them server-side until saved (:mod:`easymall.ui.drafts`)."""
    return drafts.editor(DOC, f"rename:{sid}", doc, partial(_stored_name, sid),
                         drafts.keys(f"segments_rename_{sid}_{{rev}}"),
                         label=("segments.draft_rename", {"segment": name}),
                         select={"segments_manage_pick": sid, MANAGE_OPEN: True})


@st.fragment
def rule_builder(doc, ds, labels, orders: dict[str, list[str]]) -> None:  # noqa: ANN001
    """Define a rule segment from up to four conditions, with a live count of who matches."""
    st.caption(tr("segments.rb_caption"))
    titles = view.builder_titles(ds, labels)
    combine_labels = {"all": tr("segments.rb_all"), "any": tr("segments.rb_any")}
    op_labels = {"in": tr("segments.rb_in"), "not_in": tr("segments.rb_not_in")}
    c1, c2 = st.columns([1, 3])
    n = c1.number_input(tr("segments.rb_conditions"), min_value=1, max_value=view.MAX_CONDITIONS, value=1, step=1,
                        key="segments_rb_n", persist_state="page")
    combine = c2.radio(tr("segments.rb_combine"), list(combine_labels), format_func=combine_labels.get,
                       horizontal=True, key="segments_rb_combine", persist_state="page")
    parts = []
    for i in range(int(n)):
        c1, c2, c3 = st.columns([3, 2, 5], vertical_alignment="bottom")
        qid = c1.selectbox(tr("segments.rb_question"), list(titles), format_func=titles.get, key=f"segments_rb_q{i}",
                           persist_state="page")
        options = view.builder_options(ds, qid, orders, labels)
        if options is not None:
            op = c2.selectbox(tr("segments.rb_op"), list(op_labels), format_func=op_labels.get, key=f"segments_rb_op{i}",
                            persist_state="page")
            values = c3.multiselect(tr("segments.rb_values"), list(options), format_func=options.get,
                                    key=f"segments_rb_v{i}_{qid}", placeholder=tr("segments.rb_values_ph"),
                                    persist_state="page")
        else:
            op = "between"
            c2.markdown(tr("segments.rb_between"))
            lo, hi = view.slider_range(ds, qid)
            values = c3.slider(tr("segments.rb_values"), lo, hi, (lo, hi), key=f"segments_rb_v{i}_{qid}",
                               persist_state="page")
        parts.append(edit.RulePart(qid, op, tuple(values)))
    rule, level, text = view.rule_preview(parts, combine or "all", ds, labels, orders)
    if level == "info":
        st.info(literal(text), icon=":material/groups:")
    elif level == "warning":
        st.warning(literal(text), icon=":material/warning:")
    else:
        st.caption(literal(text))
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    name = c1.text_input(tr("segments.rb_name"), key="segments_rb_name", max_chars=120, persist_state="page")
    if c2.button(tr("segments.rb_save"), key="segments_rb_save", type="primary", icon=":material/add:",
                 disabled=rule is None or not name.strip()):
        add_rule(doc, name, rule)
        st.rerun()


def _stored_gates(sid: str, d: Doc) -> dict:
    seg = d.segment(sid)  # KeyError when the segment is gone: the editor opens on the latest
    out: dict = {}
    for g in view.GATES:
        gate = getattr(seg.gates, g)
        out[g], out[f"note_{g}"] = view.gate_choice(gate.passed), txt(gate.note)
    return out


def _gate_key(sid: str, f: str, rev: int) -> str:
    return f"segments_gnote_{sid}_{f[5:]}_{rev}" if f.startswith("note_") else f"segments_gate_{sid}_{f}_{rev}"


def gates_form(doc, sid: str, name: str, an, ds) -> None:  # noqa: ANN001
    prof = view.segment_profile(ds, an.masks[sid], view.explorer_questions(doc), an.orders)
    hints = view.gate_hints(sid, an.measures, prof)
    answers = {v: tr(f"segments.gate_{v}") for v in view.GATE_CHOICES}
    ed = drafts.editor(DOC, f"gates:{sid}", doc, partial(_stored_gates, sid), partial(_gate_key, sid),
                       label=("segments.draft_gates", {"segment": name}))
    with st.container(border=True, key=f"segments_gates_{sid}"):
        st.markdown(f"**{literal(name)}**")
        keys = {}
        for g in view.GATES:
            rk, nk = ed.key(g), ed.key(f"note_{g}")
            keys[g] = (rk, nk)
            st.radio(tr(f"segments.gate_{g}"), view.GATE_CHOICES, key=rk, horizontal=True, format_func=answers.get,
                     help=tr(f"segments.gate_{g}_help"))
            hint = view.gate_hint(hints.get(g) or {}, lang())
            if hint:
                st.caption(hint)
            st.text_area(tr("segments.gate_note"), key=nk, max_chars=500, height=68,
                         label_visibility="collapsed", placeholder=tr("segments.gate_note"))
        ed.track()
        ed.note(doc, name)
        c1, c2 = st.columns(2)
        c1.button(tr("segments.save_gates"), key=f"segments_gates_save_{sid}", on_click=save_gates,
                  args=(ed.base, sid, keys), icon=":material/save:")
        ed.discard_button(c2, doc)


def _stored_weights(dim: str, d: Doc) -> dict:
    return {c.id: float(c.weight) for c in getattr(d.targeting, dim)}


def weights_form(doc, dim: str) -> None:  # noqa: ANN001
    if not may_edit():  # the weights' effect is on the nine-box below
        return
    ed = drafts.editor(DOC, f"weights:{dim}", doc, partial(_stored_weights, dim),
                       drafts.keys(f"segments_w_{dim}_{{field}}_{{rev}}"), label=(f"segments.dim_{dim}", {}))
    base = ed.base
    with st.container(border=True, key=f"segments_w_{dim}"):
        st.markdown(f"##### {tr(f'segments.dim_{dim}')}")
        keys = {}
        for c in getattr(base.targeting, dim):
            keys[c.id] = ed.key(c.id)
            label = literal(txt(c.label) + (f" · {tr('segments.from_survey')}" if c.measure else ""))
            st.number_input(label, min_value=0.0, max_value=1.0, step=0.05, key=keys[c.id],
                            format="%.2f", help=literal(txt(c.note)) if c.note else None)
        ed.track()
        ed.note(doc, tr(f"segments.dim_{dim}"))
        st.caption(view.weights_caption(base, dim, lang()))
        norm = f"segments_norm_{dim}_{base.revision}"
        st.checkbox(tr("segments.normalise"), value=True, key=norm)
        c1, c2 = st.columns(2)
        c1.button(tr("segments.save_weights"), key=f"segments_w_save_{dim}", on_click=save_weights,
                  args=(base, dim, keys, norm), icon=":material/save:")
        ed.discard_button(c2, doc)


def scores_editor(doc, attrs: dict[str, str]) -> None:  # noqa: ANN001
    st.markdown(f"##### {tr('segments.scores_heading')}")
    st.caption(tr("segments.scores_caption"))
    key = f"segments_comp_{doc.revision}"
    st.data_editor(view.competitor_frame(doc, lang()), key=key, hide_index=True, width="stretch", disabled=["name"],
                   column_config=scores_columns(attrs, "segments.col_platform"), on_change=scores_changed,
                   args=(doc, key, [c.id for c in doc.positioning.competitors], "comp"))
    if doc.targets():
        st.markdown(f"##### {tr('segments.ideal_heading')}")
        key2 = f"segments_ideal_{doc.revision}"
        st.data_editor(view.ideal_frame(doc, lang()), key=key2, hide_index=True, width="stretch", disabled=["name"],
                       column_config=scores_columns(attrs, "segments.col_segment"), on_change=scores_changed,
                       args=(doc, key2, [s.id for s in doc.targets()], "ideal"))


def _stored_statement(sid: str, d: Doc) -> dict:
    return view.statement_parts(d, sid, lang())  # KeyError when the segment is gone


def statement_form(doc, sid: str, name: str) -> None:  # noqa: ANN001
    with st.container(border=True, key=f"segments_stmt_{sid}"):
        st.markdown(f"**{literal(name)}**")
        sentence = view.statement_sentence(doc, sid, lang())
        if sentence:
            st.markdown("> " + sentence)
        if not may_edit():
            return
        ed = drafts.editor(DOC, f"stmt:{sid}", doc, partial(_stored_statement, sid),
                           drafts.keys(f"segments_stmt_{sid}_{{field}}_{{rev}}"),
                           label=("segments.draft_statement", {"segment": name}))
        keys = {}
        for c, p in zip(st.columns(len(view.PARTS)), view.PARTS, strict=True):
            keys[p] = ed.key(p)
            c.text_area(tr(f"segments.part_{p}"), key=keys[p], height=90, max_chars=400,
                        placeholder=tr(f"segments.part_{p}_ph"))
        ed.track()
        ed.note(doc, name)
        c1, c2, _ = st.columns([1, 1, 3])
        c1.button(tr("segments.save_statement"), key=f"segments_stmt_save_{sid}", on_click=save_statement,
                  args=(ed.base, sid, keys), icon=":material/save:")
        ed.discard_button(c2, doc)


def card_markdown(r: Any) -> str:
    """A segment card (a row of :func:`view.segment_rows`) as one Markdown text: its name, the rule /
    cluster and target badges, its size, description and definition (every user text literal)."""
    rule = r["source"] == "rule"
    source = tr(f"segments.source_{r['source']}")
    badges = f":{'blue' if rule else 'violet'}-badge[{':material/rule:' if rule else ':material/hub:'} {source}]"
    if r["target"]:
        badges += f" :red-badge[:material/target: {tr('segments.col_target')}]"
    parts = [f"**{literal(r['name'])}**", badges]
    size = view.card_size(r, lang())
    if size:
        parts.append(size)
    if r["description"]:
        parts.append(literal(r["description"]))
    parts.append(fine_print(tr_literal("segments.card_definition", definition=r["definition"])))
    return "\n\n".join(parts)

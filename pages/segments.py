"""Segments page: segmentation, explorer, targeting and positioning (STP) over the active survey.

Reads like its UI: every number comes from :mod:`easymall.stp.segments`, every chart from
:mod:`easymall.charts.segments`, every edit is a pure function of the domain saved through
:mod:`easymall.ui.live` (merge on conflict, no silent overwrite).
"""
from __future__ import annotations

import html
import math

import pandas as pd
import streamlit as st

from easymall.charts import segments as charts
from easymall.core.i18n import error_text
from easymall.models.stp import GATES, StpDocument, diagnostics
from easymall.stp import clustering, edit, positioning, profiles, rules, view
from easymall.ui import live
from easymall.ui.context import lang, tr, txt
from easymall.ui.survey import active_survey, filter_summary, survey_doc, survey_filters

DOC = "stp"
RUN = "segments_run"
ERROR = "segments_error"
PLOTLY = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}


# --------------------------------------------------------------------------- the page


def render() -> None:
    doc = live.document(DOC)
    live.follow(DOC)
    live.messages(DOC)
    st.title(tr("segments.title"), anchor=False)
    st.caption(tr("segments.subtitle"))
    if not isinstance(doc, StpDocument):
        st.error(tr("segments.no_document"), icon=":material/error:")
        return
    if live.conflict_panel(DOC, describe=view.item_rows):
        return
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(error, icon=":material/error:")
    live.author_gate()  # edits are attributed: open mode asks for a name once
    loaded = active_survey()
    ds = loaded.dataset if loaded is not None else None
    sdoc = survey_doc()
    mask = survey_filters(loaded) if loaded is not None else None
    an = view.analyse(doc, ds, sdoc)
    labels = rules.Labels(ds, sdoc, lang())
    names = {s.id: txt(s.name) for s in doc.segments}
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
    else:
        st.caption(tr("segments.dataset_caption", name=ds.name, n=f"{ds.n:,}"))
    for message in an.errors.values():
        st.warning(tr("segments.rule_error", message=message), icon=":material/warning:")

    tabs = st.tabs([tr("segments.tab_segmentation"), tr("segments.tab_explorer"), tr("segments.tab_targeting"),
                    tr("segments.tab_positioning")], key="segments_tab", on_change="rerun")
    with tabs[0]:
        if tabs[0].open:
            _segmentation(doc, ds, an, labels, loaded.sha256 if loaded else "")
    with tabs[1]:
        if tabs[1].open:
            _explorer(doc, ds, an, labels, names, mask, loaded)
    with tabs[2]:
        if tabs[2].open:
            _targeting(doc, an, names)
    with tabs[3]:
        if tabs[3].open:
            _positioning(doc, ds, an, names)


def _save(base: StpDocument, change, message: str) -> bool:  # noqa: ANN001 - a callable building the new doc
    """Apply a domain edit to ``base`` and save it through live collaboration (in callbacks)."""
    try:
        new = change(base)
    except edit.EditError as exc:
        st.session_state[ERROR] = tr("segments.edit_error", message=error_text(exc, lang(), "segments.err"))
        return False
    return live.save(DOC, new, base=base, message=message).ok


def _reset_editor(key: str) -> None:
    """Drop a table editor's pending edits (after a refused save) so it shows the stored values again."""
    st.session_state.pop(key, None)


# --------------------------------------------------------------------------- segmentation


def _segmentation(doc: StpDocument, ds, an: view.Analysis, labels: rules.Labels, sha: str) -> None:  # noqa: ANN001
    st.subheader(tr("segments.segments_heading"), anchor=False)
    st.caption(tr("segments.segments_caption"))
    rows = view.segment_rows(doc, an, labels, ds)
    per_row = 3
    for start in range(0, len(rows), per_row):
        cols = st.columns(per_row)
        for col, (_, r) in zip(cols, rows.iloc[start:start + per_row].iterrows(), strict=False):
            with col.container(border=True, height="stretch", key=f"segments_card_{r['id']}"):
                st.markdown(f"**{r['name']}**")
                badges = st.container(horizontal=True)
                with badges:
                    st.badge(tr(f"segments.source_{r['source']}"), color="blue" if r["source"] == "rule" else "violet",
                             icon=":material/rule:" if r["source"] == "rule" else ":material/hub:")
                    if r["target"]:
                        st.badge(tr("segments.col_target"), color="red", icon=":material/target:")
                if not math.isnan(r["n"]):
                    st.markdown(tr("segments.card_size", n=f"{r['n']:,.0f}", share=f"{r['share']:.0%}"))
                if r["description"]:
                    st.text(r["description"])
                st.caption(tr("segments.card_definition", definition=r["definition"]))
    _manage_segments(doc)
    if ds is not None:
        with st.expander(tr("segments.rb_heading"), icon=":material/add_circle:"):
            _rule_builder(doc, ds, labels, an.orders)
    st.divider()
    st.subheader(tr("segments.clustering_heading"), anchor=False)
    st.caption(tr("segments.clustering_caption"))
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
        return
    _cluster_form(doc, ds, labels, sha)
    state = st.session_state.get(RUN)
    if state is not None and state["sha"] == sha:
        _cluster_results(doc, state, labels)


def _manage_segments(doc: StpDocument) -> None:
    if not doc.segments:
        return
    with st.expander(tr("segments.manage"), icon=":material/edit:"):
        ids = [s.id for s in doc.segments]
        names = {s.id: txt(s.name) for s in doc.segments}
        sid = st.selectbox(tr("segments.manage_pick"), ids, key="segments_manage_pick", format_func=names.get)
        seg = doc.segment(sid)
        c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="bottom")
        key = f"segments_rename_{sid}_{doc.revision}"
        c1.text_input(tr("segments.rename"), value=txt(seg.name), key=key, max_chars=120)
        c2.button(tr("segments.rename_save"), key=f"segments_rename_btn_{sid}", on_click=_rename,
                  args=(doc, sid, key), icon=":material/save:")
        c3.button(tr("segments.remove"), key=f"segments_remove_btn_{sid}", on_click=_remove, args=(doc, sid),
                  icon=":material/delete:", help=tr("segments.remove_help"))


@st.fragment
def _rule_builder(doc: StpDocument, ds, labels: rules.Labels, orders: dict[str, list[str]]) -> None:  # noqa: ANN001
    """Define a rule segment from up to four conditions, with a live count of who matches."""
    st.caption(tr("segments.rb_caption"))
    qs = view.builder_questions(ds)
    titles = {q.id: f"{q.id} · {labels.question(q.id)}" for q in qs}
    combine_labels = {"all": tr("segments.rb_all"), "any": tr("segments.rb_any")}
    op_labels = {"in": tr("segments.rb_in"), "not_in": tr("segments.rb_not_in")}
    c1, c2 = st.columns([1, 3])
    n = c1.number_input(tr("segments.rb_conditions"), min_value=1, max_value=4, value=1, step=1, key="segments_rb_n")
    c2.radio(tr("segments.rb_combine"), list(combine_labels), format_func=combine_labels.get, horizontal=True,
             key="segments_rb_combine")
    parts = []
    for i in range(int(n)):
        c1, c2, c3 = st.columns([3, 2, 5], vertical_alignment="bottom")
        qid = c1.selectbox(tr("segments.rb_question"), list(titles), format_func=titles.get, key=f"segments_rb_q{i}")
        q = ds.question(qid)
        if q.type in ("single", "multi"):
            op = c2.selectbox(tr("segments.rb_op"), list(op_labels), format_func=op_labels.get, key=f"segments_rb_op{i}")
            options = [o for o in (orders.get(qid) or q.options)]
            shown = {o: labels.option(qid, o) for o in options}
            values = c3.multiselect(tr("segments.rb_values"), options, format_func=shown.get,
                                    key=f"segments_rb_v{i}_{qid}", placeholder=tr("segments.rb_values_ph"))
        else:
            op = "between"
            c2.markdown(tr("segments.rb_between"))
            lo, hi = view.value_range(ds, qid)
            values = c3.slider(tr("segments.rb_values"), lo, max(hi, lo + 1), (lo, max(hi, lo + 1)),
                               key=f"segments_rb_v{i}_{qid}")
        parts.append(edit.RulePart(qid, op, tuple(values)))
    rule = None
    try:
        rule = edit.build_rule(parts, st.session_state.get("segments_rb_combine", "all"))
        hits = int(rules.evaluate(rule, ds, orders).sum())
        st.info(tr("segments.rb_preview", n=f"{hits:,}", share=f"{hits / max(ds.n, 1):.0%}",
                   rule=rules.describe(rule, labels, ds)), icon=":material/groups:")
    except edit.EditError:
        st.caption(tr("segments.rb_incomplete"))
    except rules.SegmentError as exc:
        st.warning(tr("segments.rule_error", message=str(exc)), icon=":material/warning:")
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    name = c1.text_input(tr("segments.rb_name"), key="segments_rb_name", max_chars=120)
    if c2.button(tr("segments.rb_save"), key="segments_rb_save", type="primary", icon=":material/add:",
                 disabled=rule is None or not name.strip()):
        _save(doc, lambda d: edit.add_rule_segment(d, name.strip(), rule)[0], f"new rule segment “{name.strip()}”")
        st.rerun()


def _rename(doc: StpDocument, sid: str, key: str) -> None:
    name = st.session_state.get(key, "")
    _save(doc, lambda d: edit.rename_segment(d, sid, lang(), name), f"rename segment {sid}")


def _remove(doc: StpDocument, sid: str) -> None:
    _save(doc, lambda d: edit.remove_segment(d, sid), f"remove segment {sid}")


def _variable_options(doc: StpDocument, ds, labels: rules.Labels) -> tuple[list[str], dict[str, str]]:  # noqa: ANN001
    group_of = {q: txt(g.label) for g in doc.clustering.groups for q in g.questions}
    order = {g.id: i for i, g in enumerate(doc.clustering.groups)}
    group_rank = {q: order[g.id] for g in doc.clustering.groups for q in g.questions}
    found = [q.id for q in ds.questions if q.type != "text"]
    ids = sorted(found, key=lambda q: (group_rank.get(q, len(order)), found.index(q)))
    titles = {q: f"{q} · {labels.question(q)}" + (f" ({group_of[q]})" if q in group_of else "") for q in ids}
    return ids, titles


def _cluster_form(doc: StpDocument, ds, labels: rules.Labels, sha: str) -> None:  # noqa: ANN001
    ids, titles = _variable_options(doc, ds, labels)
    defaults = [q for q in doc.clustering.default_variables if q in ids]
    ks = ["best", *range(doc.clustering.k_min, doc.clustering.k_max + 1)]
    k_labels = {k: tr("segments.k_best", lo=doc.clustering.k_min, hi=doc.clustering.k_max) if k == "best" else str(k)
                for k in ks}
    with st.form("segments_cluster_form", border=True):
        c1, c2, c3 = st.columns([5, 2, 1], vertical_alignment="bottom")
        c1.multiselect(tr("segments.variables"), ids, default=defaults, key="segments_vars",
                       format_func=lambda q: titles.get(q, q), help=tr("segments.variables_help"))
        c2.selectbox(tr("segments.k"), ks, key="segments_k",
                     format_func=k_labels.get, help=tr("segments.k_help"))
        c3.number_input(tr("segments.seed"), min_value=0, max_value=2**31 - 1, value=doc.clustering.seed,
                        step=1, key="segments_seed", help=tr("segments.seed_help"))
        submitted = st.form_submit_button(tr("segments.run"), type="primary", icon=":material/hub:")
    if not submitted:
        return
    variables = list(st.session_state.get("segments_vars") or [])
    if not variables:
        st.warning(tr("segments.no_variables"), icon=":material/warning:")
        return
    k_choice = st.session_state.get("segments_k", "best")
    bar = st.progress(0.0, text=tr("segments.progress_start"))

    def progress(done: int, total: int, what: str) -> None:
        text = tr("segments.progress_fit") if what == "fit" else tr("segments.progress_k", k=what.split("=")[1],
                                                                     done=done + 1, total=total)
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    try:
        run = clustering.run_clustering(ds, variables, k=None if k_choice == "best" else int(k_choice),
                                k_range=(doc.clustering.k_min, doc.clustering.k_max),
                                seed=int(st.session_state.get("segments_seed", doc.clustering.seed)),
                                ordinal=doc.clustering.ordinal, orders=rules.option_orders(ds, labels.doc),
                                progress=progress)
    except rules.SegmentError as exc:
        bar.empty()
        st.error(tr("segments.cluster_error", message=str(exc)), icon=":material/error:")
        return
    ind = profiles.indicators(ds, variables, rules.option_orders(ds, labels.doc))
    profs = profiles.profiles(ind, run.labels, run.k)
    en, zh = rules.Labels(ds, labels.doc, "en"), rules.Labels(ds, labels.doc, "zh")
    serial = st.session_state.get("segments_run_serial", 0) + 1
    st.session_state["segments_run_serial"] = serial
    st.session_state[RUN] = {"sha": sha, "run": run, "profiles": profs, "serial": serial,
                             "names": [profiles.suggest_name(p, en, zh) for p in profs]}
    bar.progress(1.0, text=tr("segments.progress_done", k=run.k, n=f"{len(run.labels):,}"))


def _cluster_results(doc: StpDocument, state: dict, labels: rules.Labels) -> None:
    run: clustering.ClusterRun = state["run"]
    profs: list[profiles.Profile] = state["profiles"]
    suggested = state["names"]
    serial = state["serial"]
    names = [st.session_state.get(f"segments_cname_{serial}_{p.index}", suggested[p.index][lang()]) for p in profs]
    cache = state.setdefault("cache", {})  # this run's tables and figures, per language and name

    def cached(key: tuple, build):  # noqa: ANN001, ANN202
        if key not in cache:
            cache[key] = build()
        return cache[key]

    c1, c2 = st.columns(2)
    c1.plotly_chart(cached(("sil", lang()), lambda: charts.silhouette_figure(run.silhouette, run.k, lang())),
                    config=PLOTLY, key="segments_sil")
    c2.plotly_chart(cached(("sizes", lang(), tuple(names)),
                           lambda: charts.sizes_figure(names, list(run.sizes), lang())),
                    config=PLOTLY, key="segments_sizes")
    sil = run.silhouette.get(run.k, float("nan"))
    st.caption(tr("segments.run_caption", k=run.k, vars=", ".join(run.questions), seed=run.seed,
                  sil="—" if math.isnan(sil) else f"{sil:.3f}"))
    for p in profs:
        with st.container(border=True, key=f"segments_cluster_{p.index}"):
            st.markdown(f"#### {tr('segments.cluster_title', i=p.index + 1, n=f'{p.n:,}', share=f'{p.share:.0%}')}")
            c1, c2 = st.columns([3, 2])
            with c1:
                key = f"segments_cname_{serial}_{p.index}"
                st.text_input(tr("segments.cluster_name"), value=suggested[p.index][lang()], key=key, max_chars=120,
                              help=tr("segments.cluster_name_help"))
                top = cached(("top", lang(), p.index), lambda p=p: view.answer_rows(profiles.distinguishing(p), labels))
                st.dataframe(top[["answer", "value", "overall", "lift", "p"]], hide_index=True, width="stretch",
                             key=f"segments_prof_{serial}_{p.index}",
                             column_config={
                                 "answer": st.column_config.TextColumn(tr("segments.col_answer"), width="medium"),
                                 "value": st.column_config.NumberColumn(tr("segments.col_cluster"), format="%.2f"),
                                 "overall": st.column_config.NumberColumn(tr("segments.col_overall"), format="%.2f"),
                                 "lift": st.column_config.NumberColumn(tr("segments.col_lift"), format="×%.2f"),
                                 "p": st.column_config.NumberColumn(tr("segments.col_p"), format="%.1e"),
                             })
                st.caption(tr("segments.profile_caption"))
                st.button(tr("segments.save_cluster"), key=f"segments_save_{serial}_{p.index}", type="primary",
                          icon=":material/bookmark_add:", on_click=_save_cluster,
                          args=(doc, run, p.index, suggested[p.index], key))
            with c2:
                fig = cached(("profile", lang(), p.index, names[p.index]), lambda p=p: charts.profile_figure(
                    view.answer_rows(profiles.distinguishing(p, top=10), labels), lang(),
                    tr("segments.chart_profile", name=names[p.index])))
                st.plotly_chart(fig, config=PLOTLY, key=f"segments_pfig_{serial}_{p.index}")


def _save_cluster(doc: StpDocument, run: clustering.ClusterRun, cluster: int, suggested: dict[str, str], key: str) -> None:
    typed = (st.session_state.get(key) or "").strip()
    name: dict[str, str] | str = suggested if not typed or typed == suggested[lang()] else typed
    _save(doc, lambda d: edit.add_cluster_segment(d, run, cluster, name)[0], f"save cluster {cluster + 1} as a segment")


# --------------------------------------------------------------------------- explorer


def _explorer(doc: StpDocument, ds, an: view.Analysis, labels: rules.Labels, names: dict[str, str], mask,  # noqa: ANN001
              loaded) -> None:  # noqa: ANN001
    st.subheader(tr("segments.explorer_heading"), anchor=False)
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
        return
    options = [s.id for s in doc.segments if s.id in an.masks]
    default = [s.id for s in doc.targets() if s.id in an.masks][:3] or options[:2]
    chosen = st.multiselect(tr("segments.compare_pick"), options, default=default, max_selections=4,
                            format_func=lambda i: names.get(i, i), key="segments_compare")
    summary = filter_summary(loaded) if loaded is not None else ""
    kept = int(mask.sum()) if mask is not None else ds.n
    st.caption(tr("segments.filters_caption", filters=summary or tr("segments.no_filters"), n=f"{kept:,}",
                  total=f"{ds.n:,}"))
    if len(chosen) < 2:
        st.info(tr("segments.compare_need_two"), icon=":material/info:")
        return
    groups = [*chosen, "__all__"]
    col_names = {**{g: names.get(g, g) for g in chosen}, "__all__": tr("segments.everyone")}
    tables = profiles.compare(doc, ds, an.masks, chosen, labels, an.orders, filter_mask=mask)
    cols = st.columns(len(groups))
    size = tables[0][1].iloc[0] if tables else None
    for c, g in zip(cols, groups, strict=True):
        n = float(size[g]) if size is not None else float("nan")
        c.metric(col_names[g], f"{n:,.0f}", help=tr("segments.metric_help"), border=True)
    colors = charts.series_colors(groups)
    for title, table in tables:
        with st.container(border=True):
            st.markdown(f"##### {title}")
            _legend(groups, col_names, colors)
            parts = view.split_questions(table)
            for start in range(0, len(parts), 2):
                cols = st.columns(2)
                for col, (question, sub) in zip(cols, parts[start:start + 2], strict=False):
                    col.plotly_chart(_compare_figure(sub, tuple(groups), tuple(col_names.items()), lang(), question,
                                                     False),
                                     config=PLOTLY, key=f"segments_cmp_{title}_{question}")
            with st.expander(tr("segments.table"), icon=":material/table:"):
                shown = view.formatted(table, groups).rename(
                    columns={"question": tr("segments.col_question"), "answer": tr("segments.col_answer"), **col_names})
                st.dataframe(shown, hide_index=True, width="stretch", key=f"segments_cmpt_{title}")
    st.subheader(tr("segments.gates_heading"), anchor=False)
    st.caption(tr("segments.gates_caption"))
    gcols = st.columns(len(chosen))
    for c, sid in zip(gcols, chosen, strict=True):
        with c:
            _gates_form(doc, sid, names[sid], an, ds, labels)


def _legend(groups: list[str], names: dict[str, str], colors: dict[str, str]) -> None:
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;gap:6px;margin-right:20px">'
        f'<span style="width:14px;height:14px;border-radius:2px;background:{colors[g]}"></span>'
        f'{html.escape(names[g])}</span>' for g in groups)
    st.html(f'<div style="font-size:14px;line-height:1.8">{items}</div>')


@st.cache_resource(show_spinner=False, max_entries=256)
def _compare_figure(table: pd.DataFrame, groups: tuple[str, ...], names: tuple[tuple[str, str], ...], lang_: str,
                    title: str, legend: bool):  # noqa: ANN202 - a shared, read-only figure
    return charts.compare_figure(table, groups, dict(names), lang_, title, legend)


_GATE_OPTIONS = ["yes", "no", "open"]


def _gates_form(doc: StpDocument, sid: str, name: str, an: view.Analysis, ds, labels: rules.Labels) -> None:  # noqa: ANN001
    seg = doc.segment(sid)
    prof = profiles.segment_profile(ds, an.masks[sid], [q for b in doc.explorer for q in b.questions], an.orders)
    hints = view.gate_hints(sid, an.measures, prof)
    with st.form(f"segments_gates_{sid}_{doc.revision}", border=True):
        st.markdown(f"**{name}**")
        keys = {}
        answers = {v: tr(f"segments.gate_{v}") for v in _GATE_OPTIONS}
        for g in GATES:
            gate = getattr(seg.gates, g)
            value = "yes" if gate.passed is True else "no" if gate.passed is False else "open"
            rk, nk = f"segments_gate_{sid}_{g}_{doc.revision}", f"segments_gnote_{sid}_{g}_{doc.revision}"
            keys[g] = (rk, nk)
            st.radio(tr(f"segments.gate_{g}"), _GATE_OPTIONS, index=_GATE_OPTIONS.index(value), key=rk,
                     horizontal=True, format_func=answers.get, help=tr(f"segments.gate_{g}_help"))
            hint = hints.get(g) or {}
            if "share" in hint:
                st.caption(tr("segments.hint_substantial", share=f"{hint['share']:.0%}"))
            elif "n" in hint:
                st.caption(tr("segments.hint_measurable", n=f"{hint['n']:,}"))
            elif "answers" in hint:
                st.caption(tr("segments.hint_differentiable", n=hint["answers"]))
            st.text_area(tr("segments.gate_note"), value=txt(gate.note), key=nk, max_chars=500, height=68,
                         label_visibility="collapsed", placeholder=tr("segments.gate_note"))
        st.form_submit_button(tr("segments.save_gates"), on_click=_save_gates, args=(doc, sid, keys),
                              icon=":material/save:")


def _save_gates(doc: StpDocument, sid: str, keys: dict[str, tuple[str, str]]) -> None:
    mapping = {"yes": True, "no": False, "open": None}
    gates = {g: (mapping[st.session_state.get(rk, "open")], st.session_state.get(nk, "")) for g, (rk, nk) in keys.items()}
    _save(doc, lambda d: edit.set_gates(d, sid, gates, lang()), f"Kotler gates of {sid}")


# --------------------------------------------------------------------------- targeting


def _targeting(doc: StpDocument, an: view.Analysis, names: dict[str, str]) -> None:
    st.subheader(tr("segments.targeting_heading"), anchor=False)
    st.caption(tr("segments.targeting_caption"))
    c1, c2 = st.columns(2)
    with c1:
        _weights_form(doc, "attractiveness")
    with c2:
        _weights_form(doc, "strength")

    st.markdown(f"##### {tr('segments.ratings_heading')}")
    st.caption(tr("segments.ratings_caption"))
    eff, data = view.rating_frames(doc, an)
    crits = doc.targeting.criteria()
    shown = eff.copy()
    shown.insert(0, "segment", [names[i] for i in shown.index])
    key = f"segments_ratings_{doc.revision}"
    st.data_editor(shown, key=key, hide_index=True, width="stretch", disabled=["segment"],
                   on_change=_ratings_changed, args=(doc, list(eff.index), list(eff.columns), key, an),
                   column_config={"segment": st.column_config.TextColumn(tr("segments.col_segment"), width="medium"),
                                  **{c.id: st.column_config.NumberColumn(
                                      txt(c.label)[:16], min_value=1, max_value=5, step=1, format="%d", width="small",
                                      help=txt(c.label) + (" · " + tr("segments.measured") if c.measure else ""))
                                     for c in crits}})
    if len(data.columns):
        with st.expander(tr("segments.data_ratings"), icon=":material/database:"):
            d = data.copy()
            d.insert(0, "segment", [names[i] for i in d.index])
            st.dataframe(d.rename(columns={c.id: txt(c.label) for c in crits}), hide_index=True, width="stretch",
                         key="segments_data_ratings")
            st.button(tr("segments.reset_data"), key="segments_reset", on_click=_reset, args=(doc,),
                      icon=":material/restart_alt:")
    left, right = st.columns([3, 2])
    targets = [s.id for s in doc.targets()]
    left.plotly_chart(charts.ge_figure(an.ge, names, lang(), highlight=targets), config=PLOTLY, key="segments_ge")
    with right:
        st.markdown(f"##### {tr('segments.targets_heading')}")
        st.multiselect(tr("segments.targets_pick"), [s.id for s in doc.segments], default=targets,
                       key=f"segments_targets_{doc.revision}", format_func=lambda i: names.get(i, i),
                       on_change=_targets_changed, args=(doc, f"segments_targets_{doc.revision}"))
        ge = an.ge.copy()
        ge["name"] = [names[s] for s in ge["segment"]]
        ge["zone"] = [tr(f"segments.zone_{z}") for z in ge["zone"]]
        ge["missing"] = [", ".join(m) for m in ge["missing"]]
        st.dataframe(ge[["name", "attractiveness", "strength", "zone", "n", "size", "missing"]]
                     .sort_values("attractiveness", ascending=False), hide_index=True, width="stretch",
                     key="segments_ge_table",
                     column_config={
                         "name": st.column_config.TextColumn(tr("segments.col_segment")),
                         "attractiveness": st.column_config.NumberColumn(tr("segments.col_attr"), format="%.2f"),
                         "strength": st.column_config.NumberColumn(tr("segments.col_strength"), format="%.2f"),
                         "zone": st.column_config.TextColumn(tr("segments.col_zone")),
                         "n": st.column_config.NumberColumn(tr("segments.col_n"), format="%d"),
                         "size": st.column_config.NumberColumn(tr("segments.col_share"), format="percent"),
                         "missing": st.column_config.TextColumn(tr("segments.col_missing"),
                                                                help=tr("segments.missing_help")),
                     })
        for code, sid in diagnostics(doc):
            st.warning(tr(f"segments.diag_{code}", segment=names.get(sid, sid)), icon=":material/rule:")


def _weights_form(doc: StpDocument, dim: str) -> None:
    crits = getattr(doc.targeting, dim)
    with st.form(f"segments_w_{dim}_{doc.revision}", border=True):
        st.markdown(f"##### {tr(f'segments.dim_{dim}')}")
        keys = {}
        for c in crits:
            k = f"segments_w_{dim}_{c.id}_{doc.revision}"
            keys[c.id] = k
            helptext = txt(c.note) if c.note else None
            label = txt(c.label) + (f" · {tr('segments.from_survey')}" if c.measure else "")
            st.number_input(label, min_value=0.0, max_value=1.0, step=0.05, value=float(c.weight), key=k,
                            format="%.2f", help=helptext)
        st.caption(tr("segments.weights_caption", total=f"{sum(c.weight for c in crits):.2f}"))
        st.checkbox(tr("segments.normalise"), value=True, key=f"segments_norm_{dim}_{doc.revision}")
        st.form_submit_button(tr("segments.save_weights"), on_click=_save_weights,
                              args=(doc, dim, keys, f"segments_norm_{dim}_{doc.revision}"), icon=":material/save:")


def _save_weights(doc: StpDocument, dim: str, keys: dict[str, str], norm_key: str) -> None:
    weights = {cid: float(st.session_state.get(k, 0.0)) for cid, k in keys.items()}
    if st.session_state.get(norm_key):
        try:
            weights = edit.normalised(weights)
        except edit.EditError as exc:
            st.session_state[ERROR] = tr("segments.edit_error", message=error_text(exc, lang(), "segments.err"))
            return
    _save(doc, lambda d: edit.set_weights(d, dim, weights), f"{dim} weights")


def _ratings_changed(doc: StpDocument, seg_ids: list[str], crit_ids: list[str], key: str, an: view.Analysis) -> None:
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    changes: dict[str, dict[str, int | None]] = {}
    for row, cols in edits.items():
        sid = seg_ids[int(row)]
        for cid, value in cols.items():
            if cid not in crit_ids:
                continue
            r = an.rated.get(sid, {}).get(cid)
            same_as_data = r is not None and r.data is not None and value == r.data
            changes.setdefault(sid, {})[cid] = None if value is None or same_as_data else int(value)
    if changes and not _save(doc, lambda d: edit.set_ratings(d, changes), "ratings " + ", ".join(sorted(changes))):
        _reset_editor(key)


def _reset(doc: StpDocument) -> None:
    _save(doc, edit.reset_measured, "ratings back to the data")


def _targets_changed(doc: StpDocument, key: str) -> None:
    chosen = list(st.session_state.get(key) or [])
    _save(doc, lambda d: edit.set_targets(d, chosen), "targets: " + ", ".join(chosen))


# --------------------------------------------------------------------------- positioning


def _positioning(doc: StpDocument, ds, an: view.Analysis, names: dict[str, str]) -> None:  # noqa: ANN001
    st.subheader(tr("segments.positioning_heading"), anchor=False)
    attrs = {a.id: txt(a.label) for a in doc.positioning.attributes}
    modes = {m: tr(f"segments.map_{m}_mode") for m in ("attributes", "pca")}
    mode = st.segmented_control(tr("segments.map_mode"), list(modes), default="attributes",
                                key="segments_map_mode", format_func=modes.get)
    left, right = st.columns([3, 2])
    with left:
        if mode == "pca":
            pca = positioning.pca_map(doc, ds, lang())
            if pca is None:
                st.info(tr("segments.pca_unavailable"), icon=":material/info:")
            else:
                fig = charts.perceptual_figure(
                    pca.points, tr("segments.pc", i=1, share=f"{pca.explained[0]:.0%}"),
                    tr("segments.pc", i=2, share=f"{pca.explained[1]:.0%}"), lang(), tr("segments.chart_pca"),
                    loadings=pca.loadings, fixed_range=False)
                st.plotly_chart(fig, config=PLOTLY, key="segments_pca")
                st.caption(tr("segments.pca_caption", n=f"{pca.n:,}"))
        else:
            ids = list(attrs)
            c1, c2 = st.columns(2)
            x = c1.selectbox(tr("segments.map_x"), ids, index=ids.index(doc.positioning.x or ids[0]),
                             format_func=attrs.get, key="segments_map_x")
            y = c2.selectbox(tr("segments.map_y"), ids, index=ids.index(doc.positioning.y or ids[1]),
                             format_func=attrs.get, key="segments_map_y")
            seen = st.toggle(tr("segments.map_seen_toggle"), key="segments_map_seen", help=tr("segments.map_seen_help"))
            pts = positioning.map_points(doc, ds, x, y, lang(), masks=an.masks if seen else None)
            st.plotly_chart(charts.perceptual_figure(pts, attrs[x], attrs[y], lang(),
                                                     tr("segments.chart_map", x=attrs[x], y=attrs[y])),
                            config=PLOTLY, key="segments_map")
    with right:
        st.markdown(f"##### {tr('segments.easy_mall_heading')}")
        em = positioning.easy_mall_scores(doc, ds)
        table = pd.DataFrame([{"attribute": attrs[a], "score": v, "source": tr(f"segments.score_{src}")}
                              for a, (v, src) in em.items()])
        st.dataframe(table, hide_index=True, width="stretch", key="segments_em_scores",
                     column_config={"attribute": st.column_config.TextColumn(tr("segments.col_attribute")),
                                    "score": st.column_config.NumberColumn(tr("segments.col_score"), format="%.2f"),
                                    "source": st.column_config.TextColumn(tr("segments.col_source"))})
        st.caption(tr("segments.easy_mall_caption"))
    with st.expander(tr("segments.edit_scores"), icon=":material/edit:"):
        _scores_editor(doc, attrs, names)
    st.divider()
    st.subheader(tr("segments.statements_heading"), anchor=False)
    st.caption(tr("segments.statements_caption"))
    targets = doc.targets()
    if not targets:
        st.info(tr("segments.no_targets"), icon=":material/info:")
    for seg in targets:
        _statement_form(doc, seg.id, names[seg.id])


def _scores_editor(doc: StpDocument, attrs: dict[str, str], names: dict[str, str]) -> None:
    st.markdown(f"##### {tr('segments.scores_heading')}")
    st.caption(tr("segments.scores_caption"))
    comp = pd.DataFrame([{"name": txt(c.name), **{a: c.scores.get(a) for a in attrs}}
                         for c in doc.positioning.competitors])
    key = f"segments_comp_{doc.revision}"
    cfg = {a: st.column_config.NumberColumn(label[:14], min_value=1.0, max_value=5.0, step=0.1, format="%.1f",
                                            help=label) for a, label in attrs.items()}
    st.data_editor(comp, key=key, hide_index=True, width="stretch", disabled=["name"],
                   column_config={"name": st.column_config.TextColumn(tr("segments.col_platform")), **cfg},
                   on_change=_scores_changed, args=(doc, key, [c.id for c in doc.positioning.competitors], "comp"))
    targets = doc.targets()
    if targets:
        st.markdown(f"##### {tr('segments.ideal_heading')}")
        ideal = pd.DataFrame([{"name": names[s.id], **{a: s.ideal.get(a) for a in attrs}} for s in targets])
        key2 = f"segments_ideal_{doc.revision}"
        st.data_editor(ideal, key=key2, hide_index=True, width="stretch", disabled=["name"],
                       column_config={"name": st.column_config.TextColumn(tr("segments.col_segment")), **cfg},
                       on_change=_scores_changed, args=(doc, key2, [s.id for s in targets], "ideal"))


def _scores_changed(doc: StpDocument, key: str, ids: list[str], which: str) -> None:
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    changes = {ids[int(r)]: {a: (None if v is None else float(v)) for a, v in cols.items() if a != "name"}
               for r, cols in edits.items()}
    if not changes:
        return
    if which == "comp":
        ok = _save(doc, lambda d: edit.set_scores(d, competitors=changes), "competitor scores")
    else:
        ok = _save(doc, lambda d: edit.set_scores(d, ideals=changes), "ideal points")
    if not ok:
        _reset_editor(key)


_PARTS = ("need", "frame", "benefit", "reason")


def _statement_form(doc: StpDocument, sid: str, name: str) -> None:
    seg = doc.segment(sid)
    with st.container(border=True, key=f"segments_stmt_{sid}"):
        st.markdown(f"**{name}**")
        if seg.statement is not None:
            st.markdown("> " + tr("segments.statement_sentence", segment=name,
                                  **{p: txt(getattr(seg.statement, p)) for p in _PARTS}))
        with st.form(f"segments_stmt_form_{sid}_{doc.revision}", border=False):
            cols = st.columns(4)
            keys = {}
            for c, p in zip(cols, _PARTS, strict=True):
                k = f"segments_stmt_{sid}_{p}_{doc.revision}"
                keys[p] = k
                c.text_area(tr(f"segments.part_{p}"), value=txt(getattr(seg.statement, p)) if seg.statement else "",
                            key=k, height=90, max_chars=400, placeholder=tr(f"segments.part_{p}_ph"))
            st.form_submit_button(tr("segments.save_statement"), on_click=_save_statement, args=(doc, sid, keys),
                                  icon=":material/save:")


def _save_statement(doc: StpDocument, sid: str, keys: dict[str, str]) -> None:
    parts = {p: st.session_state.get(k, "") for p, k in keys.items()}
    _save(doc, lambda d: edit.set_statement(d, sid, lang(), parts), f"positioning statement of {sid}")


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

"""Segments page: segmentation, explorer, targeting and positioning (STP) over the active survey.

Reads like its UI: every table, figure and default comes from :mod:`easymall.stp.view`, every chart
from :mod:`easymall.charts.segments`, every edit is a pure function of :mod:`easymall.stp.edit` saved
by the callbacks of :mod:`easymall.ui.segments` (merge on conflict, no silent overwrite).
"""
from __future__ import annotations

import streamlit as st

from easymall.charts import segments as charts
from easymall.stp import view
from easymall.ui import drafts, live
from easymall.ui import segments as ui
from easymall.ui.context import lang, literal, tr, tr_literal, txt
from easymall.ui.survey import active_survey, filter_summary, survey_doc, survey_filters

PLOTLY = ui.PLOTLY


def render() -> None:
    doc = live.document(ui.DOC)
    live.follow(ui.DOC)
    drafts.restore(ui.DOC)  # what this person typed before a reload, back in its editor, with a note
    live.messages(ui.DOC)
    st.title(tr("segments.title"), anchor=False)
    st.caption(tr("segments.subtitle"))
    if not view.is_document(doc):
        st.error(tr("segments.no_document"), icon=":material/error:")
        return
    if live.conflict_panel(ui.DOC, describe=view.item_rows):
        return
    error = ui.pop_error()
    if error:
        st.error(literal(error), icon=":material/error:")
    live.author_gate()  # edits are attributed: open mode asks for a name once
    loaded = active_survey()
    ds = loaded.dataset if loaded is not None else None
    sdoc = survey_doc()
    mask = survey_filters(loaded) if loaded is not None else None
    an = view.analyse(doc, ds, sdoc)
    labels = view.Labels(ds, sdoc, lang())
    names = view.names(doc, lang())
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
    else:
        st.caption(literal(view.dataset_caption(ds, lang())))
    for message in view.rule_errors(an, lang()):
        st.warning(literal(message), icon=":material/warning:")

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


# --------------------------------------------------------------------------- segmentation


def _segmentation(doc, ds, an, labels, sha: str) -> None:  # noqa: ANN001
    st.subheader(tr("segments.segments_heading"), anchor=False)
    st.caption(tr("segments.segments_caption"))
    with st.container(horizontal=True, key="cards_segments"):  # three a row, each one bordered Markdown element
        for r in view.segment_rows(doc, an, labels, ds).to_dict("records"):
            st.markdown(ui.card_markdown(r))
    if doc.segments and ui.may_edit():  # lazy: an editor's widgets are built only while it is open
        manage = st.expander(tr("segments.manage"), icon=":material/edit:", key=ui.MANAGE_OPEN, on_change="rerun")
        if manage.open:
            with manage:
                ui.manage_segments(doc)
    if ds is not None and ui.may_edit():
        builder = st.expander(tr("segments.rb_heading"), icon=":material/add_circle:", key=ui.BUILDER_OPEN,
                              on_change="rerun")
        if builder.open:
            with builder:
                ui.rule_builder(doc, ds, labels, an.orders)
    st.divider()
    st.subheader(tr("segments.clustering_heading"), anchor=False)
    st.caption(tr("segments.clustering_caption"))
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
        return
    _cluster_form(doc, ds, labels, sha)
    state = ui.clustering_state(sha)
    if state is not None:
        _cluster_results(doc, state, labels)


def _cluster_form(doc, ds, labels, sha: str) -> None:  # noqa: ANN001
    ids, titles = view.variable_options(doc, ds, labels)
    ks = view.k_choices(doc, lang())
    with st.form("segments_cluster_form", border=True):
        c1, c2, c3 = st.columns([5, 2, 1], vertical_alignment="bottom")
        c1.multiselect(tr("segments.variables"), ids, default=view.default_variables(doc, ids), key="segments_vars",
                       format_func=lambda q: titles.get(q, q), help=tr("segments.variables_help"), placeholder=tr("widget.choose"))
        c2.selectbox(tr("segments.k"), list(ks), key="segments_k", format_func=ks.get, help=tr("segments.k_help"))
        c3.number_input(tr("segments.seed"), min_value=0, max_value=2**31 - 1, value=doc.clustering.seed,
                        step=1, key="segments_seed", help=tr("segments.seed_help"))
        submitted = st.form_submit_button(tr("segments.run"), type="primary", icon=":material/hub:")
    if submitted:
        ui.run_clustering(doc, ds, labels.doc, sha)


def _cluster_results(doc, state: dict, labels) -> None:  # noqa: ANN001
    run, profs, suggested, serial = state["run"], state["profiles"], state["names"], state["serial"]
    names = [st.session_state.get(f"segments_cname_{serial}_{p.index}", suggested[p.index][lang()]) for p in profs]
    c1, c2 = st.columns(2)
    c1.plotly_chart(ui.cached(state, ("sil", lang()), lambda: charts.silhouette_figure(run.silhouette, run.k, lang())),
                    config=PLOTLY, key="segments_sil")
    c2.plotly_chart(ui.cached(state, ("sizes", lang(), tuple(names)),
                              lambda: charts.sizes_figure(names, list(run.sizes), lang())),
                    config=PLOTLY, key="segments_sizes")
    st.caption(literal(view.run_caption(run, lang())))
    if weak := view.weak_structure_text(run, lang()):
        st.warning(literal(weak), icon=":material/scatter_plot:")
    for p in profs:
        with st.container(border=True, key=f"segments_cluster_{p.index}"):
            st.markdown(f"#### {view.cluster_title(p, lang())}")
            c1, c2 = st.columns([3, 2])
            key = f"segments_cname_{serial}_{p.index}"
            c1.text_input(tr("segments.cluster_name"), value=suggested[p.index][lang()], key=key, max_chars=120,
                          help=tr("segments.cluster_name_help"))
            top = ui.cached(state, ("top", lang(), p.index),
                            lambda p=p: view.answer_rows(view.distinguishing(p), labels))
            c1.dataframe(top[["answer", "value", "overall", "lift", "p"]], hide_index=True, width="stretch",
                         key=f"segments_prof_{serial}_{p.index}", column_config=ui.profile_columns())
            c1.caption(tr("segments.profile_caption"))
            if ui.may_edit():
                c1.button(tr("segments.save_cluster"), key=f"segments_save_{serial}_{p.index}", type="primary",
                          icon=":material/bookmark_add:", on_click=ui.save_cluster,
                          args=(doc, run, p.index, suggested[p.index], key))
            fig = ui.cached(state, ("profile", lang(), p.index, names[p.index]), lambda p=p: charts.profile_figure(
                view.answer_rows(view.distinguishing(p, top=10), labels), lang(),
                tr("segments.chart_profile", name=names[p.index])))
            c2.plotly_chart(fig, config=PLOTLY, key=f"segments_pfig_{serial}_{p.index}")


# --------------------------------------------------------------------------- explorer


def _explorer(doc, ds, an, labels, names: dict[str, str], mask, loaded) -> None:  # noqa: ANN001
    st.subheader(tr("segments.explorer_heading"), anchor=False)
    if ds is None:
        st.info(tr("segments.no_dataset"), icon=":material/info:")
        return
    options, default = view.compare_choices(doc, an)
    chosen = st.multiselect(tr("segments.compare_pick"), options, default=default, max_selections=view.MAX_COMPARED,
                            format_func=lambda i: names.get(i, i), key="segments_compare", placeholder=tr("widget.choose"))
    st.caption(literal(view.filters_caption(ds, mask, filter_summary(loaded) if loaded is not None else "", lang())))
    if len(chosen) < 2:
        st.info(tr("segments.compare_need_two"), icon=":material/info:")
        return
    groups = [*chosen, "__all__"]
    col_names = {**{g: names.get(g, g) for g in chosen}, "__all__": tr("segments.everyone")}
    tables = view.compare(doc, ds, an.masks, chosen, labels, an.orders, filter_mask=mask)
    sizes = view.group_sizes(tables, groups, lang())
    for c, g in zip(st.columns(len(groups)), groups, strict=True):
        c.metric(literal(col_names[g]), sizes[g], help=tr("segments.metric_help"), border=True)
    colors = charts.series_colors(groups)
    for title, table in tables:
        with st.container(border=True):
            st.markdown(f"##### {literal(title)}")
            ui.legend(groups, col_names, colors)
            parts = view.split_questions(table)
            for start in range(0, len(parts), 2):
                for col, (question, sub) in zip(st.columns(2), parts[start:start + 2], strict=False):
                    col.plotly_chart(ui.compare_figure(sub, tuple(groups), tuple(col_names.items()), lang(), question,
                                                       False), config=PLOTLY, key=f"segments_cmp_{title}_{question}")
            with st.expander(tr("segments.table"), icon=":material/table:"):
                shown = view.formatted(table, groups, lang()).rename(
                    columns={"question": tr("segments.col_question"), "answer": tr("segments.col_answer"), **col_names})
                st.dataframe(shown, hide_index=True, width="stretch", key=f"segments_cmpt_{title}")
    if not ui.may_edit():  # the gates are a form: a viewer sees the comparison above
        return
    st.subheader(tr("segments.gates_heading"), anchor=False)
    st.caption(tr("segments.gates_caption"))
    for c, sid in zip(st.columns(len(chosen)), chosen, strict=True):
        with c:
            ui.gates_form(doc, sid, names[sid], an, ds)


# --------------------------------------------------------------------------- targeting


def _targeting(doc, an, names: dict[str, str]) -> None:  # noqa: ANN001
    st.subheader(tr("segments.targeting_heading"), anchor=False)
    st.caption(tr("segments.targeting_caption"))
    for col, dim in zip(st.columns(2), ("attractiveness", "strength"), strict=True):
        with col:
            ui.weights_form(doc, dim)
    st.markdown(f"##### {tr('segments.ratings_heading')}")
    st.caption(tr("segments.ratings_caption"))
    eff, data = view.rating_frames(doc, an, lang())
    key = f"segments_ratings_{doc.revision}"
    st.data_editor(view.with_names(eff, names), key=key, hide_index=True, width="stretch",
                   disabled=["segment"] if ui.may_edit() else True,
                   on_change=ui.ratings_changed, args=(doc, list(eff.index), list(eff.columns), key, an),
                   column_config=ui.ratings_columns(doc))
    for note in view.flat_criteria_text(doc, an.rated, lang()):
        st.info(literal(note), icon=":material/drag_handle:")
    if len(data.columns):
        with st.expander(tr("segments.data_ratings"), icon=":material/database:"):
            st.dataframe(view.with_names(data, names).rename(
                columns={c.id: txt(c.label) for c in doc.targeting.criteria()}), hide_index=True, width="stretch",
                key="segments_data_ratings")
            if ui.may_edit():
                st.button(tr("segments.reset_data"), key="segments_reset", on_click=ui.reset_measured, args=(doc,),
                          icon=":material/restart_alt:")
    left, right = st.columns([3, 2])
    targets = [s.id for s in doc.targets()]
    left.plotly_chart(charts.ge_figure(an.ge, names, lang(), highlight=targets), config=PLOTLY, key="segments_ge")
    with right:
        st.markdown(f"##### {tr('segments.targets_heading')}")
        key = f"segments_targets_{doc.revision}"
        st.multiselect(tr("segments.targets_pick"), list(names), default=targets, key=key,
                       format_func=lambda i: names.get(i, i), on_change=ui.targets_changed, args=(doc, key),
                       disabled=not ui.may_edit(), placeholder=tr("widget.choose"))
        st.dataframe(view.ge_rows(an, names, lang(), view.criterion_labels(doc, lang())), hide_index=True, width="stretch", key="segments_ge_table",
                     column_config=ui.ge_columns())
        for code, sid in view.diagnostics(doc):
            st.warning(tr_literal(f"segments.diag_{code}", segment=names.get(sid, sid)), icon=":material/rule:")


# --------------------------------------------------------------------------- positioning


def _positioning(doc, ds, an, names: dict[str, str]) -> None:  # noqa: ANN001
    st.subheader(tr("segments.positioning_heading"), anchor=False)
    attrs = view.attribute_labels(doc, lang())
    modes = {m: tr(f"segments.map_{m}_mode") for m in ("attributes", "pca")}
    mode = st.segmented_control(tr("segments.map_mode"), list(modes), default="attributes",
                                key="segments_map_mode", format_func=modes.get)
    left, right = st.columns([3, 2])
    with left:
        if mode == "pca":
            pca = view.pca_map(doc, ds, lang())
            if pca is None:
                st.info(tr("segments.pca_unavailable"), icon=":material/info:")
            else:
                x_title, y_title = view.pc_titles(pca, lang())
                st.plotly_chart(charts.perceptual_figure(pca.points, x_title, y_title, lang(), tr("segments.chart_pca"),
                                                         loadings=pca.loadings, fixed_range=False),
                                config=PLOTLY, key="segments_pca")
                st.caption(tr("segments.pca_caption", n=view.format_value(pca.n, "count", lang())))
        else:
            ids, (xi, yi) = list(attrs), view.map_axes(doc)
            c1, c2 = st.columns(2)
            x = c1.selectbox(tr("segments.map_x"), ids, index=xi, format_func=attrs.get, key="segments_map_x")
            y = c2.selectbox(tr("segments.map_y"), ids, index=yi, format_func=attrs.get, key="segments_map_y")
            seen = st.toggle(tr("segments.map_seen_toggle"), key="segments_map_seen", help=tr("segments.map_seen_help"))
            pts = view.map_points(doc, ds, x, y, lang(), masks=an.masks if seen else None)
            st.plotly_chart(charts.perceptual_figure(pts, attrs[x], attrs[y], lang(),
                                                     tr("segments.chart_map", x=attrs[x], y=attrs[y])),
                            config=PLOTLY, key="segments_map")
    with right:
        st.markdown(f"##### {tr('segments.easy_mall_heading')}")
        st.dataframe(view.easy_mall_rows(doc, ds, lang()), hide_index=True, width="stretch", key="segments_em_scores",
                     column_config=ui.easy_mall_columns())
        st.caption(tr("segments.easy_mall_caption"))
    if ui.may_edit():
        with st.expander(tr("segments.edit_scores"), icon=":material/edit:"):
            ui.scores_editor(doc, attrs)
    st.divider()
    st.subheader(tr("segments.statements_heading"), anchor=False)
    st.caption(tr("segments.statements_caption"))
    if not doc.targets():
        st.info(tr("segments.no_targets"), icon=":material/info:")
    for seg in doc.targets():
        ui.statement_form(doc, seg.id, names[seg.id])


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

"""Survey lab: import a questionnaire export, check its quality, explore it, measure the four problems."""
from __future__ import annotations

from functools import partial

import streamlit as st

from easymall.charts import survey as charts
from easymall.survey import view
from easymall.ui.access import rights
from easymall.ui.context import author, lang, literal, tr, tr_literal, workspace
from easymall.ui.survey import (
    activation_confirm,
    active_survey,
    ask_activation,
    chart_config,
    filter_summary,
    import_once,
    import_outcome,
    import_settings,
    metrics,
    progress_table,
    results_grid,
    survey_doc,
    survey_filters,
    weight_picker,
)


def render() -> None:
    st.title(tr("survey.title"))
    loaded = active_survey()
    doc = survey_doc()
    if loaded is None:
        problem = view.active_problem(workspace(), lang())
        if problem:
            st.error(problem, icon=":material/error:")
        else:
            st.info(tr("survey.no_dataset"), icon=":material/info:")
        _data_view(None, None, doc)
        return
    mask = survey_filters(loaded)
    with st.sidebar:
        weights = weight_picker(loaded)
    kept = int(mask.sum())
    st.caption(literal(view.caption(loaded, kept, lang())))
    summary = filter_summary(loaded)
    if summary:
        st.caption(tr_literal("survey.filters_in_force", filters=summary))
    if "survey_view" not in st.session_state:
        st.session_state["survey_view"] = view.DEFAULT_VIEW
    shown = st.segmented_control(tr("survey.view"), view.VIEWS, key="survey_view", label_visibility="collapsed",
                                 format_func={v: tr(f"survey.view_{v}") for v in view.VIEWS}.get,
                                 selection_mode="single") or view.DEFAULT_VIEW
    if kept == 0 and shown in view.NEEDS_ROWS:
        st.warning(tr("survey.no_rows"), icon=":material/filter_alt_off:")
        return
    if shown == "results":
        _results(loaded, mask, weights, doc)
    elif shown == "kpis":
        _kpis(loaded, mask, weights, doc)
    elif shown == "crosstab":
        _crosstab(loaded, mask, weights, doc)
    elif shown == "quality":
        _quality(loaded, doc)
    else:
        _data_view(loaded, mask, doc)


# --------------------------------------------------------------------------- results


def _results(loaded, mask, weights, doc) -> None:  # noqa: ANN001
    charted = view.charted_questions(loaded.dataset)
    page = 1
    if len(charted) > view.CHARTS_PER_PAGE:
        page = st.number_input(tr("survey.results_page", per=view.CHARTS_PER_PAGE), min_value=1,
                               max_value=view.page_count(len(charted)), key="survey_results_page")
    results_grid(loaded, mask, weights, doc, page)  # built once per data state and page, shared by sessions


# --------------------------------------------------------------------------- KPIs


def _kpis(loaded, mask, weights, doc) -> None:  # noqa: ANN001
    ds = loaded.dataset
    values = view.compute_kpis(ds, doc, mask=mask, weights=weights)
    st.subheader(tr("survey.kpis_title"))
    st.caption(tr("survey.kpis_caption"))
    for warning in view.kpi_warnings(doc, lang()):
        st.warning(literal(warning), icon=":material/warning:")
    if not values:
        st.info(tr("survey.kpis_none"), icon=":material/info:")
        return
    for row in view.kpi_cards(values, lang()):
        for col, card in zip(st.columns(view.KPIS_PER_ROW), row, strict=False):
            box = col.container(border=True)
            metrics([card.metric], [box])
            box.caption(card.caption)
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.plotly_chart(charts.funnel(values, lang()), key="survey_funnel", config=chart_config("funnel"))
    with right, st.container(border=True):
        st.markdown(f"**{tr('survey.non_use_title')}**")
        progress_table(view.non_use_table(ds, doc, mask, weights, lang()))
        st.markdown(f"**{tr('survey.sat_title')}**")
        progress_table(view.satisfaction_table(ds, doc, mask, weights, lang()))


# --------------------------------------------------------------------------- crosstab


def _crosstab(loaded, mask, weights, doc) -> None:  # noqa: ANN001
    ds = loaded.dataset
    titles = view.crosstab_choices(ds, doc, lang())
    if len(titles) < 2:
        st.info(tr("survey.crosstab_none"), icon=":material/info:")
        return
    ids = list(titles)
    default_row, default_col = view.default_crosstab(ids)
    c1, c2, c3 = st.columns([2, 2, 1.4])
    row = c1.selectbox(tr("survey.crosstab_rows"), ids, index=ids.index(default_row), key="survey_ct_rows",
                       format_func=titles.get)
    col = c2.selectbox(tr("survey.crosstab_cols"), ids, index=ids.index(default_col), key="survey_ct_cols",
                       format_func=titles.get)
    show = c3.radio(tr("survey.crosstab_show"), view.CT_SHOW, key="survey_ct_show",
                    format_func={s: tr(f"survey.crosstab_{s}") for s in view.CT_SHOW}.get, horizontal=True)
    if row == col:
        st.warning(tr("survey.crosstab_same"), icon=":material/warning:")
        return
    ct = view.crosstab(ds, row, col, mask, weights)
    metrics(view.crosstab_metrics(ct, lang()))
    if ct.multi_response:
        st.caption(":material/info: " + tr("survey.crosstab_multi"))
    warning = view.low_expected_warning(ct, lang())
    if warning:
        st.warning(literal(warning), icon=":material/warning:")
    with st.container(border=True):
        st.plotly_chart(charts.crosstab_heatmap(ct, lang(), doc, show), key="survey_ct_chart",
                        config=chart_config(f"crosstab_{row}_{col}"))
        st.caption(tr("survey.crosstab_legend"))


# --------------------------------------------------------------------------- quality


def _quality(loaded, doc) -> None:  # noqa: ANN001
    flags = loaded.flags
    st.subheader(tr("survey.quality_title"))
    st.caption(tr("survey.quality_caption"))
    metrics(view.flag_metrics(flags, doc, lang()))
    seconds = view.duration_seconds(loaded.dataset)
    if seconds is not None:
        st.plotly_chart(charts.durations(seconds, flags.speeder_limit_s, flags.median_duration_s, lang()),
                        key="survey_durations")
    for key in flags.counts():
        rows = flags.rows(key)
        if rows:
            with st.expander(tr("survey.flag_rows", flag=tr(f"survey.flag_{key}"), n=len(rows))):
                st.write(view.flag_rows_text(rows))
    st.info(tr("survey.quality_exclude_hint"), icon=":material/filter_alt:")


# --------------------------------------------------------------------------- data: upload, report, list


def _data_view(loaded, mask, doc) -> None:  # noqa: ANN001
    ws = workspace()
    if rights().upload:
        st.subheader(tr("survey.upload_title"))
        up = st.file_uploader(tr("survey.upload_label"), type=view.UPLOAD_TYPES, key="survey_upload",
                              help=tr("survey.upload_help", mb=doc.max_upload_mb), max_upload_size=doc.max_upload_mb,
                              accept_multiple_files=True)  # several dropped in a row: each is imported or refused
        import_once(up, "survey_upload_done", partial(view.import_upload, ws, doc=doc, author=author(), lang=lang()))
    import_outcome()
    items = view.list_datasets(ws)  # every stored report, read once per run for the join and the list
    if loaded is not None:
        st.subheader(tr_literal("survey.report_title", name=loaded.dataset.name))
        _report(loaded.report)
        import_settings(loaded, doc)
        _twin(ws, items, loaded, doc)
        st.markdown(f"**{tr('survey.download_title')}**")
        c1, c2, _ = st.columns([1, 1, 3])
        stem = view.download_stem(loaded.dataset)
        c1.download_button(tr("survey.download_csv"), data=partial(view.export_table, loaded.dataset, mask, "csv"),
                           file_name=f"{stem}.csv", mime="text/csv", key="survey_dl_csv", icon=":material/download:",
                           on_click="ignore")
        c2.download_button(tr("survey.download_xlsx"), data=partial(view.export_table, loaded.dataset, mask, "xlsx"),
                           file_name=f"{stem}.xlsx", mime=view.XLSX_MIME, key="survey_dl_xlsx",
                           icon=":material/download:", on_click="ignore")
        st.caption(view.download_caption(mask, lang()))
    _dataset_list(ws, items)


def _twin(ws, items, loaded, doc) -> None:  # noqa: ANN001
    """A Wenjuanxing export can be joined with its other download mode (by text / by number) on 序号."""
    active = view.active_item(items)
    if active is not None and active.twin:
        st.caption(":material/join_inner: " + tr_literal("survey.twin_joined", twin=active.twin))
    mode = view.twin_mode(loaded, items)
    if mode is None or not rights().upload:
        return
    with st.expander(tr("survey.twin_title"), icon=":material/join_inner:"):
        up = st.file_uploader(tr(f"survey.twin_label_{mode}"), type=view.TWIN_TYPES,
                              key=f"survey_twin_{active.name}", max_upload_size=doc.max_upload_mb)
        # its own "done" marker: a file still sitting in the main uploader must not be imported again
        import_once(up, "survey_twin_done", partial(view.import_twin, ws, active, doc=doc, lang=lang(), author=author()))


def _report(report) -> None:  # noqa: ANN001
    st.caption(":material/travel_explore: " + view.platform_line(report, lang()))
    metrics(view.report_metrics(report, lang()))
    q_rows = view.question_rows(report, lang())
    st.dataframe(q_rows, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(q_rows)))
    st.caption(view.quality_caption(report.quality, lang()))
    if report.issues:
        st.warning(tr("survey.report_issues", n=len(report.issues)), icon=":material/warning:")
        st.dataframe(view.issue_rows(report, lang()), hide_index=True, width="stretch")
        more = view.issues_more(report, lang())
        if more:
            st.caption(more)
    else:
        st.caption(":material/check: " + tr("survey.report_no_issues"))


def _confirm_remove(name: str, original: str) -> None:
    @st.dialog(tr("survey.remove_title"))
    def confirm() -> None:
        st.write(tr_literal("survey.remove_confirm", name=original))
        c1, c2 = st.columns(2)
        if c1.button(tr("survey.remove_yes"), type="primary", key="survey_remove_yes"):
            if view.remove_dataset(workspace(), name, author()):
                import_outcome(clear=True)
            st.rerun()
        if c2.button(tr("survey.remove_no"), key="survey_remove_no"):
            st.rerun()

    confirm()


def _dataset_list(ws, items) -> None:  # noqa: ANN001
    st.subheader(tr("survey.datasets_title"))
    if not items:
        st.caption(tr("survey.datasets_none"))
        return
    for d in items:
        with st.container(border=True):
            c = st.columns([4, 2, 2, 1.3, 1.3])
            c[0].markdown(f"**{literal(d.original_name)}**" + (f"  \n:red-badge[{tr('survey.active')}]" if d.active else ""))
            c[0].caption(view.dataset_caption(d, lang()))
            if d.twin:
                c[0].caption(":material/join_inner: " + tr_literal("survey.twin_with", twin=d.twin))
            c[1].caption(literal(view.uploaded_caption(d, lang())))
            c[2].caption(view.quality_caption(d.report.quality, lang()))
            may = rights()
            if d.active and view.active_caption(ws, lang()):
                c[1].caption(literal(view.active_caption(ws, lang())))
            if may.activate and not d.active:  # a separate, confirmed and attributed step (the upload only stores it)
                c[3].button(tr("survey.make_active"), key=f"survey_activate_{d.name}", on_click=ask_activation,
                            args=(d.name,))
                activation_confirm(ws, d)
            if may.activate and d.active and c[3].button(tr("survey.deactivate"), key=f"survey_deactivate_{d.name}"):
                view.deactivate(ws, author())
                st.rerun()
            if may.delete and c[4].button(tr("survey.remove"), key=f"survey_remove_{d.name}", icon=":material/delete:"):
                _confirm_remove(d.name, d.original_name)
            if not d.active:  # the active one's report is shown in full above
                with st.expander(tr("survey.dataset_report")):
                    _report(d.report)


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

"""Survey lab: import a questionnaire export, check its quality, explore it, measure the four problems."""
from __future__ import annotations

import math
from functools import partial

import streamlit as st

from easymall.charts import survey as charts
from easymall.charts.export import figure_png
from easymall.core.i18n import error_text
from easymall.models.survey import diagnostics
from easymall.survey import analysis, datasets, kpis
from easymall.survey.errors import SurveyImportError
from easymall.survey.report import ImportReport
from easymall.ui.context import author, lang, tr, workspace
from easymall.ui.survey import active_survey, filter_summary, survey_doc, survey_filters, weight_picker
from easymall.ui.widgets import format_kpi

VIEWS = ["results", "kpis", "crosstab", "quality", "data"]
KPI_ORDER = list(kpis.KPI_IDS)


def render() -> None:
    st.title(tr("survey.title"))
    loaded = active_survey()
    doc = survey_doc()
    if loaded is None:
        st.info(tr("survey.no_dataset"), icon=":material/info:")
        _data_view(None, None, doc)
        return
    mask = survey_filters(loaded)
    with st.sidebar:
        weights = weight_picker(loaded)
    kept = int(mask.sum())
    st.caption(tr("survey.caption", name=loaded.dataset.name, n=f"{loaded.dataset.n:,}", kept=f"{kept:,}"))
    summary = filter_summary(loaded)
    if summary:
        st.caption(tr("survey.filters_in_force", filters=summary))
    if "survey_view" not in st.session_state:
        st.session_state["survey_view"] = "results"
    view = st.segmented_control(tr("survey.view"), VIEWS, key="survey_view", label_visibility="collapsed",
                                format_func={v: tr(f"survey.view_{v}") for v in VIEWS}.get,
                                selection_mode="single") or "results"
    if kept == 0 and view in ("results", "kpis", "crosstab"):
        st.warning(tr("survey.no_rows"), icon=":material/filter_alt_off:")
        return
    if view == "results":
        _results(loaded, mask, weights, doc)
    elif view == "kpis":
        _kpis(loaded, mask, weights, doc)
    elif view == "crosstab":
        _crosstab(loaded, mask, weights, doc)
    elif view == "quality":
        _quality(loaded)
    else:
        _data_view(loaded, mask, doc)


# --------------------------------------------------------------------------- results


def _png_button(fig, name: str, key: str) -> None:
    st.download_button(tr("survey.download_png"), data=partial(figure_png, fig, 1400), file_name=f"{name}.png",
                       mime="image/png", key=key, icon=":material/image:", type="tertiary", on_click="ignore")


def _results(loaded, mask, weights, doc) -> None:
    ds = loaded.dataset
    weighted = weights is not None
    charted = [q for q in ds.questions if q.type != "text"]
    texts = [q for q in ds.questions if q.type == "text"]
    cols = st.columns(2, gap="medium")
    for i, q in enumerate(charted):
        s = analysis.summarize(ds, q.id, mask, weights)
        fig = charts.question_figure(s, lang(), doc, weighted)
        with cols[i % 2], st.container(border=True):
            st.plotly_chart(fig, key=f"survey_chart_{q.id}", config={"displaylogo": False})
            _png_button(fig, f"{q.id}", f"survey_png_{q.id}")
    for q in texts:
        s = analysis.summarize(ds, q.id, mask, weights)
        with st.expander(tr("survey.text_answers", id=q.id, title=doc.question_title(q.id, lang(), q.title),
                            n=f"{s.n:,}")):
            st.dataframe({tr("survey.col_answer"): s.texts}, hide_index=True, width="stretch")


# --------------------------------------------------------------------------- KPIs


def _kpis(loaded, mask, weights, doc) -> None:
    ds = loaded.dataset
    values = kpis.compute_kpis(ds, doc, mask=mask, weights=weights)
    st.subheader(tr("survey.kpis_title"))
    st.caption(tr("survey.kpis_caption"))
    for code, where in diagnostics(doc):
        st.warning(tr(f"survey.diag_{code}", where=where), icon=":material/warning:")
    if not values:
        st.info(tr("survey.kpis_none"), icon=":material/info:")
        return
    shown = [k for k in KPI_ORDER if k in values]
    for start in range(0, len(shown), 5):
        row = shown[start:start + 5]
        for col, kid in zip(st.columns(5), row, strict=False):
            k = values[kid]
            with col, st.container(border=True):
                st.metric(tr(f"kpi.{kid}"), format_kpi(kid, k.value, k.unit), help=tr(f"survey.kpi_help_{kid}"))
                st.caption(tr("survey.kpi_ci", n=f"{k.n:,}", low=format_kpi(kid, k.low, k.unit),
                              high=format_kpi(kid, k.high, k.unit)))
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        fig = charts.funnel(values, lang())
        st.plotly_chart(fig, key="survey_funnel")
        _png_button(fig, "funnel", "survey_png_funnel")
    with right, st.container(border=True):
        st.markdown(f"**{tr('survey.non_use_title')}**")
        reasons = kpis.non_use_reasons(ds, doc, mask=mask, weights=weights)
        qid = doc.roles.non_use_reasons or ""
        st.dataframe([{tr("survey.col_reason"): doc.option_text(qid, r, lang()), tr("survey.col_share"): k.value,
                       "n": k.n} for r, k in reasons],
                     column_config={tr("survey.col_share"): st.column_config.ProgressColumn(
                         format="percent", min_value=0.0, max_value=1.0)}, hide_index=True, width="stretch")
        st.markdown(f"**{tr('survey.sat_title')}**")
        sat = kpis.satisfaction_by_attribute(ds, doc, mask=mask, weights=weights)
        sq = doc.roles.satisfaction or ""
        st.dataframe([{tr("survey.col_attribute"): doc.option_text(sq, r, lang()), tr("survey.col_mean"): k.value,
                       tr("survey.col_ci"): f"{k.low:.2f}–{k.high:.2f}", "n": k.n} for r, k in sat],
                     column_config={tr("survey.col_mean"): st.column_config.ProgressColumn(
                         format="%.2f", min_value=1.0, max_value=5.0)}, hide_index=True, width="stretch")


# --------------------------------------------------------------------------- crosstab


def _crosstab(loaded, mask, weights, doc) -> None:
    ds = loaded.dataset
    qs = analysis.crosstab_questions(ds)
    if len(qs) < 2:
        st.info(tr("survey.crosstab_none"), icon=":material/info:")
        return
    ids = [q.id for q in qs]
    title = {q.id: f"{q.id} · {doc.question_title(q.id, lang(), q.title)}" for q in qs}
    c1, c2, c3 = st.columns([2, 2, 1.4])
    default_r = "Q2" if "Q2" in ids else ids[0]
    default_c = "Q8" if "Q8" in ids else ids[1]
    row = c1.selectbox(tr("survey.crosstab_rows"), ids, index=ids.index(default_r), key="survey_ct_rows",
                       format_func=title.get)
    col = c2.selectbox(tr("survey.crosstab_cols"), ids, index=ids.index(default_c), key="survey_ct_cols",
                       format_func=title.get)
    show = c3.radio(tr("survey.crosstab_show"), ["row_pct", "col_pct", "counts"], key="survey_ct_show",
                    format_func={s: tr(f"survey.crosstab_{s}") for s in ("row_pct", "col_pct", "counts")}.get,
                    horizontal=True)
    if row == col:
        st.warning(tr("survey.crosstab_same"), icon=":material/warning:")
        return
    ct = analysis.crosstab(ds, row, col, mask, weights)
    m = st.columns(4)
    m[0].metric(tr("survey.crosstab_n"), f"{ct.n:,}")
    m[1].metric(tr("survey.crosstab_p"), "—" if math.isnan(ct.p_value) else
                ("< 0.001" if ct.p_value < 0.001 else f"{ct.p_value:.3f}"),
                help=tr("survey.crosstab_p_help", chi2="—" if math.isnan(ct.chi2) else f"{ct.chi2:.1f}", dof=ct.dof))
    m[2].metric(tr("survey.crosstab_v"), "—" if math.isnan(ct.cramers_v) else f"{ct.cramers_v:.2f}",
                help=tr("survey.crosstab_v_help"))
    verdict = ("survey.crosstab_sig" if not math.isnan(ct.p_value) and ct.p_value < 0.05 else "survey.crosstab_not_sig")
    m[3].metric(tr("survey.crosstab_verdict"), tr(verdict))
    if ct.multi_response:
        st.caption(":material/info: " + tr("survey.crosstab_multi"))
    if ct.low_expected_share > 0.2:
        st.warning(tr("survey.crosstab_low_expected", share=f"{ct.low_expected_share:.0%}"), icon=":material/warning:")
    fig = charts.crosstab_heatmap(ct, lang(), doc, show)
    with st.container(border=True):
        st.plotly_chart(fig, key="survey_ct_chart")
        st.caption(tr("survey.crosstab_legend"))
        _png_button(fig, f"crosstab_{row}_{col}", "survey_png_ct")


# --------------------------------------------------------------------------- quality


def _quality(loaded) -> None:
    flags = loaded.flags
    counts = flags.counts()
    st.subheader(tr("survey.quality_title"))
    st.caption(tr("survey.quality_caption"))
    cols = st.columns(4)
    for col, key in zip(cols, counts, strict=True):
        col.metric(tr(f"survey.flag_{key}"), f"{counts[key]:,}",
                   help=tr(f"survey.flag_help_{key}", ratio=survey_doc().quality.speeder_ratio,
                           k=survey_doc().quality.ip_repeat_min))
    if "_duration_s" in loaded.dataset.frame:
        fig = charts.durations(loaded.dataset.frame["_duration_s"].to_numpy(float), flags.speeder_limit_s,
                               flags.median_duration_s, lang())
        st.plotly_chart(fig, key="survey_durations")
    for key in counts:
        rows = flags.rows(key)
        if rows:
            with st.expander(tr("survey.flag_rows", flag=tr(f"survey.flag_{key}"), n=len(rows))):
                st.write(", ".join(str(r) for r in rows[:500]) + (" …" if len(rows) > 500 else ""))
    st.info(tr("survey.quality_exclude_hint"), icon=":material/filter_alt:")


# --------------------------------------------------------------------------- data: upload, report, list


def _data_view(loaded, mask, doc) -> None:
    ws = workspace()
    st.subheader(tr("survey.upload_title"))
    up = st.file_uploader(tr("survey.upload_label"), type=["csv", "txt", "tsv", "xlsx", "xls", "sav"],
                          key="survey_upload", help=tr("survey.upload_help", mb=doc.max_upload_mb),
                          max_upload_size=doc.max_upload_mb)
    if up is not None and st.session_state.get("survey_upload_done") != up.file_id:
        st.session_state["survey_upload_done"] = up.file_id
        with st.spinner(tr("survey.importing", name=up.name)):
            try:
                datasets.store_dataset(ws, up.name, up.getvalue(), author=author(),
                                       max_bytes=doc.max_upload_mb * 1_000_000)
                st.session_state["survey_upload_result"] = ("ok", tr("survey.upload_ok", name=up.name))
            except SurveyImportError as exc:
                st.session_state["survey_upload_result"] = (
                    "error", tr("survey.upload_failed", message=error_text(exc, lang(), "import").rstrip(".")))
        st.rerun()
    result = st.session_state.get("survey_upload_result")
    if result:  # (kind, sentence) left by the last import or join
        (st.success if result[0] == "ok" else st.error)(
            result[1], icon=":material/check_circle:" if result[0] == "ok" else ":material/error:")
    items = datasets.list_datasets(ws)  # every stored report, read once per run for the join and the list
    if loaded is not None:
        st.subheader(tr("survey.report_title", name=loaded.dataset.name))
        _report(loaded.report)
        _twin(ws, items, loaded, doc)
        st.markdown(f"**{tr('survey.download_title')}**")
        c1, c2, _ = st.columns([1, 1, 3])
        stem = loaded.dataset.name.rsplit(".", 1)[0] + "_cleaned"
        c1.download_button(tr("survey.download_csv"), data=partial(datasets.export_table, loaded.dataset, mask, "csv"),
                           file_name=f"{stem}.csv", mime="text/csv", key="survey_dl_csv", icon=":material/download:",
                           on_click="ignore")
        c2.download_button(tr("survey.download_xlsx"),
                           data=partial(datasets.export_table, loaded.dataset, mask, "xlsx"), file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="survey_dl_xlsx", icon=":material/download:", on_click="ignore")
        st.caption(tr("survey.download_caption", n=f"{int(mask.sum()):,}" if mask is not None else "0"))
    _dataset_list(ws, items)


def _twin(ws, items, loaded, doc) -> None:  # noqa: ANN001
    """A Wenjuanxing export can be joined with its other download mode (by text / by number) on 序号."""
    active = next((d for d in items if d.active), None)
    if active is None:
        return
    if active.twin:
        st.caption(":material/join_inner: " + tr("survey.twin_joined", twin=active.twin))
        return
    if loaded.report.wjx_mode not in ("text", "number"):
        return
    with st.expander(tr("survey.twin_title"), icon=":material/join_inner:"):
        up = st.file_uploader(tr(f"survey.twin_label_{loaded.report.wjx_mode}"), type=["csv", "xlsx", "xls"],
                              key=f"survey_twin_{active.name}", max_upload_size=doc.max_upload_mb)
        # its own "done" marker: a file still sitting in the main uploader must not be imported again
        if up is not None and st.session_state.get("survey_twin_done") != up.file_id:
            st.session_state["survey_twin_done"] = up.file_id
            with st.spinner(tr("survey.importing", name=up.name)):
                try:
                    _, joined = datasets.attach_twin(ws, active.name, up.name, up.getvalue(),
                                                     max_bytes=doc.max_upload_mb * 1_000_000)
                    st.session_state["survey_upload_result"] = (
                        "ok", tr("survey.twin_ok", twin=up.name, name=active.original_name, n=f"{joined.dataset.n:,}"))
                except SurveyImportError as exc:
                    st.session_state["survey_upload_result"] = (
                        "error", tr("survey.twin_failed", message=error_text(exc, lang(), "import").rstrip(".")))
            st.rerun()


def _report(report: ImportReport) -> None:
    cols = st.columns(5)
    cols[0].metric(tr("survey.report_format"), report.format_label)
    cols[1].metric(tr("survey.report_encoding"), report.encoding or "—")
    cols[2].metric(tr("survey.report_wjx"), tr(f"survey.wjx_{report.wjx_mode or 'none'}"))
    cols[3].metric(tr("survey.report_rows"), f"{report.rows:,}")
    cols[4].metric(tr("survey.report_questions"), f"{len(report.questions):,}")
    q_rows = [{"id": q["id"], tr("survey.col_title"): q["title"], tr("survey.col_type"): tr(f"survey.type_{q['type']}"),
               tr("survey.col_options"): str(len(q["options"]) or ""), tr("survey.col_rows"): str(len(q.get("rows", [])) or "")}
              for q in report.questions]
    st.dataframe(q_rows, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(q_rows)))
    q = report.quality
    st.caption(tr("survey.report_quality", speeders=q.get("speeders", 0), straight=q.get("straightliners", 0),
                  dupes=q.get("duplicates", 0), ips=q.get("repeated_ips", 0)))
    if report.issues:
        st.warning(tr("survey.report_issues", n=len(report.issues)), icon=":material/warning:")
        st.dataframe([{tr("survey.col_row"): i.get("row"), tr("survey.col_column"): i.get("column"),
                       tr("survey.col_code"): i.get("code"), tr("survey.col_message"): i.get("message")}
                      for i in report.issues], hide_index=True, width="stretch")
    else:
        st.caption(":material/check: " + tr("survey.report_no_issues"))


def _confirm_remove(name: str, original: str) -> None:
    @st.dialog(tr("survey.remove_title"))
    def confirm() -> None:
        st.write(tr("survey.remove_confirm", name=original))
        c1, c2 = st.columns(2)
        if c1.button(tr("survey.remove_yes"), type="primary", key="survey_remove_yes"):
            try:
                datasets.delete_dataset(workspace(), name)
                st.session_state["survey_upload_result"] = None
            except KeyError:
                pass  # someone else removed it meanwhile
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
            c[0].markdown(f"**{d.original_name}**" + (f"  \n:red-badge[{tr('survey.active')}]" if d.active else ""))
            c[0].caption(tr("survey.dataset_meta", format=d.report.format_label, rows=f"{d.report.rows:,}",
                            questions=len(d.report.questions), size=f"{d.size / 1e6:,.2f}"))
            if d.twin:
                c[0].caption(":material/join_inner: " + tr("survey.twin_with", twin=d.twin))
            c[1].caption(tr("survey.dataset_uploaded", when=d.uploaded.replace("T", " ")[:16], who=d.author or "—"))
            q = d.report.quality
            c[2].caption(tr("survey.report_quality", speeders=q.get("speeders", 0), straight=q.get("straightliners", 0),
                            dupes=q.get("duplicates", 0), ips=q.get("repeated_ips", 0)))
            if not d.active and c[3].button(tr("survey.make_active"), key=f"survey_activate_{d.name}"):
                datasets.set_active(ws, d.name)
                st.rerun()
            if c[4].button(tr("survey.remove"), key=f"survey_remove_{d.name}", icon=":material/delete:"):
                _confirm_remove(d.name, d.original_name)
            if not d.active:  # the active one's report is shown in full above
                with st.expander(tr("survey.dataset_report")):
                    _report(d.report)


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

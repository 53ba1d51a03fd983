"""Strategy: the marketing mix and the scenario simulator (sliders, saved scenarios, comparison,
sensitivity, Monte Carlo bands, goal seek, TOWS presets, shareable links)."""
from __future__ import annotations

import streamlit as st

from easymall.charts import strategy as charts
from easymall.scenario import view
from easymall.ui import drafts, live
from easymall.ui import strategy as ui
from easymall.ui.context import lang, literal, tr, tr_literal, workspace
from easymall.ui.shared import plotly_chart
from easymall.ui.widgets import literal_table

MK, SC = ui.MK, ui.SC
TABS = ("simulator", "compare", "risk", "goal", "mix")


def render() -> None:
    live.follow_all((MK, SC))  # one poll for both
    marketing = live.document(MK)
    scenarios = live.document(SC)
    st.title(tr("strategy.title"))
    st.caption(tr("strategy.subtitle"))
    drafts.restore(SC)  # a scenario being saved before a reload: its name and notes back, with a note
    live.messages(MK)
    live.messages(SC)
    if live.conflict_panel(MK) or live.conflict_panel(SC):
        return
    if not isinstance(marketing, view.MarketingDocument):
        st.error(tr("strategy.broken", problem=ui.document_problem(MK)), icon=":material/error:")
        return
    if not isinstance(scenarios, view.ScenariosDocument):
        scenarios = view.ScenariosDocument()
    model = _model(marketing)
    baseline = view.run(model, name=view.BASELINE)
    tabs = st.tabs([tr(f"strategy.tab.{name}") for name in TABS], key=ui.tab_key(), on_change="rerun")
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is False:
            continue
        with tab:
            if name == "simulator":
                _simulator(model, baseline, scenarios)
            elif name == "compare":
                _compare(model, baseline, scenarios)
            elif name == "risk":
                _risk(model)
            elif name == "goal":
                _goal(model)
            else:
                _mix(model, marketing)


def _model(marketing: view.MarketingDocument) -> view.Model:
    model, calibration = view.model_for(marketing, workspace(), lang())
    ui.calibration_panel(model, calibration)
    return model


# --------------------------------------------------------------------------- simulator


@st.fragment
def _simulator(model: view.Model, baseline: view.Result, scenarios: view.ScenariosDocument) -> None:
    if live.pending(SC) is not None:  # a save from this fragment met someone else's edit: show both
        st.rerun(scope="app")
    live.messages(SC)
    presets = view.tows_presets(live.document("swot"))
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        options = view.start_options(scenarios, presets, lang())
        if st.session_state.get(ui.START) not in options:
            st.session_state[ui.START] = view.BASELINE
        st.selectbox(tr("strategy.start_from"), list(options), format_func=options.get, key=ui.START,
                     on_change=ui.start_changed, args=(model, scenarios, presets))
        st.button(tr("strategy.reset"), key="strategy_reset", icon=":material/restart_alt:", on_click=ui.reset,
                  args=(model,), width="stretch")
        ui.lever_sliders(model)
    values = ui.values(model)
    result = view.run(model, values, "current")
    with right:
        top = st.columns([1.9, 1, 1.2], vertical_alignment="center")
        top[0].caption(literal(view.changes_caption(model, values, lang())) + " · "
                       + tr("strategy.ramp_caption", months=f"{model.params['ramp_months']:g}"))
        ui.share_link(top[1], model, values)
        if ui.may_edit():  # a viewer sees no save control
            save = top[2].popover(tr("strategy.save"), icon=":material/save:", width="stretch", key=ui.SAVE_OPEN,
                                  on_change="rerun")
            if save.open:
                with save:
                    _save_form(model, scenarios)
        ui.kpi_cards(model, result, baseline, values)
        names = [tr("strategy.baseline"), tr("strategy.scenario_names.current")]
        c1, c2 = st.columns(2)  # each chart built once per (results, language), shared by every session
        with c1:
            plotly_chart(charts.scenario_lines, [baseline, result], names, "active_users", lang(),
                         title=tr("strategy.chart.active_users"), dashed_first=True, key="strategy_sim_active")
        with c2:
            plotly_chart(charts.channels, result, lang(), key="strategy_sim_channels")
        with c1:
            plotly_chart(charts.revenue_costs, result, lang(), key="strategy_sim_revenue")
        with c2:
            plotly_chart(charts.scenario_lines, [baseline, result], names, "cumulative_profit", lang(),
                         title=tr("strategy.chart.cum_profit"), dashed_first=True, key="strategy_sim_cumprofit")


def _save_form(model: view.Model, scenarios: view.ScenariosDocument) -> None:
    if live.author_gate() is None:
        return
    loaded = st.session_state.get(ui.LOADED)
    ed = ui.scenario_editor(scenarios)  # what is typed is kept for this person until saved: a reload loses nothing
    with st.container(key="strategy_save_form"):
        st.text_input(tr("strategy.save_name"), key=ed.key("name"), max_chars=80)
        st.text_area(tr("strategy.save_notes"), key=ed.key("notes"), max_chars=600, height=90)
        ed.track()
        if loaded and scenarios.get(loaded):
            st.checkbox(tr("strategy.save_replace"), key="strategy_save_replace")
        st.button(tr("strategy.save_button"), type="primary", key="strategy_save_button", on_click=ui.save_scenario,
                  args=(model,))
        ed.discard_button()  # its own row: the whole label in the narrow popover


# --------------------------------------------------------------------------- compare


@st.fragment
def _compare(model: view.Model, baseline: view.Result, scenarios: view.ScenariosDocument) -> None:
    options = view.compare_options(scenarios, lang())
    values = ui.values(model)
    picked = st.session_state.get(ui.COMPARE)
    if not picked or any(p not in options for p in picked):
        st.session_state[ui.COMPARE] = view.compare_picks(picked, options, scenarios,
                                                          moved=bool(view.overrides_of(model, values)))
    a, b = st.columns([3, 1])
    chosen = a.multiselect(tr("strategy.compare.pick"), list(options), format_func=options.get,
                           max_selections=view.MAX_COMPARED, key=ui.COMPARE, placeholder=tr("widget.choose"))
    kpi = b.selectbox(tr("strategy.compare.metric"), view.COMPARE_KPIS, format_func=lambda k: tr(f"strategy.kpi.{k}"),
                      key="strategy_compare_kpi")
    if not chosen:
        st.info(tr("strategy.compare.empty"))
    else:
        results = view.compared_results(model, baseline, scenarios, chosen, values)
        names = [options[k] for k in chosen]
        left, right = st.columns([2, 1])
        left.plotly_chart(charts.scenario_lines(results, names, kpi, lang()), key="strategy_cmp_lines")
        right.plotly_chart(charts.profit_bars([r.summary["profit_total"] or 0.0 for r in results], names, lang(),
                                              len(results[0].months)),
                           key="strategy_cmp_profit")
        st.markdown(f"**{tr_literal('strategy.compare.table', name=names[0])}**")
        table = view.comparison_table(results, names, lang())
        with st.container(key="strategy_cmp_table"):
            literal_table(table, table.columns[0])
        for note in view.incremental_notes(model, results, names, lang()):
            st.caption(literal(note))
    _saved_list(model, scenarios)


def _saved_list(model: view.Model, scenarios: view.ScenariosDocument) -> None:
    rows = view.saved_rows(model, scenarios, lang())
    if not rows:
        return
    st.subheader(tr("strategy.compare.saved"), anchor=False)
    for row in rows:
        with st.container(border=True):
            cols = st.columns([4, 1, 1], vertical_alignment="center")
            cols[0].markdown(row.title)
            cols[0].caption(row.caption)
            cols[1].button(tr("strategy.compare.load"), key=f"strategy_open_{row.id}", on_click=ui.open_scenario,
                           args=(row.id,), width="stretch")
            ui.delete_button(cols[2], row.id)


# --------------------------------------------------------------------------- risk


@st.fragment
def _risk(model: view.Model) -> None:
    values = ui.values(model)
    st.caption(tr_literal("strategy.risk.for", changes=view.changes_caption(model, values, lang())))
    metrics = view.tornado_metrics(model.horizon)
    metric = st.segmented_control(tr("strategy.tornado.metric"), list(metrics), key="strategy_tornado_metric",
                                  format_func=lambda m: view.metric_label(m, lang()), default="cumulative_profit",
                                  required=True) or "cumulative_profit"
    base_metric = metric.split("@")[0]
    bars = view.tornado(model, values, base_metric, metrics[metric], ranges="uncertainty")
    st.plotly_chart(charts.tornado(bars, view.lever_labels(model, lang()), metric, view.metric_unit(base_metric),
                                   lang(), ranges="uncertainty"), key="strategy_tornado")
    st.caption(tr("strategy.tornado.caption"))
    st.divider()
    st.subheader(tr("strategy.mc.title"), anchor=False)
    draws = f"{view.DEFAULT_DRAWS:,}"
    st.caption(tr("strategy.mc.caption", draws=draws, seed=view.DEFAULT_SEED))
    signature = view.mc_signature(model, values)
    if st.button(tr("strategy.mc.run", draws=draws), key="strategy_mc_run", type="primary", icon=":material/casino:"):
        bar = st.progress(0.0, text=tr("strategy.mc.progress", done=0, total=view.DEFAULT_DRAWS))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=tr("strategy.mc.progress", done=f"{done:,}", total=f"{total:,}"))

        st.session_state[ui.MC_STATE] = (signature, view.monte_carlo(model, values, progress=progress, chunk=100))
        bar.empty()
    stored = st.session_state.get(ui.MC_STATE)
    if stored is None:
        st.info(tr("strategy.mc.none"), icon=":material/info:")
        return
    sig, bands = stored
    if sig != signature:
        st.warning(tr("strategy.mc.stale"), icon=":material/history:")
    for note in view.sign_notes(view.run(model, dict(sig[:-2]), "current"), bands, lang()):
        st.warning(literal(note), icon=":material/swap_vert:")
    kpi = st.segmented_control(tr("strategy.mc.kpi"), view.MC_KPIS, format_func=lambda k: tr(f"strategy.kpi.{k}"),
                               key="strategy_mc_kpi", default="active_users", required=True) or "active_users"
    left, right = st.columns([2, 1])
    left.plotly_chart(charts.bands(bands, kpi, lang(), view.run(model, dict(sig[:-2]), "current")),
                      key="strategy_mc_chart")
    right.dataframe(view.bands_table(bands, lang()), hide_index=True, width="stretch", key="strategy_mc_table")
    right.caption(tr("strategy.mc.reading"))


# --------------------------------------------------------------------------- goal seek


@st.fragment
def _goal(model: view.Model) -> None:
    st.caption(tr("strategy.goal.caption"))
    values = ui.values(model)
    lever_ids = model.lever_ids
    labels = view.lever_labels(model, lang())
    metrics = view.goal_metrics()
    c = st.columns([2, 2, 1, 2], vertical_alignment="bottom")
    lever = c[0].selectbox(tr("strategy.goal.lever"), lever_ids, index=lever_ids.index(view.GOAL_LEVER),
                           format_func=labels.get, key="strategy_goal_lever")
    metric = c[1].selectbox(tr("strategy.goal.metric"), list(metrics), key="strategy_goal_metric",
                            format_func=lambda m: tr(f"strategy.kpi.{m}"), on_change=ui.goal_metric_changed,
                            args=(model,))
    with st.form("strategy_goal_form", border=False):
        f = st.columns([1, 2], vertical_alignment="bottom")
        month = f[0].number_input(tr("strategy.goal.month"), min_value=1, max_value=model.horizon,
                                  value=view.goal_month(model.horizon), step=1, key="strategy_goal_month")
        needs_month, unit = metrics[metric]
        target = ui.goal_target(f[1], model, metric, unit)
        submitted = st.form_submit_button(tr("strategy.goal.run"), type="primary", icon=":material/my_location:")
    if submitted:
        m = int(month) if needs_month else None
        g = view.seek(model, lever, metric, view.from_display(float(target), unit, lang()), month=m, levers=values)
        xs, ys = view.sweep(model, values, lever, metric, m)
        st.session_state[ui.GOAL_STATE] = (g, xs, ys, values.get(lever))
    stored = st.session_state.get(ui.GOAL_STATE)
    if stored is None:
        return
    g, xs, ys, current = stored
    answer = view.goal_answer(model, g, lang())
    if answer.reached:
        st.success(literal(answer.text), icon=":material/check_circle:")
        st.button(tr("strategy.goal.apply", value=answer.value), key="strategy_goal_apply",
                  on_click=ui.apply_goal, args=(model, g.lever, g.value))
    else:
        st.warning(literal(answer.text), icon=":material/block:")
    st.plotly_chart(charts.goal_curve(xs, ys, g.target, answer.lever_label, answer.lever_unit, answer.metric,
                                      answer.unit, lang(), found=g.value, current=current), key="strategy_goal_chart")


# --------------------------------------------------------------------------- marketing mix


def _mix(model: view.Model, marketing: view.MarketingDocument) -> None:
    st.caption(tr("strategy.mix.caption"))
    costs = view.group_costs(marketing)
    for col, group in zip(st.columns(len(view.GROUPS)), view.GROUPS, strict=True):
        col.metric(tr(f"strategy.group.{group}"), view.budget(costs[group], lang()),
                   help=tr("strategy.mix.budget"), border=True)
    group = st.segmented_control(tr("strategy.mix.actions"), list(view.GROUPS), key="strategy_mix_group",
                                 format_func=lambda g: tr(f"strategy.group.{g}"), default="product",
                                 required=True) or "product"
    editing = live.author_gate() is not None
    segments, strategies, lever_names = view.mix_options(marketing, workspace().load_safe("stp").doc,
                                                         live.document("swot"), lang())
    ui.action_cards(marketing, group, segments, strategies, lever_names)  # the whole text, readable in a meeting
    key = f"strategy_actions_{group}_{marketing.revision}_{lang()}"
    st.data_editor(view.actions_frame(marketing, group, lang()), key=key, hide_index=True, width="stretch",
                   num_rows="dynamic" if editing else "fixed", disabled=not editing, on_change=ui.actions_changed,
                   args=(group, key), column_order=ui.ACTIONS_ORDER,
                   column_config=ui.actions_columns(segments, strategies, lever_names))
    st.markdown(f"**{tr('strategy.mix.levers')}**")
    st.caption(tr("strategy.mix.levers_caption"))
    lkey = f"strategy_levers_{group}_{marketing.revision}_{lang()}"
    st.data_editor(view.levers_frame(marketing, group, lang()), key=lkey, hide_index=True, width="stretch",
                   disabled=["label", "unit"] if editing else True, on_change=ui.levers_changed, args=(group, lkey),
                   column_order=ui.LEVERS_ORDER, column_config=ui.levers_columns())
    with st.expander(tr("strategy.mix.parameters"), icon=":material/functions:"):
        params = view.parameter_table(model, lang())
        literal_table(params, params.columns[0])


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

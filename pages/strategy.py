"""Strategy: the marketing mix and the scenario simulator (sliders, saved scenarios, comparison,
sensitivity, Monte Carlo bands, goal seek, TOWS presets, shareable links)."""
from __future__ import annotations

import streamlit as st

from easymall.charts import strategy as charts
from easymall.core.i18n import problem_text
from easymall.models.marketing import GROUPS, MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.scenario import model as sc
from easymall.scenario import risk, view
from easymall.ui import live
from easymall.ui.context import author, lang, tr, txt, workspace

MK, SC = "marketing", "scenarios"
TABS = ("simulator", "compare", "risk", "goal", "mix")
CURRENT, BASE = "__current__", sc.BASELINE
MC_STATE = "strategy_mc"
GOAL_STATE = "strategy_goal"
LOADED = "strategy_loaded"


def render() -> None:
    live.follow(MK)
    live.follow(SC)
    marketing = live.document(MK)
    scenarios = live.document(SC)
    st.title(tr("strategy.title"))
    st.caption(tr("strategy.subtitle"))
    live.messages(MK)
    live.messages(SC)
    if live.conflict_panel(MK) or live.conflict_panel(SC):
        return
    if not isinstance(marketing, MarketingDocument):
        result = workspace().load_safe(MK)
        p = result.error.first if result.error else None
        problem = f"{p.file}: {problem_text(p, lang())}" if p else ""
        st.error(tr("strategy.broken", problem=problem), icon=":material/error:")
        return
    if not isinstance(scenarios, ScenariosDocument):
        scenarios = ScenariosDocument()
    model = _model(marketing)
    baseline = sc.run(model, name=BASE)
    labels = [tr(f"strategy.tab.{name}") for name in TABS]
    tabs = st.tabs(labels, key=f"strategy_tab_{lang()}", on_change="rerun")
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


# --------------------------------------------------------------------------- model and levers


def _model(marketing: MarketingDocument) -> sc.Model:
    survey = sc.survey_kpis(workspace())
    model = sc.build_model(marketing, survey.values, survey.dataset)
    if survey.problem:
        st.warning(tr("strategy.survey_problem", problem=survey.problem), icon=":material/warning:")
    elif model.source:
        with st.expander(tr("strategy.calibrated", dataset=model.source, n=f"{survey.n:,}"), icon=":material/tune:"):
            for row in view.calibration_rows(model, lang()):
                st.markdown(f"- {row}")
    else:
        st.info(tr("strategy.not_calibrated"), icon=":material/info:")
    return model


def _values(model: sc.Model) -> dict[str, float]:
    """The lever values on the sliders (the baseline for a slider not created yet)."""
    base = model.baseline()
    return sc.resolve_levers(model, {k: st.session_state.get(k, v) for k, v in base.items()}).values


def _set_levers(model: sc.Model, values: dict[str, float]) -> None:
    resolved = sc.resolve_levers(model, values)
    for key, value in resolved.values.items():
        st.session_state[key] = value


def _changes(model: sc.Model, values: dict[str, float]) -> str:
    n = len(sc.overrides_of(model, values))
    return tr("strategy.changed_levers", n=n) if n else tr("strategy.no_changes")


# --------------------------------------------------------------------------- simulator


def _start_options(scenarios: ScenariosDocument, presets: list[sc.Preset]) -> dict[str, str]:
    options = {BASE: tr("strategy.baseline")}
    for s in scenarios.scenarios:
        options[f"scenario:{s.id}"] = tr("strategy.saved_option", name=txt(s.name))
    for p in presets:
        title = txt(p.title) if not isinstance(p.title, str) else p.title
        options[f"tows:{p.id}"] = tr("strategy.preset_option", id=p.id, name=title[:70])
    return options


def _start_changed(model: sc.Model, scenarios: ScenariosDocument, presets: list[sc.Preset]) -> None:
    choice = st.session_state.get("strategy_start") or BASE
    kind, _, ident = choice.partition(":")
    values = model.baseline()
    st.session_state[LOADED] = None
    st.session_state["strategy_from_strategy"] = None
    if kind == "scenario":
        scenario = scenarios.get(ident)
        if scenario is None:
            return
        resolved = sc.scenario_levers(model, scenario)
        values.update(resolved.values)
        st.session_state[LOADED] = scenario.id
        st.session_state["strategy_from_strategy"] = scenario.strategy
        live.notify(SC, "success", tr("strategy.loaded", name=txt(scenario.name)))
        if resolved.unknown:
            live.notify(SC, "error", tr("strategy.preset_unknown", id=scenario.id, levers=", ".join(resolved.unknown)))
        for warning in resolved.warnings:
            live.notify(SC, "error", warning)
    elif kind == "tows":
        preset = next((p for p in presets if p.id == ident), None)
        if preset is None:
            return
        resolved = sc.resolve_levers(model, preset.levers)
        values.update(resolved.values)
        if resolved.unknown:
            live.notify(SC, "error", tr("strategy.preset_unknown", id=preset.id, levers=", ".join(resolved.unknown)))
        st.session_state["strategy_from_strategy"] = preset.id
    _set_levers(model, values)


def _reset(model: sc.Model) -> None:
    _set_levers(model, model.baseline())
    st.session_state[LOADED] = None
    st.session_state["strategy_from_strategy"] = None
    st.session_state["strategy_start"] = BASE


@st.fragment
def _simulator(model: sc.Model, baseline: sc.Result, scenarios: ScenariosDocument) -> None:
    if live.pending(SC) is not None:  # a save from this fragment met someone else's edit: show both
        st.rerun(scope="app")
    live.messages(SC)
    presets = sc.tows_presets(live.document("swot"))
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        options = _start_options(scenarios, presets)
        if st.session_state.get("strategy_start") not in options:
            st.session_state["strategy_start"] = BASE
        st.selectbox(tr("strategy.start_from"), list(options), format_func=options.get, key="strategy_start",
                     on_change=_start_changed, args=(model, scenarios, presets))
        st.button(tr("strategy.reset"), key="strategy_reset", icon=":material/restart_alt:", on_click=_reset,
                  args=(model,), width="stretch")
        levers = model.doc.levers_by_group()
        with st.container(height=820, border=False, key="strategy_sliders"):
            for group in GROUPS:
                with st.expander(tr(f"strategy.group.{group}"), expanded=True):
                    for lv in levers[group]:
                        st.slider(f"{txt(lv.label)} ({view.unit_label(lv.unit, lang())})", min_value=lv.min,
                                  max_value=lv.max,
                                  value=lv.value, step=lv.step, key=lv.id, help=txt(lv.note),
                                  format=view.slider_format(lv.step), bind="query-params", persist_state="session")
    values = _values(model)
    result = sc.run(model, values, "current")
    with right:
        top = st.columns([2.1, 1, 1], vertical_alignment="center")
        top[0].caption(_changes(model, values) + " · " + tr("strategy.ramp_caption",
                                                              months=f"{model.params['ramp_months']:g}"))
        with top[1].popover(tr("strategy.share"), icon=":material/link:", width="stretch"):
            st.caption(tr("strategy.share_help"))
            st.code(view.share_url(st.context.url, sc.levers_to_query(model, values), lang()), language=None,
                    wrap_lines=True)
        with top[2].popover(tr("strategy.save"), icon=":material/save:", width="stretch"):
            _save_form(model, scenarios, values)
        cards = view.cards(result, baseline, lang())
        for row in (cards[:3], cards[3:6], cards[6:]):
            for col, card in zip(st.columns(3), row, strict=False):
                col.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, help=card.help,
                           border=True)
        names = [tr("strategy.baseline"), tr("strategy.scenario_names.current")]
        c1, c2 = st.columns(2)
        c1.plotly_chart(charts.scenario_lines([baseline, result], names, "active_users", lang(),
                                              title=tr("strategy.chart.active_users"), dashed_first=True),
                        key="strategy_sim_active")
        c2.plotly_chart(charts.channels(result, lang()), key="strategy_sim_channels")
        c1.plotly_chart(charts.revenue_costs(result, lang()), key="strategy_sim_revenue")
        c2.plotly_chart(charts.scenario_lines([baseline, result], names, "cumulative_profit", lang(),
                                              title=tr("strategy.chart.cum_profit"), dashed_first=True),
                        key="strategy_sim_cumprofit")


def _save_form(model: sc.Model, scenarios: ScenariosDocument, values: dict[str, float]) -> None:
    if live.author_gate() is None:
        return
    loaded = st.session_state.get(LOADED)
    with st.form("strategy_save_form", border=False):
        st.text_input(tr("strategy.save_name"), key="strategy_save_name", max_chars=80)
        st.text_area(tr("strategy.save_notes"), key="strategy_save_notes", max_chars=600, height=90)
        if loaded and scenarios.get(loaded):
            st.checkbox(tr("strategy.save_replace"), key="strategy_save_replace")
        st.form_submit_button(tr("strategy.save_button"), type="primary", on_click=_save_scenario,
                              args=(model, values))


def _save_scenario(model: sc.Model, values: dict[str, float]) -> None:
    base = live.document(SC)
    if not isinstance(base, ScenariosDocument):
        base = ScenariosDocument()
    loaded = st.session_state.get(LOADED) if st.session_state.get("strategy_save_replace") else None
    try:
        doc, sid = view.with_scenario(base, model, st.session_state.get("strategy_save_name", ""),
                                      st.session_state.get("strategy_save_notes", ""),
                                      author(), _values(model), lang(),
                                      strategy=st.session_state.get("strategy_from_strategy"), replace=loaded)
    except ValueError as exc:
        live.notify(SC, "error", str(exc))
        return
    outcome = live.save(SC, doc, base=base, message=f"scenario {sid}")
    if outcome.ok:
        st.session_state[LOADED] = sid
        st.session_state["strategy_save_name"] = ""
        st.session_state["strategy_save_notes"] = ""
        before = [p for p in st.session_state.get("strategy_compare") or [] if p.startswith("scenario:")]
        st.session_state["strategy_compare"] = ([BASE, CURRENT, f"scenario:{sid}"]
                                                + [p for p in before if p != f"scenario:{sid}"])[:4]


# --------------------------------------------------------------------------- compare


def _default_compare(scenarios: ScenariosDocument, moved: bool) -> list[str]:
    """Baseline, the sliders when they differ from it, then the saved scenarios (four at most)."""
    picks = [BASE] + ([CURRENT] if moved else []) + [f"scenario:{s.id}" for s in scenarios.scenarios]
    return picks[:4]


@st.fragment
def _compare(model: sc.Model, baseline: sc.Result, scenarios: ScenariosDocument) -> None:
    options = {BASE: tr("strategy.baseline"), CURRENT: tr("strategy.current")}
    for s in scenarios.scenarios:
        options[f"scenario:{s.id}"] = txt(s.name)
    picked = st.session_state.get("strategy_compare")
    moved = bool(sc.overrides_of(model, _values(model)))
    if not picked or any(p not in options for p in picked):
        st.session_state["strategy_compare"] = [p for p in (picked or []) if p in options] \
            or _default_compare(scenarios, moved=moved)
    a, b = st.columns([3, 1])
    chosen = a.multiselect(tr("strategy.compare.pick"), list(options), format_func=options.get, max_selections=4,
                           key="strategy_compare")
    kpis = ["active_users", "gmv", "profit", "cumulative_profit", "new_users", "revenue", "retention"]
    kpi = b.selectbox(tr("strategy.compare.metric"), kpis, format_func=lambda k: tr(f"strategy.kpi.{k}"),
                      key="strategy_compare_kpi")
    if not chosen:
        st.info(tr("strategy.compare.empty"))
    else:
        results = []
        for key in chosen:
            if key == BASE:
                results.append(baseline)
            elif key == CURRENT:
                results.append(sc.run(model, _values(model), "current"))
            else:
                s = scenarios.get(key.split(":", 1)[1])
                results.append(sc.run(model, sc.scenario_levers(model, s).values, s.id if s else key))
        names = [options[k] for k in chosen]
        left, right = st.columns([2, 1])
        left.plotly_chart(charts.scenario_lines(results, names, kpi, lang()), key="strategy_cmp_lines")
        right.plotly_chart(charts.profit_bars([r.summary["profit_total"] or 0.0 for r in results], names, lang(),
                                              len(results[0].months)),
                           key="strategy_cmp_profit")
        st.markdown(f"**{tr('strategy.compare.table', name=names[0])}**")
        table = view.comparison_table(results, names, lang())
        with st.container(key="strategy_cmp_table"):
            st.table(table.set_index(table.columns[0]))
        for r, name in zip(results[1:], names[1:], strict=True):
            if sc.overrides_of(model, r.levers) == sc.overrides_of(model, results[0].levers):
                continue  # the same plan as the reference
            month = sc.incremental_payback(r, results[0])
            st.caption(f"{name}: " + (tr("strategy.compare.incremental", name=names[0], month=month) if month
                                      else tr("strategy.compare.incremental_never", name=names[0])))
    _saved_list(model, scenarios)


def _saved_list(model: sc.Model, scenarios: ScenariosDocument) -> None:
    if not scenarios.scenarios:
        return
    labels = set(model.lever_ids)
    st.subheader(tr("strategy.compare.saved"), anchor=False)
    for s in scenarios.scenarios:
        with st.container(border=True):
            cols = st.columns([4, 1, 1], vertical_alignment="center")
            cols[0].markdown(f"**{txt(s.name)}**  ·  `{s.id}`" + (f"  ·  TOWS {s.strategy}" if s.strategy else ""))
            meta = tr("strategy.compare.by", author=s.author or "—", date=s.created or "—")
            levers = ", ".join(f"{txt(model.doc.lever(k).label) if k in labels else k} = {v:g}"
                               for k, v in s.levers.items())
            cols[0].caption(meta + (f" — {txt(s.notes)}" if s.notes else "") + (f"  \n{levers}" if levers else ""))
            cols[1].button(tr("strategy.compare.load"), key=f"strategy_open_{s.id}", on_click=_open_scenario,
                           args=(s.id,), width="stretch")
            cols[2].button(tr("strategy.compare.delete"), key=f"strategy_delete_{s.id}", on_click=_delete_scenario,
                           args=(s.id,), icon=":material/delete:", width="stretch")


def _open_scenario(sid: str) -> None:
    st.session_state["strategy_start"] = f"scenario:{sid}"
    doc = live.document(SC)
    marketing = live.document(MK)
    if isinstance(doc, ScenariosDocument) and isinstance(marketing, MarketingDocument):
        model = sc.build_model(marketing)
        s = doc.get(sid)
        if s is not None:
            _set_levers(model, sc.scenario_levers(model, s).values)
            st.session_state[LOADED] = sid
            st.session_state[f"strategy_tab_{lang()}"] = tr("strategy.tab.simulator")


def _delete_scenario(sid: str) -> None:
    base = live.document(SC)
    if not isinstance(base, ScenariosDocument) or base.get(sid) is None:
        return
    name = txt(base.get(sid).name)  # type: ignore[union-attr]
    outcome = live.save(SC, view.without_scenario(base, sid), base=base, message=f"delete scenario {sid}", quiet=True)
    if outcome.ok:
        live.notify(SC, "success", tr("strategy.compare.deleted", name=name))
        if st.session_state.get(LOADED) == sid:
            st.session_state[LOADED] = None


# --------------------------------------------------------------------------- risk


@st.fragment
def _risk(model: sc.Model) -> None:
    values = _values(model)
    st.caption(tr("strategy.risk.for", changes=_changes(model, values)))
    mid = min(24, model.horizon)  # the mid-term month the cards read
    metrics = {"cumulative_profit": None, f"active_users@{mid}": mid, "gmv": None, "clv_cac": None}
    metric = st.segmented_control(tr("strategy.tornado.metric"), list(metrics), key="strategy_tornado_metric",
                                  format_func=lambda m: view.metric_label(m, lang()), default="cumulative_profit",
                                  required=True)
    metric = metric or "cumulative_profit"
    base_metric = metric.split("@")[0]
    bars = risk.tornado(model, values, base_metric, metrics[metric])
    labels = {lv.id: txt(lv.label) for lv in model.doc.levers}
    st.plotly_chart(charts.tornado(bars, labels, metric, view.metric_unit(base_metric), lang()),
                    key="strategy_tornado")
    st.caption(tr("strategy.tornado.caption"))
    st.divider()
    st.subheader(tr("strategy.mc.title"), anchor=False)
    st.caption(tr("strategy.mc.caption", draws=f"{risk.DEFAULT_DRAWS:,}", seed=risk.DEFAULT_SEED))
    signature = tuple(sorted(values.items())) + (model.doc.revision, model.source)
    if st.button(tr("strategy.mc.run", draws=f"{risk.DEFAULT_DRAWS:,}"), key="strategy_mc_run", type="primary",
                 icon=":material/casino:"):
        bar = st.progress(0.0, text=tr("strategy.mc.progress", done=0, total=risk.DEFAULT_DRAWS))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=tr("strategy.mc.progress", done=f"{done:,}", total=f"{total:,}"))

        bands = risk.monte_carlo(model, values, progress=progress, chunk=100)
        st.session_state[MC_STATE] = (signature, bands)
        bar.empty()
    stored = st.session_state.get(MC_STATE)
    if stored is None:
        st.info(tr("strategy.mc.none"), icon=":material/info:")
        return
    sig, bands = stored
    if sig != signature:
        st.warning(tr("strategy.mc.stale"), icon=":material/history:")
    kpi = st.segmented_control(tr("strategy.mc.kpi"), ["active_users", "gmv", "profit", "cumulative_profit"],
                               format_func=lambda k: tr(f"strategy.kpi.{k}"), key="strategy_mc_kpi",
                               default="active_users", required=True) or "active_users"
    left, right = st.columns([2, 1])
    left.plotly_chart(charts.bands(bands, kpi, lang(), sc.run(model, dict(sig[:-2]), "current")),
                      key="strategy_mc_chart")
    right.dataframe(view.bands_table(bands, lang()), hide_index=True, width="stretch", key="strategy_mc_table")
    right.caption(tr("strategy.mc.reading"))


# --------------------------------------------------------------------------- goal seek


@st.fragment
def _goal(model: sc.Model) -> None:
    st.caption(tr("strategy.goal.caption"))
    values = _values(model)
    lever_ids = model.lever_ids
    metrics = {m: (needs_month, unit) for m, needs_month, unit in view.SEEK_METRICS}
    with st.form("strategy_goal_form", border=True):
        c = st.columns([2, 2, 1, 2], vertical_alignment="bottom")
        lever = c[0].selectbox(tr("strategy.goal.lever"), lever_ids, index=lever_ids.index("branch_referrals"),
                               format_func=lambda k: txt(model.doc.lever(k).label), key="strategy_goal_lever")
        metric = c[1].selectbox(tr("strategy.goal.metric"), list(metrics), key="strategy_goal_metric",
                                format_func=lambda m: tr(f"strategy.kpi.{m}"))
        month = c[2].number_input(tr("strategy.goal.month"), min_value=1, max_value=model.horizon, value=min(24, model.horizon), step=1,
                                  key="strategy_goal_month")
        unit = metrics[metric][1]
        target = c[3].number_input(tr("strategy.goal.target", unit=tr(f"strategy.goal.units.{unit}")),
                                   value=5_000_000.0, step=100_000.0, format="%.0f", key="strategy_goal_target")
        submitted = st.form_submit_button(tr("strategy.goal.run"), type="primary", icon=":material/my_location:")
    if submitted:
        m = int(month) if metrics[metric][0] else None
        g = risk.goal_seek(model, lever, metric, float(target), month=m, levers=values)
        xs, ys = view.sweep(model, values, lever, metric, m)
        st.session_state[GOAL_STATE] = (g, xs, ys, values.get(lever))
    stored = st.session_state.get(GOAL_STATE)
    if stored is None:
        return
    g, xs, ys, current = stored
    spec = model.doc.lever(g.lever)
    name = txt(spec.label)
    unit = view.metric_unit(g.metric)
    metric_name = view.metric_label(f"{g.metric}@{g.month}" if g.month else g.metric, lang())
    if g.reachable and g.value is not None:
        st.success(tr("strategy.goal.reached", lever=name, value=view.lever_value(float(f"{g.value:.4g}"), spec.unit, lang()),
                      metric=metric_name, achieved=view.fmt(g.achieved, unit, lang()),
                      target=view.fmt(g.target, unit, lang())), icon=":material/check_circle:")
        st.button(tr("strategy.goal.apply", value=f"{g.value:.4g}"), key="strategy_goal_apply",
                  on_click=_apply_goal, args=(model, g.lever, g.value))
    else:
        st.warning(tr("strategy.goal.unreachable", lever=name, low=f"{spec.min:g}", high=f"{spec.max:g}",
                      metric=metric_name, at_min=view.fmt(g.at_min, unit, lang()),
                      at_max=view.fmt(g.at_max, unit, lang()), target=view.fmt(g.target, unit, lang()),
                      best=view.lever_value(g.best_value, spec.unit, lang())), icon=":material/block:")
    st.plotly_chart(charts.goal_curve(xs, ys, g.target, name, view.unit_label(spec.unit, lang()), f"{g.metric}@{g.month}" if g.month else g.metric,
                                      unit, lang(), found=g.value, current=current), key="strategy_goal_chart")


def _apply_goal(model: sc.Model, lever: str, value: float) -> None:
    st.session_state[lever] = model.doc.lever(lever).clamp(value)


# --------------------------------------------------------------------------- marketing mix


def _mix(model: sc.Model, marketing: MarketingDocument) -> None:
    st.caption(tr("strategy.mix.caption"))
    costs = view.group_costs(marketing)
    for col, group in zip(st.columns(len(GROUPS)), GROUPS, strict=True):
        col.metric(tr(f"strategy.group.{group}"), view.budget(costs[group], lang()),
                   help=tr("strategy.mix.budget"), border=True)
    group = st.segmented_control(tr("strategy.mix.actions"), list(GROUPS), key="strategy_mix_group",
                                 format_func=lambda g: tr(f"strategy.group.{g}"), default="product",
                                 required=True) or "product"
    editing = live.author_gate() is not None
    frame = view.actions_frame(marketing, group, lang())
    stp = workspace().load_safe("stp").doc
    swot = live.document("swot")
    segments = {s.id: txt(s.name) for s in getattr(stp, "segments", [])}
    strategies = {s.id: f"{s.id} · {txt(s.text)[:60]}" for s in getattr(swot, "strategies", [])}
    lever_names = {lv.id: txt(lv.label) for lv in marketing.levers}
    key = f"strategy_actions_{group}_{marketing.revision}_{lang()}"
    st.data_editor(
        frame, key=key, hide_index=True, width="stretch", num_rows="dynamic" if editing else "fixed",
        disabled=not editing, on_change=_actions_changed, args=(group, key),
        column_order=["title", "description", "owner", "cost", "segments", "strategy", "levers"],
        column_config={
            "title": st.column_config.TextColumn(tr("strategy.mix.col.title"), width="medium", required=True),
            "description": st.column_config.TextColumn(tr("strategy.mix.col.description"), width="large"),
            "owner": st.column_config.TextColumn(tr("strategy.mix.col.owner"), width="small"),
            "cost": st.column_config.NumberColumn(tr("strategy.mix.col.cost"), min_value=0, format="%.0f",
                                                  width="small"),
            "segments": st.column_config.MultiselectColumn(tr("strategy.mix.col.segments"),
                                                           options=list(segments) or None,
                                                           format_func=lambda s: segments.get(s, s), width="medium"),
            "strategy": st.column_config.SelectboxColumn(tr("strategy.mix.col.strategy"),
                                                         options=[view.NO_STRATEGY, *strategies],
                                                         format_func=lambda s: strategies.get(s, s), width="small"),
            "levers": st.column_config.MultiselectColumn(tr("strategy.mix.col.levers"), options=list(lever_names),
                                                         format_func=lambda k: lever_names.get(k, k), width="medium"),
        })
    st.markdown(f"**{tr('strategy.mix.levers')}**")
    st.caption(tr("strategy.mix.levers_caption"))
    lkey = f"strategy_levers_{group}_{marketing.revision}_{lang()}"
    number = {c: st.column_config.NumberColumn(tr(f"strategy.mix.col.{c}"), format="%g", width="small")
              for c in ("value", "min", "max", "step", "mc_low", "mc_high")}
    st.data_editor(
        view.levers_frame(marketing, group, lang()), key=lkey, hide_index=True, width="stretch",
        disabled=["label", "unit"] if editing else True, on_change=_levers_changed, args=(group, lkey),
        column_order=["label", "unit", "value", "min", "max", "step", "mc_low", "mc_high", "note"],
        column_config={"label": st.column_config.TextColumn(tr("strategy.mix.col.label"), width="medium"),
                       "unit": st.column_config.TextColumn(tr("strategy.mix.col.unit"), width="small"),
                       "note": st.column_config.TextColumn(tr("strategy.mix.col.note"), width="large"), **number})
    with st.expander(tr("strategy.mix.parameters"), icon=":material/functions:"):
        params = view.parameter_table(model, lang())
        st.table(params.set_index(params.columns[0]))


def _actions_changed(group: str, key: str) -> None:
    base = live.document(MK)
    if not isinstance(base, MarketingDocument):
        live.notify(MK, "error", tr("strategy.mix.read_only"))
        return
    edits = st.session_state.get(key) or {}
    try:
        doc = view.apply_action_edits(base, group, edits, lang())
    except ValueError as exc:
        live.notify(MK, "error", str(exc).splitlines()[0])
        return
    live.save(MK, doc, base=base, message=f"marketing mix: {group} actions")


def _levers_changed(group: str, key: str) -> None:
    base = live.document(MK)
    if not isinstance(base, MarketingDocument):
        live.notify(MK, "error", tr("strategy.mix.read_only"))
        return
    try:
        doc = view.apply_lever_edits(base, group, st.session_state.get(key) or {}, lang())
    except ValueError as exc:
        live.notify(MK, "error", str(exc).splitlines()[0])
        return
    live.save(MK, doc, base=base, message=f"marketing mix: {group} levers")


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

"""Strategy page plumbing: the lever sliders and their session state, the callbacks of its buttons
and editors (save, open, delete a scenario; start from a scenario or preset; apply a goal-seek
answer; edit the marketing mix) and the actions and levers editors' column configs.

Every error a callback meets is shown with :func:`easymall.core.i18n.error_text` (``strategy.<code>``),
so the Chinese UI reads it in Chinese.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from easymall.core.i18n import error_text, problem_text
from easymall.models.marketing import MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.scenario import edit, view
from easymall.scenario.model import Model, Preset, build_model
from easymall.ui import drafts, live
from easymall.ui.access import rights
from easymall.ui.context import author, lang, literal, tr, txt, workspace
from easymall.ui.widgets import literal_table

MK, SC = "marketing", "scenarios"
#: Session state: the scenario loaded into the sliders, the TOWS strategy they came from, the
#: "Start from" choice, the compared picks, and the last Monte Carlo and goal-seek answers.
LOADED = "strategy_loaded"
FROM_STRATEGY = "strategy_from_strategy"
START = "strategy_start"
COMPARE = "strategy_compare"
MC_STATE = "strategy_mc"
GOAL_STATE = "strategy_goal"
#: Session state: whether the calibration panel (an expander built only while open) is open.
CALIBRATION_OPEN = "strategy_calibration_open"
#: Session keys of the simulator's "Share link" and "Save scenario" popovers (open = True): their
#: contents are built only while open; a scenario's draft reopens the save form after a reload.
SHARE_OPEN = "strategy_share_open"
SAVE_OPEN = "strategy_save_open"


def notify_error(name: str, exc: BaseException) -> None:
    """``exc`` (a CodedError of the scenario area) as one sentence in the UI language."""
    live.notify(name, "error", error_text(exc, lang(), "strategy").splitlines()[0])


def document_problem(name: str) -> str:
    """Why the workspace's document ``name`` does not load: ``file: sentence`` in the UI language."""
    result = workspace().load_safe(name)
    p = result.error.first if result.error else None
    return f"{p.file}: {problem_text(p, lang())}" if p else ""


def tab_key() -> str:
    return f"strategy_tab_{lang()}"


# --------------------------------------------------------------------------- levers


def values(model: Model) -> dict[str, float]:
    """The lever values on the sliders (the baseline for a slider not created yet)."""
    base = model.baseline()
    return view.resolve_levers(model, {k: st.session_state.get(k, v) for k, v in base.items()}).values


def set_levers(model: Model, levers: Mapping[str, float]) -> None:
    for key, value in view.resolve_levers(model, levers).values.items():
        st.session_state[key] = value


def lever_sliders(model: Model) -> None:
    """One expander per 4P group with a slider per lever; each slider's key is the lever id and
    its value is bound to the URL (a shareable link) and kept for the session."""
    levers = model.doc.levers_by_group()
    with st.container(height=820, border=False, key="strategy_sliders"):
        for group in view.GROUPS:
            with st.expander(tr(f"strategy.group.{group}"), expanded=True):
                for lv in levers[group]:
                    if view.display_factor(lv.unit, "zh") != 1.0:
                        _scaled_slider(lv)
                        continue
                    st.slider(view.slider_label(lv, lang()), min_value=lv.min, max_value=lv.max, value=lv.value,
                              step=lv.step, key=lv.id, help=txt(lv.note), format=view.slider_format(lv.step),
                              bind="query-params", persist_state="session")


def share_link(where: Any, model: Model, values: Mapping[str, float]) -> None:
    """The "Share link" popover in ``where``: the page address with these levers (built only while open)."""
    share = where.popover(tr("strategy.share"), icon=":material/link:", width="stretch", key=SHARE_OPEN,
                          on_change="rerun")
    if share.open:
        with share:
            st.caption(tr("strategy.share_help"))
            st.code(view.share_url(st.context.url, view.levers_to_query(model, values), lang()), language=None,
                    wrap_lines=True)


def _scaled_slider(lv: Any) -> None:
    """A lever in CNY m, on a slider in the language's scale (``600`` 万元/月 in Chinese, ``6`` in
    English): the widget (key ``<id>__<lang>``) holds the number shown; the lever's value stays in
    CNY m in ``st.session_state[<id>]`` and in the link (``?<id>=6``), so a shared link opens the same
    scenario in either language, and set_levers / goal seek set it as they set every other lever."""
    f = view.display_factor(lv.unit, lang())
    shown = f"{lv.id}__{lang()}"
    if lv.id not in st.session_state:  # the session's first run: the link's value, else the baseline
        st.session_state[lv.id] = view.lever_from_link(lv, st.query_params.get(lv.id))
    value = float(st.session_state[lv.id])
    if st.session_state.get(shown) != value * f:
        st.session_state[shown] = value * f
    st.slider(view.slider_label(lv, lang()), min_value=lv.min * f, max_value=lv.max * f, step=lv.step * f,
              key=shown, help=txt(lv.note), format=view.slider_format(lv.step * f),
              on_change=_scaled_changed, args=(lv.id, shown, f))
    link = view.lever_link(lv, float(st.session_state[lv.id]))
    if link is None:
        st.query_params.pop(lv.id, None)
    elif st.query_params.get(lv.id) != link:
        st.query_params[lv.id] = link


def _scaled_changed(lever: str, shown: str, factor: float) -> None:
    st.session_state[lever] = float(st.session_state[shown]) / factor


def start_changed(model: Model, scenarios: ScenariosDocument, presets: Sequence[Preset]) -> None:
    start = view.start_from(model, scenarios, presets, st.session_state.get(START) or view.BASELINE)
    st.session_state[LOADED] = start.loaded if start else None
    st.session_state[FROM_STRATEGY] = start.strategy if start else None
    if start is None:  # the scenario or preset is gone: the sliders stay as they are
        return
    if start.loaded and start.name is not None:
        live.notify(SC, "success", tr("strategy.loaded", name=txt(start.name)))
    if start.unknown:
        live.notify(SC, "error", tr("strategy.preset_unknown", id=start.source, levers=", ".join(start.unknown)))
    for warning in start.warnings:
        notify_error(SC, warning)
    set_levers(model, start.values)


def reset(model: Model) -> None:
    set_levers(model, model.baseline())
    st.session_state[LOADED] = None
    st.session_state[FROM_STRATEGY] = None
    st.session_state[START] = view.BASELINE


def apply_goal(model: Model, lever: str, value: float) -> None:
    st.session_state[lever] = model.doc.lever(lever).clamp(value)


def calibration_panel(model: Model, calibration: view.Calibration) -> None:
    """How the baseline was calibrated (each parameter and its source) and the reconciliation of
    the model's yearly GMV and users with the reported figures."""
    if calibration.kind == "problem":
        st.warning(literal(calibration.text), icon=":material/warning:")
    elif calibration.kind == "documented":
        st.info(literal(calibration.text), icon=":material/info:")
    title = calibration.text if calibration.kind == "calibrated" else tr("strategy.calibration_details")
    panel = st.expander(literal(title), icon=":material/tune:", key=CALIBRATION_OPEN, on_change="rerun")
    if not panel.open:  # lazy: the rows and the reconciliation table are built only while it is open
        return
    with panel, st.container(key="strategy_calibration"):
        for row in calibration.rows:
            st.markdown(f"- {literal(row)}")
        st.markdown(f"**{tr('strategy.recon.title')}**")
        table = view.reconciliation_table(model, lang())
        if not table.empty:
            with st.container(key="strategy_reconciliation"):
                literal_table(table, table.columns[0])
        st.caption(literal(view.reconciliation_text(model, lang())))


def current_bands(model: Model, values: Mapping[str, float]) -> Any:
    """The last Monte Carlo bands when they were run for exactly these levers, else None."""
    stored = st.session_state.get(MC_STATE)
    if stored is None or stored[0] != view.mc_signature(model, values):
        return None
    return stored[1]


def kpi_cards(model: Model, result: view.Result, baseline: view.Result, values: Mapping[str, float]) -> None:
    """The headline cards (with their P50 and P10–P90 band once risk has run for these levers), the
    sign warnings and, where a KPI moved against the levers' obvious direction, its drivers."""
    bands = current_bands(model, values)
    cards = view.cards(result, baseline, lang(), bands)
    with st.container(horizontal=True, key="cards_strategy"):  # three a row, as tall as the tallest (the frame's style)
        for card in cards:
            if card.band is None:  # a deterministic plan: the card is the metric (one message, not four)
                st.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, help=card.help,
                          delta_arrow=card.delta_arrow, border=True)
                continue
            with st.container(border=True, key=f"strategy_card_{card.id}"):
                st.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, help=card.help,
                          delta_arrow=card.delta_arrow)
                st.caption(literal(card.band))
    if any(card.band is None for card in cards):
        st.caption(tr("strategy.band.deterministic"))
    for note in view.sign_notes(result, bands, lang()):
        st.warning(literal(note), icon=":material/swap_vert:")
    for why in view.explanations(model, result, baseline, lang()):
        with st.expander(literal(why.headline), icon=":material/help:", expanded=True):
            for row in why.rows:
                st.markdown(f"- {literal(row)}")


def goal_metric_changed(model: Model) -> None:
    """A new goal-seek metric starts from its own default target, in its own displayed unit."""
    metric = st.session_state.get("strategy_goal_metric")
    st.session_state["strategy_goal_target"] = view.goal_default(model, metric, lang())


def goal_target(where: Any, model: Model, metric: str, unit: str) -> float:
    """The target input, in the scale the metric's figures are displayed in (亿元, 万, ¥ bn, m ...)."""
    if "strategy_goal_target" not in st.session_state:
        st.session_state["strategy_goal_target"] = view.goal_default(model, metric, lang())
    return where.number_input(tr("strategy.goal.target", unit=view.target_unit(unit, lang())),
                              step=view.target_step(unit, lang()), format="%g", key="strategy_goal_target")


# --------------------------------------------------------------------------- scenarios


def save_scenario(model: Model) -> None:
    base = live.document(SC)
    if not isinstance(base, ScenariosDocument):
        base = ScenariosDocument()
    loaded = st.session_state.get(LOADED) if st.session_state.get("strategy_save_replace") else None
    try:
        doc, sid = edit.with_scenario(base, model, st.session_state.get("strategy_save_name", ""),
                                      st.session_state.get("strategy_save_notes", ""), author(), values(model), lang(),
                                      strategy=st.session_state.get(FROM_STRATEGY), replace=loaded)
    except edit.EditError as exc:
        notify_error(SC, exc)
        return
    outcome = live.save(SC, doc, base=base, message=f"scenario {sid}")
    drafts.done(SC, SAVE_EDITOR, outcome.ok)
    if outcome.ok:
        st.session_state[LOADED] = sid
        st.session_state["strategy_save_name"] = ""
        st.session_state["strategy_save_notes"] = ""
        st.session_state[COMPARE] = view.picks_after_save(st.session_state.get(COMPARE), sid)


#: The save form's editor: a new scenario's name and notes (widget keys ``strategy_save_name`` / ``_notes``).
SAVE_EDITOR = "scenario:new"


def scenario_editor(scenarios: ScenariosDocument) -> drafts.Editor:
    """The save form's name and notes, kept for this person server-side until saved or discarded."""
    return drafts.editor(SC, SAVE_EDITOR, scenarios, lambda _doc: {"name": "", "notes": ""},
                         lambda f, _rev: f"strategy_save_{f}", label=("strategy.draft_scenario", {}),
                         select={SAVE_OPEN: True})


def open_scenario(sid: str) -> None:
    st.session_state[START] = f"scenario:{sid}"
    doc = live.document(SC)
    marketing = live.document(MK)
    if isinstance(doc, ScenariosDocument) and isinstance(marketing, MarketingDocument):
        model = build_model(marketing)
        s = doc.get(sid)
        if s is not None:
            set_levers(model, view.scenario_levers(model, s).values)
            st.session_state[LOADED] = sid
            st.session_state[tab_key()] = tr("strategy.tab.simulator")


def delete_scenario(sid: str) -> None:
    base = live.document(SC)
    scenario = base.get(sid) if isinstance(base, ScenariosDocument) else None
    if scenario is None:
        return
    outcome = live.save(SC, edit.without_scenario(base, sid), base=base, message=f"delete scenario {sid}", quiet=True)
    if outcome.ok:
        live.notify(SC, "success", tr("strategy.compare.deleted", name=txt(scenario.name)))
        if st.session_state.get(LOADED) == sid:
            st.session_state[LOADED] = None


# --------------------------------------------------------------------------- marketing mix


def _mix_changed(group: str, key: str, apply: Any, what: str) -> None:
    base = live.document(MK)
    if not isinstance(base, MarketingDocument):
        live.notify(MK, "error", tr("strategy.mix.read_only"))
        return
    try:
        doc = apply(base, group, st.session_state.get(key) or {}, lang())
    except edit.EditError as exc:
        notify_error(MK, exc)
        return
    live.save(MK, doc, base=base, message=f"marketing mix: {group} {what}")


def actions_changed(group: str, key: str) -> None:
    _mix_changed(group, key, edit.apply_action_edits, "actions")


def levers_changed(group: str, key: str) -> None:
    _mix_changed(group, key, edit.apply_lever_edits, "levers")


def may_edit() -> bool:
    """True when this person may save scenarios and edit the mix (see :func:`easymall.ui.access.rights`)."""
    return rights().edit


def delete_button(col: Any, sid: str) -> None:
    """The saved scenario's delete button (none for a person who may not edit)."""
    if may_edit():
        col.button(tr("strategy.compare.delete"), key=f"strategy_delete_{sid}", on_click=delete_scenario, args=(sid,),
                   icon=":material/delete:", width="stretch")


#: Column order of the two marketing-mix editors.
ACTIONS_ORDER = ["title", "description", "owner", "cost", "segments", "strategy", "levers"]
LEVERS_ORDER = ["label", "unit", "value", "min", "max", "step", "mc_low", "mc_high", "note"]


def actions_columns(segments: Mapping[str, str], strategies: Mapping[str, str],
                    lever_names: Mapping[str, str]) -> dict[str, Any]:
    cc = st.column_config
    return {
        "title": cc.TextColumn(tr("strategy.mix.col.title"), width="medium", required=True),
        "description": cc.TextColumn(tr("strategy.mix.col.description"), width="large"),
        "owner": cc.TextColumn(tr("strategy.mix.col.owner"), width="small"),
        "cost": cc.NumberColumn(tr("strategy.mix.col.cost"), min_value=0, format="%.0f"),  # sized to its header
        "segments": cc.MultiselectColumn(tr("strategy.mix.col.segments"), options=list(segments) or None,
                                         format_func=lambda s: segments.get(s, s), width="medium"),
        "strategy": cc.SelectboxColumn(tr("strategy.mix.col.strategy"), options=[view.NO_STRATEGY, *strategies],
                                       format_func=lambda s: strategies.get(s, s), width="small"),
        "levers": cc.MultiselectColumn(tr("strategy.mix.col.levers"), options=list(lever_names),
                                       format_func=lambda k: lever_names.get(k, k), width="medium"),
    }


def levers_columns() -> dict[str, Any]:
    cc = st.column_config
    number = {c: cc.NumberColumn(tr(f"strategy.mix.col.{c}"), format="%g")  # sized to their headers, never cut
              for c in ("value", "min", "max", "step", "mc_low", "mc_high")}
    return {"label": cc.TextColumn(tr("strategy.mix.col.label"), width="medium"),
            "unit": cc.TextColumn(tr("strategy.mix.col.unit"), width="small"),
            "note": cc.TextColumn(tr("strategy.mix.col.note"), width="large"), **number}


# --------------------------------------------------------------------------- readable action cards


def action_cards(marketing: MarketingDocument, group: str, segments: Mapping[str, str],
                 strategies: Mapping[str, str], levers: Mapping[str, str]) -> None:
    """The actions of one group as cards with their whole text (the table below edits them): title,
    description, owner and budget, the segments it targets, the strategy it implements, its levers."""
    actions = [a for a in marketing.actions if a.group == group]
    sep = "、" if lang() == "zh" else ", "
    for start in range(0, len(actions), 2):
        for col, a in zip(st.columns(2), actions[start:start + 2], strict=False):
            with col.container(border=True, height="stretch", key=f"strategy_action_card_{a.id}"):
                st.markdown(f"**{live.literal(txt(a.title))}**")
                st.markdown(live.literal(txt(a.description)))
                st.caption(tr("strategy.mix.card_meta", owner=live.literal(txt(a.owner)),
                              cost=view.budget(a.cost, lang())))
                if a.segments:
                    st.caption(tr("strategy.mix.card_segments", segments=live.literal(
                        sep.join(segments.get(s, s) for s in a.segments))))
                if a.strategy:
                    st.caption(tr("strategy.mix.card_strategy", strategy=live.literal(
                        strategies.get(a.strategy, a.strategy))))
                if a.levers:
                    st.caption(tr("strategy.mix.card_levers", levers=live.literal(
                        sep.join(levers.get(lv, lv) for lv in a.levers))))

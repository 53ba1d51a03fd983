"""Survey widgets shared by pages: the active dataset (shared cache) and the global sidebar filters.

Other pages reuse the Survey page's filters::

    from easymall.ui.survey import active_survey, survey_filters
    loaded = active_survey()            # Loaded(dataset, report, flags, sha256) or None
    mask = survey_filters()             # bool array over loaded.dataset.frame rows (renders the sidebar)
    weights = survey_weights()          # pd.Series or None (the weight column chosen on the Survey page)

The chosen filters live in ``st.session_state["survey_filter_state"]`` so they persist while
moving between pages (widget state alone is dropped when a page does not draw the widget).

Charts are shared across sessions (issue 14): :func:`results_grid` builds a page of the question
charts and the messages Streamlit sends for them once per (dataset, questionnaire, rows the filters
keep, weights — :func:`data_key` —, page, language) and replays the messages from Streamlit's cache for
every later run and session; at most :data:`GRID_CACHE_ENTRIES` pages are kept (least recently used
go first). A chart downloads as PNG from its modebar (:func:`chart_config`).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from easymall.charts import survey as survey_charts
from easymall.core.text import Lang
from easymall.models.survey import SurveyDocument
from easymall.survey import analysis, view
from easymall.survey.datasets import Loaded, active_loaded
from easymall.survey.view import Metric, Table, activation_text, make_active
from easymall.ui import live
from easymall.ui.context import author, lang, literal, tr, tr_literal, workspace

STATE = "survey_filter_state"
#: ``("ok" | "error", sentence)`` left by the last import or join, shown on the next run.
OUTCOME = "survey_upload_result"
#: Whether the sentences in ``OUTCOME`` were shown (a new batch of uploads then starts a new list).
SHOWN = "survey_upload_result_shown"
#: Pages of the results grid (their Streamlit messages) kept across sessions; each is up to a few
#: hundred kB (24 charts).
GRID_CACHE_ENTRIES = 256


def survey_doc() -> SurveyDocument:
    doc = workspace().load_safe("survey").doc
    return doc if isinstance(doc, SurveyDocument) else SurveyDocument()


def active_survey() -> Loaded | None:
    """The workspace's active dataset, parsed once per content hash and shared by all sessions."""
    return active_loaded(workspace())


def _state() -> dict:
    state = st.session_state.get(STATE)
    if not isinstance(state, dict):
        state = {"questions": [], "values": {}, "exclude": [], "weight": None, "sha": None}
        st.session_state[STATE] = state
    return state


def _sync(key: str, field: str, qid: str | None = None) -> None:
    state = _state()
    value = st.session_state.get(key)
    if qid is None:
        state[field] = value
    else:
        state["values"][qid] = value


def filter_summary(loaded: Loaded) -> str:
    """One line naming the filters in force (for captions and exports)."""
    state = _state()
    doc = survey_doc()
    parts = []
    for qid in state["questions"]:
        value = state["values"].get(qid)
        if value and loaded.dataset.has(qid):
            if isinstance(value, (tuple, list)) and len(value) == 2 and loaded.dataset.question(qid).type == "numeric":
                parts.append(f"{qid} {value[0]:g}–{value[1]:g}")
            else:
                parts.append(f"{qid} = " + " / ".join(doc.option_text(qid, str(v), lang()) for v in value))
    if state["exclude"]:
        parts.append(tr("survey.filter_excluding", flags=", ".join(tr(f"survey.flag_{f}") for f in state["exclude"])))
    return "; ".join(parts)


def survey_filters(loaded: Loaded | None = None, *, container=None) -> np.ndarray | None:
    """Draw the global survey filters in the sidebar and return the rows they keep (None: no dataset)."""
    loaded = loaded or active_survey()
    if loaded is None:
        return None
    ds = loaded.dataset
    state = _state()
    if state.get("sha") != loaded.sha256:  # another dataset became active: old filters do not apply
        # test / preview / spam responses are left out until the user includes them
        exclude = list(dict.fromkeys([*state["exclude"], *loaded.flags.default_excluded()]))
        state.update(questions=[], values={}, sha=loaded.sha256, exclude=exclude)
    doc = survey_doc()
    box = container or st.sidebar
    candidates = analysis.filterable_questions(ds)
    ids = [q.id for q in candidates]
    titles = {q.id: f"{q.id} · {doc.question_title(q.id, lang(), q.title)}" for q in candidates}
    with box:
        st.markdown(f"**{tr('survey.filters')}**")
        chosen_key = "survey_filter_questions"
        st.session_state[chosen_key] = [q for q in state["questions"] if q in ids]
        st.multiselect(tr("survey.filter_by"), ids, key=chosen_key, format_func=lambda q: titles.get(q, q),
                       placeholder=tr("survey.filter_by_placeholder"), on_change=_sync,
                       args=(chosen_key, "questions"))
        for qid in state["questions"]:
            if qid not in ids:
                continue
            q = ds.question(qid)
            key = f"survey_filter_{qid}"
            if q.type == "numeric":
                col = pd.to_numeric(ds.frame[qid], errors="coerce")
                lo, hi = float(np.nanmin(col)), float(np.nanmax(col))
                if not np.isfinite(lo) or lo == hi:
                    continue
                cur = state["values"].get(qid) or (lo, hi)
                st.session_state[key] = (max(lo, float(cur[0])), min(hi, float(cur[1])))
                st.slider(titles[qid], lo, hi, key=key, on_change=_sync, args=(key, "values", qid))
            else:
                st.session_state[key] = [v for v in (state["values"].get(qid) or []) if v in q.options]
                st.multiselect(titles[qid], q.options, key=key,
                               format_func={o: doc.option_text(qid, o, lang()) for o in q.options}.get,
                               placeholder=tr("survey.filter_any"), on_change=_sync, args=(key, "values", qid))
        ex_key = "survey_filter_exclude"
        counts = loaded.flags.counts()
        keys = loaded.flags.keys  # FLAGS, and the platform's own (test responses, incomplete) where it has them
        st.session_state[ex_key] = [f for f in state["exclude"] if f in keys]
        st.multiselect(tr("survey.exclude_flagged"), list(keys), key=ex_key,
                       format_func={f: tr("survey.flag_count", flag=tr(f"survey.flag_{f}"), n=counts.get(f, 0))
                                    for f in keys}.get,
                       placeholder=tr("survey.exclude_none"), on_change=_sync, args=(ex_key, "exclude"),
                       help=tr("survey.exclude_help"))
    filters = {qid: state["values"].get(qid) for qid in state["questions"] if state["values"].get(qid)}
    chosen = [f for f in state["exclude"] if f in loaded.flags.keys]
    exclude = loaded.flags.any_of(chosen).to_numpy() if chosen else None
    filters = {k: (tuple(v) if ds.has(k) and ds.question(k).type == "numeric" else list(v)) for k, v in filters.items()}
    return analysis.filter_mask(ds, filters, exclude)


def survey_weights(loaded: Loaded | None = None) -> pd.Series | None:
    """The weight column chosen on the Survey page (None: unweighted)."""
    loaded = loaded or active_survey()
    if loaded is None:
        return None
    return analysis.weights_of(loaded.dataset, _state().get("weight"))


def weight_picker(loaded: Loaded) -> pd.Series | None:
    """A select box for the weight column (stored with the filters); returns the weights."""
    state = _state()
    options = ["", *analysis.weight_candidates(loaded.dataset)]
    key = "survey_weight_pick"
    st.session_state[key] = state.get("weight") if state.get("weight") in options else ""
    doc = survey_doc()
    st.selectbox(tr("survey.weight_by"), options, key=key, on_change=_sync, args=(key, "weight"),
                 format_func={c: tr("survey.unweighted") if not c else f"{c} · {doc.question_title(c, lang(), c)}"
                              for c in options}.get, help=tr("survey.weight_help"))
    return analysis.weights_of(loaded.dataset, state.get("weight"))


# --------------------------------------------------------------------------- rendering helpers of the Survey page


def metrics(items: Sequence[Metric], cols: Sequence | None = None) -> None:  # noqa: ANN001
    """One ``st.metric`` per item, each in its own column (``cols``, or a new row of columns)."""
    for col, m in zip(cols if cols is not None else st.columns(len(items)), items, strict=False):
        col.metric(m.label, m.value, help=m.help)


def progress_table(table: Table) -> None:
    """A dataframe whose ``table.bar`` column is drawn as a progress bar."""
    st.dataframe(table.rows, column_config={table.bar: st.column_config.ProgressColumn(
        format=table.bar_format, min_value=table.low, max_value=table.high)}, hide_index=True, width="stretch")


def import_once(up, done_key: str, do_import: Callable[[str, bytes], tuple[str, str]]) -> None:  # noqa: ANN001
    """Import each uploaded file once (``up``: one file or a list; ``done_key`` remembers their ids
    across reruns): keep the outcome ``do_import(name, data)`` returns for each, for the next run
    (see :func:`import_outcome`), and rerun. Files dropped while an import runs are imported on the
    next run; every one leaves a sentence."""
    files = [f for f in (up if isinstance(up, list) else [up]) if f is not None]
    done = st.session_state.get(done_key)
    done = list(done) if isinstance(done, (list, tuple)) else ([done] if done else [])
    new = [f for f in files if f.file_id not in done]
    if not new:
        return
    outcomes = st.session_state.get(OUTCOME)
    if st.session_state.get(SHOWN, True) or not isinstance(outcomes, list):
        outcomes = []  # the last batch's sentences were shown: start a new list
    st.session_state[SHOWN] = False
    for f in new:
        done.append(f.file_id)
        st.session_state[done_key] = done
        with st.spinner(tr_literal("survey.importing", name=f.name)):
            outcomes.append(do_import(f.name, f.getvalue()))
            st.session_state[OUTCOME] = outcomes  # kept at once: a rerun that interrupts the batch loses none
    st.rerun()


def import_outcome(*, clear: bool = False) -> None:
    """Show the sentences the last imports or join left (or forget them: ``clear``)."""
    if clear:
        st.session_state[OUTCOME] = None
        return
    results = st.session_state.get(OUTCOME)
    if isinstance(results, tuple):
        results = [results]
    for kind, sentence in results or []:
        (st.success if kind == "ok" else st.error)(
            literal(sentence), icon=":material/check_circle:" if kind == "ok" else ":material/error:")
    if results:
        st.session_state[SHOWN] = True


# --------------------------------------------------------------------------- making a dataset the team's


ASK = "survey_activate_ask"


def ask_activation(name: str) -> None:
    st.session_state[ASK] = name


def _activate(name: str, who: str) -> None:
    make_active(workspace(), name, author=who)
    st.session_state[ASK] = None
    import_outcome(clear=True)


def _cancel_activation() -> None:
    st.session_state[ASK] = None


def activation_confirm(ws: Any, d: Any) -> None:
    """The confirmation under a dataset whose "Make active" was clicked: what changes for everyone
    (pages and KPIs), who it is recorded as, then "Make it active" / "Cancel"."""
    if st.session_state.get(ASK) != d.name:
        return
    with st.container(border=True, key=f"survey_activate_box_{d.name}"):
        st.markdown(f"**{tr('survey.activate_title')}**")
        st.markdown(literal(activation_text(d, lang())))
        who = author()
        st.caption(tr_literal("survey.activate_as", who=who) if who else tr("survey.activate_needs_name"))
        c1, c2, _ = st.columns([1, 1, 3])
        c1.button(tr("survey.activate_yes"), type="primary", key="survey_activate_yes", disabled=not who,
                  on_click=_activate, args=(d.name, who))
        c2.button(tr("survey.remove_no"), key="survey_activate_no", on_click=_cancel_activation)


# --------------------------------------------------------------------------- charts shared across sessions


def data_key(loaded: Loaded, doc: SurveyDocument, mask: np.ndarray | None, weights: pd.Series | None) -> str:
    """What a chart of the active dataset depends on, as one string: the dataset's content hash, the
    questionnaire (titles, option texts), the rows kept (the filters' mask itself, so two sessions
    share a chart only when they show the same respondents) and the weights."""
    h = hashlib.blake2b(digest_size=16)
    h.update(loaded.sha256.encode())
    h.update(doc.model_dump_json().encode())
    if mask is not None:
        keep = np.asarray(mask, dtype=bool)
        h.update(b"mask%d:" % keep.size)
        h.update(np.packbits(keep).tobytes())
    if weights is not None:
        h.update(b"weights:" + str(weights.name).encode())
        h.update(pd.util.hash_pandas_object(weights, index=False).to_numpy().tobytes())
    return h.hexdigest()


def question_figure(loaded: Loaded, qid: str, mask: np.ndarray | None, weights: pd.Series | None,
                    doc: SurveyDocument, language: Lang) -> go.Figure:
    """One question's chart."""
    return survey_charts.question_figure(view.summarize(loaded.dataset, qid, mask, weights), language, doc,
                                         weights is not None)


def chart_config(name: str) -> dict[str, Any]:
    """A survey chart's Plotly config: the modebar's camera downloads it as ``name.png`` at 1400 px
    wide (drawn by the viewer's browser, as shown: no server work, nothing for a rerun to send)."""
    return {"displaylogo": False, "toImageButtonOptions": {"filename": name, "width": 1400, "scale": 1}}


@st.cache_data(max_entries=GRID_CACHE_ENTRIES, show_spinner=False)
def _grid(data: str, page: int, language: str, _loaded: Loaded, _mask: np.ndarray | None,
          _weights: pd.Series | None, _doc: SurveyDocument) -> None:
    """Draw one page of the results grid; on a hit Streamlit replays the recorded messages (no
    summary, no figure, no JSON). Only ``data``, ``page`` and ``language`` key it (see the module doc)."""
    ds = _loaded.dataset
    cols = st.columns(2, gap="medium")
    for i, q in enumerate(view.page_of(view.charted_questions(ds), page)):
        with cols[i % 2], st.container(border=True):
            st.plotly_chart(question_figure(_loaded, q.id, _mask, _weights, _doc, language),
                            key=f"survey_chart_{q.id}", config=chart_config(q.id))
    for q in view.page_of(view.text_questions(ds), page):
        s = view.summarize(ds, q.id, _mask, _weights)
        with st.expander(literal(view.text_answers_title(s, _doc, language))):
            st.dataframe({tr("survey.col_answer"): s.texts}, hide_index=True, width="stretch")


def results_grid(loaded: Loaded, mask: np.ndarray | None, weights: pd.Series | None, doc: SurveyDocument,
                 page: int = 1) -> None:
    """One page of the per-question charts (and the free-text answers), shared across sessions:
    built once per :func:`data_key`, page and language (keyword arguments: Streamlit then hashes
    three short values and looks up no signature)."""
    _grid(data=data_key(loaded, doc, mask, weights), page=int(page), language=lang(), _loaded=loaded,
          _mask=mask, _weights=weights, _doc=doc)


# --------------------------------------------------------------------------- platform and question overrides


def _keep(change: view.Change, base: SurveyDocument, message: str) -> None:
    """Save a checked correction of survey.yaml; its sentence (or why not) shows on the next run."""
    kind = "error"
    if change.doc is not None:
        out = live.save("survey", change.doc, base=base, message=message, quiet=True)
        kind = "ok" if out.ok else "error"
        sentence = change.message if kind == "ok" else out.message
    else:
        sentence = change.message
    st.session_state[OUTCOME] = [(kind, sentence)]
    st.session_state[SHOWN] = False


def import_settings(loaded: Loaded, doc: SurveyDocument) -> None:
    """The platform of the active import (detected or kept), its metadata, and question overrides."""
    ws, report, ds = workspace(), loaded.report, loaded.dataset
    with st.expander(tr("survey.import_settings_title"), icon=":material/tune:"):
        st.caption(literal(view.platform_caption(report, doc, lang())))
        current = view.platform_choice(report, doc)
        key = f"survey_platform_{report.signature}"
        st.session_state.setdefault(key, current)
        choice = st.selectbox(tr("survey.platform_pick"), view.PLATFORM_CHOICES, key=key,
                              format_func={p: tr(f"survey.platform_{p}") for p in view.PLATFORM_CHOICES}.get)
        if choice != current and st.button(tr("survey.platform_apply"), key="survey_platform_apply", type="primary"):
            _keep(view.set_platform(ws, loaded, doc, choice, lang()), doc, f"platform of {report.signature}: {choice}")
            st.rerun()
        st.markdown(f"**{tr('survey.metadata_title')}**")
        rows = view.metadata_rows(report, lang())
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch", height=min(300, 38 + 35 * len(rows)))
        else:
            st.caption(tr("survey.metadata_none"))
        st.markdown(f"**{tr('survey.override_title')}**")
        ids = [q.id for q in ds.questions]
        c1, c2 = st.columns([3, 2])
        titles = {q.id: f"{q.id} · {q.title}"[:90] for q in ds.questions}
        qid = c1.selectbox(tr("survey.override_question"), ids, key="survey_override_q", format_func=titles.get)
        q = ds.question(qid)
        types = ["keep", *view.retype_choices(q)]
        names = {x: tr("survey.override_keep") if x == "keep" else tr(f"survey.type_{x}") for x in types}
        new_type = c2.selectbox(tr("survey.override_type"), types, key=f"survey_override_type_{qid}",
                                format_func=names.get)
        split = st.checkbox(tr("survey.override_split"), key=f"survey_override_split_{qid}") if view.can_split(q) else False
        mergeable = view.merge_choices(loaded, q)
        merge = st.multiselect(tr("survey.override_merge"), mergeable, key=f"survey_override_merge_{qid}",
                               format_func=titles.get, placeholder=tr("widget.choose")) if mergeable else []
        if st.button(tr("survey.override_apply"), key="survey_override_apply", icon=":material/save:"):
            change = view.set_override(loaded, doc, qid, type=None if new_type == "keep" else new_type,
                                       split_rows=split, merge_with=merge, lang=lang())
            _keep(change, doc, f"question override {qid}")
            st.rerun()
        for oid, what in view.override_rows(doc, lang()):
            c1, c2 = st.columns([5, 1])
            c1.caption(literal(f"{oid}: {what}"))
            if c2.button(tr("survey.override_remove"), key=f"survey_override_remove_{oid}"):
                _keep(view.remove_override(doc, oid, lang()), doc, f"remove question override {oid}")
                st.rerun()

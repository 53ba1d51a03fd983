"""Small rendering helpers shared by pages; every figure through :func:`easymall.core.units.format_value`."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from easymall.core.units import format_value
from easymall.models.kpis import display_unit
from easymall.models.market import Fact
from easymall.overview.view import fact_note, fact_value
from easymall.ui.context import fine_print, lang, literal, tr, txt

_BADGE_COLOR = {"sourced": "green", "unverified": "orange", "conflicting": "red"}
_BADGE_ICON = {"sourced": ":material/verified:", "unverified": ":material/help:", "conflicting": ":material/warning:"}


def _badge_markdown(status: str) -> str:
    """A coloured badge for a fact's verification status, as Markdown (a card's line, a table cell)."""
    return f":{_BADGE_COLOR[status]}-badge[{_BADGE_ICON[status]} {tr(f'status.{status}')}]"


def facts_table(facts: Sequence[Fact]) -> None:
    """Every market fact in one Markdown table — label, figure as stated, year, status badge, source
    and what sources say instead or the caveat — drawn as one element (a rerun sends one message,
    not a row of columns per fact). Every cell is shown literally."""
    head = [tr(k) for k in ("overview.col_fact", "overview.col_value", "overview.col_year",
                            "overview.col_status", "overview.col_source")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [f"| {literal(txt(f.label))} | {literal(fact_value(f, lang()))} | {f.year} | {_badge_markdown(f.status)} "
              f"| :small[{literal(fact_note(f, lang()))}] |" for f in facts]
    st.markdown("\n".join(lines))


def format_kpi(kpi_id: str, value: float | None, unit: str) -> str:
    """A survey KPI's figure in the UI language (kept for pages not yet on their area's view)."""
    return format_value(value, display_unit(kpi_id, unit), lang())


def fact_card(fact: Fact, label_key: str | None = None) -> None:
    """A metric card for a market fact: the stated value, its status badge, source and alternative."""
    with st.container(border=True):
        label = tr(label_key) if label_key else literal(txt(fact.label))
        st.metric(label, fact_value(fact, lang()))
        notes = []
        if fact.alternative is not None:
            notes.append(tr("overview.sourced_alt", text=literal(txt(fact.alternative.text))))
        elif fact.caveat is not None:
            notes.append(literal(txt(fact.caveat)))
        notes.append(literal(txt(fact.source)))
        # the badge and the small print: one element under the figure
        st.markdown("\n\n".join([_badge_markdown(fact.status), *map(fine_print, notes)]))


def literal_table(frame: pd.DataFrame, index: str | None = None) -> None:
    """``st.table`` of ``frame`` (indexed by its column ``index``): ``st.table`` renders Markdown in
    headers and cells, so every text — names typed by users included — is shown literally."""
    shown = frame.rename(columns=lambda c: literal(str(c)))
    for c in shown.columns:
        if shown[c].dtype == object or pd.api.types.is_string_dtype(shown[c]):
            shown[c] = shown[c].map(lambda v: literal(v) if isinstance(v, str) else v)
    st.table(shown.set_index(literal(index)) if index is not None else shown)

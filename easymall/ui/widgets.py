"""Small rendering helpers shared by pages."""
from __future__ import annotations

import math

import streamlit as st

from easymall.models.market import Fact
from easymall.ui.context import tr, txt

_BADGE_COLOR = {"sourced": "green", "unverified": "orange", "conflicting": "red"}
_BADGE_ICON = {"sourced": ":material/verified:", "unverified": ":material/help:", "conflicting": ":material/warning:"}


def status_badge(status: str) -> None:
    """A coloured badge for a fact's verification status."""
    st.badge(tr(f"status.{status}"), color=_BADGE_COLOR[status], icon=_BADGE_ICON[status])


def format_value(value: float | None, unit: str) -> str:
    """A figure with its unit, for people (``¥120.7 bn``, ``23.4%``, ``253 m users``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit in ("CNY bn", "CNY tn", "CNY m"):
        scale = unit.split()[1]
        return f"¥{value:,.{0 if value >= 100 else 1 if value >= 10 else 2}f} {scale}".replace(".0 ", " ")
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "million users":
        return f"{value:,.0f} m"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "yuan":
        return f"¥{value:,.0f}"
    if unit == "score":
        return f"{value:+.1f}" if abs(value) >= 1.5 or value == 0 else f"{value:.2f}"
    return f"{value:,.0f}"


def fact_card(fact: Fact, label_key: str | None = None) -> None:
    """A metric card for a market fact: the stated value, its status badge, source and alternative."""
    with st.container(border=True):
        label = tr(label_key) if label_key else txt(fact.label)
        value = format_value(fact.value, fact.unit) if fact.value is not None else (fact.date or "")
        st.metric(label, value)
        status_badge(fact.status)
        if fact.alternative is not None:
            st.caption(tr("overview.sourced_alt", text=txt(fact.alternative.text)))
        elif fact.caveat is not None:
            st.caption(txt(fact.caveat))
        st.caption(txt(fact.source))

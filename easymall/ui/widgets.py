"""Small rendering helpers shared by pages."""
from __future__ import annotations

import math

import streamlit as st

from easymall.models.market import Fact
from easymall.ui.context import lang, tr, txt

_BADGE_COLOR = {"sourced": "green", "unverified": "orange", "conflicting": "red"}
_BADGE_ICON = {"sourced": ":material/verified:", "unverified": ":material/help:", "conflicting": ":material/warning:"}


def status_badge(status: str) -> None:
    """A coloured badge for a fact's verification status."""
    st.badge(tr(f"status.{status}"), color=_BADGE_COLOR[status], icon=_BADGE_ICON[status])


def format_value(value: float | None, unit: str, language: str | None = None) -> str:
    """A figure with its unit, for people, in the UI language.

    ``¥120.7 bn`` / ``1,207 亿元``, ``¥3.09 tn`` / ``3.09 万亿元``, ``253 m`` / ``2.53 亿``, ``23.4%``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    zh = (language or lang()) == "zh"
    if unit == "CNY bn":
        return f"{value * 10:,.0f} 亿元" if zh else f"¥{value:,.{0 if value >= 100 else 1}f} bn"
    if unit == "CNY tn":
        return f"{value:,.2f} 万亿元" if zh else f"¥{value:,.2f} tn"
    if unit == "CNY m":
        return f"{value * 100:,.0f} 万元" if zh else f"¥{value:,.1f} m"
    if unit == "million users":
        if zh:
            return f"{value / 100:,.2f} 亿" if value >= 100 else f"{value * 100:,.0f} 万"
        return f"{value:,.0f} m"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "yuan":
        return f"{value:,.0f} 元" if zh else f"¥{value:,.0f}"
    if unit == "score":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def format_kpi(kpi_id: str, value: float | None, unit: str) -> str:
    """A survey KPI: shares as %, NPS as a signed whole number, mean scores to two decimals."""
    if kpi_id == "nps" and value is not None and not math.isnan(value):
        return f"{value:+.0f}".replace("-", "−")
    return format_value(value, unit)


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

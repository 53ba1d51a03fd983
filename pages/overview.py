"""Overview: the market in figures (with sources and status) and the study's four problems."""
from __future__ import annotations

import streamlit as st

from easymall.charts import overview as charts
from easymall.overview.view import (
    ProblemView,
    kpi_value,
    market_cards,
    problem_views,
    roles_unmapped,
)
from easymall.ui.context import lang, literal, tr, tr_literal, txt, workspace
from easymall.ui.frame import page
from easymall.ui.shared import plotly_chart
from easymall.ui.widgets import fact_card, facts_table


def render() -> None:
    ws = workspace()
    market = ws.load_safe("market").doc
    st.title(tr("overview.title"))
    st.caption(tr("overview.subtitle"))
    if market is None:
        return
    _problems(problem_views(ws, market))
    _market(market)


def _problems(views: list[ProblemView]) -> None:
    st.subheader(tr("overview.problems"))
    if views and views[0].dataset_name:
        st.caption(tr_literal("overview.problems_caption", dataset=views[0].dataset_name, n=views[0].n))
    else:
        st.info(tr("overview.no_survey"), icon=":material/info:")
    if roles_unmapped(views):
        with st.container(border=True, key="overview_no_roles"):
            st.warning(tr_literal("overview.no_roles", dataset=views[0].dataset_name), icon=":material/link_off:")
            st.page_link(page("survey"), label=tr("overview.no_roles_link"), icon=":material/fact_check:")
    for col, view in zip(st.columns(len(views) or 1), views, strict=False):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"#### {literal(txt(view.problem.title))}\n\n{literal(txt(view.problem.claim))}")
            for kpi in view.kpis:
                st.metric(tr(f"kpi.{kpi.id}"), kpi_value(kpi.id, kpi.value, kpi.unit, lang()))
                st.caption(tr("overview.ci", n=f"{kpi.n:,}", low=kpi_value(kpi.id, kpi.low, kpi.unit, lang()),
                              high=kpi_value(kpi.id, kpi.high, kpi.unit, lang())))


def _market(market) -> None:
    st.subheader(tr("overview.market"))
    st.caption(tr("overview.market_caption"))
    cards = market_cards(market)
    for col, (fact, key) in zip(st.columns(len(cards)), cards, strict=True):
        with col:
            fact_card(fact, key)
    left, right = st.columns(2)
    with left:  # each chart built once per (market document, language), shared by every session
        plotly_chart(charts.double11_vs_walmart, market, lang(), key="ov_double11")
    with right:
        plotly_chart(charts.online_retail, market, lang(), key="ov_online")
    with left:
        plotly_chart(charts.deposit_pressure, market, lang(), key="ov_deposits")
    with right:
        plotly_chart(charts.easymall_gmv, market, lang(), key="ov_gmv")
    st.caption(tr("overview.context_2022"))
    with st.expander(tr("overview.facts_table")):
        facts_table(market.facts)


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

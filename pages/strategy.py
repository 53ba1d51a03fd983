"""strategy page (being built)."""
import streamlit as st


def render() -> None:
    st.info("This page is being built.")

"""strategy page (being built)."""
import streamlit as st


def render() -> None:
    st.info("This page is being built.")


if __name__ == "__main__":  # a cold deep link: run inside the real frame
    from easymall.ui.frame import run

    run()

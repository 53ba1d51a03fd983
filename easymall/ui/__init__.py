"""Streamlit helpers shared by pages (may import streamlit; the rest of easymall may not)."""

"""Purity rules of the codebase: the domain never imports streamlit; pages define render() and run in the frame."""
from __future__ import annotations

import re

from tests.conftest import ROOT


def test_domain_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT)) for p in (ROOT / "easymall").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "easymall").parts
        and re.search(r"^\s*(import streamlit|from streamlit)", p.read_text("utf-8"), re.M)
    ]
    assert offenders == []


def test_pages_define_render_and_run_inside_the_frame_on_a_cold_deep_link() -> None:
    for path in ROOT.glob("pages/[!_]*.py"):
        src = path.read_text("utf-8")
        assert "\ndef render(" in src, path.name
        assert re.search(r'if __name__ == "__main__":.*\n.*from easymall\.ui\.frame import run\n\s*\n?\s*run\(\)', src), path.name

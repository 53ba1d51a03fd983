"""Every page, every tab, with Markdown and HTML planted in an author name, SWOT texts, a segment
name, a scenario name and a dataset's file name: each Markdown body carries them escaped (shown
literally), never as an image, a link or a tag."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from easymall.core.text import markdown_literal
from tests.conftest import ROOT
from tests.hostile import AUTHOR, FILE_NAME, HOSTILE, RAW, plant

APP = str(ROOT / "app.py")
#: page → (session key of its tabs, the tab labels to open); None: no tabs
WALK = {
    "pages/overview.py": (None, [None]),
    "pages/survey.py": ("survey_view", ["results", "kpis", "crosstab", "quality", "data"]),
    "pages/segments.py": ("segments_tab", ["Segmentation", "Explorer", "Targeting", "Positioning"]),
    "pages/strategy.py": ("strategy_tab_en", ["Simulator", "Compare scenarios", "Sensitivity and risk", "Goal seek",
                                              "Marketing mix"]),
    "pages/swot.py": ("swot_tab", ["SWOT", "IFE · EFE · IE · SPACE", "TOWS · QSPM", "History", "Export"]),
}


def _bodies(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown on the screen as it is now."""
    out = []
    for kind in ("markdown", "caption", "subheader", "header", "title", "error", "warning", "info", "success",
                 "toast"):
        out += [str(e.value) for e in at.get(kind)]
    out += [str(e.label) for e in at.get("metric")] + [str(e.label) for e in at.get("expander")]
    out += [str(e.label) for e in at.get("tab")] + [str(e.label) for e in at.button]
    out += [str(e.label) for e in at.get("radio")] + [str(e.label) for e in at.get("slider")]
    for table in at.get("table"):  # st.table renders Markdown in its headers and cells
        frame = table.value
        out += [str(c) for c in frame.columns] + [str(i) for i in frame.index]
        out += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return out


@pytest.fixture
def planted(ws_path: Path) -> Path:
    plant(ws_path)
    return ws_path


def test_planted_markup_is_escaped_on_every_page_and_tab(planted: Path) -> None:
    seen: list[str] = []
    for page, (key, tabs) in WALK.items():
        at = AppTest.from_file(APP, default_timeout=120)  # a fresh session per page
        at.query_params["lang"] = "en"
        at.session_state["author"] = AUTHOR
        at.switch_page(page)
        for tab in tabs:
            if key:
                at.session_state[key] = tab
            at.run()
            assert not at.exception, (page, tab, at.exception)
            bodies = _bodies(at)
            for body in bodies:
                for raw in RAW:
                    assert raw not in body, (page, tab, body)
            seen += bodies
    shown = "\n".join(seen)
    # the planted names are on screen, escaped: the walk did reach them
    assert markdown_literal(FILE_NAME) in shown            # Survey → Datasets list, import report
    assert markdown_literal(AUTHOR) in shown               # uploaded by, strategy owner, saved scenario
    assert markdown_literal("Seg " + HOSTILE) in shown     # segment card
    assert markdown_literal("Plan " + HOSTILE) in shown    # saved scenario
    assert markdown_literal("SO " + HOSTILE) in shown      # QSPM strategy caption

"""A workspace copy whose user texts carry Markdown and HTML an attacker would plant: a remote
image (a tracking pixel), a link and a tag, in an author name, a SWOT item and strategy, a segment
name, a scenario name and a dataset's file name. Shared by the AppTest walk and the e2e test."""
from __future__ import annotations

from pathlib import Path

from easymall.store import Workspace
from easymall.survey import view as survey_view
from easymall.swot import edit as swot_edit
from tests.conftest import ROOT

TRACKER = "http://127.0.0.1:9/track.png"
EVIL = "http://evil.example"
HOSTILE = f"![x]({TRACKER}) [evil]({EVIL}) <b>x</b>"
#: An author name holds 60 characters at most: the image and a link.
AUTHOR = f"![x]({TRACKER})[e]({EVIL})"
#: What must never appear in a Markdown body: the planted syntax, unescaped.
RAW = (f"![x]({TRACKER})", f"[evil]({EVIL})", f"[e]({EVIL})", "<b>x</b>")
FILE_NAME = f"![t]({TRACKER}).xlsx"


def plant(ws_path: Path, author: str = AUTHOR) -> None:
    ws = Workspace(ws_path)
    swot = ws.load("swot")
    swot = swot_edit.update_item(swot, "S1", {"text": "S " + HOSTILE}, "en")
    swot = swot_edit.update_strategy(swot, "SO1", {"text_en": "SO " + HOSTILE, "text_zh": "SO " + HOSTILE})
    swot.strategies[0].owner = author
    ws.save("swot", swot, base_revision=swot.revision, author=author)
    stp = ws.load("stp")
    stp.segments[0].name = "Seg " + HOSTILE
    ws.save("stp", stp, base_revision=stp.revision, author=author)
    sc = ws.load("scenarios")
    sc.scenarios[0].name = "Plan " + HOSTILE
    sc.scenarios[0].author = author
    ws.save("scenarios", sc, base_revision=sc.revision, author=author)
    data = (ROOT / "sample_data" / "easymall_survey_2017_by_number.xlsx").read_bytes()  # not the stored one
    outcome = survey_view.import_upload(ws, FILE_NAME, data, doc=ws.load("survey"), author=author, lang="en")
    assert outcome[0] == "ok", outcome

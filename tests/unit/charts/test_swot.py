"""SWOT chart builders: literal labels, titles in both languages, winner colour, cache keys."""
from __future__ import annotations

from easymall.charts import swot as charts
from easymall.charts.theme import BRAND
from easymall.store import Workspace
from easymall.swot import edit, ie_cell, qspm, space_vector
from tests.conftest import ROOT

DOC = Workspace(ROOT).load("swot")


def test_quadrant_chart_shows_markup_literally_and_cuts_long_labels() -> None:
    doc = edit.update_item(DOC, "S1", {"text": "<b>bold</b> & <script>x</script>"}, "en")
    fig = charts.quadrant_chart(doc, "en")
    labels = [y for trace in fig.data for y in trace.y]
    s1 = next(label for label in labels if label.startswith("S1 · "))
    assert "<b>" not in s1 and "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in s1
    assert all(len(label) <= len("S1 · ") + 38 + 30 for label in labels)  # escapes add a few characters
    assert len(fig.data) == 4 and fig.layout.title.text.startswith("SWOT")
    zh = charts.quadrant_chart(DOC, "zh")
    assert zh.layout.annotations[0].text == "优势"


def test_ie_space_and_qspm_charts() -> None:
    cell = ie_cell(2.52, 2.04)
    ie = charts.ie_chart(2.52, 2.04, cell, "zh")
    assert ie.layout.title.text == "IE 矩阵——第 V 区：坚守与保持"
    assert list(ie.layout.xaxis.range) == [4.0, 1.0]          # strong IFE on the left, as in David
    assert sum(1 for s in ie.layout.shapes if s.line.color == BRAND) == 1
    sp = charts.space_chart(space_vector(DOC.space), "en")
    assert sp.layout.title.text == "SPACE matrix — Conservative"
    res = qspm(DOC)
    q = charts.qspm_chart(res, {s.id: "x" for s in DOC.strategies}, "en")
    colors = dict(zip([y.split(" · ")[0] for y in q.data[0].y], q.data[0].marker.color, strict=True))
    assert res.tie and colors["WO1"] == colors["SO1"] == charts.TIE != colors["WT1"]  # a tie: no single red winner


def test_content_keys_change_only_with_what_a_chart_shows() -> None:
    owner = edit.update_item(DOC, "S1", {"owner": "Someone else"})
    weight = edit.update_item(DOC, "S1", {"weight": 0.11})
    for kind in ("quadrants", "ie", "space", "qspm"):
        assert charts.content_key(kind, owner) == charts.content_key(kind, DOC)
    assert charts.content_key("quadrants", weight) != charts.content_key("quadrants", DOC)
    assert charts.content_key("ie", weight) != charts.content_key("ie", DOC)
    assert charts.content_key("space", weight) == charts.content_key("space", DOC)

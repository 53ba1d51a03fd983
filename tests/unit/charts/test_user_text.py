"""Names typed by users (segments, scenarios) come out literally in the segment and strategy charts."""
from __future__ import annotations

import pandas as pd

from easymall.charts import segments, strategy

EVIL = '<a href="http://evil.example">x</a><b>y</b>'
SAFE = "&lt;a href=\"http://evil.example\"&gt;x&lt;/a&gt;&lt;b&gt;y&lt;/b&gt;"


def test_segment_names_are_escaped_in_sizes_compare_and_ge_charts() -> None:
    fig = segments.sizes_figure([EVIL], [10], "en")
    assert list(fig.data[0].y) == ['&lt;a href="http://evil.example"&gt;x&lt;/a&gt;&lt;b&gt;y…']
    table = pd.DataFrame({"kind": ["share"], "answer": [EVIL], "s1": [0.5], "__all__": [0.4]})
    fig = segments.compare_figure(table, ["s1", "__all__"], {"s1": EVIL}, "en", EVIL, legend=True)
    assert "<a " not in fig.layout.title.text and "&lt;a" in fig.layout.title.text
    assert all("<a " not in (tr.name or "") and "<a " not in "".join(tr.y) for tr in fig.data)
    ge = pd.DataFrame([{"segment": "s1", "attractiveness": 3.0, "strength": 3.0, "n": 10, "size": 0.5,
                        "zone": "invest", "target": True}])
    fig = segments.ge_figure(ge, {"s1": EVIL}, "en")
    scatter = fig.data[0]
    assert "<a " not in scatter.name and "&lt;a" in scatter.name
    assert "<a " not in scatter.hovertext[0] and "&lt;a" in scatter.hovertext[0]


def test_scenario_names_are_escaped_in_profit_bars() -> None:
    fig = strategy.profit_bars([1e6, 2e6], [EVIL, "plain"], "en")
    assert list(fig.data[0].x) == [SAFE, "plain"]

"""The one template: slim (each chart carries it to the browser) yet complete for what is drawn."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.io as pio

from easymall.charts import theme

CHARTS = Path(theme.__file__).parent
LAYOUT_HELPERS = {"annotation", "hline", "vline", "shape", "hrect", "vrect", "layout_image", "selection"}


def _trace_types_drawn() -> set[str]:
    """Trace types the chart modules build: ``go.Bar(...)`` and ``fig.add_bar(...)`` alike."""
    found: set[str] = set()
    for path in CHARTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                base = node.func.value
                if isinstance(base, ast.Name) and base.id == "go" and name not in {"Figure", "Layout"}:
                    found.add(name.lower())
                elif name.startswith("add_") and name[4:] not in LAYOUT_HELPERS | {"trace", "traces"}:
                    found.add(name[4:])
    return found


def test_every_trace_type_a_chart_draws_keeps_its_defaults() -> None:
    drawn = _trace_types_drawn()
    assert {"bar", "scatter"} <= drawn  # the scan finds what the charts do draw
    assert drawn <= set(theme.TRACE_TYPES), f"add {sorted(drawn - set(theme.TRACE_TYPES))} to theme.TRACE_TYPES"
    spec = pio.templates[theme.TEMPLATE].to_plotly_json()
    assert set(spec["data"]) == set(theme.TRACE_TYPES)


def test_the_template_a_chart_carries_is_small_and_keeps_the_brand() -> None:
    spec = pio.templates[theme.TEMPLATE].to_plotly_json()
    assert len(json.dumps(spec)) < 3_000  # it was 7.7 KB of every chart's 8.5 KB
    layout = spec["layout"]
    assert layout["colorway"][0] == theme.BRAND and layout["font"]["family"] == theme.FONT
    assert layout["plot_bgcolor"] == "white" and "colorscale" in layout  # plotly_white's look stays
    assert not set(layout) & {"geo", "polar", "scene", "ternary"}

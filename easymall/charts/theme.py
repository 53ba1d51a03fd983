"""The one Plotly template: brand red, greys and a CJK-capable font stack, registered once."""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

BRAND = "#C7000B"
BRAND_DARK = "#8E0008"
GREYS = ["#2B2B2B", "#595959", "#8C8C8C", "#BFBFBF", "#E6E6E6"]
POSITIVE = "#2E7D32"
NEGATIVE = BRAND
NEUTRAL = "#8C8C8C"
#: Qualitative colours, brand red first; distinguishable in print and on a projector.
PALETTE = [BRAND, "#3F5D7D", "#E69F00", "#2A9D8F", "#7B5EA7", "#8C8C8C", "#D4776B", "#264653"]
#: Diverging (negative → positive) for Likert scales, 5 steps.
DIVERGING = ["#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC"]
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif'

TEMPLATE = "easymall"

_BRAND = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=14, color=GREYS[0]),
        title=dict(font=dict(size=17), x=0, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=12)),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=48, r=24, t=56, b=48),
        xaxis=dict(gridcolor=GREYS[4], zerolinecolor=GREYS[3], linecolor=GREYS[3], automargin=True),
        # plain numbers with thousands separators on value axes: Plotly's SI "k" / "M" / "G" suffixes
        # would put a second scale on top of the axis title's one (e.g. "80k" of 亿元)
        yaxis=dict(gridcolor=GREYS[4], zerolinecolor=GREYS[3], linecolor=GREYS[3], automargin=True,
                   tickformat=",", exponentformat="none"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font=dict(family=FONT)),
    )
)
#: The trace types the charts draw. Every figure carries its template, so the template keeps the
#: trace defaults of these only (plotly_white's for 24 types were 4.3 KB of each chart's 8.5 KB, sent
#: to the browser on every rerun); a chart of another type gets it added here.
TRACE_TYPES = ("bar", "scatter")
#: Subplot kinds no chart uses (polar, 3-D, ternary, maps): their layout defaults are left out too.
_UNUSED_LAYOUT = ("geo", "polar", "scene", "ternary", "mapbox", "map")


def _slim(template: go.layout.Template) -> go.layout.Template:
    spec = template.to_plotly_json()
    spec["data"] = {k: v for k, v in spec.get("data", {}).items() if k in TRACE_TYPES}
    spec["layout"] = {k: v for k, v in spec.get("layout", {}).items() if k not in _UNUSED_LAYOUT}
    return go.layout.Template(spec)


# Registered already merged with plotly_white: a "plotly_white+easymall" default would be re-merged for
# every figure (about 30 ms each); the merged template costs nothing per figure.
pio.templates[TEMPLATE] = _slim(pio.templates.merge_templates(pio.templates["plotly_white"], _BRAND))
pio.templates.default = TEMPLATE


#: Title width (Latin characters; a Chinese character counts two) that fits a half-width chart on a
#: 1280 px laptop screen at the template's 17 px title font.
TITLE_FIT = 44
_BREAKS = " ：:，,、—"


def fitted_title(title: str, fit: int = TITLE_FIT) -> str:
    """``title`` broken once, at the space (English) or punctuation (Chinese) nearest its middle,
    when it is wider than ``fit`` (Plotly never wraps a title; a long one is cut off at the chart's
    edge)."""
    widths = [2 if ord(ch) > 0x2E7F else 1 for ch in title]
    total = sum(widths)
    if total <= fit or "<br>" in title:
        return title
    # Chinese puts a space only around Latin words and numbers ("双 11"): break there never
    breaks = _BREAKS.replace(" ", "") if total > len(title) else _BREAKS
    best, best_gap, run = None, total, 0
    for i, (ch, w) in enumerate(zip(title, widths, strict=True)):
        run += w
        digits = ch in ",，" and title[i - 1].isdigit() and title[i + 1:i + 2].isdigit()  # never "1,|000"
        if ch in breaks and not digits and 0 < i < len(title) - 1 and abs(run - total / 2) < best_gap:
            best, best_gap = i, abs(run - total / 2)
    if best is None:
        return title
    head, tail = title[: best + 1].rstrip(), title[best + 1:].lstrip()
    return f"{head}<br>{tail}"


def title_space(title: str) -> int:
    """Extra pixels of top margin (and height) a title broken by :func:`fitted_title` needs."""
    return 20 * title.count("<br>")

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
        title=dict(font=dict(size=17), x=0, xanchor="left"),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=48, r=24, t=56, b=48),
        xaxis=dict(gridcolor=GREYS[4], zerolinecolor=GREYS[3], linecolor=GREYS[3], automargin=True),
        yaxis=dict(gridcolor=GREYS[4], zerolinecolor=GREYS[3], linecolor=GREYS[3], automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font=dict(family=FONT)),
    )
)
# Registered already merged with plotly_white: a "plotly_white+easymall" default would be re-merged for
# every figure (about 30 ms each); the merged template costs nothing per figure.
pio.templates[TEMPLATE] = pio.templates.merge_templates(pio.templates["plotly_white"], _BRAND)
pio.templates.default = TEMPLATE

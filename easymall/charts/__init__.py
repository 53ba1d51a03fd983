"""Plotly figure builders: pure functions returning ``go.Figure``, styled by :mod:`.theme`."""
from easymall.charts import theme as _theme  # noqa: F401  (registers the "easymall" template)

"""PNG export of a Plotly figure with kaleido and the system Chromium (Chinese renders with the
installed CJK fonts). One kaleido browser is started on first use and reused; calls are serialised.

    from easymall.charts.export import figure_png
    png: bytes = figure_png(fig, width=1200, height=700)
"""
from __future__ import annotations

import os
import shutil
import threading

import plotly.graph_objects as go

import easymall.charts  # noqa: F401  (registers the template)

_LOCK = threading.Lock()
_SERVER = False


class ExportError(Exception):
    """The figure could not be rendered (no browser, or it failed); one sentence."""


def _browser() -> None:
    if "BROWSER_PATH" not in os.environ:
        path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
        if path:
            os.environ["BROWSER_PATH"] = path


def figure_png(fig: go.Figure, width: int = 1200, height: int | None = None, scale: float = 2.0) -> bytes:
    """The figure as PNG bytes (``height`` defaults to the figure's own height or 600)."""
    global _SERVER
    _browser()
    import kaleido

    h = height or fig.layout.height or 600
    spec = fig.to_dict()
    opts = {"format": "png", "width": int(width), "height": int(h), "scale": scale}
    with _LOCK:
        try:
            if not _SERVER:
                kaleido.start_sync_server(silence_warnings=True)
                _SERVER = True
            return bytes(kaleido.calc_fig_sync(spec, opts=opts))
        except Exception as exc:
            try:  # a stale server (browser gone): start afresh once
                kaleido.stop_sync_server(silence_warnings=True)
                kaleido.start_sync_server(silence_warnings=True)
                return bytes(kaleido.calc_fig_sync(spec, opts=opts))
            except Exception:
                raise ExportError(f"the chart could not be rendered as PNG ({type(exc).__name__})") from None

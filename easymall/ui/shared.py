"""Charts shared across sessions (issue 14): a chart that is a pure function of documents and plain
values is built and turned into Streamlit's message once, then replayed from ``st.cache_data`` for
every later run and session that draws the same thing::

    from easymall.ui.shared import plotly_chart
    with left:
        plotly_chart(charts.online_retail, market, lang(), key="ov_online")

The cache key is the builder's name and a fingerprint of its arguments: documents (pydantic models)
by their content, NumPy arrays by their dtype, shape and bytes, dataclasses (a scenario's result) by
their fields, strings, numbers, booleans and ``None`` as they are, tuples / lists / dicts of these.
Anything else raises ``TypeError`` — a chart is never shared on a guess. At most
:data:`CACHE_ENTRIES` charts are kept (least recently used go first).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from pydantic import BaseModel

CACHE_ENTRIES = 512


def fingerprint(value: Any) -> str:
    """A string that changes whenever ``value`` does (see the module doc for what is accepted)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, BaseModel):
        body = value.model_dump_json()
        return f"{type(value).__qualname__}:{hashlib.blake2b(body.encode(), digest_size=16).hexdigest()}"
    if isinstance(value, np.ndarray):
        digest = hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16).hexdigest()
        return f"ndarray:{value.dtype.str}{value.shape}:{digest}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return f"{type(value).__qualname__}{fingerprint(fields)}"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(fingerprint(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{fingerprint(k)}={fingerprint(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    raise TypeError(f"cannot share a chart built from a {type(value).__name__}")


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _chart(ident: str, key: str | None, config: str, _build: Callable[[], go.Figure]) -> None:
    st.plotly_chart(_build(), key=key, config=json.loads(config))


def plotly_chart(build: Callable[..., go.Figure], *args: Any, key: str | None = None,
                 config: dict | None = None, **kwargs: Any) -> None:
    """``st.plotly_chart(build(*args, **kwargs), key=key)`` in the current container, shared across
    sessions."""
    ident = f"{build.__module__}.{build.__qualname__}({fingerprint(list(args))};{fingerprint(kwargs)})"
    _chart(ident=ident, key=key, config=json.dumps(config or {}, sort_keys=True), _build=partial(build, *args, **kwargs))

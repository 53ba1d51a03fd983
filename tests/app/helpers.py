"""The shared AppTest helpers of tests/app (``from tests.app.helpers import ...``): open a page (or the whole app) and read what it shows.

* ``open_page(page, lang=, author=, query=, ...)`` — an AppTest of ``pages/<page>.py``'s ``render()``
  (``page=None``: ``app.py``, the frame; ``frame=True``: the page opened inside the frame).
* ``metrics(at)`` — ``{label: value}`` of every metric card.
* ``button(at, label)`` — the first button with that label.
* ``plain(markdown)`` — an element's Markdown body as the reader sees it (user text is escaped).
* ``open_tab(at, key, label)`` — open a (lazy) tab by its session-state key and rerun.
* ``AUTH`` — secrets with an ``[auth]`` section (``open_page(..., secrets=AUTH)``: people log in).
"""
from __future__ import annotations

import re
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "from-secrets",
                 "client_id": "x", "client_secret": "y", "server_metadata_url": "http://idp.example/.well-known"}}


def open_page(page: str | None, lang: str | None = "en", author: str | None = "Tester",
              query: dict[str, str] | None = None, timeout: float = 60, *, frame: bool = False,
              state: dict[str, Any] | None = None, secrets: dict[str, Any] | None = None,
              run: bool = True) -> AppTest:
    """An AppTest of ``pages/<page>.py`` (its ``render()``), run once unless ``run=False``.

    ``page=None`` runs ``app.py`` (the frame, on the Overview); ``frame=True`` runs ``app.py`` and
    switches to the page, so the frame (query parameters, navigation) is around it. ``lang`` goes into
    the session state (or into ``?lang=`` when the frame runs); ``author=None`` leaves the author
    unset (the page asks for a name); ``state`` and ``secrets`` are set before the first run."""
    if page is None or frame:
        at = AppTest.from_file(APP, default_timeout=timeout)
        if lang:
            at.query_params["lang"] = lang
        for k, v in (query or {}).items():
            at.query_params[k] = v
        if page is not None:
            at.switch_page(f"pages/{page}.py")
    else:
        at = AppTest.from_string(f"from pages.{page} import render\nrender()\n", default_timeout=timeout)
        if lang:
            at.session_state["lang"] = lang
        for k, v in (query or {}).items():
            at.query_params[k] = v
    if author is not None:
        at.session_state["author"] = author
    for k, v in (state or {}).items():
        at.session_state[k] = v
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    return at.run() if run else at


def metrics(at: AppTest) -> dict[str, str]:
    """``{label: value}`` of every metric card on the page."""
    return {m.label: m.value for m in at.metric}


def button(at: AppTest, label: str):
    """The first button labelled ``label``."""
    return next(b for b in at.button if b.label == label)


def plain(markdown: str) -> str:
    """An element's Markdown body as the reader sees it (user text is backslash-escaped)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open a tab (they are lazy: only the open one runs) through its session-state ``key``."""
    at.session_state[key] = label
    return at.run()

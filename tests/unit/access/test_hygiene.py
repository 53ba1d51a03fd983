"""Deployment hygiene the access issue pins: XSRF on, the cookie secret only from secrets, a Streamlit
without the published CVEs, open mode as the embedded default, access.yaml never a served document."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from easymall.models import DOCUMENTS
from easymall.store import Workspace
from tests.conftest import ROOT


def _at_least(text: str, floor: tuple[int, int]) -> bool:
    return tuple(int(p) for p in text.split(".")[:2]) >= floor


def test_xsrf_on_and_no_cookie_secret_in_the_repository() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert "cookieSecret" not in config["server"]
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text("utf-8")


def test_streamlit_is_new_enough() -> None:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    floor = next(re.search(r">=([\d.]+)", d).group(1) for d in spec if d.startswith("streamlit"))
    assert _at_least(floor, (1, 54)) and _at_least(version("streamlit"), (1, 54))


def test_open_is_the_embedded_default_and_access_is_no_document() -> None:
    assert not (ROOT / "config" / "access.yaml").exists()
    assert Workspace(ROOT).access_mode() == "open"
    assert "access" not in DOCUMENTS  # never in history, never listed, never served

"""Shared fixtures: every test works on a temporary copy of the embedded workspace."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from easymall import store

ROOT = Path(__file__).resolve().parent.parent
#: A small real Wenjuanxing export in both download modes (see its PROVENANCE.md).
WJX = ROOT / "tests" / "fixtures" / "wjx-format"


def copy_workspace(dst: Path) -> Path:
    """Copy the repo's default workspace (config/ and data/, not history/) into ``dst``."""
    return store.copy_workspace(ROOT, dst)


@pytest.fixture
def ws_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the default workspace, also set as ``EASYMALL_WORKSPACE``."""
    path = copy_workspace(tmp_path / "ws")
    monkeypatch.setenv("EASYMALL_WORKSPACE", str(path))
    return path


def shown(markdown: str) -> str:
    """A Markdown body as the reader sees it: user text in it is backslash-escaped (and carries
    invisible word joiners that stop autolinks) — see easymall.core.text.markdown_literal."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")

"""Decks built once per module from a copy of the embedded workspace (building runs every analysis)."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.deck import build_deck
from easymall.store import Workspace
from tests.conftest import copy_workspace

#: A short deck with charts, a table, a missing-free story: what the read-back tests export.
SHORT = ("title", "market", "tows", "qspm")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(copy_workspace(tmp_path_factory.mktemp("deck") / "ws"))


@pytest.fixture(scope="module")
def no_survey(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = copy_workspace(tmp_path_factory.mktemp("deck_nosurvey") / "ws")
    (Path(root) / "data" / "active.json").unlink()
    return Workspace(root)


@pytest.fixture(scope="module")
def decks(ws: Workspace) -> dict[str, list]:
    return {lang: build_deck(ws, lang) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def short_zh(decks: dict[str, list]) -> list:
    return [s for s in decks["zh"] if s.key in SHORT]

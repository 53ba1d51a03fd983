"""Shared STP fixtures: the sample documents and a synthetic survey with planted groups."""
from __future__ import annotations

import pytest

from easymall.store import Workspace
from tests.conftest import ROOT
from tests.segments_data import make_dataset


@pytest.fixture(scope="session")
def docs():
    ws = Workspace(ROOT)
    return {"stp": ws.load("stp"), "survey": ws.load("survey")}


@pytest.fixture(scope="module")
def ds():
    return make_dataset(1500, seed=3)

"""Fixtures of the survey area's unit tests: the real Wenjuanxing export in both modes."""
from __future__ import annotations

import pytest

from easymall.survey.ingest import load_survey
from tests.conftest import WJX


@pytest.fixture(scope="session")
def wjx_text():
    return load_survey((WJX / "All_Data_Readable.xls").read_bytes(), "All_Data_Readable.xls")


@pytest.fixture(scope="session")
def wjx_number():
    return load_survey((WJX / "All_Data_Original.xls").read_bytes(), "All_Data_Original.xls")

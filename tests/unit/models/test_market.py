"""market.yaml: its rules and every figure of domain.md with its status."""
from __future__ import annotations

import pytest

from easymall.models.market import MarketDocument
from easymall.store import Workspace
from tests.conftest import ROOT


def test_market_rules() -> None:
    doc = Workspace(ROOT).load("market")
    data = doc.model_dump()
    data["facts"][0]["status"] = "conflicting"
    data["facts"][0]["alternative"] = None
    with pytest.raises(ValueError, match="needs the sourced alternative"):
        MarketDocument.model_validate(data)
    data = doc.model_dump()
    data["facts"].append(data["facts"][0])
    with pytest.raises(ValueError, match="duplicate fact id"):
        MarketDocument.model_validate(data)


def test_every_market_figure_in_domain_notes_has_its_status() -> None:
    doc = Workspace(ROOT).load("market")
    expected = {"walmart_cn_sales_2016": "unverified", "double11_2016": "sourced", "tmall_2016": "conflicting",
                "cn_online_2016": "unverified", "cn_online_2019f": "unverified", "yuebao_2017": "sourced",
                "icbc_outflow": "unverified"}
    assert {k: doc.fact(k).status for k in expected} == expected
    assert doc.fact("tmall_2016").alternative.value == pytest.approx(3.092)

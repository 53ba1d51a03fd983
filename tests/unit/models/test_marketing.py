"""marketing.yaml and scenarios.yaml: the sample loads, and validation refuses what explodes the model."""
from __future__ import annotations

import re

import pytest

from easymall.models.marketing import GROUPS, LEVER_SPECS, PARAMETER_SPECS, MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.store import DocumentError, parse_document
from tests.conftest import ROOT

MARKETING = (ROOT / "config" / "marketing.yaml").read_text("utf-8")
SCENARIOS = (ROOT / "config" / "scenarios.yaml").read_text("utf-8")


def _doc() -> MarketingDocument:
    doc = parse_document("marketing", MARKETING)
    assert isinstance(doc, MarketingDocument)
    return doc


def _replace_in_block(text: str, block_id: str, key: str, value: str) -> tuple[str, int]:
    """Set ``key: value`` inside the list item ``- id: block_id``; return the text and the line number."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {block_id}")
    for i in range(start + 1, len(lines)):
        if lines[i].strip().startswith(f"{key}:"):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}{key}: {value}"
            return "\n".join(lines) + "\n", i + 1
        if lines[i].strip().startswith("- id:"):
            break
    raise AssertionError(f"{key} not found in {block_id}")


def _problem(text: str, name: str = "marketing"):
    with pytest.raises(DocumentError) as err:
        parse_document(name, text)
    return err.value.first


def test_sample_marketing_has_the_mix_levers_and_parameters_the_model_needs() -> None:
    doc = _doc()
    assert {lv.id for lv in doc.levers} == set(LEVER_SPECS)
    assert {p.id for p in doc.parameters} == set(PARAMETER_SPECS)
    assert len(doc.levers) >= 6
    assert {a.group for a in doc.actions} == set(GROUPS)
    assert {lv.group for lv in doc.levers} == set(GROUPS)
    for item in [*doc.levers, *doc.parameters]:
        assert item.note.en and item.note.zh, item.id  # every number says where it comes from
        assert item.label.en and item.label.zh, item.id
    for action in doc.actions:
        assert action.levers and action.segments and action.title.zh, action.id
    assert doc.as_of == 2017 and doc.start_month == "2017-01" and doc.horizon_months == 36


def test_retention_of_one_is_refused_with_line_and_reason() -> None:
    text, line = _replace_in_block(MARKETING, "monthly_retention", "value", "1.0")
    text = text.replace("triangular: {low: 0.86, high: 0.93}", "triangular: {low: 0.86, high: 1.0}")
    p = _problem(text)
    assert p.line == line
    assert "monthly_retention" in p.message and "below 1" in p.message and "explodes" in p.message


def test_negative_price_is_refused() -> None:
    text, line = _replace_in_block(MARKETING, "commission_rate", "min", "-1")
    p = _problem(text)
    assert "commission_rate" in p.message and "negative" in p.message
    text, _ = _replace_in_block(MARKETING, "aov", "value", "-380")
    p = _problem(text)
    assert "aov" in p.message and "at least 0" in p.message


def test_churn_cut_reaching_100_percent_is_refused() -> None:
    text, _ = _replace_in_block(MARKETING, "points_churn_cut", "value", "0.25")  # × 5 % max = 125 %
    p = _problem(text)
    assert "points_churn_cut" in p.message and "125%" in p.message and "below 100" in p.message


def test_lever_value_outside_its_range_and_unit_mismatch_are_refused() -> None:
    text, _ = _replace_in_block(MARKETING, "online_ad_spend", "value", "90")
    assert "outside its range 0–80" in _problem(text).message
    text, _ = _replace_in_block(MARKETING, "online_ad_spend", "unit", "yuan")
    assert "must be in 'CNY m per month'" in _problem(text).message


def test_unknown_lever_and_missing_parameter_are_refused() -> None:
    text = MARKETING.replace("- id: crm_touches", "- id: crm_calls")
    assert "crm_calls is not used by the driver model" in _problem(text).message
    text = re.sub(r"  - id: ramp_months\n(    .*\n)+", "", MARKETING)
    assert "missing parameter(s) the driver model needs: ramp_months" in _problem(text).message


def test_action_citing_an_unknown_lever_is_refused() -> None:
    text = MARKETING.replace("levers: [financial_tools_attach, instalment_fee_waiver]",
                             "levers: [financial_tools_attach, cashback]")
    assert "action fin_service_tools moves unknown lever(s): cashback" in _problem(text).message


def test_sample_scenarios_load_and_duplicates_are_refused() -> None:
    doc = parse_document("scenarios", SCENARIOS)
    assert isinstance(doc, ScenariosDocument)
    assert len(doc.scenarios) >= 2
    levers = set(LEVER_SPECS)
    for s in doc.scenarios:
        assert set(s.levers) <= levers and s.name.en and s.name.zh
    dup = SCENARIOS.replace("- id: loyalty_first", "- id: digital_acquisition")
    assert "duplicate scenario id(s): digital_acquisition" in _problem(dup, "scenarios").message
    nan = SCENARIOS.replace("crm_touches: 3", "crm_touches: .nan")
    assert "finite" in _problem(nan, "scenarios").message


def test_cross_references_name_unknown_levers_segments_and_strategies(ws_path) -> None:
    from easymall.store import Workspace

    ws = Workspace(ws_path)
    assert ws.validate() == []
    path = ws_path / "config" / "scenarios.yaml"
    path.write_text(path.read_text("utf-8").replace("crm_touches: 3", "crm_calls: 3")
                    .replace("commission_rate: 1.5", "commission_rate: 9"), "utf-8")
    mk = ws_path / "config" / "marketing.yaml"
    mk.write_text(mk.read_text("utf-8").replace("segments: [business_owners]\n    strategy: WT1",
                                                "segments: [pensioners]\n    strategy: XX9"), "utf-8")
    found = " | ".join(str(p) for p in ws.validate())
    assert "scenario loyalty_first sets lever crm_calls, which is not in marketing.yaml" in found
    assert "scenario finance_led sets commission_rate to 9, outside its range 0–8 %" in found
    assert "targets segment pensioners, which is not in stp.yaml" in found
    assert "implements strategy XX9, which is not in swot.yaml" in found

"""``easymall scenario``: JSON contract, clamping, unknown levers and scenarios, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from easymall.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["scenario", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_contract_keys(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(ws_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"] == "baseline" and data["horizon_months"] == 36
    assert len(data["months"]) == 36
    lever = data["levers"]["online_ad_spend"]
    assert set(lever) >= {"value", "min", "max", "unit"} and lever["unit"] == "CNY m per month"
    for kpi in ("active_users", "gmv", "profit", "new_users_branch", "revenue_deposit", "cac"):
        assert len(data["kpis"][kpi]) == 36
    assert set(data["summary"]) >= {"clv", "cac", "clv_cac", "payback_month"}


def test_named_scenario_and_set_override(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, base_out, _ = _run(capsys, str(ws_path), "--json")
    code, out, err = _run(capsys, str(ws_path), "--name", "digital_acquisition", "--set", "crm_touches=4", "--json")
    assert code == 0, err
    base, data = json.loads(base_out), json.loads(out)
    assert data["scenario"] == "digital_acquisition"
    assert data["levers"]["mobile_banking_exposure"]["value"] == 30
    assert data["levers"]["crm_touches"]["value"] == 4
    assert data["kpis"]["active_users"][-1] > base["kpis"]["active_users"][-1]


def test_out_of_range_value_is_clamped_with_a_warning(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(ws_path), "--set", "online_ad_spend=500", "--json")
    assert code == 0
    assert json.loads(out)["levers"]["online_ad_spend"]["value"] == 80
    assert "warning: lever online_ad_spend: 500 is outside 0–80" in err and "clamped to 80" in err


def test_unknown_lever_exits_1_naming_it(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(ws_path), "--set", "cashback=3")
    assert code == 1 and out == ""
    assert err.startswith("error: unknown lever(s): cashback") and "Traceback" not in err


def test_unknown_scenario_bad_assignment_and_bad_number(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(ws_path), "--name", "moonshot")
    assert code == 1 and "no scenario named 'moonshot'" in err and "digital_acquisition" in err
    code, _, err = _run(capsys, str(ws_path), "--set", "online_ad_spend")
    assert code == 1 and "not LEVER=VALUE" in err
    code, _, err = _run(capsys, str(ws_path), "--set", "online_ad_spend=lots")
    assert code == 1 and "not a number" in err


def test_broken_marketing_yaml_is_one_sentence_with_file_and_line(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = ws_path / "config" / "marketing.yaml"
    text = path.read_text("utf-8").replace("    value: 0.9\n", "    value: 1.2\n", 1)
    path.write_text(text, "utf-8")
    code, out, err = _run(capsys, str(ws_path))
    assert code == 1 and out == ""
    assert err.startswith("error: config/marketing.yaml:") and "monthly_retention" in err
    assert len(err.strip().splitlines()) == 1


def test_text_table(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(ws_path), "--set", "online_ad_spend=20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("scenario: baseline   horizon: 36 months")
    assert "levers changed: online_ad_spend=20" in out
    assert any(line.strip().startswith("2019-12") for line in lines)
    assert "CLV/CAC" in lines[-1]


def test_not_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(tmp_path))
    assert code == 1 and "is not a workspace" in err


def test_json_calibration_and_reconciliation(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(ws_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    cal = data["calibration"]
    assert cal["source"] and 0 < cal["covered_share"] < 1
    params = {p["parameter"]: p for p in cal["parameters"]}
    assert params["monthly_retention"]["source"] == {"kind": "survey", "dataset": cal["source"], "kpi": "repurchase_rate"}
    assert params["initial_active_users"]["source"] == {"kind": "market", "document": "market.yaml",
                                                        "facts": ["easymall_gmv_2017", "easymall_gmv_2018"]}
    assert all({"parameter", "documented", "calibrated", "kpi", "kpi_value", "source"} <= set(p)
               for p in cal["parameters"])
    rec = data["reconciliation"]
    assert rec["2017"]["reported"] == 1030e9
    gmv_2017 = sum(data["kpis"]["gmv"][:12])
    assert rec["2017"]["model"] == pytest.approx(gmv_2017)
    assert rec["2017"]["covered_share"] == pytest.approx(gmv_2017 / 1030e9)
    assert rec["2016"]["model"] is None and rec["2016"]["reported"] == 1270e9  # before the horizon
    assert rec["2019"]["users_reported"] == 146e6 and rec["2019"]["users_model"] == data["kpis"]["registered_users"][-1]

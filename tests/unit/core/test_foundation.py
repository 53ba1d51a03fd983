"""Models, schemas, i18n catalogue, CLI validate and the purity rules of the codebase."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.core import yamlio
from easymall.core.i18n import catalogue, problem_text, t
from easymall.core.text import text_in
from easymall.models import DOCUMENTS
from easymall.models.common import LocalizedText
from easymall.models.market import MarketDocument
from easymall.schemas import stale
from easymall.store import DocumentError, Problem, Workspace, parse_document
from tests.conftest import ROOT


def test_default_workspace_is_valid() -> None:
    assert Workspace(ROOT).validate() == []


def test_checked_in_schemas_are_fresh() -> None:
    assert stale() == [], "run `make schemas` and commit schemas/"


def test_text_is_plain_or_bilingual() -> None:
    assert text_in("plain", "zh") == "plain"
    assert text_in(LocalizedText(en="Few users", zh="用户少"), "zh") == "用户少"
    assert text_in(LocalizedText(en="only English"), "zh") == "only English"
    with pytest.raises(ValueError):
        LocalizedText()


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


def test_catalogue_has_both_languages_and_every_used_key() -> None:
    cat = catalogue()
    assert all(v["en"].strip() and v["zh"].strip() for v in cat.values())
    used = set()
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("easymall/**/*.py"), ROOT / "app.py"]:
        used |= set(re.findall(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[A-Za-z0-9_.]+)["']""", path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in cat)
    assert missing == []
    assert t("nav.swot", "zh") == "SWOT 分析"
    assert t("no.such.key", "en") == "⟦no.such.key⟧"


def test_domain_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT)) for p in (ROOT / "easymall").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "easymall").parts
        and re.search(r"^\s*(import streamlit|from streamlit)", p.read_text("utf-8"), re.M)
    ]
    assert offenders == []


def test_pages_define_render_and_run_inside_the_frame_on_a_cold_deep_link() -> None:
    for path in ROOT.glob("pages/[!_]*.py"):
        src = path.read_text("utf-8")
        assert "\ndef render(" in src, path.name
        assert re.search(r'if __name__ == "__main__":.*\n.*from easymall\.ui\.frame import run\n\s*\n?\s*run\(\)', src), path.name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_document_or_our_error(text: str) -> None:
    try:
        parse_document("market", text)
    except DocumentError as exc:
        assert exc.problems and all(p.file == "config/market.yaml" for p in exc.problems)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), c, max_size=4),
                    max_leaves=20))
def test_dump_then_parse_round_trips(data: object) -> None:
    assert yamlio.parse(yamlio.dump({"x": data}))[0] == {"x": data}


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "easymall", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_validate_clean_workspace(ws_path: Path) -> None:
    res = _cli("validate", str(ws_path))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.startswith("ok:")


def test_cli_validate_reports_file_line_path(ws_path: Path) -> None:
    path = ws_path / "config" / "market.yaml"
    lines = path.read_text("utf-8").splitlines()
    n = lines.index("    year: 2016") + 1
    lines[n - 1] = "    year: 1850"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (ws_path / "config" / "scenarios.yaml").write_text("revision: 0\nrevision: 1\n", "utf-8")
    res = _cli("validate", str(ws_path))
    assert res.returncode == 1
    out = res.stdout.splitlines()
    assert f"config/market.yaml:{n}: facts.0.year: Input should be greater than or equal to 1990" in out
    assert "config/scenarios.yaml:2: duplicate key 'revision'" in out
    assert "Traceback" not in res.stderr


def test_cli_usage_and_missing_workspace(tmp_path: Path) -> None:
    assert _cli("nonsense").returncode == 2
    res = _cli("validate", str(tmp_path / "nowhere"))
    assert res.returncode == 1
    assert res.stderr.strip() == f"error: {tmp_path / 'nowhere'} is not a workspace (it has no config/ folder)"


def test_documents_registry_matches_config_files() -> None:
    assert sorted(DOCUMENTS) == sorted(p.stem for p in (ROOT / "config").glob("*.yaml"))


def test_problems_carry_pydantic_type_and_read_in_chinese(ws_path: Path) -> None:
    path = ws_path / "config" / "stp.yaml"
    path.write_text(path.read_text("utf-8").replace("fit: 4", "fit: 9", 1), "utf-8")
    result = Workspace(ws_path).load_safe("stp")
    p = result.error.first
    assert (p.code, dict(p.ctx)) == ("less_than_equal", {"le": "5"})
    assert problem_text(p, "en") == f"{p.path}: Input should be less than or equal to 5"
    assert problem_text(p, "zh") == f"{p.path}: 应小于或等于 5"
    own = Problem("config/swot.yaml", 3, "strengths", "ids must be unique: S1", "value_error")
    assert problem_text(own, "zh") == "strengths: ids must be unique: S1"  # our own sentence, as written

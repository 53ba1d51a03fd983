"""The UI catalogue: both languages, every used key, problems read in Chinese."""
from __future__ import annotations

import re
from pathlib import Path

from easymall.core.i18n import catalogue, problem_text, t
from easymall.store import Problem, Workspace
from tests.conftest import ROOT


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

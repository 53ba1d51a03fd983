"""One way an error becomes a sentence, and every error a person can meet reads in Chinese.

The codes are read from the sources, so a new invariant or import error without a Chinese sentence
fails here: the models' ``invalid(code, template)`` / ``require_unique(..., what, code)`` calls, the
cross-document findings (:data:`easymall.models.crossref.SENTENCES`), every ``code="..."`` a survey
import error (``import.<code>``) or a Segments edit error (``segments.err.<code>``) is raised with.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from easymall.core.errors import explain
from easymall.core.i18n import catalogue, error_text, problem_text
from easymall.models.crossref import SENTENCES
from easymall.models.stp import StpDocument
from easymall.store import DocumentError, Workspace, parse_document
from tests.conftest import ROOT

PKG = ROOT / "easymall"

#: Latin words a Chinese sentence may hold: names of methods, formats, products and the file's own
#: keys and values (ids, option labels and numbers come in through {placeholders}).
ALLOWED = {"IFE", "EFE", "NPS", "GMV", "SWOT", "TOWS", "QSPM", "SPACE", "CSV", "XLSX", "YAML", "UTF",
           "GBK", "Excel", "SPSS", "zip", "true", "false", "center", "scale", "roles", "between"}


def english_words(zh: str) -> list[str]:
    """ASCII words of 3+ letters in ``zh`` that are not placeholders, file names, YAML keys or allowed."""
    text = re.sub(r"\{[^}]*\}", " ", zh)                     # placeholders
    text = re.sub(r"[\w.]+\.yaml\b", " ", text)               # survey.yaml, config/stp.yaml
    text = re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", " ", text)    # YAML keys: scale_min, monthly_retention
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


def model_sentences() -> dict[str, str]:
    """Every model invariant: code -> its English sentence, read from easymall/models/*.py."""
    out: dict[str, str] = {}
    for path in sorted((PKG / "models").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = node.args
            const = [isinstance(a, ast.Constant) for a in args]
            if path.name == "common.py" and any(isinstance(a, ast.Name) for a in args[:3]):
                continue  # the helpers themselves, passing their arguments on
            if name == "invalid":
                assert len(args) >= 2 and all(const[:2]), f"{path.name}:{node.lineno}: code and sentence must be literals"
                out[args[0].value] = args[1].value
            elif name == "unique":
                assert len(args) == 2 and all(const), f"{path.name}:{node.lineno}: unique(what, code) literals"
                out[args[1].value] = f"duplicate {args[0].value} id(s): {{ids}}"
            elif name == "require_unique":
                assert len(args) >= 3 and all(const[1:3]), f"{path.name}:{node.lineno}: what and code literals"
                out[args[2].value] = f"duplicate {args[1].value} id(s): {{ids}}"
    return out


def raised_codes(area: str) -> set[str]:
    """Every literal ``code="..."`` raised in ``easymall/<area>``."""
    return {m for p in (PKG / area).rglob("*.py") for m in re.findall(r'\bcode="(\w+)"', p.read_text("utf-8"))}


def test_models_raise_only_coded_invariants() -> None:
    for path in sorted((PKG / "models").glob("*.py")):
        assert "raise ValueError" not in path.read_text("utf-8"), f"{path.name}: raise invalid(code, ...) instead"
    codes = model_sentences()
    assert len(codes) >= 80 and not set(codes) & set(SENTENCES)


@pytest.mark.parametrize(("code", "english"), sorted((model_sentences() | SENTENCES).items()))
def test_every_invariant_and_finding_reads_in_chinese(code: str, english: str) -> None:
    entry = catalogue().get(f"error.{code}")
    assert entry is not None, f"error.{code} is missing in easymall/core/i18n/errors.yaml"
    assert entry["en"] == english  # the catalogue's English is the source's sentence, word for word
    assert re.search(r"[\u4e00-\u9fff]", entry["zh"]) and english_words(entry["zh"]) == [], entry["zh"]
    assert set(re.findall(r"\{(\w+)\}", entry["zh"])) <= set(re.findall(r"\{(\w+)\}", english)) | {"field"}


def test_every_import_and_segments_error_code_has_a_chinese_sentence() -> None:
    keys = {f"import.{c}" for c in raised_codes("survey")} | {f"segments.err.{c}" for c in raised_codes("stp")}
    assert {"import.binary", "segments.err.name"} <= keys
    missing = sorted(k for k in keys if k not in catalogue())
    assert missing == [], f"no catalogue entry for {missing}"
    errors = [k for k in catalogue() if k.startswith(("error.", "import.", "segments.err."))]
    assert len(errors) > 120
    for key in errors:
        zh = catalogue()[key]["zh"]
        assert english_words(zh) == [], f"{key}: {zh}"


def _problem(name: str, old: str, new: str):
    text = (ROOT / "config" / f"{name}.yaml").read_text("utf-8")
    assert old in text
    with pytest.raises(DocumentError) as exc:
        parse_document(name, text.replace(old, new, 1))
    return exc.value.first


@pytest.mark.parametrize(("name", "old", "new", "en", "zh"), [
    ("stp", "weight: 0.25", "weight: 0.35", "attractiveness weights must sum to 1, they sum to 1.100",
     "市场吸引力各项标准的权重之和必须为 1，当前为 1.100"),
    ("swot", "- id: S2\n", "- id: S1\n", "duplicate SWOT item id(s): S1", "SWOT 条目编号重复：S1"),
    ("market", "facts: [easymall_users_2015,", "facts: [no_such_fact, easymall_users_2015,",
     "problem few_users cites unknown fact(s): no_such_fact", "问题 few_users 引用了不存在的数据：no_such_fact"),
])
def test_real_invariants_read_in_chinese_and_stay_english_for_the_cli(name, old, new, en, zh) -> None:
    p = _problem(name, old, new)
    assert p.message == en and str(p).endswith(f": {en}")  # the CLI's file:line: path: message
    assert problem_text(p, "en").endswith(en)
    assert problem_text(p, "zh").endswith(zh)
    assert english_words(problem_text(p, "zh").removeprefix(p.path)) == []


def test_a_cross_document_finding_reads_in_chinese(ws_path: Path) -> None:
    path = ws_path / "config" / "swot.yaml"
    path.write_text(path.read_text("utf-8").replace("evidence: [icbc_personal_customers_2016]",
                                                    "evidence: [no_such_fact]", 1), "utf-8")
    (p,) = [p for p in Workspace(ws_path).validate() if "no_such_fact" in p.message]
    assert p.message == "S1 cites evidence no_such_fact, which is neither a survey KPI nor a fact in market.yaml"
    assert problem_text(p, "zh") == "strengths.0.evidence: S1 引用的证据 no_such_fact 既不是问卷指标，也不是 market.yaml 中的数据"


def test_explain_is_the_one_way_for_pydantic_errors() -> None:
    data = StpDocument.model_validate(parse_document("stp", (ROOT / "config" / "stp.yaml").read_bytes())
                                      .model_dump()).model_dump()
    data["clustering"]["k_min"], data["clustering"]["k_max"] = 6, 3
    with pytest.raises(ValidationError) as exc:
        StpDocument.model_validate(data)
    assert explain(exc.value, "en") == "k_min (6) must not exceed k_max (3)"
    assert explain(exc.value, "zh") == "k_min（6）不得大于 k_max（3）"
    assert error_text(exc.value, "zh", "segments.err") == explain(exc.value, "zh")
    builtin = {"type": "less_than_equal", "msg": "Input should be less than or equal to 5", "ctx": {"le": 5}}
    assert (explain(builtin, "en"), explain(builtin, "zh")) == ("Input should be less than or equal to 5", "应小于或等于 5")
    plain = {"type": "value_error", "msg": "Value error, something odd", "ctx": {"error": ValueError("x")}}
    assert explain(plain, "zh") == "something odd"  # no entry: the English sentence, without pydantic's prefix

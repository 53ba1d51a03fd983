"""One way an error becomes a sentence, and every error a person can meet reads in Chinese.

The codes are read from the sources, so a new invariant or import error without a Chinese sentence
fails here: the models' ``invalid(code, template)`` / ``require_unique(..., what, code)`` calls, the
cross-document findings (:data:`easymall.models.crossref.SENTENCES`), every ``code="..."`` a survey
import error (``import.<code>``) or a Segments edit error (``segments.err.<code>``) is raised with,
every code a YAML problem (``error.yaml_*``, easymall/core/yamlio.py) or an unreadable document
(easymall/store) carries, and every code of an import-report issue (``issue(row, column, code, ...)``
in easymall/survey, said as ``issue.<code>``).
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
from easymall.scenario import model as sc
from easymall.scenario.view import survey_problem
from easymall.store import DocumentError, Workspace, parse_document
from easymall.survey import view as survey_view
from easymall.survey.errors import SurveyImportError
from easymall.survey.ingest import load_survey
from easymall.survey.report import ImportReport
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


def yaml_codes() -> set[str]:
    """Every code a YAML or document problem carries: the literals of easymall/core/yamlio.py and the
    problems easymall/store makes itself."""
    codes = set(re.findall(r'"(yaml_\w+)"', (PKG / "core" / "yamlio.py").read_text("utf-8")))
    for path in (PKG / "store").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem" and len(node.args) >= 5 \
                    and isinstance(node.args[4], ast.Constant):  # the others pass a YAML problem's or a finding's code on
                codes.add(node.args[4].value)
    return codes


def issue_codes() -> set[str]:
    """Every code an import-report issue is made with: ``issue(row, column, "code", message, ...)``."""
    codes = set()
    for path in (PKG / "survey").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "issue":
                assert isinstance(node.args[2], ast.Constant), f"{path.name}:{node.lineno}: issue code literal"
                codes.add(node.args[2].value)
    return codes


def _chinese(key: str) -> str:
    zh = catalogue()[key]["zh"]
    assert re.search(r"[\u4e00-\u9fff]", zh) and english_words(zh) == [], f"{key}: {zh}"
    assert set(re.findall(r"\{(\w+)\}", zh)) <= set(re.findall(r"\{(\w+)\}", catalogue()[key]["en"])), key
    return zh


def test_every_yaml_and_document_problem_code_reads_in_chinese() -> None:
    codes = yaml_codes()
    assert {"yaml_duplicate_key", "yaml_alias", "yaml_tag", "yaml_not_utf8", "yaml_too_large", "yaml_syntax",
            "not_a_mapping", "file_missing"} <= codes
    missing = sorted(c for c in codes if f"error.{c}" not in catalogue())
    assert missing == [], f"no error.<code> in errors.yaml for {missing}"
    for code in codes:
        _chinese(f"error.{code}")


def test_every_import_issue_code_reads_in_chinese() -> None:
    codes = issue_codes()
    assert {"ragged_row", "not_a_number", "duplicate_header", "blank_header", "empty_column",
            "unmatched_serial", "codebook_conflict"} <= codes
    for code in sorted(codes):
        keys = [k for k in catalogue() if k == f"issue.{code}" or k.startswith(f"issue.{code}.")]
        assert keys, f"no issue.{code} in the catalogue"
        for key in [*keys, f"issue_kind.{code}"]:
            _chinese(key)


@pytest.mark.parametrize(("text", "code", "line", "en", "zh"), [
    ("revision: 0\nrevision: 1\n", "yaml_duplicate_key", 2, "duplicate key 'revision'", "键 'revision' 重复出现"),
    ("a: &x 1\nb: *x\n", "yaml_anchor", 1, "anchors (&x) are not allowed", "不允许使用锚点（&x）"),
    ("a: !!python/object:os.system x\n", "yaml_tag", 1, "tag !!python/object:os.system is not allowed (only plain YAML)",
     "不允许使用标签 !!python/object:os.system（只接受普通的 YAML）"),
    (b"a: \xff\n", "yaml_not_utf8", None, "file is not UTF-8 text (byte 3)", "文件不是 UTF-8 文本（字节位置 3）"),
    ("a:\n\tb: 1\n", "yaml_tab", 2, "found character '\\t' that cannot start any token", "不能用制表符缩进，请改用空格"),
    ("a:\n  b: 1\n c: 2\n", "yaml_indent", 3, "expected <block end>, but found '<block mapping start>'",
     "缩进不一致：同一层级的条目应当对齐"),
    ("a: [1, 2\n", "yaml_unclosed_bracket", 2, "expected ',' or ']', but got '<stream end>'", "缺少“,”或“]”：括号没有闭合"),
    ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "yaml_syntax", 2, "found duplicate YAML directive", "YAML 格式有误，无法读取"),
    ("? [1]\n: 2\n", "yaml_key_not_scalar", 1, "a key must be a plain value, not a list or mapping",
     "键必须是普通的值，不能是列表或映射"),
    ("as_of: 2017-13-45\n", "yaml_bad_date", 1, "2017-13-45 is not a valid date", "2017-13-45 不是有效的日期"),
    ("- a\n- b\n", "not_a_mapping", 1, "the file must be a mapping of keys to values", "文件内容必须是“键: 值”的映射"),
])
def test_broken_yaml_reads_in_chinese_and_stays_english_for_the_cli(text, code, line, en, zh) -> None:
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", text)
    p = exc.value.first
    assert (p.code, p.line, p.message) == (code, line, en)
    assert str(p) == (f"config/swot.yaml:{line}: {en}" if line else f"config/swot.yaml: {en}")  # what the CLI prints
    assert (problem_text(p, "en"), problem_text(p, "zh")) == (en, zh)


def test_a_duplicate_key_in_a_real_document_reads_in_chinese() -> None:
    text = (ROOT / "config" / "swot.yaml").read_text("utf-8")
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", text + "as_of: 2018\n")
    p = exc.value.first
    assert str(p) == f"config/swot.yaml:{text.count(chr(10)) + 1}: duplicate key 'as_of'"
    assert problem_text(p, "zh") == "键 'as_of' 重复出现"


def test_a_missing_document_reads_in_chinese(ws_path: Path) -> None:
    (ws_path / "config" / "swot.yaml").unlink()
    (p,) = [p for p in Workspace(ws_path).validate() if p.file.endswith("swot.yaml")]
    assert (p.message, problem_text(p, "zh")) == ("file is missing", "文件不存在")


def test_import_issues_read_in_chinese_through_the_survey_view() -> None:
    parsed = load_survey(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", "r.csv")
    ragged = [i for i in parsed.issues if i["code"] == "ragged_row"]
    assert [survey_view.issue_text(i, "zh") for i in ragged] == ["第 2 行有 2 个字段，表头有 3 个；缺少的字段留空",
                                                                  "第 3 行有 4 个字段，表头有 3 个；多出的字段已忽略"]
    rows = "\n".join(f"{i},{100 + i}" for i in range(1, 21))
    parsed.issues += load_survey(f"id_,amount,amount,\n{rows},x,\n21,abc,x,\n".encode(), "j.csv").issues
    assert {i["code"] for i in parsed.issues} >= {"ragged_row", "not_a_number", "duplicate_header", "blank_header"}
    for i in parsed.issues:
        assert set(i) == {"row", "column", "code", "message", "params"}  # the report's JSON keys, plus params
        assert survey_view.issue_text(i, "en") == i["message"]
        key = f"issue.{i['code']}" + (f".{i['params']['variant']}" if "variant" in i["params"] else "")
        assert catalogue()[key]["en"].format(**i["params"]) == i["message"]  # the catalogue mirrors the source
        zh = survey_view.issue_text(i, "zh")
        for value in sorted(i["params"].values(), key=len, reverse=True):  # the file's own column names and values are not the UI's sentence
            zh = zh.replace(value, " ")
        assert re.search(r"[\u4e00-\u9fff]", zh) and english_words(zh) == [], i
    report = ImportReport("r.csv", "csv", "utf-8", None, 4, [], parsed.issues, {})
    table = survey_view.issue_rows(report, "zh")
    assert table[0] == {"行": "2", "列": "", "类型": "字段数不符", "问题": "第 2 行有 2 个字段，表头有 3 个；缺少的字段留空"}
    old = {"row": 2, "column": None, "code": "ragged_row", "message": "row 2 has 2 fields, the header has 3; ..."}
    assert survey_view.issue_text(old, "zh") == old["message"]  # a report stored before issues had params


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


def test_why_the_survey_cannot_calibrate_the_model_reads_in_chinese() -> None:
    broken = sc.SurveyKpis({}, None, problem="config/survey.yaml does not load", code="survey_doc_broken")
    assert (survey_problem(broken, "en"), survey_problem(broken, "zh")) == ("config/survey.yaml does not load",
                                                                            "配置文件 survey.yaml 无法加载")
    exc = SurveyImportError("a.csv is empty", file="a.csv", code="empty")
    unreadable = sc.SurveyKpis({}, None, problem=f"SurveyImportError: {exc}", code="survey_unexpected", error=exc)
    assert survey_problem(unreadable, "zh") == "a.csv 是空文件"
    odd = sc.SurveyKpis({}, None, problem="KeyError: 'x'", code="survey_unexpected", error=KeyError("x"))
    assert (survey_problem(odd, "en"), survey_problem(odd, "zh")) == ("KeyError: 'x'", "读取问卷数据时发生意外错误")


@pytest.mark.parametrize("key", ["live.busy", "live.revert_conflict", "live.no_revision", "strategy.survey_doc_broken",
                                 "strategy.survey_unexpected"])
def test_the_live_editing_and_calibration_sentences_read_in_chinese(key: str) -> None:
    _chinese(key)

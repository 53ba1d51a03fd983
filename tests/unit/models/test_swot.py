"""The SWOT document: hard rules with file/line messages, nothing invalid saved, crossref, the SPACE scales."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.models.crossref import check_references
from easymall.models.swot import SpaceInputs
from easymall.store import DocumentError, Workspace, parse_document
from easymall.swot import edit
from tests.conftest import ROOT

SAMPLE = (ROOT / "config" / "swot.yaml").read_text("utf-8")


def _replace_line(old: str, new: str) -> tuple[str, int]:
    lines = SAMPLE.splitlines()
    n = next(i for i, line in enumerate(lines) if line == old)
    lines[n] = new
    return "\n".join(lines) + "\n", n + 1


@pytest.mark.parametrize(("old", "new", "path", "words"), [
    ("    weight: 0.10", "    weight: abc", "strengths.0.weight", "valid number"),
    ("    weight: 0.10", "    weight: -1", "strengths.0.weight", "greater than or equal to 0"),
    ("    rating: 4", "    rating: 7", "strengths.0.rating", "less than or equal to 4"),
])
def test_bad_values_in_a_hand_edited_file_name_file_line_and_field(old, new, path, words) -> None:
    text, line = _replace_line(old, new)
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", text)
    p = exc.value.first
    assert (p.file, p.line, p.path) == ("config/swot.yaml", line, path)
    assert words in p.message


def test_empty_long_and_duplicate_are_rejected_with_clear_messages() -> None:
    empty = SAMPLE.replace('    text: {en: "Low commission plus bank financing (settlement, loans) attracts merchants", '
                           'zh: 低佣金并提供结算、贷款等银行金融服务，对商户有吸引力}', '    text: "  "', 1)
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", empty)
    assert (exc.value.first.path, exc.value.first.message) == ("strengths.3.text", "the text is empty")
    long = SAMPLE.replace("text: {en: \"A huge captive customer base: about 530 m personal and 5.78 m corporate "
                          "customers in 2016\"", "text: {en: \"" + "x" * 5000 + "\"", 1)
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", long)
    assert (exc.value.first.path, exc.value.first.message) == (
        "strengths.1.text", "the text has 5,000 characters; at most 2,000 are allowed")
    dup = SAMPLE.replace("  - id: S2\n", "  - id: S1\n", 1)
    with pytest.raises(DocumentError) as exc:
        parse_document("swot", dup)
    assert "duplicate SWOT item id(s): S1" in str(exc.value)
    cross = SAMPLE.replace("  - id: T5\n", "  - id: S3\n", 1)  # the same id in two quadrants
    with pytest.raises(DocumentError, match="duplicate SWOT item id"):
        parse_document("swot", cross)


def test_markup_is_kept_literally_and_nothing_invalid_is_saved(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    doc = ws.load("swot")
    script = '<script>alert("x")</script><b>bold</b>'
    new = edit.update_item(doc, "S1", {"text": script}, "en")
    rev = ws.save("swot", new, base_revision=doc.revision, author="t")
    assert ws.load("swot").item("S1").text.en == script
    bad = new.model_copy(deep=True)
    object.__setattr__(bad.strengths[0], "weight", -1.0)  # bypass assignment validation
    with pytest.raises(DocumentError):
        ws.save("swot", bad, base_revision=rev, author="t")
    assert ws.revision("swot") == rev


def test_crossref_finds_unknown_evidence_pairs_and_qspm_ids(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    assert ws.validate() == []
    text = (ws_path / "config" / "swot.yaml").read_text("utf-8")
    text = text.replace("evidence: [aov]\n    tags: [finance, product]", "evidence: [no_such_fact]\n    tags: [finance, product]")
    text = text.replace("pairs: [W2, O1]", "pairs: [W2, O9]")
    (ws_path / "config" / "swot.yaml").write_text(text, "utf-8")
    problems = [str(p) for p in ws.validate()]
    assert any("S3 cites evidence no_such_fact" in p and "strengths.2.evidence" in p for p in problems)
    assert any("strategy WO2 pairs O9" in p for p in problems)
    docs = {"swot": ws.load("swot")}
    assert not any("no_such_fact" in f[2] for f in check_references(docs))  # no market doc: facts unchecked


def test_space_inputs_model_enforces_the_scales() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SpaceInputs(financial=[{"id": "f", "label": "x", "rating": -2}])
    with pytest.raises(ValidationError):
        SpaceInputs(stability=[{"id": "s", "label": "x", "rating": 3}])


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), "nan", "-inf", True])
def test_a_weight_that_is_not_a_number_says_so(weight) -> None:
    from pydantic import ValidationError

    from easymall.core.i18n import explain
    from easymall.models.swot import SwotItem

    with pytest.raises(ValidationError) as info:
        SwotItem.model_validate({"id": "S1", "text": "x", "weight": weight, "rating": 3})
    assert explain(info.value, "en") == "weight must be a number between 0 and 1"
    assert explain(info.value, "zh") == "权重必须是 0 到 1 之间的数字"

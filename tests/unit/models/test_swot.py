"""The SWOT document: hard rules with file/line messages, bad input, edits, crossref, export."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from easymall.models.crossref import check_references
from easymall.store import DocumentError, Workspace, parse_document
from easymall.swot import edit
from easymall.swot.edit import EditError
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


@pytest.mark.parametrize(("fields", "code", "fragment"), [
    ({"weight": "abc"}, "not_number", "S1: the weight “abc” is not a number."),
    ({"weight": -1}, "range", "S1: the weight -1 is outside 0–1."),
    ({"rating": 7}, "range_int", "S1: the rating 7 must be a whole number from 1 to 4."),
    ({"rating": "2.5"}, "range_int", "whole number"),
    ({"text": ""}, "empty", "S1: the text is empty."),
    ({"text": "y" * 5000}, "too_long", "S1: the text has 5,000 characters; at most 2,000 are allowed."),
    ({"text_en": "", "text_zh": " "}, "empty", "the text is empty"),
    ({"evidence": ["bad id!"]}, "bad_id", "not a valid id"),
])
def test_edits_refuse_bad_input_with_one_sentence(fields, code, fragment) -> None:
    doc = Workspace(ROOT).load("swot")
    with pytest.raises(EditError) as exc:
        edit.update_item(doc, "S1", fields, "en")
    assert exc.value.code == code
    assert fragment in exc.value.message("en")
    assert exc.value.message("zh") != exc.value.message("en")


def test_add_update_move_delete_and_cascade() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.add_item(doc, "strengths", {"text": "New strength", "weight": "0.05", "rating": 4})
    assert d.strengths[-1].id == "S7" and d.strengths[-1].weight == 0.05
    d = edit.update_item(d, "S7", {"text": "新的优势"}, "zh")
    assert d.item("S7").text == "新的优势"  # a plain text stays plain
    d = edit.update_item(d, "S1", {"text": "Trust"}, "en")
    assert d.item("S1").text.en == "Trust" and d.item("S1").text.zh.startswith("工商银行")
    d = edit.move_item(d, "S7", -10)
    assert d.strengths[0].id == "S7"
    d = edit.delete_item(d, "S3")
    assert d.quadrant_of("S3") is None
    assert all("S3" not in s.pairs for s in d.strategies)
    assert all(r.id != "S3" for r in d.qspm.rows)
    with pytest.raises(EditError, match="no longer exists"):
        edit.delete_item(d, "S3")
    d = edit.delete_strategy(d, "WT1")
    assert "WT1" not in d.qspm.strategies and all("WT1" not in r.scores for r in d.qspm.rows)


def test_paste_several_lines_all_or_nothing() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.paste_items(doc, "threats", "- Price wars\t0.05\t1\n\n2. Fraud risk | 0.04 | 2\n• Plain line\n", "en")
    added = d.threats[-3:]
    assert [(i.id, i.text, i.weight, i.rating) for i in added] == [
        ("T6", "Price wars", 0.05, 1), ("T7", "Fraud risk", 0.04, 2), ("T8", "Plain line", 0.0, 2)]
    with pytest.raises(EditError) as exc:
        edit.paste_items(doc, "threats", "ok line\nbad line\tabc\n", "en")
    assert exc.value.message("en") == "Line 2: the weight “abc” is not a number."
    with pytest.raises(EditError, match="nothing to add"):
        edit.paste_items(doc, "threats", "\n  \n", "en")


def test_normalise_one_matrix_only() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.update_item(doc, "S1", {"weight": 0.5})
    d = edit.normalise(d, "IFE")
    assert round(sum(i.weight for i in d.items("strengths") + d.items("weaknesses")), 6) == 1.0
    assert [i.weight for i in d.opportunities] == [i.weight for i in doc.opportunities]


def test_grid_change_record_is_applied() -> None:
    doc = Workspace(ROOT).load("swot")
    delta = {"edited_rows": {"0": {"weight": 0.12}, 1: {"text": "Edited"}},
             "added_rows": [{"text": "From the grid", "weight": 0.02, "rating": 3}, {}],
             "deleted_rows": [5]}
    d = edit.apply_grid_edit(doc, "strengths", delta, "en")
    assert d.item("S1").weight == 0.12 and d.item("S2").text.en == "Edited"
    assert d.quadrant_of("S6") is None and d.strengths[-1].text == "From the grid"
    with pytest.raises(EditError) as exc:
        edit.apply_grid_edit(doc, "strengths", {"added_rows": [{"weight": 0.1}]}, "en")
    assert exc.value.message("en") == "Strengths, new row 1: the text is empty."


def test_qspm_and_space_edits() -> None:
    doc = Workspace(ROOT).load("swot")
    d = edit.apply_qspm_edit(doc, [i.id for i in doc.items()], doc.qspm.strategies, {"5": {"SO1": 1}})
    w6 = doc.items()[5].id
    assert next(r for r in d.qspm.rows if r.id == w6).scores == {"SO1": 1}
    d = edit.set_qspm_row(d, w6, {"SO1": None})
    assert all(r.id != w6 for r in d.qspm.rows)
    with pytest.raises(EditError):
        edit.set_qspm_row(doc, "S1", {"SO1": 5})
    d = edit.set_space_rating(doc, "stability", "sp_tech", "-2")
    assert d.space.stability[0].rating == -2
    with pytest.raises(EditError):
        edit.set_space_rating(doc, "stability", "sp_tech", 2)
    assert edit.parse_levers("online_ad_spend = 12\nmembership_coverage: 50") == {
        "online_ad_spend": 12.0, "membership_coverage": 50.0}
    with pytest.raises(EditError):
        edit.parse_levers("online_ad_spend = lots")
    known = {"online_ad_spend": (0.0, 80.0, "CNY m per month")}
    assert edit.check_levers({"online_ad_spend": 12.0}, known, "WO1") == {"online_ad_spend": 12.0}
    with pytest.raises(EditError) as exc:
        edit.check_levers({"tv_ads": 1.0}, known, "WO1")
    assert exc.value.message("en") == "WO1: tv_ads is not a scenario lever; levers are online_ad_spend."
    with pytest.raises(EditError) as exc:
        edit.check_levers({"online_ad_spend": 99.0}, known, "WO1")
    assert exc.value.message("en") == "WO1: online_ad_spend = 99 is outside the lever's range 0–80 CNY m per month."


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


def test_exports_are_readable_and_spreadsheet_safe() -> None:
    import pandas as pd

    from easymall.swot.view import to_csv, to_xlsx

    doc = edit.update_item(Workspace(ROOT).load("swot"), "S1", {"text": "=HYPERLINK(\"x\")"}, "en")
    csv = to_csv(doc, "zh")
    assert csv.startswith("\ufeff".encode()) and "优势".encode() in csv
    book = pd.read_excel(io.BytesIO(to_xlsx(doc, "en")), sheet_name=None, engine="openpyxl")
    assert set(book) == {"Summary", "SWOT", "IFE", "EFE", "TOWS", "QSPM"}
    assert book["SWOT"].iloc[0]["Text (en)"].startswith("'=HYPERLINK")
    summary = dict(zip(book["Summary"]["Measure"], book["Summary"]["Value"], strict=True))
    assert summary["IFE total"] == 2.52 and summary["IE cell"] == "V — hold and maintain"

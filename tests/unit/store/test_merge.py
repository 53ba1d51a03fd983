"""Three-way merge by item id and history diffs in words (easymall.store.merge)."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as hs

from easymall.store import Workspace, parse_document
from easymall.store.merge import diff_words, merge, resolve
from easymall.swot import edit
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def base():
    return Workspace(ROOT).load("swot")


def test_different_items_merge_without_conflict(base) -> None:
    mine = edit.update_item(base, "S1", {"weight": 0.15})
    theirs = edit.update_item(base, "W2", {"rating": 2})
    theirs = theirs.model_copy(update={"revision": base.revision + 1})
    result = merge(base, mine, theirs)
    assert result.conflicts == []
    doc = result.doc
    assert doc.item("S1").weight == 0.15 and doc.item("W2").rating == 2
    assert doc.revision == base.revision + 1


def test_different_fields_of_one_item_merge_and_the_same_field_is_a_conflict(base) -> None:
    # Issue 13: A's weight and B's text of S3 are different fields: both survive, nobody is asked.
    mine = edit.update_item(base, "S3", {"weight": 0.15})
    mine = edit.update_item(mine, "O1", {"rating": 3})
    theirs = edit.update_item(base, "S3", {"text": "Their text"}, "en")
    result = merge(base, mine, theirs)
    assert result.conflicts == []
    assert result.doc.item("S3").text.en == "Their text" and result.doc.item("S3").weight == 0.15
    assert result.doc.item("O1").rating == 3
    # A's rating and B's Chinese text of S4 (the meeting in the issue)
    a = edit.update_item(base, "S4", {"rating": 3})
    b = edit.update_item(base, "S4", {"text": "新的中文"}, "zh")
    both = merge(base, a, b).doc.item("S4")
    assert both.rating == 3 and both.text.zh == "新的中文" and both.text.en == base.item("S4").text.en
    # the same field: one conflict naming the field, settled per field (mine, theirs or typed)
    mine = edit.update_item(mine, "S3", {"text": "My text"}, "en")
    result = merge(base, mine, theirs)
    assert [(c.key, c.kind, c.mine, c.theirs) for c in result.conflicts] == [
        ("strengths/S3/text.en", "field", "My text", "Their text")]
    assert result.doc.item("S3").weight == 0.15                # the other field is merged meanwhile
    assert resolve(result, {"strengths/S3/text.en": "mine"}).item("S3").text.en == "My text"
    kept = resolve(result, {"strengths/S3/text.en": "theirs"})
    assert kept.item("S3").text.en == "Their text" and kept.item("S3").weight == 0.15 and kept.item("O1").rating == 3
    typed = resolve(result, {"strengths/S3/text.en": "custom"}, {"strengths/S3/text.en": "Our text"})
    assert typed.item("S3").text.en == "Our text" and typed.item("S3").weight == 0.15


def test_identical_changes_are_not_a_conflict(base) -> None:
    mine = edit.update_item(base, "T1", {"rating": 2})
    assert merge(base, mine, mine).conflicts == []


def test_delete_versus_edit_is_a_conflict(base) -> None:
    mine = edit.delete_item(base, "S6")
    theirs = edit.update_item(base, "S6", {"owner": "Zhao"})
    result = merge(base, mine, theirs)
    assert [(c.id, c.kind) for c in result.conflicts] == [("S6", "deleted_mine")]
    assert resolve(result, {"strengths/S6": "mine"}).quadrant_of("S6") is None
    assert resolve(result, {}).item("S6").owner == "Zhao"


def test_delete_on_one_side_and_untouched_on_the_other_is_deleted(base) -> None:
    mine = edit.delete_item(base, "W5")
    theirs = edit.update_item(base, "W1", {"owner": "Zhao"})
    result = merge(base, mine, theirs)
    assert result.conflicts == [] and result.doc.quadrant_of("W5") is None and result.doc.item("W1").owner == "Zhao"


def test_additions_on_both_sides_are_all_kept_in_place(base) -> None:
    mine = edit.add_item(base, "opportunities", {"id": "O7", "text": "Mine"})
    theirs = edit.add_item(base, "opportunities", {"id": "O8", "text": "Theirs"})
    result = merge(base, mine, theirs)
    assert result.conflicts == []
    assert [i.id for i in result.doc.opportunities][-3:] == ["O6", "O7", "O8"]
    clash = edit.add_item(base, "opportunities", {"id": "O8", "text": "Also O8, different"})
    assert [(c.key, c.kind) for c in merge(base, clash, theirs).conflicts] == [("opportunities/O8", "both_added")]


def test_my_reorder_is_kept_with_their_edit(base) -> None:
    mine = edit.move_item(base, "S4", -3)
    theirs = edit.update_item(base, "S2", {"weight": 0.11})
    result = merge(base, mine, theirs)
    assert result.conflicts == []
    assert [i.id for i in result.doc.strengths] == ["S4", "S1", "S2", "S3", "S5", "S6"]
    assert result.doc.item("S2").weight == 0.11


def test_plain_values_and_nested_lists_merge(base) -> None:
    mine = base.model_copy(update={"as_of": 2018})
    theirs = edit.set_space_rating(base, "financial", "fp_cash", 6)
    result = merge(base, mine, theirs)
    assert result.conflicts == [] and result.doc.as_of == 2018 and result.doc.space.financial[2].rating == 6
    both = merge(base, mine, base.model_copy(update={"as_of": 2019}))
    assert [(c.key, c.kind) for c in both.conflicts] == [("as_of", "value")]
    assert resolve(both, {"as_of": "mine"}).as_of == 2018
    a = edit.set_space_rating(base, "financial", "fp_cash", 2)
    conflicts = merge(base, a, theirs).conflicts
    assert [c.key for c in conflicts] == ["space.financial/fp_cash/rating"]


def test_a_merge_that_would_be_invalid_is_one_whole_document_conflict(base) -> None:
    mine = edit.add_item(base, "strengths", {"id": "X1", "text": "mine"})
    theirs = edit.add_item(base, "threats", {"id": "X1", "text": "theirs"})
    result = merge(base, mine, theirs)
    assert [c.key for c in result.conflicts] == ["*"]
    assert resolve(result, {"*": "mine"}).quadrant_of("X1") == "strengths"


def test_merge_is_generic_over_documents_with_id_lists() -> None:
    market = Workspace(ROOT).load("market")
    data = market.model_dump()
    data["facts"][0]["value"] = 80.0
    mine = type(market).model_validate(data)
    data2 = market.model_dump()
    data2["facts"][1]["year"] = 2015
    theirs = type(market).model_validate(data2)
    result = merge(market, mine, theirs)
    assert result.conflicts == []
    assert result.doc.facts[0].value == 80.0 and result.doc.facts[1].year == 2015


def test_diff_words_in_english_and_chinese(base) -> None:
    new = edit.update_item(base, "S3", {"weight": 0.15})
    assert diff_words(base, new, "en") == ["S3 weight 0.09 → 0.15"]
    assert diff_words(base, new, "zh") == ["S3 权重 0.09 → 0.15"]
    new = edit.update_item(base, "W1", {"text": "Shorter"}, "en")
    new = edit.add_item(new, "threats", {"id": "T6", "text": "Price war"})
    new = edit.delete_item(new, "O6")
    new = edit.move_item(new, "S2", -1)
    new = edit.update_item(new, "S1", {"evidence": ["icbc_personal_customers_2016", "nps"]})
    words = diff_words(base, new, "en")
    assert any(w.startswith("W1 text “Few customers know") and w.endswith("…” → “Shorter”") for w in words)
    assert "Added T6 to Threats: “Price war”" in words
    assert any(w.startswith("Removed O6 from Opportunities: “Corporate procurement") for w in words)
    assert "Reordered Strengths" in words
    assert "S1 evidence: + nps" in words
    zh = diff_words(base, new, "zh")
    assert "在威胁中新增 T6：“Price war”" in zh and "调整了优势的顺序" in zh
    assert diff_words(base, base, "en") == []


def test_diff_words_shows_the_language_that_changed(base) -> None:
    new = edit.update_item(base, "S2", {"text": "新文本"}, "zh")
    assert diff_words(base, new, "en") == ["S2 text “庞大的存量客户：2016 年约 5.3 亿个人客户和 578 万公司客户” → “新文本”"]

_BASE = Workspace(ROOT).load("swot")
_IDS = [i.id for i in _BASE.items()]
_edits = hs.dictionaries(hs.sampled_from(_IDS), hs.integers(min_value=0, max_value=100).map(lambda n: n / 100),
                         max_size=6)


@settings(max_examples=40, deadline=None)
@given(_edits, _edits)
@example({"O1": 0.0}, {"O1": 0.12})  # "theirs" sets the base value again: not a change, no conflict
def test_merge_keeps_every_change_and_flags_exactly_the_items_changed_differently(mine_w, theirs_w) -> None:
    base = _BASE
    mine, theirs = base, base
    for iid, w in mine_w.items():
        mine = edit.update_item(mine, iid, {"weight": w})
    for iid, w in theirs_w.items():
        theirs = edit.update_item(theirs, iid, {"weight": w})
    result = merge(base, mine, theirs)
    clash = {i for i in set(mine_w) & set(theirs_w)  # both sides changed it, and differently
             if base.item(i).weight not in (mine.item(i).weight, theirs.item(i).weight)
             and mine.item(i).weight != theirs.item(i).weight}
    assert {c.id for c in result.conflicts} == clash
    assert {c.key for c in result.conflicts} == {f"{mine.quadrant_of(i)}/{i}/weight" for i in clash}
    for side in ("mine", "theirs"):
        doc = resolve(result, {f"{mine.quadrant_of(i)}/{i}/weight": side for i in clash})
        for iid in _IDS:
            if iid in clash:
                expected = (mine if side == "mine" else theirs).item(iid).weight
            elif iid in mine_w and mine.item(iid).weight != base.item(iid).weight:
                expected = mine.item(iid).weight
            else:
                expected = theirs.item(iid).weight
            assert doc.item(iid).weight == expected
    assert merge(base, mine, base).doc == mine and merge(base, base, theirs).doc == theirs


def test_history_words_for_stp_and_marketing_read_as_labels_not_yaml_keys() -> None:
    stp = parse_document("stp", (ROOT / "config" / "stp.yaml").read_text("utf-8"))
    data = stp.model_dump(mode="json")
    data["segments"][0]["ratings"]["fit"] = 1
    data["positioning"]["competitors"][0]["scores"]["price"] = 3.5
    changed = type(stp).model_validate(data)
    assert diff_words(stp, changed, "zh") == ["信用卡分期与积分用户 打分 · 与银行目标的契合度 5 → 1",
                                               "天猫 评分 · 价格 3.80 → 3.50"]
    assert diff_words(stp, changed, "en")[0] == ("Credit-card instalment and points users ratings · "
                                                 "Fit with the bank's objectives 5 → 1")
    mix = parse_document("marketing", (ROOT / "config" / "marketing.yaml").read_text("utf-8"))
    data = mix.model_dump(mode="json")
    data["levers"][0]["value"] = data["levers"][0]["min"]
    assert diff_words(mix, type(mix).model_validate(data), "zh")[0].split(" 取值 ")[1] == "150.00 → 0.00"


# ---------------------------------------------------------------- field-level property (issue 13)

#: Fields of a SWOT item one edit may set, with values valid for every item.
_FIELDS = {"weight": hs.integers(0, 100).map(lambda n: n / 100), "rating": hs.integers(1, 4),
           "owner": hs.sampled_from(["", "王经理", "Li", "Zhao"]), "text.en": hs.sampled_from(["A", "B", "C d"]),
           "text.zh": hs.sampled_from(["甲", "乙", "丙丁"]), "tags": hs.lists(hs.sampled_from(["x", "y", "z"]),
                                                                               unique=True, max_size=2)}
_SEQ = hs.lists(hs.tuples(hs.sampled_from(_IDS[:8]), hs.sampled_from(sorted(_FIELDS))), max_size=8)


def _field(doc, iid: str, fld: str):
    item = doc.item(iid).model_dump(mode="json")
    if isinstance(item["text"], str):  # a plain text is its English
        item["text"] = {"en": item["text"], "zh": ""}
    for part in fld.split("."):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def _apply(doc, steps):
    data = doc.model_dump(mode="json")
    for iid, fld, value in steps:
        q = doc.quadrant_of(iid)
        item = next(i for i in data[q] if i["id"] == iid)
        if fld.startswith("text."):
            if isinstance(item["text"], str):
                item["text"] = {"en": item["text"], "zh": ""}
            item["text"][fld.split(".")[1]] = value
        else:
            item[fld] = value
    return type(doc).model_validate(data)


def _with_plain_text(doc):
    data = doc.model_dump(mode="json")
    data["strengths"][0]["text"] = data["strengths"][0]["text"]["en"]  # S1: a plain text, as hand-written YAML may be
    return type(doc).model_validate(data)


_PLAIN_BASE = _with_plain_text(_BASE)


@settings(max_examples=80, deadline=None)
@given(hs.data())
def test_no_field_either_side_changed_is_lost_and_only_a_field_both_changed_asks_a_person(data) -> None:
    """For any two edit sequences from one base: every field only one side changed survives; a field
    both changed to the same value is that value; a field both changed differently is exactly one
    conflict, and whatever the person picks (mine, theirs, a typed value) is what is saved — with
    every other field still merged."""
    def steps():
        return [(i, f, data.draw(_FIELDS[f])) for i, f in data.draw(_SEQ)]
    base = _PLAIN_BASE
    mine, theirs = _apply(base, steps()), _apply(base, steps())
    result = merge(base, mine, theirs)
    fields = [(i, f) for i in _IDS[:8] for f in _FIELDS]
    clash = {(i, f) for i, f in fields if _field(mine, i, f) != _field(base, i, f)
             and _field(theirs, i, f) != _field(base, i, f) and _field(mine, i, f) != _field(theirs, i, f)}
    keys = {c.key for c in result.conflicts}
    assert sorted((c.id, ".".join(c.field)) for c in result.conflicts) == sorted(clash)
    choice = data.draw(hs.sampled_from(["mine", "theirs", "custom"]))
    typed = {c.key: c.mine for c in result.conflicts}  # a typed value: here, what "mine" holds
    doc = resolve(result, dict.fromkeys(keys, choice), typed)
    for i, f in fields:
        got, m, th, b = (_field(x, i, f) for x in (doc, mine, theirs, base))
        if (i, f) in clash:
            assert got == (th if choice == "theirs" else m)
        elif m != b:
            assert got == m, (i, f)
        else:
            assert got == th, (i, f)

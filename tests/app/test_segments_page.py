"""AppTest of the Segments page's render(): tabs, clustering → segment, targeting, statements, merges."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from easymall.models.stp import StpDocument
from easymall.store import Workspace
from easymall.ui.segments import BUILDER_OPEN, MANAGE_OPEN
from tests.app.helpers import button, open_page, open_tab
from tests.conftest import shown

TABS = {"en": ["Segmentation", "Explorer", "Targeting", "Positioning"],
        "zh": ["市场细分", "细分对比", "目标市场选择", "市场定位"]}
TAB = "segments_tab"  # the session-state key of the page's (lazy) tabs
SEG = {"author": "Li Wei", "timeout": 90}  # clustering runs take a while


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [w.label for w in at.button] + [w.label for w in at.multiselect] + [w.label for w in at.number_input]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders_in_both_languages(ws_path: Path, lang: str) -> None:
    at = open_page("segments", lang, **SEG)
    assert not at.exception
    assert [t.label for t in at.tabs] == TABS[lang]
    for i in range(4):
        open_tab(at, TAB, TABS[lang][i])
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == []
        assert not re.findall("⟦[^⟧]*⟧", _texts(at)), re.findall("⟦[^⟧]*⟧", _texts(at))
    open_tab(at, TAB, TABS[lang][0])
    cards = " ".join(shown(m.value) for m in at.markdown)
    assert ("Credit-card instalment and points users" if lang == "en" else "信用卡分期与积分用户") in cards


def test_cluster_then_save_as_segment_goes_into_stp_yaml(ws_path: Path) -> None:
    at = open_tab(open_page("segments", **SEG), TAB, TABS["en"][0])
    at.selectbox(key="segments_k").set_value(3)
    at.button[[b.label for b in at.button].index("Run clustering")].click().run()
    assert not at.exception
    run = at.session_state["segments_run"]["run"]
    assert run.k == 3 and len(run.labels) == 812
    names = [t.value for t in at.text_input if t.key and t.key.startswith("segments_cname_")]
    assert len(names) == 3 and all(names)
    at.text_input(key=f"segments_cname_{at.session_state['segments_run']['serial']}_1").set_value("My cluster")
    save = [b for b in at.button if b.key and b.key.startswith("segments_save_")][1]
    save.click().run()
    assert not at.exception
    doc = Workspace(ws_path).load("stp")
    assert isinstance(doc, StpDocument) and doc.revision == 1
    seg = doc.segments[-1]
    assert seg.source == "cluster" and seg.name == "My cluster" and seg.cluster is not None
    assert seg.cluster.k == 3 and seg.cluster.cluster == 1
    assert Workspace(ws_path).history("stp")[0].author == "Li Wei"
    # the saved cluster is sized from the data and appears in the GE table
    open_tab(at, TAB, TABS["en"][2])
    ge = next(d.value for d in at.dataframe if "attractiveness" in d.value.columns)
    row = ge[ge["name"] == "My cluster"].iloc[0]
    assert row["n"] == f"{int(sum(run.labels == 1)):,}"          # as read (issue 13: never "None")
    assert "None" not in " ".join(map(str, ge.to_numpy().ravel()))


def test_targets_weights_and_statement_are_saved(ws_path: Path) -> None:
    at = open_tab(open_page("segments", **SEG), TAB, TABS["en"][2])
    key = next(m.key for m in at.multiselect if m.key and m.key.startswith("segments_targets_"))
    at.multiselect(key=key).set_value(["credit_points", "young_digital"]).run()
    doc = Workspace(ws_path).load("stp")
    assert [s.id for s in doc.targets()] == ["credit_points", "young_digital"]
    assert any("young frequent online shoppers is a target but failed" in w.value.lower() for w in at.warning)
    # weights: raise one, the save scales them back to a sum of 1
    rev = doc.revision
    at.number_input(key=f"segments_w_strength_access_{rev}").set_value(0.5)
    submit = [b for b in at.button if b.label == "Save weights"][1]
    submit.click().run()
    assert not at.exception
    doc = Workspace(ws_path).load("stp")
    weights = {c.id: c.weight for c in doc.targeting.strength}
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-6)
    assert weights["access"] == pytest.approx(0.5 / 1.2, abs=0.002)
    # statement of a target, in English; the Chinese text stays
    open_tab(at, TAB, TABS["en"][3])
    rev = doc.revision
    at.text_area(key=f"segments_stmt_credit_points_need_{rev}").set_value("need cash flow for big purchases")
    button(at, "Save statement").click().run()
    doc = Workspace(ws_path).load("stp")
    need = doc.segment("credit_points").statement.need
    assert need.en == "need cash flow for big purchases" and need.zh == "希望大额消费不必一次付清"
    assert "need cash flow for big purchases" in " ".join(m.value for m in at.markdown)


def test_without_a_name_the_page_asks_once_and_saves_nothing(ws_path: Path) -> None:
    at = open_tab(open_page("segments", author="", timeout=90), TAB, TABS["en"][2])
    assert any("Enter your name once" in i.value for i in at.info)
    key = next(m.key for m in at.multiselect if m.key and m.key.startswith("segments_targets_"))
    at.multiselect(key=key).set_value(["credit_points"]).run()
    assert not at.exception
    assert any("Enter your name once" in e.value for e in at.error)
    assert Workspace(ws_path).load("stp").revision == 0
    at.text_input(key="live_author_input").set_value("Wang Fang")
    button(at, "Start editing").click().run()
    assert at.session_state["author"] == "Wang Fang"
    assert not any("Enter your name once" in i.value for i in at.info)


def test_edit_merges_with_another_sessions_save(ws_path: Path) -> None:
    at = open_tab(open_page("segments", **SEG), TAB, TABS["en"][2])
    # someone else saves a different item meanwhile
    ws = Workspace(ws_path)
    other = ws.load("stp")
    data = other.model_dump(mode="json")
    data["positioning"]["competitors"][0]["scores"]["price"] = 3.5
    ws.save("stp", StpDocument.model_validate(data), base_revision=other.revision, author="Wang Fang", message="tmall")
    key = next(m.key for m in at.multiselect if m.key and m.key.startswith("segments_targets_"))
    at.multiselect(key=key).set_value(["credit_points"]).run()
    assert not at.exception
    doc = Workspace(ws_path).load("stp")
    assert doc.revision == 2
    assert [s.id for s in doc.targets()] == ["credit_points"]
    assert doc.positioning.competitors[0].scores["price"] == 3.5


def test_without_a_survey_the_page_says_so(ws_path: Path) -> None:
    (ws_path / "data" / "active.json").unlink()
    at = open_page("segments", **SEG)
    assert not at.exception
    assert any("No active survey dataset" in i.value for i in at.info)
    open_tab(at, TAB, TABS["en"][2])
    assert not at.exception


def test_same_segment_changed_twice_shows_both_versions_to_choose(ws_path: Path) -> None:
    at = open_tab(open_page("segments", **SEG), TAB, TABS["en"][3])
    ws = Workspace(ws_path)
    other = ws.load("stp")
    data = other.model_dump(mode="json")
    data["segments"][0]["statement"]["need"]["en"] = "pay in instalments"
    ws.save("stp", StpDocument.model_validate(data), base_revision=other.revision, author="Wang Fang", message="need")
    at.text_area(key="segments_stmt_credit_points_need_0").set_value("spread big purchases over months")
    button(at, "Save statement").click().run()
    assert not at.exception
    assert any("Someone else changed the same thing" in s.value for s in at.subheader)
    rows = " ".join([str(t.value) for t in at.text] + [str(d.value.to_dict()) for d in at.dataframe])
    assert "spread big purchases over months" in rows and "pay in instalments" in rows
    assert Workspace(ws_path).load("stp").revision == 1  # nothing overwritten yet
    radio = next(r for r in at.radio if r.key and r.key.startswith("live_choice_stp_"))
    radio.set_value("mine")
    button(at, "Save my choices").click().run()
    doc = Workspace(ws_path).load("stp")
    assert doc.revision == 2
    assert doc.segment("credit_points").statement.need.en == "spread big purchases over months"


def test_rule_builder_counts_and_adds_a_segment(ws_path: Path) -> None:
    at = open_tab(open_page("segments", **SEG), TAB, TABS["en"][0])
    assert not any(s.key == "segments_rb_q0" for s in at.selectbox)  # closed: nothing of it is built
    at.session_state[BUILDER_OPEN] = True
    at.run()
    at.selectbox(key="segments_rb_q0").set_value("Q5").run()
    at.multiselect(key="segments_rb_v0_Q5").set_value(["否"]).run()
    at.session_state[BUILDER_OPEN] = False  # closing and opening it again keeps the choices
    at.run()
    assert not any(s.key == "segments_rb_q0" for s in at.selectbox)
    at.session_state[BUILDER_OPEN] = True
    at.run()
    assert at.selectbox(key="segments_rb_q0").value == "Q5" and at.multiselect(key="segments_rb_v0_Q5").value == ["否"]
    from easymall.survey.datasets import active_dataset

    expected = int((active_dataset(Workspace(ws_path)).frame["Q5"] == "否").sum())
    preview = next(shown(i.value) for i in at.info if "respondents" in i.value)
    assert preview.startswith(f"{expected:,} respondents (") and preview.endswith("match: ICBC customer is No")
    at.text_input(key="segments_rb_name").set_value("Not yet ICBC customers").run()
    at.button(key="segments_rb_save").click().run()
    assert not at.exception
    doc = Workspace(ws_path).load("stp")
    seg = doc.segment("not_yet_icbc_customers")
    assert seg.source == "rule" and seg.rule.question == "Q5" and seg.rule.values == ["否"]
    assert "Not yet ICBC customers" in " ".join(m.value for m in at.markdown)


def test_two_people_renaming_one_segment_keeps_what_each_typed_and_asks(ws_path: Path) -> None:
    """Issue 13: B's typed name is not replaced by A's when B's page refreshes, and B's click is a
    conflict naming both — never "No content change"."""
    a = open_tab(open_page("segments", "zh", author="王经理", timeout=90, state={MANAGE_OPEN: True}), TAB, TABS["zh"][0])
    b = open_tab(open_page("segments", "zh", author="李伟", timeout=90, state={MANAGE_OPEN: True}), TAB, TABS["zh"][0])
    sid = a.selectbox(key="segments_manage_pick").value
    a.text_input(key=f"segments_rename_{sid}_0").set_value("王经理的名字")
    b.text_input(key=f"segments_rename_{sid}_0").set_value("李伟的名字").run()
    button(a, "重命名").click().run()
    assert Workspace(ws_path).revision("stp") == 1
    b.run()  # B's page follows A's save
    assert b.text_input(key=f"segments_rename_{sid}_0").value == "李伟的名字"
    assert any("王经理" in c.value for c in b.caption)
    button(b, "重命名").click().run()
    assert any(s.value.startswith("他人修改了同一内容") for s in b.subheader)
    radio = b.radio(key="live_choice_stp_0")
    assert list(radio.options) == ["保留 李伟 的", "保留 王经理 的", "编辑合并后的内容"]
    radio.set_value("mine").run()
    button(b, "保存所选版本").click().run()
    assert Workspace(ws_path).load("stp").segment(sid).name.zh == "李伟的名字"


def test_unsaved_segment_edits_survive_a_reload_until_saved_or_discarded(ws_path: Path) -> None:
    """Issue 13: a rename, a weight and a statement typed but not saved are kept for the person
    server-side; a reload (a new session with the same person) restores each with a note."""
    mine = {"author": "李伟", "timeout": 90, "state": {"_person_token": "s" * 20}}
    at = open_page("segments", "zh", **{**mine, "state": {**mine["state"], MANAGE_OPEN: True}})
    sid = at.selectbox(key="segments_manage_pick").value
    stored_name = at.text_input(key=f"segments_rename_{sid}_0").value
    at.text_input(key=f"segments_rename_{sid}_0").set_value("草稿名称").run()
    open_tab(at, TAB, TABS["zh"][2]).number_input(key="segments_w_strength_access_0").set_value(0.5).run()
    open_tab(at, TAB, TABS["zh"][3]).text_area(key="segments_stmt_credit_points_need_0").set_value("草稿需求").run()
    open_tab(at, TAB, TABS["zh"][1])
    gate = next(r for r in at.radio if r.key and r.key.startswith("segments_gate_"))
    gate_key, gate_was = gate.key, gate.value
    gate.set_value("no" if gate_was != "no" else "yes").run()
    ws = Workspace(ws_path)
    data = ws.load("stp").model_dump(mode="json")
    data["positioning"]["competitors"][0]["scores"]["price"] = 3.5
    ws.save("stp", StpDocument.model_validate(data), base_revision=0, author="王经理", message="tmall")
    again = open_page("segments", "zh", **mine)  # the reload: the rename's expander opens again with its draft
    notes = " ".join(t.value for t in again.toast)
    assert f"“{stored_name}”的名称" in notes and "业务实力——权重" in notes and "的定位陈述" in notes
    assert again.text_input(key=f"segments_rename_{sid}_0").value == "草稿名称"
    assert "的细分检验" in notes
    open_tab(again, TAB, TABS["zh"][1])
    assert again.radio(key=gate_key).value == ("no" if gate_was != "no" else "yes")              # the Kotler test too
    open_tab(again, TAB, TABS["zh"][0])
    other = open_page("segments", "zh", author="赵磊", timeout=90, state={"_person_token": "t" * 20, MANAGE_OPEN: True})
    assert other.text_input(key=f"segments_rename_{sid}_1").value == stored_name     # private to its person
    assert not any("草稿" in t.value for t in other.toast)
    again.session_state[MANAGE_OPEN] = True  # the expander, like the tab, closes when the tab is left
    button(again.run(), "放弃我的修改").click().run()                                  # discard the rename
    assert again.text_input(key=f"segments_rename_{sid}_1").value == stored_name
    open_tab(again, TAB, TABS["zh"][2])
    assert again.number_input(key="segments_w_strength_access_0").value == 0.5
    open_tab(again, TAB, TABS["zh"][3])
    assert again.text_area(key="segments_stmt_credit_points_need_0").value == "草稿需求"
    button(again, "保存定位陈述").click().run()
    doc = ws.load("stp")
    assert doc.segment("credit_points").statement.need.zh == "草稿需求"           # saved, merged with 王经理's
    assert doc.positioning.competitors[0].scores["price"] == 3.5 and doc.segment(sid).name.zh == stored_name
    third = open_page("segments", "zh", **mine)
    left = sorted(t.value for t in third.toast)                                       # the weight and the test are left
    assert len(left) == 2 and "已恢复页面刷新前您未保存的 业务实力——权重 草稿。" in left

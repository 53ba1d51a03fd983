"""AppTest of the SWOT page's render(): scores, language, author gate, edits saved through the store,
bad input, literal text, conflicts, automatic merges and revert."""
from __future__ import annotations

from pathlib import Path

import pytest

from easymall.store import Workspace
from easymall.swot import edit
from tests.app.helpers import AUTH, button, metrics, open_page, open_tab, plain


def _errors(at) -> list[str]:
    return [plain(e.value) for e in at.error]


TABS = "swot_tab"  # the session-state key of the page's (lazy) tabs
TABLE = "swot_table_open"  # ... and of its (lazy) expander of the four quadrant tables
TAB = {"scores": "IFE · EFE · IE · SPACE", "tows": "TOWS · QSPM", "history": "History"}


def test_scores_in_english(ws_path: Path) -> None:
    at = open_page("swot")
    assert not at.exception
    assert len(at.get("data_editor")) == 0  # the tables are built once their expander opens ...
    at.session_state[TABLE] = True
    assert len(at.run().get("data_editor")) == 4  # ... one a quadrant
    assert metrics(at) == {}                # lazy tabs: the scores are not computed until opened
    open_tab(at, TABS, TAB["scores"])
    assert at.title[0].value == "SWOT workbench"
    m = metrics(at)
    assert (m["IFE total"], m["EFE total"], m["IE cell"], m["Prescription"]) == ("2.52", "2.04", "V", "hold and maintain")
    assert m["x = CP + IP"] == "-0.07" and m["Quadrant"] == "Conservative"
    assert _errors(at) == []
    open_tab(at, TABS, TAB["tows"])
    m = metrics(at)
    assert m["WO1 · sum of TAS"] == "4.21" and m["SO1 · sum of TAS"] == "4.12"
    assert len(at.get("data_editor")) == 1   # the QSPM


def test_chinese(ws_path: Path) -> None:
    at = open_page("swot", "zh")
    assert not at.exception
    assert at.title[0].value == "SWOT 分析工作台"
    open_tab(at, TABS, TAB["scores"])
    m = metrics(at)
    assert m["战略建议"] == "坚守与保持" and m["所在象限"] == "保守型"


def test_author_is_asked_once_and_the_page_is_read_only_until_then(ws_path: Path) -> None:
    at = open_page("swot", author=None)
    assert any("Enter your name once" in i.value for i in at.info)
    at.session_state[TABLE] = True
    assert len(at.run().get("data_editor")) == 0
    at.text_input(key="live_author_input").set_value("Wang Fang")
    button(at, "Start editing").click().run()
    assert at.session_state["author"] == "Wang Fang"
    at.session_state[TABLE] = True  # the expander's label changed ("Edit as a table"): it opens anew
    assert len(at.run().get("data_editor")) == 4


def test_item_form_saves_to_the_yaml_with_author_and_history(ws_path: Path) -> None:
    at = open_page("swot")
    at.text_area(key="swot_f_S1_0_en").set_value("Trust in a state bank")
    at.number_input(key="swot_f_S1_0_w").set_value(0.12)
    button(at, "Save item").click().run()
    assert not at.exception
    text = (ws_path / "config" / "swot.yaml").read_text("utf-8")
    assert "Trust in a state bank" in text and "revision: 1" in text
    ws = Workspace(ws_path)
    assert ws.history("swot")[0].author == "Tester"
    assert ws.load("swot").item("S1").weight == 0.12
    # issue 13: the weight warning is a compact line under the quadrants, not an alert box above them
    assert any("IFE weights sum to 1.02" in plain(c.value) for c in at.caption)
    open_tab(at, TABS, TAB["scores"])
    assert metrics(at)["IFE total"] == "2.60"   # + 0.02 × 4


def test_bad_paste_says_which_line_and_saves_nothing(ws_path: Path) -> None:
    at = open_page("swot")
    at.text_area(key="swot_paste_text").set_value("Good line\t0.05\t3\nSecond\tabc")
    button(at, "Add lines").click().run()
    assert _errors(at) == ["Line 2: the weight “abc” is not a number."]
    assert Workspace(ws_path).revision("swot") == 0
    at.text_area(key="swot_paste_text").set_value("Instalment plans at zero interest | 0.05 | 4")
    button(at, "Add lines").click().run()
    assert Workspace(ws_path).load("swot").item("S7").text == "Instalment plans at zero interest"


def test_markup_in_text_is_shown_literally(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    doc = ws.load("swot")
    doc = edit.update_strategy(doc, "SO1", {"text_en": "<b>bold</b><script>alert(1)</script>", "text_zh": "x"})
    ws.save("swot", doc, base_revision=0, author="t")
    at = open_tab(open_page("swot"), TABS, TAB["tows"])
    assert "SO1 · <b>bold</b><script>alert(1)</script>" in [t.value for t in at.text]
    assert not any("<script>" in m.value for m in at.markdown)
    qspm_caption = next(c.value for c in at.caption if "bold" in c.value)   # Markdown element: escaped
    assert qspm_caption.startswith("\\<b\\>bold\\<\\/b\\>")
    assert plain(qspm_caption) == "<b>bold</b><script>alert(1)</script>"


def test_same_item_changed_elsewhere_shows_both_versions_to_choose(ws_path: Path) -> None:
    at = open_page("swot")  # the S1 editor opens on revision 0
    ws = Workspace(ws_path)
    other = edit.update_item(ws.load("swot"), "S1", {"text": "Their wording"}, "en")
    ws.save("swot", other, base_revision=0, author="Li Wei")
    at.text_area(key="swot_f_S1_0_en").set_value("My wording")
    button(at, "Save item").click().run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Someone else changed the same thing")
    assert ws.revision("swot") == 1 and ws.load("swot").item("S1").text.en == "Their wording"
    at.radio(key="live_choice_swot_0").set_value("mine")
    button(at, "Save my choices").click().run()
    assert ws.revision("swot") == 2 and ws.load("swot").item("S1").text.en == "My wording"


def test_different_items_changed_elsewhere_merge_automatically(ws_path: Path) -> None:
    at = open_page("swot")
    ws = Workspace(ws_path)
    ws.save("swot", edit.update_item(ws.load("swot"), "W1", {"owner": "Zhao Lei"}), base_revision=0, author="Li Wei")
    at.text_area(key="swot_f_S1_0_en").set_value("My wording")
    button(at, "Save item").click().run()
    doc = ws.load("swot")
    assert doc.revision == 2 and doc.item("S1").text.en == "My wording" and doc.item("W1").owner == "Zhao Lei"


def test_revert_from_history(ws_path: Path) -> None:
    at = open_page("swot")
    ws = Workspace(ws_path)
    original = ws.load("swot").item("S2").text
    ws.save("swot", edit.update_item(ws.load("swot"), "S2", {"text": "Changed"}, "en"), base_revision=0, author="A")
    open_tab(at, TABS, TAB["history"])
    table = next(d.value for d in at.dataframe if "changes" in d.value.columns)
    assert list(table["revision"]) == [1, 0]
    assert table.iloc[0]["changes"].startswith("S2 text “A huge captive customer base")
    at.selectbox(key="swot_hist_view").set_value(0)
    at.run()
    button(at, "Revert to revision 0").click().run()
    doc = ws.load("swot")
    assert doc.revision == 2 and doc.item("S2").text == original
    assert ws.history("swot")[0].message == "revert to revision 0"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_broken_file_keeps_the_last_good_version(ws_path: Path, lang: str) -> None:
    path = ws_path / "config" / "swot.yaml"
    path.write_text(path.read_text("utf-8").replace("    rating: 4", "    rating: 7", 1), "utf-8")
    at = open_page("swot", lang)
    assert not at.exception
    assert "rating: 7" in path.read_text("utf-8")   # never overwritten


def test_add_a_strategy_with_pairs_and_a_lever_preset(ws_path: Path) -> None:
    at = open_tab(open_page("swot"), TABS, TAB["tows"])
    at.selectbox(key="swot_strat_sel").set_value("__new__").run()
    p = "swot_s___new___0"
    at.text_area(key=f"{p}_en").set_value("Cross-sell wealth products at checkout")
    at.multiselect(key=f"{p}_pairs").set_value(["S3", "O3"])
    at.text_area(key=f"{p}_levers").set_value("tv_ads = 3")
    button(at, "Save strategy").click().run()
    assert _errors(at) == ["SO: tv_ads is not a scenario lever; levers are " + ", ".join(
        sorted(lv.id for lv in Workspace(ws_path).load("marketing").levers)) + "."]
    assert Workspace(ws_path).revision("swot") == 0
    at.text_area(key=f"{p}_levers").set_value("financial_tools_attach = 6")
    button(at, "Save strategy").click().run()
    doc = Workspace(ws_path).load("swot")
    new = doc.strategies[-1]
    assert (new.id, new.type, new.pairs, new.levers) == ("SO3", "SO", ["S3", "O3"], {"financial_tools_attach": 6.0})
    assert Workspace(ws_path).validate() == []


def test_switching_language_keeps_the_open_tab(ws_path: Path) -> None:
    at = open_tab(open_page("swot"), TABS, TAB["history"])
    assert [s.value for s in at.subheader] == ["Revisions"]
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["版本记录"]


def test_a_logged_in_user_edits_under_their_own_name(ws_path: Path, monkeypatch) -> None:
    # with st.login configured, the identity provider's name is the author: no name box, no gate
    import streamlit

    monkeypatch.setattr(streamlit, "user", {"is_logged_in": True, "name": "Liu Yang", "email": "liu@bank.cn"})
    at = open_page("swot", author=None, secrets=AUTH)
    assert not any("Enter your name once" in i.value for i in at.info)
    at.text_area(key="swot_f_S1_0_en").set_value("Signed by the identity provider")
    button(at, "Save item").click().run()
    assert not at.exception
    assert Workspace(ws_path).history("swot")[0].author == "Liu Yang"


def test_with_login_configured_editing_waits_for_log_in(ws_path: Path) -> None:
    at = open_page("swot", author=None,
                   secrets={"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}})
    assert any("Log in to edit" in i.value for i in at.info)
    assert "Log in" in [b.label for b in at.button]
    at.session_state[TABLE] = True
    assert len(at.run().get("data_editor")) == 0


@pytest.mark.parametrize(("lang", "sentence"), [
    ("en", "Could not save SWOT: the disk is full (nothing was changed; your edit is still on the page)."),
    ("zh", "无法保存SWOT：磁盘已满（未做任何更改；您的编辑仍保留在页面上）。")])
def test_a_full_disk_says_one_sentence_and_leaves_no_phantom_revision(ws_path: Path, monkeypatch, lang,
                                                                      sentence) -> None:
    import errno
    import os

    from easymall.store import backends

    def full(src, dst):  # noqa: ANN001
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    at = open_page("swot", lang=lang)
    before = (ws_path / "config" / "swot.yaml").read_bytes()
    history = Workspace(ws_path).history("swot")
    monkeypatch.setattr(backends.os, "replace", full)
    at.text_area(key="swot_f_S1_0_en").set_value("Trust in a state bank")
    button(at, "Save item" if lang == "en" else "保存条目").click().run()
    monkeypatch.setattr(backends.os, "replace", os.replace)
    assert not at.exception
    assert [e for e in _errors(at) if "ave" in e or "保存" in e] == [sentence]
    assert (ws_path / "config" / "swot.yaml").read_bytes() == before
    fresh = Workspace(ws_path)
    assert fresh.history("swot") == history and fresh.load("swot").revision == 0
    assert at.text_area(key="swot_f_S1_0_en").value == "Trust in a state bank"  # the edit is not lost


# ---------------------------------------------------------------- issue 13: field-level merge, nothing lost on reload


def test_two_sessions_edit_different_fields_of_one_item_and_both_survive(ws_path: Path) -> None:
    a = open_page("swot", "zh", author="李伟", state={"_person_token": "a" * 20})
    b = open_page("swot", "zh", author="王经理", state={"_person_token": "b" * 20})
    for at in (a, b):
        at.selectbox(key="swot_item_sel").set_value("S4").run()
    b.number_input(key="swot_f_S4_0_r").set_value(4)
    button(b, "保存条目").click().run()
    a.text_area(key="swot_f_S4_0_zh").set_value("李伟改写的中文")
    button(a, "保存条目").click().run()
    assert not a.exception and not a.subheader[0].value.startswith("他人修改")
    doc = Workspace(ws_path).load("swot")
    assert doc.revision == 2 and doc.item("S4").rating == 4 and doc.item("S4").text.zh == "李伟改写的中文"
    assert [r.author for r in Workspace(ws_path).history("swot")[:2]] == ["李伟", "王经理"]


def _same_field_conflict(ws_path: Path, token: str):
    at = open_page("swot", "zh", author="李伟", state={"_person_token": token})
    ws = Workspace(ws_path)
    ws.save("swot", edit.update_item(ws.load("swot"), "S1", {"text": "王经理的措辞", "weight": 0.2}, "zh"),
            base_revision=0, author="王经理")
    at.text_area(key="swot_f_S1_0_zh").set_value("李伟的措辞")
    at.text_input(key="swot_f_S1_0_owner").set_value("李伟")
    button(at, "保存条目").click().run()
    return at, ws


def test_the_same_field_asks_per_field_naming_both_authors_with_an_edit_option(ws_path: Path) -> None:
    at, ws = _same_field_conflict(ws_path, "c" * 20)
    assert at.subheader[0].value.startswith("他人修改了同一内容")
    radio = at.radio(key="live_choice_swot_0")
    assert list(radio.options) == ["保留 李伟 的", "保留 王经理 的", "编辑合并后的内容"]
    assert len(at.radio) == 1  # only the one field both changed; the weight and owner are not asked
    assert any(m.value == "**S1 · 内容 · 中文**" for m in at.markdown)
    assert any(c.value == "您的版本（李伟）" for c in at.caption)
    assert any("王经理" in c.value and "第 1 版" in c.value for c in at.caption)
    radio.set_value("custom").run()
    assert at.text_area(key="live_custom_swot_0").value == "王经理的措辞\n李伟的措辞"
    at.text_area(key="live_custom_swot_0").set_value("两人商定的措辞").run()
    button(at, "保存所选版本").click().run()
    doc = ws.load("swot")
    s1 = doc.item("S1")
    assert doc.revision == 2 and s1.text.zh == "两人商定的措辞" and s1.weight == 0.2 and s1.owner == "李伟"
    assert not any(s.value.startswith("他人修改") for s in at.subheader)


def test_a_reload_during_a_pending_conflict_restores_it_and_the_name(ws_path: Path) -> None:
    token = "d" * 20
    at, ws = _same_field_conflict(ws_path, token)
    at.radio(key="live_choice_swot_0").set_value("mine").run()
    # the page reloads: a new session of the same browser (its cookie), no name in the session yet
    again = open_page("swot", "zh", author=None, frame=True, state={"_person_token": token})
    assert not again.exception
    assert again.session_state["author"] == "李伟"          # the frame restored the name kept for this person
    assert again.subheader[0].value.startswith("他人修改了同一内容")
    assert again.radio(key="live_choice_swot_0").value == "mine"
    assert any("已恢复页面刷新前尚未完成的选择" in (t.value or "") for t in again.toast)
    button(again, "保存所选版本").click().run()
    assert ws.load("swot").item("S1").text.zh == "李伟的措辞" and ws.revision("swot") == 2
    third = open_page("swot", "zh", author="李伟", state={"_person_token": token})
    assert not any(s.value.startswith("他人修改") for s in third.subheader)   # settled: not restored again


def test_an_unsaved_draft_survives_a_reload_and_then_saves_merged(ws_path: Path) -> None:
    token = "e" * 20
    at = open_page("swot", "zh", author="李伟", state={"_person_token": token})
    at.selectbox(key="swot_item_sel").set_value("S2").run()
    at.text_area(key="swot_f_S2_0_zh").set_value("还没保存的草稿").run()
    ws = Workspace(ws_path)
    ws.save("swot", edit.update_item(ws.load("swot"), "S2", {"weight": 0.2}), base_revision=0, author="王经理")
    again = open_page("swot", "zh", author="李伟", state={"_person_token": token})   # the reload
    assert again.selectbox(key="swot_item_sel").value == "S2"
    assert again.text_area(key="swot_f_S2_0_zh").value == "还没保存的草稿"
    assert any("已恢复页面刷新前您未保存的 S2 草稿" in t.value for t in again.toast)
    assert any("王经理" in i.value for i in again.info)    # "S2 was changed by 王经理 since you opened it"
    other = open_page("swot", "zh", author="赵磊", state={"_person_token": "f" * 20})
    assert other.text_area(key="swot_f_S1_1_zh").value != "还没保存的草稿"      # private to its person
    button(again, "保存条目").click().run()
    s2 = ws.load("swot").item("S2")
    assert s2.text.zh == "还没保存的草稿" and s2.weight == 0.2                   # both fields survive
    third = open_page("swot", "zh", author="李伟", state={"_person_token": token})
    assert not any("草稿" in t.value for t in third.toast)                        # saved: no draft left


def test_history_and_presets_read_in_chinese_without_file_names_keys_or_english(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    ws.save("swot", edit.update_item(ws.load("swot"), "S2", {"weight": 0.2}), base_revision=0, author="王经理",
            message="edited S2")
    ws.revert("swot", 0, base_revision=1, author="李伟")
    at = open_tab(open_page("swot", "zh"), TABS, "历史版本")
    table = next(d.value for d in at.dataframe if "changes" in d.value.columns)
    assert list(table["author"]) == ["李伟", "王经理", "工作区文件"]
    assert list(table["message"]) == ["恢复到第 0 版", "编辑 S2", "应用内首次保存前的文件内容"]
    assert table.iloc[0]["changes"] == "S2 权重 0.20 → 0.10"
    everything = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "workspace file" not in everything and "revert" not in everything and "None" not in everything
    at = open_tab(at, TABS, "TOWS · QSPM")
    presets = [t.value for t in at.text if t.value.startswith("杠杆：")]
    assert presets and not any("_" in p for p in presets), presets   # labels and units, not lever ids
    assert any("%" in p or "元" in p for p in presets)


def test_an_unsaved_strategy_draft_survives_a_reload_until_saved_or_discarded(ws_path: Path) -> None:
    """Issue 13: the TOWS strategy editor keeps what was typed for its person (server-side): a reload
    brings it back into the same strategy with a note; saving merges with a save made meanwhile."""
    mine = {"author": "李伟", "state": {"_person_token": "g" * 20}}
    at = open_tab(open_page("swot", "zh", **mine), TABS, TAB["tows"])
    sid = at.selectbox(key="swot_strat_sel").value
    at.text_area(key=f"swot_s_{sid}_0_zh").set_value("还没保存的战略草稿").run()
    at.selectbox(key="swot_strat_sel").set_value("__new__").run()   # look at another one: the draft stays
    assert at.multiselect(key="swot_s___new___0_pairs").placeholder == "请选择"   # never Streamlit's "Choose options"
    ws = Workspace(ws_path)
    ws.save("swot", edit.update_strategy(ws.load("swot"), sid, {"owner": "王经理"}), base_revision=0, author="王经理")
    again = open_page("swot", "zh", **mine)                              # the reload
    assert any(t.value == f"已恢复页面刷新前您未保存的 战略 {sid} 草稿。" for t in again.toast)
    again = open_tab(again, TABS, TAB["tows"])
    assert again.selectbox(key="swot_strat_sel").value == sid           # back in the strategy it was typed in
    assert again.text_area(key=f"swot_s_{sid}_0_zh").value == "还没保存的战略草稿"
    other = open_tab(open_page("swot", "zh", author="赵磊", state={"_person_token": "h" * 20}), TABS, TAB["tows"])
    other.selectbox(key="swot_strat_sel").set_value(sid).run()
    assert other.text_area(key=f"swot_s_{sid}_1_zh").value != "还没保存的战略草稿"   # private to its person
    button(again, "保存战略").click().run()
    saved = ws.load("swot").strategy(sid)
    assert saved.text.zh == "还没保存的战略草稿" and saved.owner == "王经理"     # both fields survive
    again.text_area(key=f"swot_s_{sid}_2_en").set_value("typed, then discarded").run()
    button(again, "放弃我的修改").click().run()
    assert again.text_area(key=f"swot_s_{sid}_2_en").value == saved.text.en
    third = open_page("swot", "zh", **mine)
    assert not any("草稿" in t.value for t in third.toast)              # saved or discarded: no draft left


def test_each_quadrant_is_one_message_a_card_and_its_ids_open_the_item_editor(ws_path: Path) -> None:
    at = open_page("swot")
    cards = [m.value for m in at.markdown if m.value.startswith("**T")]
    assert len(cards) == len(Workspace(ws_path).load("swot").threats)  # one Markdown element an item
    row = next(b for b in at.get("button_group") if b.key == "swot_edit_pick_threats")
    assert list(row.options) == ["T1", "T2", "T3", "T4", "T5", "T6"][: len(cards)]
    assert at.selectbox(key="swot_item_sel").value != "T2"
    row.set_value("T2").run()
    assert at.selectbox(key="swot_item_sel").value == "T2"
    assert next(b for b in at.get("button_group") if b.key == "swot_edit_pick_threats").value in (None, [])
    viewer = open_page("swot", author=None)
    assert not any(b.key and b.key.startswith("swot_edit_pick_") for b in viewer.get("button_group"))

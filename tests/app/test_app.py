"""AppTest for app.py (frame, language, broken documents) and the Overview page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from easymall.store import Workspace
from easymall.swot.evidence import catalogue
from easymall.swot.view import evidence_text
from tests.app.helpers import AUTH, open_page
from tests.conftest import shown


def test_app_opens_on_overview_in_english(ws_path: Path) -> None:
    at = open_page(None, lang=None, author=None)
    assert not at.exception
    assert at.title[0].value == "Easy Mall (融e购) — where the platform stands"
    labels = [m.label for m in at.metric]
    assert "Double 11, one day (2016)" in labels
    assert at.query_params["lang"] == "en"
    assert [e.value for e in at.error] == []


def test_lang_query_param_opens_in_chinese_and_switch_changes_it(ws_path: Path) -> None:
    at = open_page(None, lang="zh", author=None)
    assert at.title[0].value == "融e购——平台现状"
    assert "2016 年“双 11”单日" in [m.label for m in at.metric]
    at.session_state["lang_switch"] = "en"
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value.startswith("Easy Mall")
    assert at.query_params["lang"] == "en"


def test_broken_document_shows_one_sentence_with_file_and_line(ws_path: Path) -> None:
    path = ws_path / "config" / "market.yaml"
    lines = path.read_text("utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip() == "status: sourced") + 1
    lines[n - 1] = "    status: maybe"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    at = open_page(None, lang=None, author=None)
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith(f"config/market.yaml, line {n}: facts.")
    assert "status" in errors[0]
    assert path.read_text("utf-8").splitlines()[n - 1] == "    status: maybe"


def test_broken_document_banner_speaks_chinese_in_the_chinese_ui(ws_path: Path) -> None:
    at = open_page(None, lang="zh", author=None)  # the app has the good version ...
    path = ws_path / "config" / "stp.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("revision: 0", "revision: 0\nrevison: 1", 1), "utf-8")  # ... then a typo'd key
    errors = [shown(e.value) for e in at.run().error]
    assert len(errors) == 1
    assert errors[0].startswith("config/stp.yaml 第 2 行：revison: 不允许此字段（是否拼写有误？）。")
    assert errors[0].endswith("应用继续使用上一个有效版本（第 0 版）；该文件未被改动。")


def test_sidebar_shows_workspace_and_live_revisions(ws_path: Path) -> None:
    at = open_page(None, lang=None, author=None)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "Live revisions:" in captions and "Market r0" in captions
    assert ws_path.name in " ".join(m.value for m in at.sidebar.markdown)


def test_sidebar_shows_the_logged_in_user_instead_of_a_name_box(ws_path: Path, monkeypatch) -> None:
    import streamlit

    monkeypatch.setattr(streamlit, "user", {"is_logged_in": True, "name": "Liu Yang"})
    at = open_page(None, lang=None, author=None, secrets=AUTH)  # st.login is configured: people log in
    assert not at.exception
    assert "Liu Yang" in " ".join(m.value for m in at.sidebar.markdown)
    assert [t for t in at.sidebar.text_input if t.key == "author"] == []


def test_with_login_configured_the_sidebar_offers_log_in_not_a_name_box(ws_path: Path) -> None:
    at = open_page(None, lang=None, author=None, secrets={"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}})
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Log in"]
    assert [t for t in at.sidebar.text_input if t.key == "author"] == []


@pytest.mark.parametrize(("lang", "label", "figure"), [
    ("en", "Double 11, one day (2016)", "¥120.7 bn"),
    ("zh", "2016 年“双 11”单日", "1,207 亿元"),
])
def test_one_market_fact_reads_the_same_on_the_overview_and_as_swot_evidence(ws_path: Path, lang, label,
                                                                             figure) -> None:
    """double11_2016 (120.749 CNY bn): the Overview card and the SWOT evidence show one figure text.
    (Passes once SWOT evidence is formatted by core.units.format_value as well.)"""
    at = open_page("overview", lang=lang)
    assert not at.exception
    card = next(m for m in at.metric if m.label == label)
    assert card.value == figure
    market = Workspace(ws_path).load("market")
    evidence = evidence_text(catalogue(market, None)["double11_2016"], lang, "double11_2016")
    shown = re.findall(r"¥[\d.,]+ \w+|[\d.,]+ 亿元", evidence)
    assert shown == [card.value], evidence


def test_the_uploaders_own_words_read_chinese_even_while_a_file_is_dragged_over(ws_path: Path) -> None:
    """Issue 13: Streamlit draws "Upload", "100MB per file" and, on the drag-over overlay, "Drag and drop
    files here" in English with no option to translate them; in Chinese the frame draws catalogue text."""
    def css(at) -> str:  # noqa: ANN001
        return " ".join(h.proto.body for h in at.get("html"))

    zh = css(open_page(None, "zh"))
    for text in ("选择文件", "拖放文件到此处，或点击左侧按钮选择；每个文件不超过", "将文件拖放到此处"):
        assert f'content: "{text}' in zh
    assert '[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span' in zh   # the overlay's text
    assert "stFileUploaderDropzone" not in css(open_page(None, "en"))                   # English stays Streamlit's

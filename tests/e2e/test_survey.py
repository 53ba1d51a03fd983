"""The Survey page in Chromium: filters redraw the charts, a crosstab is built, an upload through the
file chooser shows its import report (and a bad file leaves the active dataset alone). One export of
each platform dropped together: test_survey_platforms.py (its own server, so it can run beside this file)."""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.conftest import FIRST_RUN_MS, eventually, expect, load, metric_value, pick, shot, wait_idle

SIDEBAR = '[data-testid="stSidebar"]'
EXC = '[data-testid="stException"]'


def _open(page, server, lang: str = "en") -> None:
    load(page, f"{server.url}/survey?lang={lang}")
    # Streamlit loads plotly.js (MBs) when the first chart of a browser context is drawn: on a loaded
    # machine that first paint takes as long as a first run, so it gets the same budget
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=FIRST_RUN_MS)
    wait_idle(page)


def _kept_caption(page):
    return page.get_by_text(re.compile(r"after filters")).first


def _kept(page) -> int:
    text = _kept_caption(page).inner_text()
    return int(re.search(r"([\d,]+) after filters", text).group(1).replace(",", ""))


def _active(page):
    return page.get_by_text(re.compile("Active dataset")).first


def _choose(page, multiselect, text: str) -> None:
    for attempt in range(5):  # the sidebar's live poll can rerun the page under the click (see pick())
        wait_idle(page)
        multiselect.click()
        try:
            expect(page.get_by_role("listbox").first).to_be_visible(timeout=5000 if attempt < 4 else None)
            break  # the list is open before typing into it
        except AssertionError:
            if attempt == 4:
                raise
            page.keyboard.press("Escape")
    page.keyboard.type(text)
    expect(page.get_by_role("option").filter(has_text=text).first).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)


def test_a_sidebar_filter_redraws_the_charts(server, page) -> None:
    _open(page, server)
    first = page.locator(".js-plotly-plot").first
    expect(first).to_contain_text("n = 812 answered")
    expect(_kept_caption(page)).to_have_text(re.compile(r"(?<![\d,])812 after filters"))
    selects = page.locator(f"{SIDEBAR} [data-testid='stMultiSelect']")
    _choose(page, selects.first, "ICBC customer")
    expect(selects.first).to_contain_text("Q5 · ICBC customer")
    expect(selects.first).not_to_contain_text("Q15")
    expect(selects.nth(1)).to_contain_text("Q5 · ICBC customer")  # the chosen question's answers, to pick from
    _choose(page, selects.nth(1), "Yes")
    # a positive number other than the 812 of the whole sample
    expect(_kept_caption(page)).to_have_text(re.compile(r"(?<![\d,])(?!0 |812 )[\d,]+ after filters"))
    kept = _kept(page)
    assert 0 < kept < 812
    expect(first).to_contain_text(f"n = {kept:,} answered")
    expect(first).not_to_contain_text("n = 812 answered")
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-filtered")


def test_build_a_crosstab(server, page) -> None:
    _open(page, server, "zh")
    page.get_by_text("交叉分析", exact=True).click()
    main = page.locator('[data-testid="stMain"]')
    rows = main.locator('[data-testid="stSelectbox"]').first
    expect(rows).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    heat = page.locator(".js-plotly-plot").first
    pick(page, rows, page.get_by_role("option", name=re.compile(r"^Q5 ·")), heat.filter(has_text="Q5"))
    expect(main.get_by_text("卡方检验 p 值")).to_have_count(1)
    expect(main.get_by_text("克莱姆 V 系数")).to_have_count(1)
    expect(heat).to_contain_text("Q5")
    expect(heat).to_contain_text("Q8")
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-crosstab-zh")


def test_upload_through_the_file_chooser_shows_the_report(server, page, tmp_path: Path) -> None:
    _open(page, server)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    # the workspace's own limit (survey.yaml max_upload_mb), not the server's
    expect(page.locator(".st-key-survey_upload").get_by_text("100MB per file", exact=False)).to_be_visible()
    bad = tmp_path / "renamed.csv"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bad))
    wait_idle(page)
    expect(page.get_by_text(re.compile("Not imported: renamed.csv is not a text, Excel or SPSS file"))).to_be_visible()
    expect(_active(page)).to_contain_text("easymall_survey_2017_by_text.xlsx · 812 respondents")
    good = tmp_path / "2018年问卷.csv"
    rows = "\n".join(f"{'是' if i % 3 else '否'},{i % 5 + 1},{'淘宝;京东' if i % 2 else '京东'}" for i in range(40))
    good.write_bytes(("是否工行客户,满意度,常用平台\n" + rows + "\n").encode("gbk"))
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(good))
    wait_idle(page)
    # issue 13: the upload is stored, not made the team's dataset; that is a confirmed, named step
    expect(page.get_by_text(re.compile("2018年问卷.csv was imported and stored"))).to_be_visible()
    expect(_active(page)).to_contain_text("easymall_survey_2017_by_text.xlsx · 812 respondents")
    page.locator('[class*="st-key-survey_activate_"]:not([class*="_box_"]) button').first.click()
    box = page.locator('[class*="st-key-survey_activate_box_"]')
    expect(box).to_contain_text("the Overview's four problems and their KPIs")
    expect(box.get_by_role("button", name="Make it active")).to_be_disabled()   # no name yet
    name = page.locator('[data-testid="stSidebar"] input[type="text"]').first
    name.fill("Wang Fang")
    name.press("Enter")
    wait_idle(page)
    expect(box).to_contain_text("Recorded as done by Wang Fang")
    box.get_by_role("button", name="Make it active").click()
    wait_idle(page)
    eventually(lambda: (server.workspace / "data" / "active.json").read_text("utf-8"),
               lambda text: '"author": "Wang Fang"' in text and "easymall_survey_2017" not in text)
    main = page.locator('[data-testid="stMain"]')
    for label, value in (("Encoding", "gbk"), ("Rows read", "40"), ("Questions found", "3")):
        expect(metric_value(main, label)).to_have_text(re.compile(rf"^\s*{value}\s*$"))
    expect(_active(page)).to_contain_text("40 respondents")
    expect(page.get_by_text(re.compile("Made active by Wang Fang on"))).to_be_visible()
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-upload")
    # removing asks first; the sample survey then becomes active again
    page.locator('[class*="st-key-survey_remove_"]:not(.st-key-survey_remove_easymall_survey_2017_by_text) button'
                 ).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Remove 2018年问卷.csv and its import report")).to_be_visible()
    dialog.get_by_role("button", name="Remove").click()
    expect(page.get_by_text(re.compile("easymall_survey_2017_by_text.xlsx · 812 respondents")).first).to_be_visible()
    eventually(lambda: list((server.workspace / "data").glob("*2018*")), lambda found: not found)


def test_the_by_number_twin_is_joined_on_the_serial(server, page, tmp_path: Path) -> None:
    _open(page, server)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    # a refused file still sits in the main uploader: joining the twin must not import it again
    bad = tmp_path / "refused.csv"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bad))
    wait_idle(page)
    expect(page.get_by_text(re.compile("Not imported: refused.csv"))).to_be_visible()
    wait_idle(page)
    page.get_by_text("Join the other download mode").click()
    twin = page.locator(".st-key-survey_twin_easymall_survey_2017_by_text input[type=file]")
    twin.set_input_files(str(ROOT / "sample_data" / "easymall_survey_2017_by_number.xlsx"))
    expect(page.get_by_text(re.compile("easymall_survey_2017_by_number.xlsx was joined with easymall_survey_2017_by_text.xlsx "
                                       "on 序号: 812 respondents are in both files"))).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Text + numbers, joined")).to_have_count(1)
    expect(main.get_by_text(re.compile("Joined with easymall_survey_2017_by_number.xlsx on 序号")).first).to_be_visible()
    eventually(lambda: (server.workspace / "data" / "easymall_survey_2017_by_text.twin.xlsx").is_file(), bool)
    expect(main.get_by_text("+ easymall_survey_2017_by_number.xlsx, joined on 序号")).to_be_visible()
    wait_idle(page)
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-twin-joined")


def test_a_zip_bomb_upload_is_refused_and_the_server_stays_up(server, page, tmp_path: Path) -> None:
    from tests.hostile import zip_bomb

    _open(page, server)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb(400))
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bomb))
    wait_idle(page)
    page.get_by_text(re.compile(r"Not imported: bomb.xlsx is compressed \d+-fold .* the limit is 100-fold")).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "survey-refused-en")
    _open(page, server, "zh")  # the server is still up: a fresh session draws the charts
    page.get_by_text("数据集与导入", exact=True).click()
    wait_idle(page)
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bomb))
    wait_idle(page)
    page.get_by_text(re.compile(r"未导入：bomb.xlsx 的压缩比为 \d+ 倍.*上限为 100 倍")).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "survey-refused-zh")

"""The Survey page in Chromium: filters redraw the charts, a crosstab is built, an upload through the
file chooser shows its import report (and a bad file leaves the active dataset alone)."""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.conftest import shot, wait_idle

SIDEBAR = '[data-testid="stSidebar"]'


def _open(page, server, lang: str = "en") -> None:
    page.goto(f"{server.url}/survey?lang={lang}")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot")


def _kept(page) -> int:
    text = page.get_by_text(re.compile(r"after filters")).first.inner_text()
    return int(re.search(r"([\d,]+) after filters", text).group(1).replace(",", ""))


def _choose(page, multiselect, text: str) -> None:
    multiselect.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)


def test_a_sidebar_filter_redraws_the_charts(server, page) -> None:
    _open(page, server)
    first = page.locator(".js-plotly-plot").first
    assert "n = 812 answered" in first.text_content()
    assert _kept(page) == 812
    selects = page.locator(f"{SIDEBAR} [data-testid='stMultiSelect']")
    _choose(page, selects.first, "ICBC customer")
    assert "Q5 · ICBC customer" in selects.first.inner_text() and "Q15" not in selects.first.inner_text()
    _choose(page, page.locator(f"{SIDEBAR} [data-testid='stMultiSelect']").nth(1), "Yes")
    kept = _kept(page)
    assert 0 < kept < 812
    page.wait_for_function("n => document.querySelector('.js-plotly-plot').textContent.includes(n)",
                           arg=f"n = {kept:,} answered")
    assert "n = 812 answered" not in page.locator(".js-plotly-plot").first.text_content()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "survey-filtered")


def test_build_a_crosstab(server, page) -> None:
    _open(page, server, "zh")
    page.get_by_text("交叉分析", exact=True).click()
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot")
    main = page.locator('[data-testid="stMain"]')
    rows = main.locator('[data-testid="stSelectbox"]').first
    rows.click()
    page.get_by_role("option", name=re.compile(r"^Q5 ·")).click()
    wait_idle(page)
    assert main.get_by_text("卡方检验 p 值").count() == 1
    assert main.get_by_text("克莱姆 V 系数").count() == 1
    heat = page.locator(".js-plotly-plot").first
    assert "Q5" in heat.text_content() and "Q8" in heat.text_content()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "survey-crosstab-zh")


def test_upload_through_the_file_chooser_shows_the_report(server, page, tmp_path: Path) -> None:
    _open(page, server)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    # the workspace's own limit (survey.yaml max_upload_mb), not the server's
    page.locator(".st-key-survey_upload").get_by_text("100MB per file", exact=False).wait_for()
    bad = tmp_path / "renamed.csv"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bad))
    wait_idle(page)
    page.get_by_text(re.compile("Not imported: renamed.csv is not a text, Excel or SPSS file")).wait_for()
    assert "easymall_survey_2017_by_text.xlsx · 812 respondents" in page.get_by_text(re.compile("Active dataset")).first.inner_text()
    good = tmp_path / "2018年问卷.csv"
    rows = "\n".join(f"{'是' if i % 3 else '否'},{i % 5 + 1},{'淘宝;京东' if i % 2 else '京东'}" for i in range(40))
    good.write_bytes(("是否工行客户,满意度,常用平台\n" + rows + "\n").encode("gbk"))
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(good))
    wait_idle(page)
    page.get_by_text(re.compile("2018年问卷.csv was imported and is now the active dataset")).wait_for()
    main = page.locator('[data-testid="stMain"]')
    report = main.locator('[data-testid="stMetric"]')
    values = {report.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip():
              report.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip() for i in range(report.count())}
    assert values["Encoding"] == "gbk" and values["Rows read"] == "40" and values["Questions found"] == "3"
    assert "40 respondents" in page.get_by_text(re.compile("Active dataset")).first.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "survey-upload")
    # removing asks first; the sample survey then becomes active again
    page.locator('[class*="st-key-survey_remove_"]:not(.st-key-survey_remove_easymall_survey_2017_by_text) button'
                 ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Remove 2018年问卷.csv and its import report").wait_for()
    dialog.get_by_role("button", name="Remove").click()
    wait_idle(page)
    page.get_by_text(re.compile("easymall_survey_2017_by_text.xlsx · 812 respondents")).wait_for()
    assert not list((server.workspace / "data").glob("*2018*"))


def test_the_by_number_twin_is_joined_on_the_serial(server, page, tmp_path: Path) -> None:
    _open(page, server)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    # a refused file still sits in the main uploader: joining the twin must not import it again
    bad = tmp_path / "refused.csv"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(str(bad))
    wait_idle(page)
    page.get_by_text(re.compile("Not imported: refused.csv")).wait_for()
    page.get_by_text("Join the other download mode").click()
    twin = page.locator(".st-key-survey_twin_easymall_survey_2017_by_text input[type=file]")
    twin.set_input_files(str(ROOT / "sample_data" / "easymall_survey_2017_by_number.xlsx"))
    wait_idle(page)
    page.get_by_text(re.compile("easymall_survey_2017_by_number.xlsx was joined with easymall_survey_2017_by_text.xlsx "
                                "on 序号: 812 respondents are in both files")).wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Text + numbers, joined").count() == 1
    main.get_by_text(re.compile("Joined with easymall_survey_2017_by_number.xlsx on 序号")).first.wait_for()
    assert (server.workspace / "data" / "easymall_survey_2017_by_text.twin.xlsx").is_file()
    main.get_by_text("+ easymall_survey_2017_by_number.xlsx, joined on 序号").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
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

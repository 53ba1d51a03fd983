"""The Survey page in Chromium: one export of each platform dropped together, each listed with its
platform and size, and the charts of three (on a brand-new server; formerly in test_survey.py, alone
here so that the two files can run on different workers)."""
from __future__ import annotations

import re

from easymall.store import Workspace
from easymall.survey import datasets
from tests.conftest import ROOT
from tests.e2e.conftest import expect, shot, wait_idle
from tests.e2e.test_survey import EXC, _kept_caption, _open

#: One export of each platform (tests/fixtures/platforms): file, the platform shown, respondents — the real
#: exports where the corpus had one (Qualtrics, SurveyMonkey, Google Forms; see PROVENANCE.md).
PLATFORM_EXPORTS = [("wjx_quiz.csv", "Wenjuanxing", 5), ("qualtrics_sample.csv", "Qualtrics", 1),
                    ("qualtrics.sav", "Qualtrics", 5), ("surveymonkey_real.csv", "SurveyMonkey", 6),
                    ("google_forms_real.csv", "Google Forms", 24), ("alchemer.sav", "Alchemer (SurveyGizmo)", 6),
                    ("tencent.csv", "Tencent Survey", 6)]


def test_each_platforms_export_shows_its_platform_respondents_and_charts(fresh_server, page) -> None:
    srv = fresh_server()
    _open(page, srv)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    files = [str(ROOT / "tests" / "fixtures" / "platforms" / name) for name, _, _ in PLATFORM_EXPORTS]
    page.locator(".st-key-survey_upload input[type=file]").set_input_files(files)  # dropped together
    wait_idle(page)
    for name, platform, n in PLATFORM_EXPORTS:  # each imported, each listed with its platform and size
        expect(page.get_by_text(re.compile(f"{re.escape(name)} was imported and stored"))).to_be_visible()
        expect(page.get_by_text(re.compile(rf"^{re.escape(platform)} · .* · {n} rows · ")).first).to_be_visible()
    # an upload is stored, not the team's dataset (issue 13: that step is confirmed on the page, tested in
    # test_swot / test_survey's activation test); make the last one active through the store
    datasets.set_active(Workspace(srv.workspace), "tencent", author="e2e")
    _open(page, srv)
    page.get_by_text("Datasets & import", exact=True).click()
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Platform: Tencent Survey").first).to_be_visible()  # the last one is active
    page.get_by_text("Platform, metadata and question types", exact=True).click()
    expect(page.get_by_text("Respondent metadata found (not questions)")).to_be_visible()
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-platform-en")
    for name in ("tencent", "google_forms_real", "surveymonkey_real"):  # charts of three (of every one: tests/app)
        if name != "tencent":
            datasets.set_active(Workspace(srv.workspace), name, author="e2e")
            _open(page, srv)
        page.get_by_text("Results by question", exact=True).click()
        wait_idle(page)
        expect(_kept_caption(page)).to_contain_text(f"{name}.")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        page.get_by_text("Datasets & import", exact=True).click()
        wait_idle(page)
    _open(page, srv, "zh")
    page.get_by_text("数据集与导入", exact=True).click()
    wait_idle(page)
    expect(main.get_by_text("平台：SurveyMonkey").first).to_be_visible()
    page.get_by_text("平台、元数据与题型", exact=True).click()
    expect(page.get_by_text("识别出的受访者元数据（不作为题目）")).to_be_visible()
    expect(page.locator(EXC)).to_have_count(0)
    shot(page, "survey-platform-zh")

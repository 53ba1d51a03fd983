"""The whole Chinese UI in Chromium: every page and every tab, no English word from a fixed list and
no ``None`` (issue 13: history, presets, tables, Streamlit's own uploader labels)."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import load, shot, wait_idle

#: Words that only appear when an English string or a code name leaks into the Chinese UI.
ENGLISH = ("None", "Someone", "workspace file", "revert to revision", "Upload", "per file", "Browse files",
           "Drag and drop", "Save", "Cancel", "Remove", "Keep mine", "Keep theirs", "Strengths", "Weaknesses",
           "Opportunities", "Threats", "weight", "rating", "owner", "Revision", "History", "Download", "Edit",
           "instalment_fee_waiver", "points_to_cash", "(en)", "(zh)", "nan", "NaN")
_PATTERN = re.compile("|".join(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])" for w in ENGLISH))
PAGES = ("overview", "survey", "swot", "segments", "strategy", "present")


def _leaks(page) -> list[str]:
    text = page.locator('[data-testid="stMain"]').inner_text() + "\n" + page.locator(
        '[data-testid="stSidebar"]').inner_text()
    return sorted({m.group(0) + " ← " + text[max(0, m.start() - 30):m.end() + 10].replace("\n", " ")
                   for m in _PATTERN.finditer(text)})


@pytest.mark.parametrize("name", PAGES)
def test_every_tab_of_each_page_in_chinese_has_no_english_word_and_no_none(server, page, name: str) -> None:
    found: dict[str, list[str]] = {}
    load(page, f"{server.url}/{name}?lang=zh")
    views: list = [None, *range(page.get_by_role("tab").count()),
                   *[("view", i) for i in range(page.locator(".st-key-survey_view button").count())]]
    for v in views:
        if isinstance(v, int):
            page.get_by_role("tab").nth(v).click()
        elif isinstance(v, tuple):
            page.locator(".st-key-survey_view button").nth(v[1]).click()
        if v is not None:
            wait_idle(page, timeout=90_000)
        leaks = _leaks(page)
        if leaks:
            found[f"{name} {v}"] = leaks
            shot(page, f"zh-leak-{name}-{v}")
    assert found == {}, found

"""Bilingual text: a content field is plain or {en, zh}."""
from __future__ import annotations

import pytest

from easymall.core.text import text_in
from easymall.models.common import LocalizedText


def test_text_is_plain_or_bilingual() -> None:
    assert text_in("plain", "zh") == "plain"
    assert text_in(LocalizedText(en="Few users", zh="用户少"), "zh") == "用户少"
    assert text_in(LocalizedText(en="only English"), "zh") == "only English"
    with pytest.raises(ValueError):
        LocalizedText()

"""The one pair of escaping helpers: any user text shows literally in Markdown and in Plotly/HTML."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from easymall.core.text import WORD_JOINER, html_literal, markdown_literal, text_in
from easymall.models.common import LocalizedText

# GitHub-flavoured like Streamlit's renderer: tables and strikethrough on, raw HTML allowed
_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
HOSTILE = ["![x](http://127.0.0.1:9/track.png)", "[evil](http://evil.example)", "<b>x</b>",
           "<img src=http://127.0.0.1:9/t.png>", "<http://evil.example>", "**bold** _it_ `code`",
           "# heading", "1. item", "- item", "> quote", "| a | b |\n|---|---|", ":red[x] :material/home:",
           "$x^2$", "&lt;b&gt; &amp;", "a\\*b", "line1\n\n    indented code", "=cmd|' /C calc'!A0"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _rendered(markdown: str) -> _Text:
    parser = _Text()
    parser.feed(_MD.render(markdown))
    return parser


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
#: GitHub-flavoured Markdown's autolink literals (mdast-util-gfm-autolink-literal), which Streamlit
#: finds in text after escapes are resolved
_AUTOLINKS = re.compile(r"(?i)(https?://|www\.)[-.\w]|[-.\w+]+@[-\w]+\.")


@settings(max_examples=400, deadline=None)
@given(text)
@example("![x](http://127.0.0.1:9/track.png)")
@example("[evil](http://evil.example)")
@example("<b>x</b>")
@example("see http://127.0.0.1:9/t.png or WWW.evil.example or a@evil.example")
def test_markdown_literal_renders_the_same_characters_and_no_markup(s: str) -> None:
    out = _rendered(markdown_literal(s))
    expected = " ".join(s.replace("\x00", "\ufffd").split())
    shown = "".join(out.text).strip()
    assert shown.replace(WORD_JOINER, "") == expected.replace(WORD_JOINER, "")
    assert set(out.tags) <= {"p"}  # no link, image, emphasis, code, heading, list or raw HTML
    assert not _AUTOLINKS.search(shown)  # nor a bare URL / e-mail GFM would turn into a link


def test_markdown_literal_inside_markup_of_ours_stays_literal() -> None:
    for s in HOSTILE:
        out = _rendered(f"**{markdown_literal(s)}** · caption")
        assert out.tags == ["p", "strong"], s
        assert "".join(out.text).strip().replace(WORD_JOINER, "") == " ".join(s.split()) + " · caption"


@settings(max_examples=300, deadline=None)
@given(text)
def test_html_literal_leaves_no_tag_and_reads_back_the_same(s: str) -> None:
    out = html_literal(s)
    assert "<" not in out and ">" not in out
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)  # every & is one of our three entities
    assert html.unescape(out) == " ".join(s.split())


def test_html_literal_shortens_before_escaping() -> None:
    assert html_literal("<b>" * 10, 5) == "&lt;b&gt;&lt;…"
    assert html_literal('<a href="http://evil.example">x</a>') == '&lt;a href="http://evil.example"&gt;x&lt;/a&gt;'


def test_text_is_plain_or_bilingual() -> None:
    assert text_in("plain", "zh") == "plain"
    assert text_in(LocalizedText(en="Few users", zh="用户少"), "zh") == "用户少"
    assert text_in(LocalizedText(en="only English"), "zh") == "only English"
    with pytest.raises(ValueError):
        LocalizedText()

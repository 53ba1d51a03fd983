"""The deck as PowerPoint (python-pptx): 16:9 (13.333 × 7.5 in; python-pptx's default template is
4:3), charts as PNG pictures from :func:`easymall.deck.pdf.figure_pngs` (Plotly.toImage in one warm
page of the PDF export's Chromium) at scale 2 with alt text, speaker notes holding the numbers, and every run naming an
East Asian font (``a:ea``) besides the Latin one: python-pptx's ``font.name`` writes only ``a:latin``,
and a viewer without a mapping then shows Chinese as boxes."""
from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Sequence

import plotly.graph_objects as go
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from easymall.charts.theme import BRAND, GREYS
from easymall.core.i18n import t
from easymall.core.text import Lang
from easymall.deck.html import MAX_ROWS, shows_table
from easymall.deck.pdf import figure_pngs
from easymall.deck.slide import Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
#: The fonts every run names: Latin, East Asian, complex script.
LATIN_FONT = "Noto Sans"
EA_FONT = "Noto Sans CJK SC"
#: Pixels per inch of the chart pictures before kaleido's scale 2.
PX_PER_IN = 96
MARGIN = Inches(0.5)
TOP = Inches(1.45)
BOTTOM = Inches(6.85)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _fonts(run: object) -> None:
    """Name the Latin, East Asian and complex-script typefaces on a run (schema order: latin, ea, cs)."""
    rpr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    anchor = None
    for child in rpr:  # a:latin goes after the line/fill/effect elements, before sym/hlink
        if etree.QName(child).localname in ("ln", "noFill", "solidFill", "gradFill", "blipFill", "pattFill",
                                            "grpFill", "effectLst", "effectDag", "highlight", "uLnTx", "uLn",
                                            "uFillTx", "uFill"):
            anchor = child
    for i, (tag, face) in enumerate((("a:latin", LATIN_FONT), ("a:ea", EA_FONT), ("a:cs", LATIN_FONT))):
        el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", face)
        rpr.remove(el)
        if anchor is None:
            rpr.insert(i, el)
        else:
            anchor.addnext(el)
        anchor = el


def _paragraphs(frame: object, lines: Sequence[str], size: float, *, bold: bool = False, colour: str = GREYS[0],
                bullet: bool = False) -> None:
    frame.word_wrap = True  # type: ignore[attr-defined]
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        run = p.add_run()
        run.text = ("• " if bullet else "") + line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        _fonts(run)
        if bullet:
            p.space_after = Pt(size * 0.5)


def _textbox(slide: object, left: int, top: int, width: int, height: int, lines: Sequence[str], size: float,
             **kw: object) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    _paragraphs(box.text_frame, lines, size, **kw)


#: PNGs of charts already rendered, by content and size (a re-export of an unchanged deck is quick).
_PNGS: OrderedDict[str, bytes] = OrderedDict()
_PNGS_MAX = 96


def _png_key(fig: go.Figure, width: int, height: int) -> str:
    return hashlib.sha1(f"{width}x{height}:".encode() + fig.to_json().encode()).hexdigest()


def _remember(key: str, png: bytes) -> bytes:
    _PNGS[key] = png
    if len(_PNGS) > _PNGS_MAX:
        _PNGS.popitem(last=False)
    return png


def chart_png(fig: go.Figure, width: int, height: int) -> bytes:
    """The chart as PNG at scale 2 (cached by its JSON and size)."""
    key = _png_key(fig, width, height)
    if key in _PNGS:
        _PNGS.move_to_end(key)
        return _PNGS[key]
    return _remember(key, figure_pngs([(fig, width, height)])[0])


def prefetch(slides: Sequence[Slide]) -> None:
    """Render every chart picture of the deck not cached yet in one call to the warm page."""
    todo = {}
    for s in slides:
        for fig, (_, _, w, h) in zip(s.figures, _chart_boxes(s), strict=True):
            key = _png_key(fig, _px(w), _px(h))
            if key not in _PNGS:
                todo[key] = (fig, _px(w), _px(h))
    for key, png in zip(todo, figure_pngs(list(todo.values())), strict=True):
        _remember(key, png)


def _picture(slide: object, fig: go.Figure, left: int, top: int, width: int, height: int, alt: str) -> None:
    png = chart_png(fig, _px(width), _px(height))
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)  # type: ignore[attr-defined]
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    pic._element.nvPicPr.cNvPr.set("title", alt)


def _table(slide: object, s: Slide, left: int, top: int, width: int, height: int, size: float) -> None:
    df = s.table.head(MAX_ROWS)  # type: ignore[union-attr]
    rows, cols = len(df) + 1, len(df.columns)
    shape = slide.shapes.add_table(rows, cols, left, top, width, Emu(min(height, Inches(0.34) * rows)))  # type: ignore[attr-defined]
    table = shape.table
    for j, col in enumerate(df.columns):
        table.cell(0, j).text_frame.text = ""
        _paragraphs(table.cell(0, j).text_frame, [str(col)], size, bold=True, colour="#FFFFFF")
        table.cell(0, j).fill.solid()
        table.cell(0, j).fill.fore_color.rgb = _rgb(BRAND)
    for i, row in enumerate(df.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            _paragraphs(table.cell(i, j).text_frame, [str(value)], size)


#: Height of the bullets above two charts side by side.
PAIR_TEXT = Inches(1.25)


def _chart_boxes(s: Slide) -> list[tuple[int, int, int, int]]:
    """Where each chart of a (non-title) slide goes: (left, top, width, height) in EMU."""
    if not s.figures or s.key == "title":
        return []
    gap, n = Inches(0.25), len(s.figures)
    if n >= 2:  # a few bullets above the charts side by side, as in the HTML deck
        top = TOP + (PAIR_TEXT + Inches(0.1) if s.bullets else 0)
        left, area = MARGIN, WIDTH - 2 * MARGIN
    else:
        text_w = Inches(4.3) if (s.bullets or shows_table(s)) else 0
        top, left = TOP, MARGIN + text_w + (gap if text_w else 0)
        area = WIDTH - MARGIN - left
    each = int((area - gap * (n - 1)) / n)
    return [(left + k * (each + gap), top, each, BOTTOM - top) for k in range(n)]


def _px(emu: int) -> int:
    return int(emu / Inches(1) * PX_PER_IN)


def _slide(prs: Presentation, s: Slide, i: int, n: int, lang: Lang) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    inner = WIDTH - 2 * MARGIN
    if s.key == "title":
        _textbox(slide, MARGIN, Inches(2.2), inner, Inches(1.6), [s.title], 40, bold=True, colour=BRAND)
        _textbox(slide, MARGIN, Inches(4.0), inner, Inches(2.0), s.bullets, 18)
    else:
        _textbox(slide, MARGIN, Inches(0.35), inner, Inches(1.0), [s.title], 24, bold=True,
                 colour=GREYS[2] if s.missing else BRAND)
        table = shows_table(s)
        dense = sum(len(b) for b in s.bullets) > 650
        if not s.figures:
            height = BOTTOM - TOP
            text_h = Inches(0.42) * len(s.bullets) if table else height
            _textbox(slide, MARGIN, TOP, inner, text_h, s.bullets, 18, bullet=True)
            if table:
                _table(slide, s, MARGIN, TOP + text_h + Inches(0.1), inner, BOTTOM - TOP - text_h, 11)
        elif len(s.figures) >= 2:  # a few bullets above two charts side by side, as in the HTML deck
            box = slide.shapes.add_textbox(MARGIN, TOP, inner, PAIR_TEXT if s.bullets else Inches(0.1))
            if len(s.bullets) > 3:
                box.text_frame._txBody.bodyPr.set("numCol", "2")
                box.text_frame._txBody.bodyPr.set("spcCol", str(Inches(0.3)))
            _paragraphs(box.text_frame, s.bullets, 12, bullet=True)
        else:
            text_w = Inches(4.3) if (s.bullets or table) else 0
            _textbox(slide, MARGIN, TOP, text_w, Inches(3.2), s.bullets, 12 if dense else 14, bullet=True)
            if table:
                _table(slide, s, MARGIN, TOP + Inches(3.4), text_w, Inches(2.0), 10)
        for fig, box in zip(s.figures, _chart_boxes(s), strict=True):
            title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else s.title
            _picture(slide, fig, *box, t("deck.chart_alt", lang, title=title))
    footer = (t("deck.item", lang, label=t("deck.sources", lang), text=t("deck.parts", lang).join(s.sources)))[:220] if s.sources else ""
    _textbox(slide, MARGIN, Inches(6.95), Inches(11.0), Inches(0.4), [footer] if footer else [""], 9, colour=GREYS[2])
    _textbox(slide, WIDTH - MARGIN - Inches(1.2), Inches(6.95), Inches(1.2), Inches(0.4),
             [t("deck.slide_of", lang, i=i + 1, n=n)], 9, colour=GREYS[2])
    notes = slide.notes_slide.notes_text_frame
    notes.text = ""
    _paragraphs(notes, (s.notes or s.title).splitlines() or [s.title], 12)


def render_pptx(slides: Sequence[Slide], lang: Lang) -> bytes:
    """The deck as PPTX bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prefetch(slides)
    for i, s in enumerate(slides):
        _slide(prs, s, i, len(slides), lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

"""The deck as one self-contained HTML file: plotly.js inlined once, no external script, style, font
or image; the arrow keys (and Home / End, PageUp / PageDown, space) step through the slides; a chart
on a slide that was hidden is resized when its slide is shown. With ``print_mode`` every slide is laid
out as one 13.333 × 7.5 in page (the PDF export prints that)."""
from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from easymall.charts.theme import BRAND, FONT, GREYS
from easymall.core.i18n import t
from easymall.core.text import Lang
from easymall.deck.slide import Slide

#: Most table rows a slide shows (the rest are in the notes and the workspace).
MAX_ROWS = 10
#: Bullets longer than this in all get a smaller type.
DENSE_CHARS = 650

_CSS = """
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:#111;font-family:%(font)s;color:%(ink)s}
.slide{container-type:size;position:relative;width:min(100vw,177.78vh);height:min(56.25vw,100vh);margin:auto;
  background:#fff;display:none;overflow:hidden;padding:3.2cqw 3.6cqw 4.4cqw}
.slide.shown{display:flex;flex-direction:column}
body.print{background:#fff}
body.print .slide{display:flex;flex-direction:column;width:1280px;height:719px;margin:0;
  break-after:page;page-break-after:always}
body.print .slide:last-of-type{break-after:auto;page-break-after:auto}
@page{size:1280px 720px;margin:0}
h1{font-size:2.75cqw;line-height:1.22;margin:0 0 1.6cqw;color:%(brand)s;font-weight:700;
  border-bottom:.25cqw solid %(brand)s;padding-bottom:1cqw}
.title-slide{justify-content:center}
.title-slide h1{font-size:4.2cqw;border:none}
.missing h1{color:%(grey)s;border-color:%(grey)s}
.body{flex:1;display:flex;gap:2.4cqw;min-height:0}
.text{flex:0 0 34%%;display:flex;flex-direction:column;gap:1.2cqw;min-height:0;overflow:hidden}
.no-figures .text{flex:1 1 auto}
.charts{flex:1;display:flex;gap:1.4cqw;min-width:0;min-height:0}
.chart{flex:1;min-width:0;min-height:0}
ul{margin:0;padding-left:1.5em;font-size:1.55cqw;line-height:1.4}
li{margin:0 0 .6cqw}
.no-figures ul{font-size:1.75cqw}
.dense ul{font-size:1.3cqw}
.text:empty{display:none}
.pair .body{flex-direction:column;gap:1.2cqw}
.pair .text{flex:0 0 auto}
.pair ul{columns:2;column-gap:2.4cqw;font-size:1.3cqw}
.pair li{break-inside:avoid}
.pair .charts{flex:1 1 auto}
table{border-collapse:collapse;font-size:1.12cqw;width:100%%}
th{background:%(brand)s;color:#fff;text-align:left;padding:.35cqw .6cqw;font-weight:600}
td{border-bottom:1px solid #ddd;padding:.3cqw .6cqw;vertical-align:top}
footer{position:absolute;left:3.6cqw;right:3.6cqw;bottom:1.3cqw;font-size:.95cqw;color:%(grey)s;
  display:flex;justify-content:space-between;gap:2cqw}
footer .src{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
footer span:last-child{flex:0 0 auto;white-space:nowrap}
"""

_JS = """
(function(){
  var slides=[].slice.call(document.querySelectorAll('.slide'));
  var printing=document.body.classList.contains('print');
  var plotted=[];
  function plot(div){
    var spec=JSON.parse(document.getElementById(div.dataset.spec).textContent);
    var layout=spec.layout||{};
    layout.width=div.clientWidth; layout.height=div.clientHeight; layout.autosize=true;
    return Plotly.newPlot(div,spec.data||[],layout,{displayModeBar:false,responsive:!printing,staticPlot:printing});
  }
  function charts(slide){return [].slice.call(slide.querySelectorAll('.chart'));}
  if(printing){
    var all=[];slides.forEach(function(s){charts(s).forEach(function(d){all.push(plot(d));});});
    Promise.all(all).then(function(){window.deckReady=true;});
    return;
  }
  var i=0;
  function show(n){
    i=Math.max(0,Math.min(slides.length-1,n));
    slides.forEach(function(s,k){s.classList.toggle('shown',k===i);});
    charts(slides[i]).forEach(function(d){
      if(plotted.indexOf(d)<0){plotted.push(d);plot(d);} else {Plotly.Plots.resize(d);}
    });
    if(history.replaceState){history.replaceState(null,'','#'+(i+1));}
  }
  document.addEventListener('keydown',function(e){
    var k=e.key;
    if(k==='ArrowRight'||k==='ArrowDown'||k==='PageDown'||k===' '){show(i+1);e.preventDefault();}
    else if(k==='ArrowLeft'||k==='ArrowUp'||k==='PageUp'){show(i-1);e.preventDefault();}
    else if(k==='Home'){show(0);e.preventDefault();}
    else if(k==='End'){show(slides.length-1);e.preventDefault();}
  });
  window.addEventListener('resize',function(){charts(slides[i]).forEach(function(d){Plotly.Plots.resize(d);});});
  var start=parseInt((location.hash||'#1').slice(1),10);
  show(isNaN(start)?0:start-1);
  window.deckReady=true;
})();
"""


def shows_table(s: Slide) -> bool:
    """A slide shows its table when it has no chart, or a small one beside a single chart (a larger
    table's figures are in the bullets and the notes)."""
    if s.table is None or not len(s.table):
        return False
    return not s.figures or (len(s.figures) == 1 and len(s.table) <= 4 and len(s.table.columns) <= 4)


def _json(fig: go.Figure) -> str:
    """A figure's JSON, safe inside a <script> element."""
    return fig.to_json().replace("</", "<\\/")


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in df.head(MAX_ROWS).itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _slide(s: Slide, i: int, n: int, lang: Lang) -> tuple[str, list[str]]:
    """A slide's section and the JSON script elements of its charts."""
    specs, divs = [], []
    for k, fig in enumerate(s.figures):
        sid = f"fig-{i}-{k}"
        specs.append(f'<script type="application/json" id="{sid}">{_json(fig)}</script>')
        title = (fig.layout.title.text or s.title) if fig.layout.title else s.title
        divs.append(f'<div class="chart" data-spec="{sid}" role="img" '
                    f'aria-label="{html.escape(t("deck.chart_alt", lang, title=title))}"></div>')
    bullets = "".join(f"<li>{html.escape(b)}</li>" for b in s.bullets)
    text = (f"<ul>{bullets}</ul>" if bullets else "") + (_table(s.table) if shows_table(s) else "")
    classes = ["slide", f"slide-{s.key}"]
    if s.key == "title":
        classes.append("title-slide")
    if s.missing:
        classes.append("missing")
    if not s.figures:
        classes.append("no-figures")
    if len(s.figures) >= 2:  # a few bullets above two charts side by side (each wide enough for its title)
        classes.append("pair")
    if sum(len(b) for b in s.bullets) > DENSE_CHARS:
        classes.append("dense")
    body = f'<div class="text">{text}</div>' + (f'<div class="charts">{"".join(divs)}</div>' if divs else "")
    sources = html.escape(t("deck.item", lang, label=t("deck.sources", lang), text=t("deck.parts", lang).join(s.sources))) if s.sources else ""
    footer = (f'<footer><span class="src">{sources}</span>'
              f'<span>{html.escape(t("deck.slide_of", lang, i=i + 1, n=n))}</span></footer>')
    section = (f'<section class="{" ".join(classes)}" id="slide-{i + 1}" data-key="{s.key}">'
               f'<h1>{html.escape(s.title)}</h1><div class="body">{body}</div>{footer}</section>')
    return section, specs


def render_html(slides: Sequence[Slide], lang: Lang, *, print_mode: bool = False) -> bytes:
    """The deck as one self-contained HTML file (UTF-8 bytes)."""
    sections, specs = [], []
    for i, s in enumerate(slides):
        section, sp = _slide(s, i, len(slides), lang)
        sections.append(section)
        specs += sp
    css = _CSS % {"font": FONT, "ink": GREYS[0], "brand": BRAND, "grey": GREYS[2]}
    title = html.escape(slides[0].title if slides else "Easy Mall")
    doc = (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
           f"<style>{css}</style><script>{plotly.offline.get_plotlyjs()}</script></head>"
           f'<body class="{"print" if print_mode else "screen"}">{"".join(sections)}{"".join(specs)}'
           f"<script>{_JS}</script></body></html>")
    return doc.encode("utf-8")


__all__ = ["DENSE_CHARS", "MAX_ROWS", "render_html", "shows_table"]

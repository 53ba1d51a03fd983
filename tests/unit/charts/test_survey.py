"""Survey charts: every question type in both languages, built with Plotly's validation switched on."""
from __future__ import annotations

import numpy as np
import pytest

from easymall.charts import survey as charts
from easymall.charts.export import figure_png
from easymall.core.units import format_value
from easymall.models.survey import SurveyDocument
from easymall.store import Workspace
from easymall.survey import analysis, kpis
from easymall.survey.datasets import parse_bytes
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def sample():
    doc = Workspace(ROOT).load("survey")
    assert isinstance(doc, SurveyDocument)
    data = (ROOT / "sample_data" / "easymall_survey_2017_by_text.xlsx").read_bytes()
    return parse_bytes(data, "s.xlsx", doc), doc


@pytest.fixture(autouse=True)
def validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "VALIDATE", True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_question_chart_builds_in_both_languages(sample, lang) -> None:
    loaded, doc = sample
    ds = loaded.dataset
    kinds = set()
    for q in ds.questions:
        s = analysis.summarize(ds, q.id)
        fig = charts.question_figure(s, lang, doc)
        kinds.add(s.kind)
        if q.type == "text":
            assert fig is None
            continue
        title = fig.layout.title.text
        assert title.startswith(q.id)
        assert doc.question_title(q.id, lang) in title
        assert fig.layout.title.subtitle.text.startswith("n = ")
    assert kinds == {"bars", "multi", "likert", "nps", "histogram", "text"}


def test_likert_bars_diverge_around_zero(sample) -> None:
    loaded, doc = sample
    fig = charts.question_figure(analysis.summarize(loaded.dataset, "Q12"), "en", doc)
    by_name: dict[str, list[float]] = {}
    for tr in fig.data:
        by_name.setdefault(tr.name, []).append(float(np.sum(tr.x)))
    assert by_name["1"][0] < 0 and by_name["2"][0] < 0 and by_name["4"][0] > 0 and by_name["5"][0] > 0
    assert len(by_name["3"]) == 2 and by_name["3"][0] == pytest.approx(-by_name["3"][1])  # neutral split
    assert fig.data[0].name == "3"  # stacking starts at zero with the neutral point
    assert fig.layout.yaxis.categoryarray is None and "Product quality" in fig.data[0].y


def test_nps_chart_states_the_score(sample) -> None:
    loaded, doc = sample
    s = analysis.summarize(loaded.dataset, "Q16")
    fig = charts.question_figure(s, "zh", doc)
    assert f"NPS {format_value(s.nps.value, 'nps', 'zh')}" in fig.layout.annotations[0].text
    colors = list(fig.data[0].marker.color)
    assert colors[0] == colors[6] != colors[7] and colors[9] == colors[10] != colors[8]


def test_crosstab_heatmap_bolds_significant_cells(sample) -> None:
    loaded, doc = sample
    ct = analysis.crosstab(loaded.dataset, "Q2", "Q8")
    fig = charts.crosstab_heatmap(ct, "zh", doc)
    text = np.array(fig.data[0].text)
    sig = ct.significant().to_numpy()
    assert sig.any() and (~sig).any()
    assert all(t.startswith("<b>") for t in text[sig]) and not any(t.startswith("<b>") for t in text[~sig])


def test_funnel_and_durations(sample) -> None:
    loaded, doc = sample
    values = kpis.compute_kpis(loaded.dataset, doc)
    fig = charts.funnel(values, "en")
    y = list(fig.data[0].y)
    assert y == sorted(y, reverse=True) and len(y) == 4
    d = charts.durations(loaded.dataset.frame["_duration_s"].to_numpy(float), loaded.flags.speeder_limit_s,
                         loaded.flags.median_duration_s, "zh")
    assert any(s.x0 == pytest.approx(loaded.flags.speeder_limit_s) for s in d.layout.shapes)


def test_unvalidated_figures_keep_titles_in_the_plotly_js_form(sample, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without validation nothing rewrites ``title="..."``: plotly.js 3 (kaleido) drops a bare string."""
    monkeypatch.setattr(charts, "VALIDATE", False)
    loaded, doc = sample
    ds = loaded.dataset
    figs = [charts.question_figure(analysis.summarize(ds, q.id), "zh", doc) for q in ds.questions if q.type != "text"]
    figs += [charts.funnel(kpis.compute_kpis(ds, doc), "zh"),
             charts.crosstab_heatmap(analysis.crosstab(ds, "Q2", "Q8"), "zh", doc),
             charts.durations(ds.frame["_duration_s"].to_numpy(float), 60.0, 200.0, "zh")]
    for fig in figs:
        layout = fig.to_dict()["layout"]
        assert isinstance(layout["title"], dict) and layout["title"]["text"]
        for axis in ("xaxis", "yaxis"):
            assert not isinstance(layout.get(axis, {}).get("title"), str)


def test_figure_png_renders_chinese_chart(sample) -> None:
    loaded, _ = sample
    fig = charts.question_figure(analysis.summarize(loaded.dataset, "Q9"), "zh")
    png = figure_png(fig, width=800, height=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


EVIL_TITLE = '<a href="http://evil.example">Pick</a>'


def _hostile(doc: SurveyDocument):
    csv = (f'id,"{EVIL_TITLE.replace(chr(34), chr(34) * 2)}",Score <b>1-5</b>\n'
           + "".join(f'{i},{"<b>yes</b>" if i % 2 else "<br><img src=http://127.0.0.1:9/t.png>no"},{i % 5 + 1}\n'
                     for i in range(40))).encode()
    return parse_bytes(csv, "hostile.csv", doc).dataset


def _texts(fig) -> list[str]:
    """Every text Plotly renders as (a subset of) HTML: title, axis titles, tick and category labels,
    trace names, hover text, annotations."""
    lay = fig.layout
    out = [lay.title.text or "", lay.xaxis.title.text or "", lay.yaxis.title.text or ""]
    out += [a.text or "" for a in lay.annotations]
    for tr in fig.data:
        for attr in ("x", "y", "text", "hovertext", "name"):
            v = getattr(tr, attr, None)
            if v is not None:
                out += [str(x) for x in (v if isinstance(v, (list, tuple, np.ndarray)) else [v])]
    return out


def test_markup_in_question_titles_and_option_labels_is_escaped_in_every_figure() -> None:
    doc = Workspace(ROOT).load("survey")
    ds = _hostile(doc)
    figs = [charts.question_figure(analysis.summarize(ds, q.id), "en", doc) for q in ds.questions]
    figs.append(charts.crosstab_heatmap(analysis.crosstab(ds, "C2", "C3"), "en", doc))
    texts = [s for fig in figs if fig is not None for s in _texts(fig)]
    joined = "\n".join(texts)
    assert "&lt;a href=" in joined and "&lt;b&gt;yes&lt;/b&gt;" in joined and "&lt;img src=" in joined
    for s in texts:  # our own <br> / <b> markup aside, no tag from the data survives
        assert "<a " not in s and "<img" not in s and "<b>yes" not in s and "<b>1-5" not in s, s

"""What the SWOT page shows (easymall.swot.view): evidence figures, tables, labels, exports."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from easymall.core.units import format_value
from easymall.models.common import LocalizedText
from easymall.store import Workspace
from easymall.swot import edit, view
from easymall.swot.evidence import Evidence
from tests.conftest import ROOT


def test_exports_are_readable_and_spreadsheet_safe() -> None:
    doc = edit.update_item(Workspace(ROOT).load("swot"), "S1", {"text": "=HYPERLINK(\"x\")"}, "en")
    csv = view.to_csv(doc, "zh")
    assert csv.startswith("\ufeff".encode()) and "优势".encode() in csv
    book = pd.read_excel(io.BytesIO(view.to_xlsx(doc, "en")), sheet_name=None, engine="openpyxl")
    assert set(book) == {"Summary", "SWOT", "IFE", "EFE", "TOWS", "QSPM"}
    assert book["SWOT"].iloc[0]["Text (English)"].startswith("'=HYPERLINK")
    summary = dict(zip(book["Summary"]["Measure"], book["Summary"]["Value"], strict=True))
    assert summary["IFE total"] == 2.52 and summary["IE cell"] == "V — hold and maintain"


def _fact(value: float, unit: str, status: str = "sourced") -> Evidence:
    return Evidence("double11_2016", "fact", LocalizedText(en="Double 11", zh="双十一"), value, unit, status)


@pytest.mark.parametrize(("ev", "en", "zh"), [
    (_fact(120.7, "CNY bn"), "Double 11 ¥120.7 bn", "双十一 1,207 亿元"),
    (_fact(3.092, "CNY tn", "unverified"), "Double 11 ¥3,092 bn (unverified)", "双十一 30,920 亿元 (未核实)"),
    (_fact(253, "million users"), "Double 11 253 m", "双十一 25,300 万"),
    (_fact(29.6, "%"), "Double 11 29.6%", "双十一 29.6%"),
    (Evidence("nps", "kpi", "NPS", -27.6, "score", n=283), "NPS −28 n=283", "NPS −28 n=283"),
    (Evidence("awareness", "kpi", "Awareness", 0.698, "share", n=812), "Awareness 69.8% n=812",
     "Awareness 69.8% n=812"),
    (Evidence("aov", "kpi", "AOV", 1001.2, "yuan", n=236), "AOV ¥1,001 n=236", "AOV 1,001 元 n=236"),
    (Evidence("satisfaction_mean", "kpi", "Mean", 3.264, "score"), "Mean 3.26", "Mean 3.26"),
    (Evidence("trial", "kpi", "Trial", None, "share"), "Trial (no survey data)", "Trial （无问卷数据）"),
])
def test_evidence_reads_with_the_one_formatter(ev: Evidence, en: str, zh: str) -> None:
    assert (view.evidence_text(ev, "en"), view.evidence_text(ev, "zh")) == (en, zh)


def test_a_market_fact_reads_as_on_the_overview_in_both_languages() -> None:
    ev = view.workspace_evidence(Workspace(ROOT))["double11_2016"]
    for lang in ("en", "zh"):
        figure = format_value(ev.value, ev.unit, lang)
        assert figure in view.evidence_text(ev, lang)
    assert view.evidence_text(ev, "en").endswith("¥120.7 bn")
    assert view.evidence_text(ev, "zh").endswith("1,207 亿元")
    assert view.evidence_text(None, "zh", "x9") == "x9：未知的证据编号"


def test_page_labels_and_defaults() -> None:
    doc = Workspace(ROOT).load("swot")
    assert view.item_label(doc, "S1", "en", 10) == "S1 · " + doc.item("S1").text.en[:10]
    assert view.item_label(doc, "gone", "en") == "gone"
    assert view.text_versions("plain") == ("plain", "") and view.text_versions(None) == ("", "")
    assert view.levers_text({"a": 1.5, "b": 2.0}) == "a = 1.5\nb = 2"
    assert view.levers_line({"a": 1.5}) == "a = 1.5"
    assert view.export_name(doc, "", "csv") == f"swot-r{doc.revision}.csv"
    assert view.export_name(doc, "ie", "png") == f"swot-ie-r{doc.revision}.png"
    assert view.ie_of(doc).roman == "V"
    res, problem = view.space_of(doc, "zh")
    assert res.quadrant == "conservative" and problem == ""
    rows = dict(view.describe({"id": "S1", "weight": 0.1, "text": {"en": "a", "zh": "乙"}}, "zh"))
    assert rows == {"权重": "0.10", "内容": "“乙”"}
    frame = view.qspm_editor_frame(view.qspm(doc), "zh")
    assert set(frame["state"]) <= {"已评分", "不影响选择", "未评完——不计入"}
    options = view.evidence_options({}, ["nope"], "en")
    assert options == {"nope": "nope — nope: unknown evidence id"}


def test_a_lever_preset_is_typed_in_the_scale_the_strategy_page_shows() -> None:
    known = {"online_ad_spend": (0.0, 80.0, "CNY m per month"), "crm_touches": (0.0, 8.0, "per contact")}
    assert view.levers_text({"online_ad_spend": 12.0, "crm_touches": 3.0}, known, "zh") == \
        "online_ad_spend = 1200\ncrm_touches = 3"
    assert view.levers_from_text({"online_ad_spend": 1200.0, "crm_touches": 3.0}, known, "zh") == \
        {"online_ad_spend": 12.0, "crm_touches": 3.0}
    assert view.levers_text({"online_ad_spend": 12.0}, known, "en") == "online_ad_spend = 12"

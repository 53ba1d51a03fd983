"""AppTest for the Survey page's render(): views, sidebar filters, exclusions, crosstab, datasets."""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from easymall.cli import main
from easymall.store import Workspace
from easymall.survey import datasets
from tests.app.helpers import metrics, open_page, open_tab, plain
from tests.conftest import ROOT, WJX, shown

VIEW = "survey_view"  # the session-state key of the page's view switch


def _kept(at: AppTest) -> tuple[int, int]:
    cap = next(c.value for c in at.caption if c.value.startswith("Active dataset"))
    n, kept = re.search(r"([\d,]+) respondents · ([\d,]+) after filters", cap).groups()
    return int(n.replace(",", "")), int(kept.replace(",", ""))


def test_results_show_a_chart_per_question(ws_path: Path) -> None:
    at = open_page("survey", author=None)
    assert not at.exception
    assert at.title[0].value == "Survey lab"
    assert len(at.get("plotly_chart")) == 17  # 18 questions, one of them free text
    assert _kept(at) == (812, 812)
    assert [e.value for e in at.error] == []


def test_sidebar_filter_and_exclusion_change_every_view(ws_path: Path) -> None:
    at = open_page("survey", author=None, state={VIEW: "kpis"})
    before = metrics(at)
    at.sidebar.multiselect(key="survey_filter_questions").set_value(["Q5"]).run()
    at.sidebar.multiselect(key="survey_filter_Q5").set_value(["是"]).run()
    assert not at.exception
    n, kept = _kept(at)
    assert 0 < kept < n
    after = metrics(at)
    assert after["Awareness"] != before["Awareness"]
    assert any("Q5 = Yes" in shown(c.value) for c in at.caption)
    loaded = datasets.active_loaded(Workspace(ws_path))
    flagged = int(loaded.flags.any_of(["speeders"]).to_numpy()[loaded.dataset.frame["Q5"].eq("是").to_numpy()].sum())
    at.sidebar.multiselect(key="survey_filter_exclude").set_value(["speeders"]).run()
    assert _kept(at)[1] == kept - flagged
    # the filters persist across views
    open_tab(at, VIEW, "results")
    assert _kept(at)[1] == kept - flagged


def test_crosstab_view_reports_the_test(ws_path: Path) -> None:
    at = open_page("survey", author=None, state={VIEW: "crosstab"})
    assert not at.exception
    at.selectbox(key="survey_ct_rows").set_value("Q5").run()
    at.selectbox(key="survey_ct_cols").set_value("Q9").run()
    m = metrics(at)
    assert m["Chi-square p-value"] == "< 0.001"
    assert float(m["Cramér's V"]) > 0.1
    assert m["At the 5% level"] == "Related"
    at.radio(key="survey_ct_show").set_value("counts").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_quality_and_data_views(ws_path: Path) -> None:
    at = open_page("survey", author=None, state={VIEW: "quality"})
    labels = metrics(at)
    assert int(labels["Speeders"]) > 0 and int(labels["Duplicate answers"]) > 0
    open_tab(at, VIEW, "data")
    assert not at.exception
    m = metrics(at)
    assert m["Rows read"] == "812" and m["Questions found"] == "18"
    assert m["Wenjuanxing export"] == "By option text"


def test_chinese_and_switching_the_active_dataset(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    csv = ("Q1,Q2\n" + "\n".join(f"{'是' if i % 2 else '否'},{i % 5 + 1}" for i in range(20)) + "\n").encode()
    stored, _ = datasets.store_dataset(ws, "small.csv", csv, activate=False)
    at = open_page("survey", lang="zh", author=None, state={VIEW: "data"})
    assert at.title[0].value == "问卷调研实验室"
    # the active by-text export: its platform panel, and it can take its twin; the stored, inactive
    # dataset shows its report
    assert [e.label for e in at.expander] == ["平台、元数据与题型", "合并另一种下载格式", "导入报告"]
    assert "20" in [m.value for m in at.expander[2].metric]
    # issue 13: making it the team's dataset is a confirmed, attributed step that says what changes
    at.button(key=f"survey_activate_{stored.name}").click().run()
    assert not at.exception
    assert datasets.active_name(ws) == "easymall_survey_2017_by_text"          # nothing changed yet
    said = plain(" ".join(m.value for m in at.markdown))
    assert "small.csv（20 名受访者）" in said and "概览页的四个问题" in said
    assert at.button(key="survey_activate_yes").disabled                        # no name: no change
    assert any("请先在侧边栏填写您的姓名" in c.value for c in at.caption)
    at.session_state["author"] = "王经理"
    at.button(key=f"survey_activate_{stored.name}").click().run()
    assert any("将记录为由 王经理 操作" in c.value for c in at.caption)
    at.button(key="survey_activate_yes").click().run()
    assert not at.exception
    assert datasets.active_name(ws) == stored.name
    assert datasets.active_record(ws)[0] == "王经理"
    assert "20 名受访者" in " ".join(c.value for c in at.caption)
    assert any(c.value.startswith("由 王经理 于") for c in at.caption)


def test_without_a_dataset_the_page_offers_the_upload(ws_path: Path) -> None:
    shutil.rmtree(ws_path / "data")
    at = open_page("survey", author=None)
    assert not at.exception
    assert "No survey dataset is active yet" in at.info[0].value
    assert at.get("file_uploader")


def test_weighting_by_a_weight_column_changes_the_kpis(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    rows = "\n".join(f"{'用过' if i % 4 == 0 else '没听说过'},{9 if i % 2 else 3},{3.0 if i % 4 == 0 else 1.0}"
                     for i in range(40))
    datasets.store_dataset(ws, "weighted.csv", f"Q8,Q16,weight\n{rows}\n".encode())
    at = open_page("survey", author=None, state={VIEW: "kpis"})
    before = metrics(at)
    assert before["Trial"] == "25.0%"
    at.sidebar.selectbox(key="survey_weight_pick").set_value("weight").run()
    after = metrics(at)
    assert not at.exception
    assert after["Trial"] == "50.0%"  # 10 users × 3 against 30 others × 1


def test_any_questionnaire_can_be_explored(ws_path: Path) -> None:
    wjx = WJX
    datasets.store_dataset(Workspace(ws_path), "zte.xls", (wjx / "All_Data_Readable.xls").read_bytes())
    at = open_page("survey", author=None)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 10  # 11 questions, one free text
    for view in ("kpis", "crosstab", "quality", "data"):
        open_tab(at, VIEW, view)
        assert not at.exception, view
    open_tab(at, VIEW, "kpis")
    assert "do not match this dataset" in at.info[0].value


# --------------------------------------------------------------------------- hostile data (issue 10)


def _plant_active(ws_path: Path, name: str, data: bytes, ext: str = "csv") -> None:
    """A dataset stored as the store would, without its checks (as one from before the limits)."""
    ws = Workspace(ws_path)
    ws.put_file("data", f"{name}.{ext}", data)
    meta = {"original_name": f"{name}.{ext}", "uploaded": "2030-01-01T00:00:00+00:00", "author": "x",
            "size": len(data), "sha256": "0" * 64, "report": {"file": f"{name}.{ext}", "format": ext, "rows": 3}}
    ws.put_file("data", f"{name}.report.json", json.dumps(meta).encode())
    ws.put_file("data", "active.json", json.dumps({"name": name}).encode())


def test_an_active_dataset_that_cannot_be_shown_can_be_deactivated_and_removed(ws_path: Path) -> None:
    from tests.hostile import wide_csv

    _plant_active(ws_path, "wide", wide_csv(20_000))
    start = time.monotonic()
    at = open_page("survey", author=None, state={VIEW: "data"})
    assert not at.exception and time.monotonic() - start < 30
    assert [e.value for e in at.error] == [
        "The active dataset cannot be shown: wide.csv has 20,000 columns; the limit is 5,000. Make another "
        "dataset active, deactivate it or remove it below."]
    at.button(key="survey_deactivate_wide").click().run()
    assert not at.exception
    assert datasets.active_name(Workspace(ws_path)) is None
    assert at.error == [] and any("No survey" in i.value or "no survey" in i.value.lower() for i in at.info)
    at.button(key="survey_remove_wide").click().run()
    assert not at.exception
    assert at.button(key="survey_remove_yes").label == "Remove"  # the confirmation (AppTest cannot click in a dialog)
    # and from the command line, which never parses the dataset
    assert main(["survey-dataset", "delete", "wide", str(ws_path)]) == 0
    assert [d.name for d in datasets.list_datasets(Workspace(ws_path))] == ["easymall_survey_2017_by_text"]


def test_the_refusal_is_said_in_chinese(ws_path: Path) -> None:
    from tests.hostile import wide_csv

    _plant_active(ws_path, "wide", wide_csv(20_000))
    at = open_page("survey", lang="zh", author=None, state={VIEW: "data"})
    assert [e.value for e in at.error] == [
        "当前数据集无法显示：wide.csv 有 20,000 列，上限为 5,000 列。请在下方将其他数据集设为当前、取消当前或删除它。"]


def test_many_questions_are_paged(ws_path: Path) -> None:
    header = ",".join(f"Q{i}" for i in range(1, 61))
    rows = "\n".join(",".join("是否"[(i + r) % 2] for i in range(60)) for r in range(30))
    datasets.store_dataset(Workspace(ws_path), "many.csv", (header + "\n" + rows + "\n").encode())
    at = open_page("survey", author=None)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 24
    at.number_input(key="survey_results_page").set_value(3).run()
    assert len(at.get("plotly_chart")) == 12


def test_a_qualtrics_import_shows_its_platform_metadata_and_keeps_corrections(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    data = (ROOT / "tests" / "fixtures" / "platforms" / "qualtrics.sav").read_bytes()
    stored, loaded = datasets.store_dataset(ws, "qualtrics.sav", data)
    at = open_page("survey", author="Tester", state={VIEW: "data"})
    assert not at.exception
    m: dict[str, str] = {}
    for card in at.metric:  # the active import's report comes first (the stored ones' follow in expanders)
        m.setdefault(card.label, card.value)
    assert m["Rows read"] == "5" and m["Wenjuanxing export"] == "No"
    lines = [c.value for c in at.caption if "Platform: " in c.value]
    assert lines[0].endswith("Platform: Qualtrics") and lines[1].endswith("Platform: Wenjuanxing")  # + the sample
    panel = at.expander[0]
    assert panel.label == "Platform, metadata and question types"
    assert "Platform detected from the file's structure: Qualtrics." in [shown(c.value) for c in panel.caption]
    holds = panel.dataframe[0].value.iloc[:, 1].tolist()
    assert "Start time" in holds and "Response type" in holds and "Derived by the platform" in holds
    # test responses are left out by default (the sidebar says so), the user can include them again
    assert at.sidebar.multiselect(key="survey_filter_exclude").value == ["test_responses"]
    # a question read as another type: kept in survey.yaml, applied at once
    at.selectbox(key="survey_override_q").set_value("Q1").run()
    at.selectbox(key="survey_override_type_Q1").set_value("text").run()
    at.button(key="survey_override_apply").click().run()
    assert not at.exception
    doc = ws.load("survey")
    assert [(o.question, o.type, o.title) for o in doc.imports.questions] == [("Q1", "text", "Do you use Easy Mall?")]
    assert datasets.load_stored(ws, stored.name).dataset.question("Q1").type == "text"
    assert any("The correction of Q1 is kept in survey.yaml" in shown(s.value) for s in at.success)
    # a platform that does not fit the file is refused with one sentence; nothing is saved
    at.selectbox(key=f"survey_platform_{loaded.report.signature}").set_value("surveymonkey").run()
    at.button(key="survey_platform_apply").click().run()
    assert [shown(e.value) for e in at.error] == [
        "Not changed: qualtrics.sav is not a SurveyMonkey export (it has no Respondent ID and Collector ID "
        "columns over a second header row)."]
    assert ws.load("survey").imports.platforms == {}
    at.selectbox(key=f"survey_platform_{loaded.report.signature}").set_value("spss").run()
    at.button(key="survey_platform_apply").click().run()
    assert ws.load("survey").imports.platforms == {loaded.report.signature: "spss"}
    assert datasets.load_stored(ws, stored.name).report.platform == "spss"
    at.button(key="survey_override_remove_Q1").click().run()
    assert ws.load("survey").imports.questions == []


def test_every_platforms_export_draws_a_chart_per_question(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    for name in ("qualtrics_sample.csv", "qualtrics_matrix_legacy.csv", "qualtrics.sav", "surveymonkey.csv",
                 "surveymonkey_real.csv", "surveymonkey_condensed_real.csv", "google_forms.csv", "google_forms_real.csv",
                 "tencent.csv", "tencent_2024.csv",
                 "alchemer.sav", "wjx_quiz.csv"):
        data = (ROOT / "tests" / "fixtures" / "platforms" / name).read_bytes()
        _, loaded = datasets.store_dataset(ws, name, data)
        # the filters as if already seen (so test responses are not excluded: the legacy samples are all tests)
        at = open_page("survey", author=None, state={"survey_filter_state": {
            "questions": [], "values": {}, "exclude": [], "weight": None, "sha": loaded.sha256}})
        assert not at.exception, name
        charted = [q for q in loaded.dataset.questions if q.type != "text"]
        assert len(at.get("plotly_chart")) == len(charted), name
        assert _kept(at)[0] == loaded.dataset.n, name



def test_respondents_outside_the_expected_region_can_be_excluded(ws_path: Path) -> None:
    """quality.expected_regions set: the sidebar offers the location flag (in Chinese), and excluding it
    leaves the respondents whose 地理位置 is in the region."""
    ws = Workspace(ws_path)
    doc = ws.load("survey")
    regions = doc.quality.model_copy(update={"expected_regions": ["广东"]})
    ws.save("survey", doc.model_copy(update={"quality": regions}), base_revision=ws.revision("survey"), author="t")
    data = (ROOT / "tests" / "fixtures" / "platforms" / "tencent.csv").read_bytes()
    _, loaded = datasets.store_dataset(ws, "tencent.csv", data)
    at = open_page("survey", lang="zh", author=None, state={"survey_filter_state": {
        "questions": [], "values": {}, "exclude": [], "weight": None, "sha": loaded.sha256}})
    exclude = at.sidebar.multiselect(key="survey_filter_exclude")
    assert exclude.options[-1] == "不在调查地区（3）" and not at.exception  # 北京, 上海, 浙江
    exclude.set_value(["outside_region"]).run()
    captions = [c.value for c in at.caption]
    assert "6 名受访者 · 筛选后 3 名" in captions[0] and "已排除 不在调查地区" in captions[1]

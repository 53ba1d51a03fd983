"""What the Segments page shows: conflict rows, formatted comparison tables, defaults."""
from __future__ import annotations

import pandas as pd
import pytest
from pydantic import TypeAdapter

from easymall.models.stp import Condition
from easymall.stp import view
from easymall.stp.edit import RulePart
from easymall.stp.rules import SegmentError, evaluate
from tests.segments_data import make_dataset

COND = TypeAdapter(Condition)


def test_conflict_rows_show_what_people_edit(docs) -> None:
    seg = docs["stp"].segment("credit_points").model_dump(mode="json")
    rows = dict(view.item_rows(seg, "en"))
    assert rows["name"] == "“Credit-card instalment and points users”"
    assert rows["target"] == "true" and rows["ratings"] == "competition 4, fit 5, offer 5"
    assert rows["gates"].startswith("measurable ✓")
    assert rows["need"].startswith("“want big-ticket")
    crit = docs["stp"].targeting.attractiveness[0].model_dump(mode="json")
    assert ("weight", "0.25") in view.item_rows(crit, "en")


def test_formatted_tables_use_the_one_formatter() -> None:
    table = pd.DataFrame({"question": ["", "Q1", "Q16", "Q12"], "answer": ["n", "女", "NPS", "价格"],
                          "kind": ["count", "share", "nps", "mean"], "a": [25300.0, 0.234, -4.6, 3.456],
                          "__all__": [float("nan"), 0.5, 12.0, 4.0]})
    en = view.formatted(table, ["a", "__all__"], "en")
    assert list(en["a"]) == ["25,300", "23.4%", "−5", "3.46"]
    assert list(en["__all__"]) == ["—", "50.0%", "+12", "4.00"]
    assert view.formatted(table, ["a"], "zh")["a"].iloc[0] == "2.53 万"


def test_defaults_and_texts_of_the_page(docs) -> None:
    doc = docs["stp"]
    ds = make_dataset(400, seed=2)
    an = view.analyse(doc, ds, docs["survey"])
    options, default = view.compare_choices(doc, an)
    assert default == [s.id for s in doc.targets()][:3] and set(default) <= set(options)
    ks = view.k_choices(doc, "en")
    assert list(ks)[0] == "best" and ks[doc.clustering.k_min] == str(doc.clustering.k_min)
    assert [view.gate_choice(v) for v in (True, False, None)] == list(view.GATE_CHOICES)
    assert view.gate_hint({"share": 0.25}, "en") == "Data: 25.0% of respondents."
    assert view.gate_hint({}, "en") is None
    labels = view.Labels(ds, docs["survey"], "en")
    rule, level, text = view.rule_preview([RulePart("Q5", "in", ("否",))], "all", ds, labels, an.orders)
    hits = int((ds.frame["Q5"] == "否").sum())
    assert rule is not None and level == "info" and text.startswith(f"{hits:,} respondents (")
    assert view.rule_preview([RulePart("Q5", "in", ())], "all", ds, labels, an.orders)[1] == "incomplete"
    assert view.rule_preview([RulePart("Q99", "in", ("x",))], "all", ds, labels, an.orders)[1] == "warning"
    ids, titles = view.variable_options(doc, ds, labels)
    assert view.default_variables(doc, ids) and all(q in titles for q in ids)


def test_rule_errors_read_in_chinese() -> None:
    with pytest.raises(SegmentError) as exc:
        evaluate(COND.validate_python({"type": "answer", "question": "Q5", "op": "eq", "values": ["Yes"]}),
                 make_dataset(50))
    assert view.error_sentence(exc.value, "en") == "Q5: “Yes” is not an option of the question"
    assert view.error_sentence(exc.value, "zh") == "Q5：“Yes”不是该问题的选项"
    wrapped = SegmentError("segment s1: " + str(exc.value), code=exc.value.code, **exc.value.params, segment="s1")
    assert view.error_sentence(wrapped, "zh") == "细分市场 s1：Q5：“Yes”不是该问题的选项"


def test_a_weak_silhouette_warns_and_points_to_the_rule_segments() -> None:
    import numpy as np

    from easymall.stp.clustering import WEAK_SILHOUETTE, ClusterRun

    def run(sil: float) -> ClusterRun:
        return ClusterRun("d", ("Q2",), 2, 1, np.array([0, 1]), np.zeros((2, 1)), {2: sil}, [])

    assert run(0.158).weak and not run(WEAK_SILHOUETTE).weak and run(float("nan")).weak
    assert view.weak_structure_text(run(0.4), "en") is None
    assert "0.16, below 0.25" in view.weak_structure_text(run(0.158), "en")
    assert "rule segments" in view.weak_structure_text(run(0.158), "en")
    assert "规则细分" in view.weak_structure_text(run(0.158), "zh")


def test_a_criterion_with_one_rating_for_every_segment_does_not_discriminate(docs) -> None:
    from easymall.stp.targeting import Rating

    doc = docs["stp"]
    crit = [c.id for c in doc.targeting.criteria()]
    rated = {"a": {crit[0]: Rating(3, "data", 3), crit[1]: Rating(2, "data", 2)},
             "b": {crit[0]: Rating(3, "override", 2), crit[1]: Rating(4, "data", 4)}}
    assert view.flat_criteria(doc, rated) == [(crit[0], 3)]
    assert view.flat_criteria(doc, {"a": rated["a"]}) == []  # one segment: nothing to discriminate
    label = next(c for c in doc.targeting.criteria() if c.id == crit[0]).label
    assert "does not discriminate" in view.flat_criteria_text(doc, rated, "en")[0]
    assert label.zh in view.flat_criteria_text(doc, rated, "zh")[0]

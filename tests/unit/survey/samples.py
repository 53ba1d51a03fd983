"""Small survey inputs the unit tests of the survey area share."""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.models.survey import SurveyDocument
from easymall.survey.dataset import Dataset, Question
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data"
#: A multi-choice column whose answers are separated by "/" (not detected unless configured).
FRUIT = b"fruit,score\napple/pear,3\nplum,4\npear,5\napple,2\nplum/pear,1\n"
CSV = ("Q1,Q2,Q3\n" + "\n".join(f"{'是' if i % 3 else '否'},{1 + i % 5},{i * 10}" for i in range(30)) + "\n").encode()

GENERIC = (
    "Respondent ID,Gender,Age,Rating of app,Recommend 0-10,Platforms used,Comment,Monthly spend\n"
    + "\n".join(
        f"{i},{'男' if i % 2 else '女'},{20 + i % 30},{1 + i % 5},{i % 11},"
        f"\"{['淘宝;京东', '京东', '淘宝;拼多多;京东', '拼多多'][i % 4]}\","
        f"comment number {i} with words {i * 7},{100 + 3 * i}"
        for i in range(1, 61))
    + "\n"
)


def tiny_dataset() -> Dataset:
    """10 respondents: Q1 single, Q2 multi, Q3 matrix (3 rows), Q4 0-10 scale, Q5 numeric."""
    idx = pd.RangeIndex(1, 11)
    f = pd.DataFrame(index=idx)
    f["_duration_s"] = [300, 310, 20, 290, 305, 280, 50, 320, 300, 295]
    f["_ip"] = ["1.1.1.1"] * 3 + [f"2.2.2.{i}" for i in range(7)]
    f["Q1"] = pd.Series(["a", "b", "a", "a", "b", "a", None, "b", "a", "b"], index=idx, dtype=object)
    f["Q2::x"] = [True, False, True, True, False, False, False, True, True, True]
    f["Q2::y"] = [False, True, True, False, False, True, False, False, True, False]
    f["_answered::Q2"] = [True, True, True, True, False, True, False, True, True, True]
    for j, r in enumerate(["r1", "r2", "r3"]):
        f[f"Q3::{r}"] = [4, 4, 1 + j, 5, 3, 2, np.nan, 4, 4, 1 + (j % 2)]
    f["Q4"] = [10, 9, 0, 6, 7, 8, np.nan, 10, 3, 9]
    f["Q5"] = [100.0, 200.0, np.nan, 50.0, 0.0, 400.0, 80.0, 120.0, 90.0, 60.0]
    qs = [Question("Q1", "One", "single", ["a", "b"], [], ["Q1"]),
          Question("Q2", "Many", "multi", ["x", "y"], [], ["Q2::x", "Q2::y"]),
          Question("Q3", "Grid", "matrix", ["1", "2", "3", "4", "5"], ["r1", "r2", "r3"], ["Q3::r1", "Q3::r2", "Q3::r3"]),
          Question("Q4", "NPS", "scale", [str(i) for i in range(11)], [], ["Q4"]),
          Question("Q5", "Spend", "numeric", [], [], ["Q5"])]
    # row 10 duplicates row 9's answers exactly
    for c in ("Q1", "Q2::x", "Q2::y", "_answered::Q2", "Q3::r1", "Q3::r2", "Q3::r3", "Q4", "Q5"):
        f.loc[10, c] = f.loc[9, c]
    return Dataset(qs, f, "t")


def roles_doc() -> SurveyDocument:
    return SurveyDocument.model_validate({
        "questions": [
            {"id": "Q8", "title": "aware", "type": "single", "options": [{"label": "no"}, {"label": "heard"}, {"label": "used"}]},
            {"id": "Q9", "title": "channel", "type": "single", "options": [{"label": "branch"}, {"label": "app"}, {"label": "friend"}]},
            {"id": "Q13", "title": "purchases", "type": "single", "options": [{"label": "0"}, {"label": "1"}, {"label": "2+"}]},
            {"id": "Q14", "title": "aov", "type": "numeric"},
            {"id": "Q16", "title": "nps", "type": "scale", "scale_min": 0, "scale_max": 10},
        ],
        "roles": {"awareness": {"question": "Q8", "options": ["heard", "used"]},
                  "trial": {"question": "Q8", "options": ["used"]},
                  "usage": {"question": "Q13", "options": ["1", "2+"]},
                  "repurchase": {"question": "Q13", "options": ["2+"]},
                  "nps": "Q16", "order_value": "Q14",
                  "channel_branch": {"question": "Q9", "options": ["branch"]},
                  "channel_digital": {"question": "Q9", "options": ["app"]}}})

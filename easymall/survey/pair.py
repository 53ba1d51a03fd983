"""Join a Wenjuanxing by-text export with its by-number twin on 序号 (the respondent serial).

The by-text file carries the option labels, the by-number file the questionnaire's option order
(and options nobody chose). Joined, each single question gets a codebook ``{code: label}`` and its
options in questionnaire order; multi and ranking questions get every option of the questionnaire.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.errors import SurveyImportError, issue


@dataclass
class Joined:
    dataset: Dataset
    codebooks: dict[str, dict[str, str]] = field(default_factory=dict)
    issues: list[dict[str, object]] = field(default_factory=list)


def join_on_serial(by_text: Dataset, by_number: Dataset) -> Joined:
    """The by-text dataset, restricted to serials present in both, with questionnaire order from the twin."""
    for ds, what in ((by_text, "by-text"), (by_number, "by-number")):
        if "_id" not in ds.frame:
            raise SurveyImportError(f"the {what} file has no 序号 column to join on", file=ds.name, code="no_serial",
                                    mode="文本" if what == "by-text" else "序号")
    _same_questionnaire(by_text, by_number)
    t_ids = pd.to_numeric(by_text.frame["_id"], errors="coerce")
    n_ids = pd.to_numeric(by_number.frame["_id"], errors="coerce")
    issues: list[dict[str, object]] = []
    only_t = sorted(set(t_ids.dropna()) - set(n_ids.dropna()))
    only_n = sorted(set(n_ids.dropna()) - set(t_ids.dropna()))
    for sid, where in [(s, "by-text") for s in only_t] + [(s, "by-number") for s in only_n]:
        issues.append(issue(None, "序号", "unmatched_serial", f"序号 {int(sid)} is only in the {where} file",
                            serial=int(sid), variant=where.replace("-", "_")))
    tf = by_text.frame.assign(_key=t_ids.to_numpy())
    nf = by_number.frame.assign(_key=n_ids.to_numpy()).drop_duplicates("_key").set_index("_key")
    keep = tf["_key"].isin(nf.index).to_numpy()
    tf = tf[keep]
    nf = nf.loc[tf["_key"].to_numpy()]
    nf.index = tf.index
    frame = tf.drop(columns="_key").copy()
    codebooks: dict[str, dict[str, str]] = {}
    questions: list[Question] = []
    for q in by_text.questions:
        if not by_number.has(q.id) or by_number.question(q.id).type != q.type:
            questions.append(q)
            continue
        qn = by_number.question(q.id)
        if q.type == "single":
            pairs = pd.DataFrame({"code": nf[q.id].astype(object), "label": frame[q.id]}).dropna().drop_duplicates()
            book: dict[str, str] = {}
            for code, grp in pairs.groupby("code", sort=False):
                labels = list(grp["label"])
                if len(labels) > 1:
                    shown = ", ".join(map(str, labels[:3]))
                    issues.append(issue(None, q.id, "codebook_conflict",
                                        f"{q.id}: option number {code} stands for several labels ({shown})",
                                        question=q.id, number=code, labels=shown))
                book[str(code)] = str(labels[0])
            if all(k == v for k, v in book.items()):  # not coded (the same text in both files)
                questions.append(q)
                continue
            codebooks[q.id] = dict(sorted(book.items(), key=lambda kv: float(kv[0]) if kv[0].replace(".", "", 1).isdigit() else 1e9))
            ordered = list(dict.fromkeys(codebooks[q.id].values()))
            questions.append(Question(q.id, q.title, q.type, ordered + [o for o in q.options if o not in ordered],
                                      [], q.columns))
        elif q.type in ("multi", "ranking"):
            opts = list(qn.options)
            # by-text option labels may carry 【请注明】 etc. exactly as the by-number headers do
            opts += [o for o in q.options if o not in opts]
            for o in opts:
                col = f"{q.id}{SEP}{o}"
                if col not in frame:
                    frame[col] = False if q.type == "multi" else np.nan
            questions.append(Question(q.id, q.title, q.type, opts, [], [f"{q.id}{SEP}{o}" for o in opts]))
        else:
            questions.append(q)
    return Joined(Dataset(questions, frame, by_text.name), codebooks, issues)


def _same_questionnaire(by_text: Dataset, by_number: Dataset) -> None:
    """Refuse two exports of different surveys: most question titles must agree (a by-number
    multi-choice question may only be called 第N题, which says nothing either way)."""
    pairs = [(q, by_number.question(q.id)) for q in by_text.questions if by_number.has(q.id)]
    known = [(a, b) for a, b in pairs if not re.fullmatch(r"第\d+题", b.title.strip())]
    differ = [(a, b) for a, b in known if a.title.strip() != b.title.strip()]
    if not known or len(differ) * 2 > len(known):
        q, a, b = (differ[0][0].id, differ[0][0].title[:30], differ[0][1].title[:30]) if differ else ("", "", "")
        example = f" ({q}: {a!r} vs {b!r})" if differ else ""
        raise SurveyImportError(f"{by_text.name} and {by_number.name} are not exports of one survey: "
                                f"their questions differ{example}", file=by_text.name, code="different_survey",
                                twin=by_number.name, example=f"（{q}：“{a}” 与 “{b}”）" if differ else "")

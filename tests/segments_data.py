"""A synthetic survey :class:`Dataset` in the contract's frame layout, with planted segments.

Used by the segments tests and ``benchmarks/bench_segments.py`` (which does not depend on the
sample survey). Three planted groups: young frequent shoppers, ICBC card users who use Easy Mall
for instalments and points, and older branch customers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from easymall.survey.dataset import Dataset, Question

OPTIONS = {
    "Q1": ["男", "女"],
    "Q2": ["18岁以下", "18-25岁", "26-30岁", "31-40岁", "41-50岁", "51-60岁", "60岁以上"],
    "Q3": ["学生", "企业职员", "公务员/事业单位", "个体经营者", "自由职业", "退休", "其他"],
    "Q4": ["3000元以下", "3000-5000元", "5001-8000元", "8001-15000元", "15000元以上"],
    "Q5": ["是", "否"],
    "Q6": ["几乎每天", "每周数次", "每月数次", "每月一次或更少", "从不"],
    "Q7": ["淘宝", "天猫", "京东", "拼多多", "苏宁易购", "唯品会", "融e购", "其他"],
    "Q8": ["没听说过", "听说过但没用过", "用过"],
    "Q10": ["信用卡分期/积分抵现", "商品品质有保障", "银行信誉", "价格优惠", "网点员工推荐", "金融产品一站式"],
    "Q12": ["商品品质", "商品种类", "价格", "物流配送", "支付便捷", "售后服务", "界面体验"],
    "Q13": ["0次", "1次", "2-3次", "4-6次", "7次及以上"],
    "Q15": ["一定会", "可能会", "不确定", "可能不会", "一定不会"],
    "Q17": ["理财产品优惠", "积分商城", "品牌直营", "跨境进口", "企业采购服务", "网点自提/O2O", "会员体系"],
}
TYPES = {"Q1": "single", "Q2": "single", "Q3": "single", "Q4": "single", "Q5": "single", "Q6": "single",
         "Q7": "multi", "Q8": "single", "Q10": "multi", "Q12": "matrix", "Q13": "single", "Q14": "numeric",
         "Q15": "single", "Q16": "scale", "Q17": "multi"}

# planted groups: probabilities per option (same order as OPTIONS)
GROUPS = {
    "young": {"Q2": [0.05, 0.55, 0.35, 0.05, 0, 0, 0], "Q3": [0.5, 0.4, 0.02, 0.02, 0.06, 0, 0],
              "Q4": [0.45, 0.35, 0.15, 0.05, 0], "Q5": [0.3, 0.7], "Q6": [0.45, 0.45, 0.1, 0, 0],
              "Q8": [0.6, 0.3, 0.1], "Q7": [0.95, 0.7, 0.5, 0.6, 0.05, 0.2, 0.03, 0.05],
              "Q10": [0.1, 0.1, 0.1, 0.6, 0.05, 0.05], "Q17": [0.1, 0.3, 0.2, 0.4, 0.02, 0.1, 0.5],
              "Q13": [0.5, 0.35, 0.1, 0.05, 0], "sat": 3.0, "aov": 120},
    "card": {"Q2": [0, 0.05, 0.25, 0.5, 0.2, 0, 0], "Q3": [0, 0.6, 0.25, 0.1, 0.05, 0, 0],
             "Q4": [0, 0.05, 0.3, 0.45, 0.2], "Q5": [0.97, 0.03], "Q6": [0.1, 0.4, 0.45, 0.05, 0],
             "Q8": [0.02, 0.18, 0.8], "Q7": [0.7, 0.7, 0.8, 0.1, 0.3, 0.2, 0.8, 0.05],
             "Q10": [0.85, 0.4, 0.5, 0.2, 0.1, 0.5], "Q17": [0.6, 0.6, 0.4, 0.2, 0.1, 0.2, 0.4],
             "Q13": [0.05, 0.25, 0.4, 0.2, 0.1], "sat": 3.9, "aov": 1800},
    "senior": {"Q2": [0, 0, 0, 0.05, 0.45, 0.35, 0.15], "Q3": [0, 0.2, 0.2, 0.1, 0.05, 0.45, 0],
               "Q4": [0.2, 0.4, 0.3, 0.1, 0], "Q5": [0.9, 0.1], "Q6": [0, 0.05, 0.3, 0.45, 0.2],
               "Q8": [0.3, 0.4, 0.3], "Q7": [0.5, 0.2, 0.4, 0.3, 0.2, 0.05, 0.3, 0.1],
               "Q10": [0.1, 0.4, 0.7, 0.1, 0.7, 0.1], "Q17": [0.4, 0.2, 0.1, 0.02, 0.02, 0.7, 0.1],
               "Q13": [0.4, 0.4, 0.15, 0.05, 0], "sat": 3.5, "aov": 400},
}
MIX = {"young": 0.45, "card": 0.3, "senior": 0.25}


def _pick(rng: np.random.Generator, options: list[str], probs: list[float], n: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(np.asarray(options, dtype=object), size=n, p=p / p.sum())


def make_dataset(n: int = 1200, seed: int = 7, name: str = "synthetic") -> Dataset:
    rng = np.random.default_rng(seed)
    group = rng.choice(list(MIX), size=n, p=list(MIX.values()))
    cols: dict[str, np.ndarray] = {}
    for qid in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q8", "Q13"):
        cols[qid] = np.empty(n, dtype=object)
    cols["Q1"][:] = _pick(rng, OPTIONS["Q1"], [0.5, 0.5], n)
    for g, spec in GROUPS.items():
        idx = np.flatnonzero(group == g)
        for qid in ("Q2", "Q3", "Q4", "Q5", "Q6", "Q8", "Q13"):
            cols[qid][idx] = _pick(rng, OPTIONS[qid], spec[qid], len(idx))
    frame = pd.DataFrame({k: v for k, v in cols.items() if k != "Q13"})
    aware = frame["Q8"] != "没听说过"
    used = frame["Q8"] == "用过"
    for qid in ("Q7", "Q10", "Q17"):
        block = np.zeros((n, len(OPTIONS[qid])), dtype=bool)
        for g, spec in GROUPS.items():
            idx = np.flatnonzero(group == g)
            block[idx] = rng.random((len(idx), len(OPTIONS[qid]))) < np.asarray(spec[qid])
        shown = np.ones(n, bool) if qid == "Q7" else aware.to_numpy()
        block[~shown] = False
        for j, o in enumerate(OPTIONS[qid]):
            frame[f"{qid}::{o}"] = block[:, j]
        frame[f"_answered::{qid}"] = shown & block.any(axis=1) if qid != "Q7" else block.any(axis=1)
    sat = np.array([GROUPS[g]["sat"] for g in group])
    for o in OPTIONS["Q12"]:
        v = np.clip(np.round(sat + rng.normal(0, 0.8, n)), 1, 5)
        v[~used.to_numpy()] = np.nan
        frame[f"Q12::{o}"] = v
    q13 = pd.Series(cols["Q13"], dtype=object)
    q13[~used.to_numpy()] = np.nan
    frame["Q13"] = q13.to_numpy()
    aov = np.array([GROUPS[g]["aov"] for g in group]) * rng.lognormal(0, 0.5, n)
    frame["Q14"] = np.where(used, np.round(aov), np.nan)
    frame["Q15"] = np.where(used, _pick(rng, OPTIONS["Q15"], [0.2, 0.35, 0.25, 0.15, 0.05], n), np.nan)
    frame["Q15"] = frame["Q15"].astype(object).where(used, np.nan)
    frame["Q16"] = np.where(used, np.clip(np.round(sat * 2 + rng.normal(0, 2, n)), 0, 10), np.nan)
    frame["_group"] = group
    frame.index = pd.RangeIndex(1, n + 1)
    questions = []
    for qid, typ in TYPES.items():
        opts = OPTIONS.get(qid, [])
        if typ == "matrix":
            questions.append(Question(qid, qid, "matrix", options=["1", "2", "3", "4", "5"], rows=list(opts),
                                      columns=[f"{qid}::{r}" for r in opts]))
        elif typ == "multi":
            questions.append(Question(qid, qid, "multi", options=list(opts), columns=[f"{qid}::{o}" for o in opts]))
        elif typ == "scale":
            questions.append(Question(qid, qid, "scale", options=[str(i) for i in range(11)], columns=[qid]))
        else:
            questions.append(Question(qid, qid, typ, options=list(opts), columns=[qid]))
    return Dataset(questions, frame, name)

"""The study's four problems measured from the active survey (for the Overview cards)."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from easymall.models.survey import SurveyDocument
from easymall.survey import Dataset, Kpi, compute_kpis

#: problem id (market.yaml) -> the KPI ids that measure it, in display order.
PROBLEM_KPIS: dict[str, tuple[str, ...]] = {
    "few_users": ("awareness", "trial", "usage"),
    "low_repurchase": ("repurchase_rate", "nps"),
    "vague_profit": ("aov", "satisfaction_mean"),
    "backward_acquisition": ("channel_branch_share", "channel_digital_share"),
}


#: Evidence of whole datasets, remembered (every Overview run of every session asks for the same):
#: key (id of the dataset, hash of the questionnaire) -> (the dataset, its evidence). Datasets are
#: read-only and shared; the entry holds the dataset, so its id cannot be reused while remembered.
_MEMO: OrderedDict[tuple[int, str], tuple[Dataset, dict[str, list[Kpi]]]] = OrderedDict()
MEMO_ENTRIES = 8
_LOCK = threading.Lock()


def _evidence(dataset: Dataset, survey_doc: SurveyDocument,
              mask: pd.Series | np.ndarray | None) -> dict[str, list[Kpi]]:
    kpis = compute_kpis(dataset, survey_doc, mask=mask)
    return {pid: [kpis[k] for k in ids if k in kpis] for pid, ids in PROBLEM_KPIS.items()}


def problem_evidence(dataset: Dataset, survey_doc: SurveyDocument, *,
                     mask: pd.Series | np.ndarray | None = None) -> dict[str, list[Kpi]]:
    """Problem id -> the KPIs measuring it that the dataset and roles allow (missing ones left out).
    Computed once per (dataset, questionnaire) when no mask is given (at most MEMO_ENTRIES kept)."""
    if mask is not None:
        return _evidence(dataset, survey_doc, mask)
    key = (id(dataset), hashlib.blake2b(survey_doc.model_dump_json().encode(), digest_size=16).hexdigest())
    with _LOCK:
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is dataset:
            _MEMO.move_to_end(key)
            return {pid: list(kpis) for pid, kpis in hit[1].items()}
    evidence = _evidence(dataset, survey_doc, None)
    with _LOCK:
        _MEMO[key] = (dataset, evidence)
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
    return {pid: list(kpis) for pid, kpis in evidence.items()}

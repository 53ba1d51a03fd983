"""The study's four problems measured from the active survey (for the Overview cards)."""
from __future__ import annotations

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


def problem_evidence(dataset: Dataset, survey_doc: SurveyDocument, *,
                     mask: pd.Series | np.ndarray | None = None) -> dict[str, list[Kpi]]:
    """Problem id -> the KPIs measuring it that the dataset and roles allow (missing ones left out)."""
    kpis = compute_kpis(dataset, survey_doc, mask=mask)
    return {pid: [kpis[k] for k in ids if k in kpis] for pid, ids in PROBLEM_KPIS.items()}

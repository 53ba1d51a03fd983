"""The survey KPIs the Easy Mall documents may cite, by id, with the unit each is measured in.

``config/swot.yaml`` evidence, ``config/marketing.yaml`` calibration and the Overview's problem
cards name these ids; :mod:`easymall.survey.kpis` computes them from the active dataset.
"""
from __future__ import annotations

from typing import Literal

#: ``share`` is a fraction 0–1, ``score`` a mean or an NPS (−100…100), ``count`` people, ``yuan`` ¥.
Unit = Literal["share", "score", "count", "yuan"]

#: Every KPI id, in display order.
KPI_IDS: tuple[str, ...] = ("awareness", "trial", "usage", "repurchase_rate", "nps", "channel_branch_share",
                            "channel_digital_share", "satisfaction_mean", "aov")

#: The unit of each KPI (``share`` unless listed).
KPI_UNITS: dict[str, Unit] = {kid: "share" for kid in KPI_IDS} | {"nps": "score", "satisfaction_mean": "score",
                                                                  "aov": "yuan"}

#: How a KPI's figure reads where it differs from its unit: the NPS is a signed whole number.
_DISPLAY_UNITS: dict[str, str] = {"nps": "nps"}


def display_unit(kpi_id: str, unit: str) -> str:
    """The :mod:`easymall.core.units` unit a KPI's figure is printed in (``nps`` for the NPS)."""
    return _DISPLAY_UNITS.get(kpi_id, unit)

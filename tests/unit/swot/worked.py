"""Worked IFE / EFE examples shared by the SWOT formula tests (definitions in domain.md)."""
from __future__ import annotations

from easymall.models.swot import SwotDocument, SwotItem


def item(iid: str, weight: float, rating: int, text: str = "factor") -> SwotItem:
    return SwotItem(id=iid, text=text, weight=weight, rating=rating)


# Worked IFE: 0.20×4 + 0.15×3 + 0.15×4 + 0.10×3 + 0.25×1 + 0.15×2 = 0.80+0.45+0.60+0.30+0.25+0.30 = 2.70
S = [item("S1", 0.20, 4), item("S2", 0.15, 3), item("S3", 0.15, 4), item("S4", 0.10, 3)]
W = [item("W1", 0.25, 1), item("W2", 0.15, 2)]
# Worked EFE: 0.30×2 + 0.20×3 + 0.25×1 + 0.25×4 = 0.60+0.60+0.25+1.00 = 2.45
OPP = [item("O1", 0.30, 2), item("O2", 0.20, 3)]
T = [item("T1", 0.25, 1), item("T2", 0.25, 4)]


def worked_doc(**extra) -> SwotDocument:
    """The worked examples as one document (``extra``: strategies, qspm ...)."""
    return SwotDocument(strengths=S, weaknesses=W, opportunities=OPP, threats=T, **extra)

"""The internal-external (IE) matrix: IFE total on x, EFE total on y, each cut at 2.0 and 3.0.

IFE 1.0–1.99 weak, 2.0–2.99 average, 3.0–4.0 strong; EFE likewise low / medium / high. Cells
are numbered I–IX from high-EFE/strong-IFE (top left), row by row:

=========  ======  =======  =====
EFE \\ IFE  strong  average  weak
=========  ======  =======  =====
high       I       II       III
medium     IV      V        VI
low        VII     VIII     IX
=========  ======  =======  =====

I, II, IV: grow and build; III, V, VII: hold and maintain; VI, VIII, IX: harvest or divest.
Totals are classified at two decimals, the precision they are shown at (2.995 shows as 3.00
and is strong).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from easymall.swot.errors import SwotError

Prescription = Literal["grow", "hold", "harvest"]
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
PRESCRIPTION: dict[int, Prescription] = {1: "grow", 2: "grow", 4: "grow", 3: "hold", 5: "hold", 7: "hold",
                                         6: "harvest", 8: "harvest", 9: "harvest"}


@dataclass(frozen=True)
class IeCell:
    number: int          # 1..9
    ife_band: Literal["strong", "average", "weak"]
    efe_band: Literal["high", "medium", "low"]
    prescription: Prescription

    @property
    def roman(self) -> str:
        return ROMAN[self.number - 1]


def _band(total: float, what: str) -> int:
    """0 for 3.0–4.0, 1 for 2.0–2.99, 2 for 1.0–1.99."""
    if isinstance(total, bool) or not isinstance(total, int | float) or not math.isfinite(total):
        raise SwotError("ie_not_number", what=what, value=repr(total))
    shown = round(float(total), 2)
    if not 1.0 <= shown <= 4.0:
        raise SwotError("ie_range", what=what, value=f"{total:.2f}")
    return 0 if shown >= 3.0 else 1 if shown >= 2.0 else 2


def ie_cell(ife: float, efe: float) -> IeCell:
    """The IE cell for an IFE total ``ife`` and an EFE total ``efe`` (both 1.0–4.0)."""
    col = _band(ife, "IFE")
    row = _band(efe, "EFE")
    number = row * 3 + col + 1
    return IeCell(number, ("strong", "average", "weak")[col], ("high", "medium", "low")[row],
                  PRESCRIPTION[number])

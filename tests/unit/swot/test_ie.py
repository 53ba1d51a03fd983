"""The IE matrix cell and its prescription (easymall.swot.ie)."""
from __future__ import annotations

import math

import pytest

from easymall.swot.ie import ie_cell


@pytest.mark.parametrize(("ife", "efe", "roman", "prescription"), [
    (4.0, 4.0, "I", "grow"),
    (3.0, 3.0, "I", "grow"),          # both boundaries exactly at 3.0 belong to strong / high
    (2.99, 3.0, "II", "grow"),
    (2.0, 3.0, "II", "grow"),         # exactly 2.0 is average
    (1.99, 3.0, "III", "hold"),
    (3.0, 2.99, "IV", "grow"),
    (3.0, 2.0, "IV", "grow"),
    (2.0, 2.0, "V", "hold"),
    (2.99, 2.99, "V", "hold"),
    (1.99, 2.0, "VI", "harvest"),
    (3.0, 1.99, "VII", "hold"),
    (2.0, 1.99, "VIII", "harvest"),
    (1.0, 1.0, "IX", "harvest"),
    (2.995, 2.0, "IV", "grow"),       # shown as 3.00: classified as shown
    (0.1 * 3 + 0.2 * 3 + 0.7 * 3, 2.5, "IV", "grow"),  # 3.0000000000000004 in floating point is 3.00
])
def test_ie_cells_and_their_boundaries(ife: float, efe: float, roman: str, prescription: str) -> None:
    cell = ie_cell(ife, efe)
    assert (cell.roman, cell.prescription) == (roman, prescription)


@pytest.mark.parametrize(("ife", "efe"), [(0.99, 2.0), (2.0, 4.01), (math.nan, 2.0), ("3", 2.0)])
def test_ie_rejects_totals_outside_1_to_4(ife: object, efe: object) -> None:
    with pytest.raises(ValueError):
        ie_cell(ife, efe)  # type: ignore[arg-type]

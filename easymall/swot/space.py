"""The SPACE matrix (F. R. David): strategic position and action evaluation.

Financial position (FP) and industry position (IP) factors are rated +1 (worst) … +7 (best);
stability position (SP) and competitive position (CP) −1 (best) … −7 (worst).
x = mean(CP) + mean(IP), y = mean(FP) + mean(SP). The directional vector points to the
quadrant: aggressive (+,+), conservative (−,+), defensive (−,−), competitive (+,−). A vector on
an axis (x or y exactly 0) is reported as such: the textbook does not assign it a quadrant.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from easymall.core.i18n import t
from easymall.models.swot import SpaceInputs
from easymall.swot.errors import SwotError

Quadrant = Literal["aggressive", "conservative", "defensive", "competitive"]


@dataclass(frozen=True)
class SpaceResult:
    fp: float
    ip: float
    sp: float
    cp: float
    x: float
    y: float
    quadrant: Quadrant | None  # None when the vector lies on an axis

    @property
    def on_axis(self) -> bool:
        return self.quadrant is None


def _mean(ratings: Sequence[int], what: str, low: int, high: int) -> float:
    if not ratings:
        raise SwotError("space_empty", what=_dimension(what))
    for r in ratings:
        if isinstance(r, bool) or not isinstance(r, int) or not low <= r <= high:
            raise SwotError("space_rating", what=_dimension(what), value=repr(r), low=f"{low:+d}", high=f"{high:+d}")
    return sum(ratings) / len(ratings)


def _dimension(what: str) -> dict[str, str]:
    """A SPACE dimension in each language: ``financial`` / ``财务地位 (FP)``."""
    return {"en": what, "zh": t(f"swot.space_dim.{what}", "zh")}


def quadrant_of(x: float, y: float) -> Quadrant | None:
    if x == 0 or y == 0:
        return None
    if y > 0:
        return "aggressive" if x > 0 else "conservative"
    return "competitive" if x > 0 else "defensive"


def space_scores(fp: Sequence[int], ip: Sequence[int], sp: Sequence[int], cp: Sequence[int]) -> SpaceResult:
    """The SPACE vector from raw ratings of the four dimensions."""
    f = _mean(fp, "financial", 1, 7)
    i = _mean(ip, "industry", 1, 7)
    s = _mean(sp, "stability", -7, -1)
    c = _mean(cp, "competitive", -7, -1)
    x, y = round(c + i, 10), round(f + s, 10)  # 10 places: 4.4 − 4.4 is 0, not 8.9e-16
    return SpaceResult(f, i, s, c, x, y, quadrant_of(x, y))


def space_vector(inputs: SpaceInputs) -> SpaceResult:
    """The SPACE vector and quadrant of a document's SPACE inputs."""
    return space_scores([f.rating for f in inputs.financial], [f.rating for f in inputs.industry],
                        [f.rating for f in inputs.stability], [f.rating for f in inputs.competitive])

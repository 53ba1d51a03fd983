"""The SPACE vector and quadrant (easymall.swot.space)."""
from __future__ import annotations

import pytest

from easymall.swot.space import space_scores


@pytest.mark.parametrize(("fp", "ip", "sp", "cp", "x", "y", "quadrant"), [
    ([6, 5], [4, 6], [-2, -3], [-3, -4], 1.5, 3.0, "aggressive"),   # x = −3.5 + 5, y = 5.5 − 2.5
    ([5], [2], [-2], [-5], -3.0, 3.0, "conservative"),
    ([2], [2], [-5], [-5], -3.0, -3.0, "defensive"),
    ([2], [6], [-5], [-2], 4.0, -3.0, "competitive"),
    ([4], [3], [-4], [-2], 1.0, 0.0, None),                          # on the x axis: no quadrant
])
def test_space_vector_and_quadrant(fp, ip, sp, cp, x, y, quadrant) -> None:
    res = space_scores(fp, ip, sp, cp)
    assert (res.x, res.y, res.quadrant) == (pytest.approx(x), pytest.approx(y), quadrant)


@pytest.mark.parametrize("bad", [{"fp": [8]}, {"fp": [0]}, {"sp": [1]}, {"cp": [-8]}, {"ip": []}])
def test_space_rejects_ratings_outside_their_scale(bad: dict[str, list[int]]) -> None:
    args = {"fp": [4], "ip": [4], "sp": [-4], "cp": [-4], **bad}
    with pytest.raises(ValueError):
        space_scores(args["fp"], args["ip"], args["sp"], args["cp"])

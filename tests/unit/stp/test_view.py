"""What the Segments page shows: conflict rows, formatted comparison tables, defaults."""
from __future__ import annotations

from easymall.stp import view


def test_conflict_rows_show_what_people_edit(docs) -> None:
    seg = docs["stp"].segment("credit_points").model_dump(mode="json")
    rows = dict(view.item_rows(seg, "en"))
    assert rows["name"] == "“Credit-card instalment and points users”"
    assert rows["target"] == "true" and rows["ratings"] == "competition 4, fit 5, offer 5"
    assert rows["gates"].startswith("measurable ✓")
    assert rows["need"].startswith("“want big-ticket")
    crit = docs["stp"].targeting.attractiveness[0].model_dump(mode="json")
    assert ("weight", "0.25") in view.item_rows(crit, "en")

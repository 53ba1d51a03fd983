"""Google Forms: Timestamp, checkbox answers joined with ", ", grid questions."""
from __future__ import annotations

from easymall.survey.platforms.assemble import split_known
from tests.unit.survey.platforms.conftest import load, meta_keys, types


def test_an_option_with_a_comma_stays_whole_when_known() -> None:
    cells = ["Savings, deposits, Credit card", "Savings, deposits", "Credit card, Loans", None]
    assert split_known(cells, ", ") == [["Savings, deposits", "Credit card"], ["Savings, deposits"],
                                        ["Credit card", "Loans"], None]


def test_export() -> None:
    p = load("google_forms.csv")
    assert p.platform == "google-forms" and p.dataset.n == 6
    assert types(p) == {"Q1": "single", "Q2": "multi", "Q3": "matrix", "Q4": "text"}
    q2 = p.dataset.question("Q2")
    assert q2.options == ["Savings, deposits", "Credit card", "Loans"]
    assert p.dataset.frame["Q2::Savings, deposits"].tolist() == [True, True, False, False, True, False]
    q3 = p.dataset.question("Q3")
    assert q3.title == "Rate our service" and q3.rows == ["Mobile app", "Branch"]
    assert meta_keys(p) == ["_submitted", "_email"]
    assert p.dataset.frame["_submitted"].notna().all()  # "2024/03/01 9:15:22 AM GMT+8"

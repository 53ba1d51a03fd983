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


def test_real_export() -> None:
    """A real Google Forms download (PROVENANCE.md): short-answer and paragraph questions whose answers
    hold ", " are text, not checkbox questions; a multi-line answer stays one cell."""
    p = load("google_forms_real.csv")
    assert p.platform == "google-forms" and p.dataset.n == 24
    assert types(p) == {"Q1": "single", "Q2": "text", "Q3": "single", "Q4": "text", "Q5": "text", "Q6": "single",
                        "Q7": "single", "Q8": "single"}
    ds = p.dataset
    assert ds.question("Q6").options == ["Third year", "Second year", "Fourth year", "First year"]
    assert ds.question("Q7").options == ["Woman", "Man", "Non-binary", "Prefer to self-describe"]
    assert ds.frame["Q2"].iloc[9] == "Idk, seems right\nalso, 2 bread w/ stuff in it"
    assert ds.frame["Q5"].iloc[0] == "VA, USA"
    assert meta_keys(p) == ["_submitted"] and ds.frame["_submitted"].notna().all()
    assert not p.issues

"""Documents as text: the sample is valid, any text is a document or our error, the registry and schemas."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.models import DOCUMENTS
from easymall.schemas import stale
from easymall.store import DocumentError, Workspace, parse_document
from tests.conftest import ROOT


def test_default_workspace_is_valid() -> None:
    assert Workspace(ROOT).validate() == []


def test_checked_in_schemas_are_fresh() -> None:
    assert stale() == [], "run `make schemas` and commit schemas/"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_document_or_our_error(text: str) -> None:
    try:
        parse_document("market", text)
    except DocumentError as exc:
        assert exc.problems and all(p.file == "config/market.yaml" for p in exc.problems)


def test_documents_registry_matches_config_files() -> None:
    assert sorted(DOCUMENTS) == sorted(p.stem for p in (ROOT / "config").glob("*.yaml"))

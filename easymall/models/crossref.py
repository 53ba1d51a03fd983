"""Checks that span documents: every id one document cites must exist in the one it points to.

Each check takes the loaded documents by name and yields ``(document, dotted.path, message)``.
Add a check to :data:`CHECKS` when a document starts citing another.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from easymall.models.common import Document

Finding = tuple[str, str, str]
Check = Callable[[dict[str, Document]], Iterator[Finding]]

CHECKS: list[Check] = []


def check_references(docs: dict[str, Document]) -> list[Finding]:
    """Run every registered check over the documents that loaded."""
    return [finding for check in CHECKS for finding in check(docs)]

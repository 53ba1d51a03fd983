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


def _marketing_references(docs: dict[str, Document]) -> Iterator[Finding]:
    """Marketing actions cite segments (stp) and TOWS strategies (swot); scenarios and TOWS lever
    presets cite marketing levers, whose values must lie in the lever's range."""
    marketing = docs.get("marketing")
    levers = {lv.id: lv for lv in getattr(marketing, "levers", [])}
    segments = {s.id for s in getattr(docs.get("stp"), "segments", [])}
    strategies = {s.id for s in getattr(docs.get("swot"), "strategies", [])}
    for i, action in enumerate(getattr(marketing, "actions", [])):
        if "stp" in docs:
            for seg in action.segments:
                if seg not in segments:
                    yield ("marketing", f"actions.{i}.segments",
                           f"action {action.id} targets segment {seg}, which is not in stp.yaml")
        if "swot" in docs and action.strategy and action.strategy not in strategies:
            yield ("marketing", f"actions.{i}.strategy",
                   f"action {action.id} implements strategy {action.strategy}, which is not in swot.yaml")
    if marketing is None:
        return
    presets = [("scenarios", f"scenarios.{i}.levers", f"scenario {s.id}", s.levers)
               for i, s in enumerate(getattr(docs.get("scenarios"), "scenarios", []))]
    presets += [("swot", f"strategies.{i}.levers", f"strategy {s.id}", s.levers)
                for i, s in enumerate(getattr(docs.get("swot"), "strategies", [])) if getattr(s, "levers", None)]
    for doc, path, who, values in presets:
        for key, value in values.items():
            lever = levers.get(key)
            if lever is None:
                yield (doc, path, f"{who} sets lever {key}, which is not in marketing.yaml")
            elif not lever.min <= value <= lever.max:
                yield (doc, path, f"{who} sets {key} to {value:g}, outside its range "
                                  f"{lever.min:g}–{lever.max:g} {lever.unit}")


CHECKS.append(_marketing_references)

"""The platform samples (tests/fixtures/platforms, see its PROVENANCE.md), read in-process."""
from __future__ import annotations

from pathlib import Path

from easymall.survey.ingest import Parsed, load_survey

PLATFORMS = Path(__file__).resolve().parents[3] / "fixtures" / "platforms"


def load(name: str, **kw: object) -> Parsed:
    return load_survey((PLATFORMS / name).read_bytes(), name, **kw)  # type: ignore[arg-type]


def types(parsed: Parsed) -> dict[str, str]:
    return {q.id: q.type for q in parsed.dataset.questions}


def meta_keys(parsed: Parsed) -> list[str]:
    return [m["key"] for m in parsed.metadata]

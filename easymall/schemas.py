"""JSON Schemas of the workspace documents, for YAML editors' autocompletion and checks.

``python -m easymall.schemas`` writes ``schemas/<document>.schema.json``; the test suite fails when
a checked-in schema differs from what the models generate. Point an editor at them with a first
line such as ``# yaml-language-server: $schema=../schemas/swot.schema.json``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from easymall.models import DOCUMENTS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_text(name: str) -> str:
    """The JSON Schema of document ``name`` as stable, pretty-printed text."""
    schema = DOCUMENTS[name].model_json_schema()
    schema["$id"] = f"{name}.schema.json"
    schema.setdefault("title", f"config/{name}.yaml")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of documents whose checked-in schema is missing or out of date."""
    out = []
    for name in DOCUMENTS:
        path = directory / f"{name}.schema.json"
        if not path.exists() or path.read_text("utf-8") != schema_text(name):
            out.append(name)
    return out


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(exist_ok=True)
    paths = []
    for name in DOCUMENTS:
        path = directory / f"{name}.schema.json"
        path.write_text(schema_text(name), "utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write():
        print(p.relative_to(SCHEMA_DIR.parent))
    sys.exit(0)

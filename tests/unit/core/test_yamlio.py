"""Safe YAML: what is dumped parses back the same."""
from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.core import yamlio
from tests.conftest import ROOT


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), c, max_size=4),
                    max_leaves=20))
def test_dump_then_parse_round_trips(data: object) -> None:
    assert yamlio.parse(yamlio.dump({"x": data}))[0] == {"x": data}


def _python_dump(data: object) -> str:
    """PyYAML's own emitter with the store's representers: the text libyaml's emitter must match."""
    return yaml.dump(data, Dumper=yamlio._Dumper, allow_unicode=True, sort_keys=False, width=100)


def test_the_documents_are_written_as_the_python_emitter_would() -> None:
    for path in sorted((ROOT / "config").glob("*.yaml")):
        data = yamlio.parse(path.read_bytes())[0]
        assert yamlio.dump(data) == _python_dump(data), path.name


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=300) | st.lists(st.text(max_size=40)),
                       max_size=5))
def test_any_text_is_written_as_the_python_emitter_would(data: dict) -> None:
    assert yamlio.dump(data) == _python_dump(data)

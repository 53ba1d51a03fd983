"""Safe YAML: what is dumped parses back the same."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.core import yamlio


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), c, max_size=4),
                    max_leaves=20))
def test_dump_then_parse_round_trips(data: object) -> None:
    assert yamlio.parse(yamlio.dump({"x": data}))[0] == {"x": data}

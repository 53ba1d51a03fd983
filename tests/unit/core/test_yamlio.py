"""Safe YAML: what is dumped parses back the same; the fast dump writes PyYAML's text."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from easymall.core import yamlio
from tests.conftest import ROOT

#: Every YAML file of the repository: the documents, the sample data and fixtures, the catalogues.
FILES = sorted({p for d in ("config", "sample_data", "tests/fixtures", "easymall") for ext in ("yaml", "yml")
                for p in (ROOT / d).rglob(f"*.{ext}")})


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_files_to_compare() -> None:
    assert len(FILES) >= 20 and any(p.name == "swot.yaml" for p in FILES)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), c, max_size=4),
                    max_leaves=20))
def test_dump_then_parse_round_trips(data: object) -> None:
    assert yamlio.parse(yamlio.dump({"x": data}))[0] == {"x": data}


# --- dump: the node tree built directly and written by libyaml is PyYAML's representer and Python emitter's text


def _python_dump(data: object) -> str:
    """PyYAML's own representer and emitter with the store's representers: the text :func:`yamlio.dump` must write."""
    return yaml.dump(data, Dumper=yamlio._Dumper, allow_unicode=True, sort_keys=False, width=100)


def _representer_dump(data: object) -> str:
    """:func:`yamlio.dump` as it was written before it built the node tree itself: PyYAML's
    representer, libyaml's emitter, the Python emitter where libyaml writes otherwise."""
    text = yaml.dump(data, Dumper=yamlio._FastDumper, allow_unicode=True, sort_keys=False, width=100)
    return _python_dump(data) if "\\U" in text or yamlio._EXPLICIT_KEY.search(text) else text


def _tree(node: yaml.Node) -> tuple:
    """What the emitter writes a node by: its kind, tag, style and value (children's trees)."""
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.style, node.value)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, [_tree(v) for v in node.value])
    return ("map", node.tag, node.flow_style, [(_tree(k), _tree(v)) for k, v in node.value])


def _assert_dumped_as_pyyaml(data: object) -> None:
    """:func:`yamlio._node` makes the representer's node tree, and :func:`yamlio.dump` writes today's text."""
    representer = yamlio._Dumper(None, default_flow_style=False, sort_keys=False)
    assert _tree(yamlio._node(data, representer.represent_data)) == _tree(representer.represent_data(data))
    assert yamlio.dump(data) == _representer_dump(data)


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_every_file_is_written_as_pyyaml_would(path: Path) -> None:
    data = yamlio.parse(path.read_bytes())[0]
    _assert_dumped_as_pyyaml(data)
    assert yamlio.dump(data) == _python_dump(data)


def test_the_hostile_documents_are_written_as_pyyaml_would(ws_path: Path) -> None:
    from tests.hostile import HOSTILE, plant

    plant(ws_path)
    texts = [p.read_text("utf-8") for p in sorted((ws_path / "config").glob("*.yaml"))]
    assert sum(HOSTILE in t for t in texts) >= 3
    for text in texts:
        data = yamlio.parse(text)[0]
        _assert_dumped_as_pyyaml(data)
        assert yamlio.dump(data) == _python_dump(data)


_ODD = st.text(st.sampled_from(list("ab :-#'\"|>?!&*%@`{}[],\n\r\t\x85\u2028\u2029\x00\x7f\ufeffé中😀")), max_size=12)
_LEAF = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**30) | st.floats() | st.text(max_size=30)
         | _ODD | st.dates() | st.datetimes())
_KEY = st.text(max_size=8) | _ODD | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(st.recursive(_LEAF, lambda c: st.lists(c, max_size=4) | st.lists(c, max_size=3).map(tuple)
                    | st.dictionaries(_KEY, c, max_size=4), max_leaves=25))
def test_any_data_is_written_as_pyyaml_would(data: object) -> None:
    _assert_dumped_as_pyyaml({"x": data})


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=300) | st.lists(st.text(max_size=40)),
                       max_size=5))
def test_any_text_is_written_as_the_python_emitter_would(data: dict) -> None:
    assert yamlio.dump(data) == _python_dump(data)


def test_the_documents_are_written_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python emitter (slow) only where libyaml writes otherwise: never for the repository's files."""
    real = yamlio._emit

    def emit(node: yaml.Node, dumper_class: type) -> str:
        assert dumper_class is yamlio._FastDumper, "the Python emitter wrote a document"
        return real(node, dumper_class)

    monkeypatch.setattr(yamlio, "_emit", emit)
    for path in FILES:
        yamlio.dump(yamlio.parse(path.read_bytes())[0])
    with pytest.raises(AssertionError, match="the Python emitter"):  # what libyaml escapes: an emoji
        yamlio.dump({"a": "😀 b"})


def test_an_emoji_is_written_as_the_python_emitter_would() -> None:
    assert yamlio._emit(yamlio._node({"a": "😀 b"}, None), yamlio._FastDumper) == 'a: "\\U0001F600 b"\n'
    assert yamlio.dump({"a": "😀 b"}) == _python_dump({"a": "😀 b"}) == "a: 😀 b\n"


def test_a_constructor_error_is_a_problem_too() -> None:
    for src in ("a: !!int ''\n", "a: !!int '-'\n", "a: !!bool ''\n", "a: !!timestamp '2000-0 -01'\n"):
        with pytest.raises(yamlio.YamlProblem) as exc:
            yamlio.parse(src)
        assert exc.value.code == "yaml_unreadable" and exc.value.message.startswith("the file cannot be read as YAML")

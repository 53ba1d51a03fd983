"""Safe YAML: what is dumped parses back the same; the fast dump writes PyYAML's text; what libyaml
reads is what the Python loader reads (data and lines), and every refusal is the Python loader's."""
from __future__ import annotations

import datetime
import math
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


# --- parse: libyaml reads what it reads as the Python loader would; everything else is the Python loader's


def _same(a: object, b: object) -> bool:
    """Equal data of the same types, keys in the same order (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(_same(ka, kb) and _same(va, vb)
                                        for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def _lines(node: yaml.Node | None) -> list[tuple]:
    """Every node's kind, tag, scalar value and line (what :func:`yamlio.line_of` reports), in order."""
    if node is None:
        return []
    out = [(type(node).__name__, node.tag, node.value if isinstance(node, yaml.ScalarNode) else None,
            node.start_mark.line)]
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out += _lines(k) + _lines(v)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            out += _lines(v)
    return out


def _fast(src: str) -> tuple | None:
    """What libyaml reads of ``src`` in :func:`yamlio.parse`, ``None`` when it leaves ``src`` to the Python loader."""
    if not yamlio._libyaml_reads_alike(src):
        return None
    try:
        return yamlio._load(yamlio._FastLoader, src)
    except Exception:  # noqa: BLE001 - read again by the Python loader
        return None


def _assert_read_alike(src: str) -> None:
    fast = _fast(src)
    if fast is None:
        return
    try:
        python = yamlio._parse_python(src)
    except yamlio.YamlProblem as exc:
        raise AssertionError(f"libyaml reads {src!r}, the Python loader refuses it: {exc}") from None
    assert _same(fast[0], python[0]), src
    assert _lines(fast[1]) == _lines(python[1]), src


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_every_file_is_read_by_libyaml_as_by_python(path: Path) -> None:
    src = path.read_text("utf-8")
    fast, python = _fast(src), yamlio._parse_python(src)
    assert fast is not None, "left to the Python loader"
    assert _same(fast[0], python[0])
    assert _lines(fast[1]) == _lines(python[1])
    assert [n.start_mark.column for n in _nodes(fast[1])] == [n.start_mark.column for n in _nodes(python[1])]


def _nodes(node: yaml.Node) -> list[yaml.Node]:
    kids = ([n for kv in node.value for n in kv] if isinstance(node, yaml.MappingNode)
            else node.value if isinstance(node, yaml.SequenceNode) else [])
    return [node, *(n for kid in kids for n in _nodes(kid))]


def test_the_documents_are_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python loader (five to eight times slower) reads no file of the repository, and :func:`yamlio.parse` returns
    libyaml's node tree (its marks are libyaml's)."""
    def python(src: str) -> None:
        raise AssertionError("read by the Python loader")

    monkeypatch.setattr(yamlio, "_parse_python", python)
    for path in FILES:
        data, node = yamlio.parse(path.read_bytes())
        assert data is not None and type(node.start_mark).__module__ == "yaml._yaml", _name(path)
    with pytest.raises(AssertionError, match="Python loader"):  # a refusal is the Python loader's to say
        yamlio.parse("a: 1\na: 2\n")


def test_a_save_and_load_round_trip_stays_on_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the store writes of odd text (tabs, byte order marks and line breaks come out escaped) is
    read by libyaml: a save does not slow the next load."""
    monkeypatch.setattr(yamlio, "_parse_python", lambda src: pytest.fail("read by the Python loader"))
    data = {"text": "a: b? [c] {d}\n- e #f\n|g", "list": ["x?", "?", "- y", "! z", "&a", "*b", "%c", "@d", "t\tab",
                                                         "\ufeffbom", "r\rn\x85"], "n": -1.5e300}
    assert yamlio.parse(yamlio.dump(data))[0] == data


MAX = yamlio.MAX_DEPTH


#: Every refusal of the docstring, with its code and line: libyaml never returns data for one, and
#: :func:`yamlio.parse` says the Python loader's sentence, line and code.
REFUSALS = [
    ("a: &x 1\nb: *x\n", "yaml_anchor", 1),
    ("a: [1]\nb: *x\n", "yaml_alias", 2),
    ("a: !!python/object:os.system x\n", "yaml_tag", 1),
    ("a: !custom x\n", "yaml_tag", 1),
    ("revision: 0\nrevision: 1\n", "yaml_duplicate_key", 2),
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", "yaml_duplicate_key", 4),
    ("? [1]\n: 2\n", "yaml_key_not_scalar", 1),
    ("a: {? {b: 1}: 2}\n", "yaml_key_not_scalar", 1),
    ("x: 1\ndeep: " + "[" * 10_000 + "]" * 10_000 + "\n", "yaml_too_deep", 2),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, MAX + 1)), "yaml_too_deep", MAX + 1),
    ("a: 1\nn: " + "9" * (yamlio.MAX_DIGITS + 1) + "\n", "yaml_number_too_long", 2),
    ("as_of: 2017-13-45\n", "yaml_bad_date", 1),
    ("a:\n\tb: 1\n", "yaml_tab", 2),
    ("a:\n  b: 1\n c: 2\n", "yaml_indent", 3),
    ("a: [1, 2\n", "yaml_unclosed_bracket", 2),
    ("a: {en: Why?, zh: 为什么}\n", "yaml_unclosed_bracket", 1),
    ("a: |#c\n  x\n", "yaml_syntax", 1),
    ("a: 1\t\n", "yaml_tab", 1),
    ("a: 1\n---\nb: 2\n", "yaml_two_documents", 2),
    ("a: \x01\n", "yaml_character", 1),
    ("a: !!int ''\n", "yaml_unreadable", None),
]


@pytest.mark.parametrize(("src", "code", "line"), REFUSALS, ids=[c for _, c, _ in REFUSALS])
def test_each_refusal_is_the_python_loaders(src: str, code: str, line: int | None) -> None:
    assert _fast(src) is None  # libyaml returns no data for it
    with pytest.raises(yamlio.YamlProblem) as fast:
        yamlio.parse(src)
    with pytest.raises(yamlio.YamlProblem) as python:
        yamlio._parse_python(src)
    assert (fast.value.code, fast.value.line) == (code, line)
    assert fast.value == python.value  # the same sentence and values


def _read_on_its_own(loader: type, src: str) -> object:
    """What PyYAML's plain safe loader (``loader``) reads of ``src``: data and lines, or "refused"."""
    try:
        return repr(yaml.load(src, Loader=loader)), _lines(yaml.compose(src, Loader=loader))  # noqa: S506 - safe loaders
    except yaml.YAMLError:
        return "refused"


#: Where libyaml on its own reads otherwise than the Python loader (other data, another line, or
#: data where the Python loader refuses): a tab, byte order marks, a last line without its line
#: break, a comment right after a block scalar's header, a ``?`` in a flow collection, a tag.
APART = ["a: 1\t\n", "\ufeff\ufeffa: 1\n", "? a", "a: |#c\n  x\n", "a: [b?]\n", "a: {b: [c, {d?: e}]}\n", "a: !\n"]


@pytest.mark.parametrize("src", APART)
def test_where_libyaml_reads_otherwise_the_python_loader_reads(src: str) -> None:
    assert _read_on_its_own(yaml.CSafeLoader, src) != _read_on_its_own(yaml.SafeLoader, src)
    assert _fast(src) is None
    try:
        python = yamlio._parse_python(yamlio._source(src))  # as parse() has it: its first byte order mark dropped
    except yamlio.YamlProblem as exc:
        with pytest.raises(yamlio.YamlProblem) as fast:
            yamlio.parse(src)
        assert fast.value == exc
    else:
        data, node = yamlio.parse(src)
        assert _same(data, python[0]) and _lines(node) == _lines(python[1])


def test_too_many_nodes_is_refused_on_libyaml_at_the_limit() -> None:
    assert yamlio.MAX_NODES % 2 == 0
    keys = yamlio.MAX_NODES // 2 - 1  # with the mapping itself: MAX_NODES - 1 nodes
    within = "".join(f"k{i}: {i}\n" for i in range(keys))
    assert len(yamlio._load(yamlio._FastLoader, within)[0]) == keys
    with pytest.raises(yamlio.YamlProblem) as exc:  # one more key is the last node allowed, its value one too many
        yamlio._load(yamlio._FastLoader, within + "one: 1\n")
    assert (exc.value.code, exc.value.line) == ("yaml_too_many_nodes", keys + 1)


def test_nesting_is_refused_on_libyaml_at_the_limit() -> None:
    assert _same(yamlio._load(yamlio._FastLoader, "[" * MAX + "]" * MAX + "\n")[0], _nested(MAX - 1))
    with pytest.raises(yamlio.YamlProblem) as exc:
        yamlio._load(yamlio._FastLoader, "[" * (MAX + 1) + "]" * (MAX + 1) + "\n")
    assert exc.value.code == "yaml_too_deep"


def _nested(n: int) -> list:
    out: list = []
    for _ in range(n):
        out = [out]
    return out


#: Pieces of YAML, plain and odd, that the property test strings together.
_PIECES = ["a", "b", "1", "0x1F", "1e3", "-1", ".5", "017", "1_0", "2017-01-01", "2017-13-45", "1:30", "~", "null",
           "yes", "true", ".inf", "<<", "中文", "😀", "x" * 300, "- ", "-", ": ", ":", "? ", "?", "\n", "\n", "\n  ",
           "\n- ", "  ", " ", "#c", " #c", "[", "]", "{", "}", ", ", ",", "'x'", '"y"', '"\\u00e9"', '"\\x"', "'", '"',
           "\\", "|", ">", "|-", "|+", ">2", "&a ", "*a", "!!str ", "! ", "!x ", "%YAML 1.1\n", "%YAML 1.2\n",
           "%TAG ! tag:x,2000:\n", "---", "--- ", "...", "\r\n", "\r", "\x85", "\u2028", "\t", "\x00", "\x01", "\ufeff",
           "@", "`", "%"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.booleans())
def test_what_libyaml_reads_is_what_python_reads(src: str, line_break: bool) -> None:
    _assert_read_alike(src + "\n" if line_break else src)


_DOCS = [p.read_text("utf-8").splitlines(keepends=True) for p in FILES]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_DOCS), st.integers(0, 10_000), st.integers(1, 30),
       st.lists(st.tuples(st.floats(0, 1), st.integers(0, 2), st.sampled_from(list(" -:?,[]{}#&*!|>'\"%@`\\\n\r~.1a中"))),
                max_size=3))
def test_a_mangled_document_is_read_by_libyaml_as_by_python(doc: list[str], at: int, n: int, edits: list) -> None:
    start = at % len(doc)
    src = "".join(doc[start:start + n])
    for where, how, char in edits:  # insert, replace or delete one character
        i = int(where * len(src))
        src = src[:i] + ("" if how == 2 else char) + src[i + (how > 0):]
    _assert_read_alike(src)


def test_dates_and_datetimes_are_read_alike() -> None:
    src = "d: 2017-03-20\nt: 2001-12-14t21:59:43.10-05:00\nu: 2001-12-14 21:59:43.10\n"
    data = yamlio.parse(src)[0]
    assert data["d"] == datetime.date(2017, 3, 20) and isinstance(data["t"], datetime.datetime)
    _assert_read_alike(src)
    assert _fast(src) is not None

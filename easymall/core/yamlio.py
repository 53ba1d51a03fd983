"""Safe YAML in and out, with line numbers for error messages.

Loading refuses what a hand-edited config never needs and an attacker would love: anchors and
aliases (billion-laughs), any ``!!python/...`` or other non-standard tag, duplicate keys, files
over :data:`MAX_BYTES`, keys that are not plain values (``? [a, b]``), nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_NODES` keys and values, and integers longer than
:data:`MAX_DIGITS` digits — so reading a document is bounded in time and never raises anything but
a :class:`YamlProblem` carrying the line it is on and a code (``error.<code>`` in the catalogue).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

MAX_BYTES = 1_000_000  # 1 MB: a workspace document is a few KB; anything bigger is a mistake
MAX_DEPTH = 64         # levels of nesting (a document uses five or six)
MAX_NODES = 20_000     # keys, values and list items (the sample workspace's largest document has ~3,000)
MAX_DIGITS = 100       # digits of an integer


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML file that cannot be read. ``line`` is 1-based, ``None`` when unknown."""

    message: str
    line: int | None = None
    code: str = "yaml_syntax"              # error.<code> in core/i18n/errors.yaml says it in Chinese
    ctx: tuple[tuple[str, str], ...] = ()  # the values the sentence is filled with

    def __str__(self) -> str:
        return self.message

    @property
    def params(self) -> dict[str, str]:
        return dict(self.ctx)


def _problem(message: str, line: int | None, code: str, **params: object) -> YamlProblem:
    return YamlProblem(message, line, code, tuple((k, str(v)) for k, v in params.items()))


#: PyYAML's own sentences for a syntax error -> the code that says it in another language (named
#: groups become its values); anything else is ``yaml_syntax``, PyYAML's sentence in English.
_SYNTAX = [(re.compile(pattern), code) for pattern, code in [
    (r"mapping values are not allowed here$", "yaml_mapping_values"),
    (r"found character '\\t' that cannot start any token$", "yaml_tab"),
    (r"found character '(?P<char>.+)' that cannot start any token$", "yaml_bad_start"),
    (r"could not find expected ':'$", "yaml_expected_colon"),
    (r"found unexpected end of stream$", "yaml_unexpected_end"),
    (r"expected <block end>, but found ", "yaml_indent"),
    (r"did not find expected (key|node content|'-' indicator)$", "yaml_indent"),
    (r"expected ',' or '(?P<bracket>[\]}])', but got ", "yaml_unclosed_bracket"),
    (r"but found another document$", "yaml_two_documents"),
    (r"found unknown escape character (?P<char>.+)$", "yaml_escape"),
]]


def _syntax(what: str, line: int | None) -> YamlProblem:
    for pattern, code in _SYNTAX:
        if m := pattern.match(what):
            return _problem(what, line, code, **m.groupdict())
    return _problem(what, line, "yaml_syntax")


class _StrictComposer(Composer):
    """PyYAML's composer that also forbids aliases and anchors, nesting deeper than :data:`MAX_DEPTH`
    and more than :data:`MAX_NODES` nodes — node by node, before going deeper."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
        event = self.peek_event()
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlProblem(f"the file has more than {MAX_NODES:,} keys and values; the limit is {MAX_NODES:,}",
                              event.start_mark.line + 1, "yaml_too_many_nodes", (("limit", f"{MAX_NODES:,}"),))
        if self._depth >= MAX_DEPTH:
            raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels; the limit is {MAX_DEPTH}",
                              event.start_mark.line + 1, "yaml_too_deep", (("limit", str(MAX_DEPTH)),))
        if isinstance(event, yaml.AliasEvent):
            raise _problem("anchors and aliases (*name) are not allowed", event.start_mark.line + 1, "yaml_alias")
        if event.anchor is not None:
            raise _problem(f"anchors (&{event.anchor}) are not allowed", event.start_mark.line + 1, "yaml_anchor",
                           anchor=event.anchor)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictConstructor(SafeConstructor):
    """SafeConstructor (plain YAML's tags only) that also forbids duplicate and non-scalar keys,
    impossible dates and endless integers."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _problem("a key must be a plain value, not a list or mapping", key_node.start_mark.line + 1,
                               "yaml_key_not_scalar")
            key = self.construct_object(key_node, deep=True)  # a scalar: always hashable
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _problem(f"duplicate key {key!r}", line, "yaml_duplicate_key", key=repr(key))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):  # noqa: ANN001
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # 2017-13-45 looks like a date but is none
            raise _problem(f"{node.value} is not a valid date", node.start_mark.line + 1, "yaml_bad_date",
                           value=node.value) from None

    def construct_yaml_int(self, node):  # noqa: ANN001
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise YamlProblem(f"a number has {digits:,} digits; the limit is {MAX_DIGITS}", node.start_mark.line + 1,
                              "yaml_number_too_long", (("n", f"{digits:,}"), ("limit", str(MAX_DIGITS))))
        return super().construct_yaml_int(node)


_StrictConstructor.add_constructor("tag:yaml.org,2002:timestamp", _StrictConstructor.construct_yaml_timestamp)
_StrictConstructor.add_constructor("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int)


class _StrictLoader(_StrictComposer, _StrictConstructor, yaml.SafeLoader):
    """The strict composer and constructor on PyYAML's pure-Python reader, scanner and parser: slow
    (~60 ms for a 12 KB document), but the one whose sentences and lines every refusal reports."""


class _NotAlike(Exception):
    """Something libyaml may read otherwise than PyYAML's Python loader: that one reads the document."""


#: ``|#`` or ``>-#``: a comment right after a block scalar's header (libyaml takes it, Python refuses it).
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]{0,2}#")


def _libyaml_reads_alike(src: str) -> bool:
    """Whether ``src`` has none of what libyaml reads otherwise than PyYAML's Python scanner (found by
    running both on generated and mutated documents): a tab (Python refuses most), a byte order mark
    (libyaml skips one anywhere), a comment right after a block scalar's header, a last line without
    its line break (an empty value there is a line lower in libyaml)."""
    return ("\t" not in src and "\ufeff" not in src and src.endswith("\n")
            and not _BLOCK_HEADER_COMMENT.search(src))


if _CParser is not None:
    class _FastLoader(_StrictComposer, _StrictConstructor, _CParser, Resolver):
        """The strict composer and constructor on libyaml's events, several times faster than
        :class:`_StrictLoader`. libyaml's own composer is not used: :class:`_StrictComposer` composes
        its events, checking each node before it follows the nesting. Two more kinds of event are
        where the two readers part (:class:`_NotAlike`): a tag (libyaml reads a bare ``!`` otherwise)
        and a plain value with a ``?`` in a flow collection (the Python scanner ends the value there)."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            _StrictConstructor.__init__(self)
            Resolver.__init__(self)

        def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
            event = self.peek_event()
            if getattr(event, "tag", None) is not None:
                raise _NotAlike("a tag")
            if (parent is not None and parent.flow_style and isinstance(event, yaml.ScalarEvent) and not event.style
                    and "?" in event.value):  # a flow collection holds only flow nodes: its parent's style is the context
                raise _NotAlike("a ? in a plain value of a flow collection")
            return super().compose_node(parent, index)
else:  # PyYAML built without libyaml: every document takes the Python path
    _FastLoader = None


def _load(loader_class: type, src: str) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(src)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def parse(text: str | bytes) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` into Python data and the composed node tree (for :func:`line_of`).

    libyaml reads it (:class:`_FastLoader`) unless it holds something libyaml reads otherwise
    (:func:`_libyaml_reads_alike`); whatever libyaml does not read cleanly — a refusal, a syntax
    error, any exception — is read again by the pure-Python loader, whose problem (sentence, line,
    code) is the answer. Both return the same data and node lines (tests/unit/core/test_yamlio.py)."""
    src = _source(text)
    if _FastLoader is not None and _libyaml_reads_alike(src):
        try:
            return _load(_FastLoader, src)
        except Exception:  # noqa: BLE001, S110 - said by the Python path below, with its line and code
            pass
    return _parse_python(src)


def _source(text: str | bytes) -> str:
    """``text`` as a string, refused when too big or not UTF-8."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_BYTES:
        size, limit = f"{len(raw):,}", f"{MAX_BYTES:,}"
        raise _problem(f"file is {size} bytes; the limit is {limit}", None, "yaml_too_large", size=size, limit=limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(f"file is not UTF-8 text (byte {exc.start})", None, "yaml_not_utf8", byte=exc.start) from None


def _parse_python(src: str) -> tuple[Any, yaml.Node | None]:
    """:func:`parse` by the pure-Python loader: its data, or its problem as a :class:`YamlProblem`."""
    try:
        return _load(_StrictLoader, src)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "invalid YAML").strip()
        line = mark.line + 1 if mark else None
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
            tag = what.rsplit("'", 2)[-2].replace("tag:yaml.org,2002:", "!!") if "'" in what else what
            raise _problem(f"tag {tag} is not allowed (only plain YAML)", line, "yaml_tag", tag=tag) from None
        raise _syntax(what, line) from None
    except yaml.reader.ReaderError as exc:
        line = src[: exc.position].count("\n") + 1
        char = repr(chr(exc.character))
        raise _problem(f"character {char} is not allowed in YAML", line, "yaml_character", char=char) from None
    except yaml.YAMLError as exc:
        raise _problem(str(exc).splitlines()[0], None, "yaml_syntax") from None
    except Exception as exc:  # noqa: BLE001 - never a traceback: recursion, memory, a constructor's IndexError on !!int ""
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise YamlProblem(f"the file cannot be read as YAML ({detail})", None, "yaml_unreadable",
                          (("detail", detail),)) from None


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Line (1-based) of the deepest node reachable along ``loc`` (pydantic error location)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


class _Dumper(yaml.SafeDumper):
    pass


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter (when PyYAML has it): the same text as :class:`_Dumper`, about 5× faster —
    except for emoji and keys with line breaks (:data:`_EXPLICIT_KEY`); :func:`dump` then uses the other."""


#: Line breaks other than ``\n``: a string holding one is written double-quoted (escaped), the only
#: way it survives a round trip.
_UNUSUAL_BREAK = re.compile("[\x85\u2028\u2029\r]")

_STR, _NULL, _BOOL, _INT = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int"))
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _str_style(data: str) -> str | None:
    """How a string is written: escaped when it holds an unusual line break, a ``|`` block when it
    has line breaks and no surrounding blanks, else plain (or quoted, as the emitter decides)."""
    if _UNUSUAL_BREAK.search(data):
        return '"'
    return "|" if "\n" in data and data == data.strip() else None


def _str_rep(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar(_STR, data, style=_str_style(data))


#: Where libyaml's text differs from the Python emitter's: an escaped astral character (emoji), an
#: explicit ``? key`` (a key with a line break in it).
_EXPLICIT_KEY = re.compile(r"^\s*(- )*\? ", re.M)

for _dumper in (_Dumper, _FastDumper):
    _dumper.add_representer(str, _str_rep)
    _dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def _node(data: Any, other: Any) -> yaml.Node:
    """The node PyYAML's representer (block style, keys in order, no aliases) makes of ``data``, made
    directly for dicts, lists, strings, booleans, integers and None (a document is nothing else but
    the odd float); ``other`` (the representer's ``represent_data``) makes any other value's."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data, None, None, _str_style(data))
    if kind is dict:
        return yaml.MappingNode(_MAP, [(_node(k, other), _node(v, other)) for k, v in data.items()], flow_style=False)
    if kind is list:
        return yaml.SequenceNode(_SEQ, [_node(v, other) for v in data], flow_style=False)
    if kind is bool:
        return yaml.ScalarNode(_BOOL, "true" if data else "false")
    if kind is int:
        return yaml.ScalarNode(_INT, str(data))
    if data is None:
        return yaml.ScalarNode(_NULL, "null")
    return other(data)


def _emit(node: yaml.Node, dumper_class: type) -> str:
    out = io.StringIO()
    dumper = dumper_class(out, default_flow_style=False, allow_unicode=True, width=100, sort_keys=False)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return out.getvalue()


def dump(data: Any) -> str:
    """YAML text for ``data``: key order kept, Unicode literal, no anchors — the text of PyYAML's
    representer and libyaml's emitter (the Python emitter's where libyaml writes otherwise), with the
    node tree built by :func:`_node` instead of the representer (a quarter of the time saved)."""
    node = _node(data, _Dumper(None, default_flow_style=False, sort_keys=False).represent_data)
    text = _emit(node, _FastDumper)
    if "\\U" in text or _EXPLICIT_KEY.search(text):  # where libyaml writes otherwise: the Python emitter's text
        text = _emit(node, _Dumper)
    return text

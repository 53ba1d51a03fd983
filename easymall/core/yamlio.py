"""Safe YAML in and out, with line numbers for error messages.

Loading refuses what a hand-edited config never needs and an attacker would love: anchors and
aliases (billion-laughs), any ``!!python/...`` or other non-standard tag, duplicate keys, files
over :data:`MAX_BYTES`, keys that are not plain values (``? [a, b]``), nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_NODES` keys and values, and integers longer than
:data:`MAX_DIGITS` digits — so reading a document is bounded in time and never raises anything but
a :class:`YamlProblem` carrying the line it is on and a code (``error.<code>`` in the catalogue).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 1_000_000  # 1 MB: a workspace document is a few KB; anything bigger is a mistake
MAX_DEPTH = 64         # levels of nesting (a document uses five or six)
MAX_NODES = 20_000     # keys, values and list items (the sample workspace's largest document has ~3,000)
MAX_DIGITS = 100       # digits of an integer


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML file that cannot be read. ``line`` is 1-based, ``None`` when unknown."""

    message: str
    line: int | None = None
    code: str = ""
    ctx: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.message




class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that also forbids aliases, duplicate and non-scalar keys, deep nesting, too many
    nodes and endless integers."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
        line = self.peek_event().start_mark.line + 1
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlProblem(f"the file has more than {MAX_NODES:,} keys and values; the limit is {MAX_NODES:,}",
                              line, "yaml_too_many_nodes", (("limit", f"{MAX_NODES:,}"),))
        if self._depth >= MAX_DEPTH:
            raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels; the limit is {MAX_DEPTH}", line,
                              "yaml_too_deep", (("limit", str(MAX_DEPTH)),))
        self._depth += 1
        try:
            return self._compose_checked(parent, index)
        finally:
            self._depth -= 1

    def _compose_checked(self, parent, index):  # noqa: ANN001
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem("anchors and aliases (*name) are not allowed", event.start_mark.line + 1)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(f"anchors (&{anchor}) are not allowed", event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("a key must be a plain value, not a list or mapping", key_node.start_mark.line + 1,
                                  "yaml_key_not_scalar")
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise YamlProblem(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):  # noqa: ANN001
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise YamlProblem(f"a number has {digits:,} digits; the limit is {MAX_DIGITS}", node.start_mark.line + 1,
                              "yaml_number_too_long", (("n", f"{digits:,}"), ("limit", str(MAX_DIGITS))))
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def parse(text: str | bytes) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` into Python data and the composed node tree (for :func:`line_of`)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_BYTES:
        raise YamlProblem(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        src = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"file is not UTF-8 text (byte {exc.start})") from None
    loader = None
    try:
        loader = _StrictLoader(src)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
            tag = what.rsplit("'", 2)[-2].replace("tag:yaml.org,2002:", "!!") if "'" in what else what
            what = f"tag {tag} is not allowed (only plain YAML)"
        raise YamlProblem(what, mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line = src[: exc.position].count("\n") + 1
        raise YamlProblem(f"character {chr(exc.character)!r} is not allowed in YAML", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).splitlines()[0]) from None
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError) as exc:  # never a traceback
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise YamlProblem(f"the file cannot be read as YAML ({detail})", None, "yaml_unreadable",
                          (("detail", detail),)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


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


_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _str_rep(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if any(b in data for b in _BREAKS):  # unusual line breaks survive only as escapes
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    style = "|" if "\n" in data and data == data.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_rep)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def dump(data: Any) -> str:
    """YAML text for ``data``: key order kept, Unicode literal, no anchors."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)

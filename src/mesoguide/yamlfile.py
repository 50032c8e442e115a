"""YAML loading that remembers where every value came from.

pydantic reports errors by location (``("contact", "phone")``); editors need a line
number. :func:`load_yaml` returns the plain data and a :class:`LineMap` that answers
"which line holds this key path" for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, UserError

Location = tuple[str | int, ...]


@dataclass
class LineMap:
    """Line numbers (1-based) of every mapping key and sequence item in one file."""

    path: Path
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of ``location``, or of its nearest ancestor that has one."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


# libyaml's parser when PyYAML was built with it (the wheels are): several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that refuses duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings so that models decide how to parse them and errors stay readable.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


def _record_lines(node: yaml.Node, location: Location, lines: dict[Location, int], offset: int) -> None:
    lines.setdefault(location, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[location + (key,)] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, location + (key,), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[location + (index,)] = item.start_mark.line + 1 + offset
            _record_lines(item, location + (index,), lines, offset)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse YAML ``text`` from ``path``; ``line_offset`` shifts lines (front matter)."""
    line_map = LineMap(path)
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise UserError([Problem(path, line, f"invalid YAML: {reason}")]) from None
    if node is not None:
        _record_lines(node, (), line_map.lines, line_offset)
    return data, line_map


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse one YAML file; a missing or unreadable file is a user error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError([Problem(path, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError([Problem(path, None, f"cannot read file: {exc}")]) from None
    return parse_yaml(text, path)

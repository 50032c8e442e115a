"""YAML loading that remembers where every value came from, and that no file can hurt.

pydantic reports errors by location (``("contact", "phone")``); editors need a line
number. :func:`load_yaml` returns the plain data and a :class:`LineMap` that answers
"which line holds this key path" for error messages.

Every YAML file the project reads comes from someone: a clinic, an editor, a pull request.
Before anything is built from it, a flat pass over libyaml's event stream refuses what
could make a build hang or crash: anchors and aliases (eight lines of nested aliases
expand to billions of values once a validator walks them), nesting deeper than
:data:`MAX_DEPTH` (recursive code would end in a RecursionError), and files larger than
their limit. That pass holds one event at a time, so it needs neither time nor memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mesoguide.errors import Problem, UserError

Location = tuple[str | int, ...]

MAX_DEPTH = 20
"""Deepest nesting of lists and mappings; the project's own files need four levels."""
MAX_BYTES = 1_000_000
"""Largest YAML file read; the biggest registry is a few dozen kilobytes."""


@dataclass
class LineMap:
    """Line numbers (1-based) of every mapping key and sequence item in one file."""

    path: Path
    lines: dict[Location, int] = field(default_factory=dict)
    source: list[str] = field(default_factory=list)
    """The file's lines as written, for messages that quote them."""
    offset: int = 0

    def text_of(self, line: int | None) -> str | None:
        """The text of 1-based ``line`` of the file, or None."""
        if line is None or not 0 < line - self.offset <= len(self.source):
            return None
        return self.source[line - self.offset - 1]

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
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text, not a list or a mapping", key_node.start_mark
            )
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


def _shape_problems(text: str, path: Path, line_offset: int) -> list[Problem]:
    """Anchors, aliases and nesting beyond MAX_DEPTH, found one event at a time."""
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        line = event.start_mark.line + 1 + line_offset
        if isinstance(event, yaml.AliasEvent):
            problems.append(Problem(path, line, f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full"))
        elif getattr(event, "anchor", None):
            problems.append(Problem(path, line, f"YAML anchors (&{event.anchor}) are not allowed; write each value out in full"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(Problem(path, line, f"nested more than {MAX_DEPTH} levels deep; this file needs far fewer"))
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if len(problems) >= 20:  # enough to show what is wrong without flooding the screen
            break
    return problems


def _invalid(exc: yaml.YAMLError, path: Path, line_offset: int) -> UserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark else None
    reason = getattr(exc, "problem", None) or str(exc)
    return UserError([Problem(path, line, f"invalid YAML: {reason}")])


def parse_yaml(text: str, path: Path, line_offset: int = 0, max_bytes: int = MAX_BYTES) -> tuple[Any, LineMap]:
    """Parse YAML ``text`` from ``path``; ``line_offset`` shifts lines (front matter)."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise UserError([Problem(path, None, f"is {size:,} bytes; YAML files here are limited to {max_bytes:,} bytes")])
    line_map = LineMap(path, source=text.splitlines(), offset=line_offset)
    try:
        problems = _shape_problems(text, path, line_offset)
        if problems:
            raise UserError(problems)
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _invalid(exc, path, line_offset) from None
    if node is not None:
        _record_lines(node, (), line_map.lines, line_offset)
    return data, line_map


def load_yaml(path: Path, max_bytes: int = MAX_BYTES) -> tuple[Any, LineMap]:
    """Read and parse one YAML file; a missing, unreadable or oversized file is a user error."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserError([Problem(path, None, f"is {size:,} bytes; YAML files here are limited to {max_bytes:,} bytes")])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError([Problem(path, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError([Problem(path, None, f"cannot read file: {exc}")]) from None
    return parse_yaml(text, path, max_bytes=max_bytes)

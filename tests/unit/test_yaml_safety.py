"""No YAML file can make a build hang, eat memory or crash: aliases, depth and size are refused."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from mesoguide.errors import UserError
from mesoguide.inputs.yamlfile import MAX_DEPTH, parse_yaml

# Nine lines that expand to 9**8 (43 million) strings once anything walks the aliases.
ALIAS_BOMB = "\n".join(
    ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 9)]
)
DEEP = "key: " + "[" * 5000 + "]" * 5000
DEEP_BLOCK = "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "end: 1\n"


def refused(text: str, path: Path = Path("f.yml"), **kwargs) -> list[str]:
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as caught:
            parse_yaml(text, path, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 5_000_000, f"{peak} bytes"
    return [p.format() for p in caught.value.problems]


def test_an_alias_bomb_is_refused_at_once_with_its_line() -> None:
    lines = refused(ALIAS_BOMB)
    assert lines[0] == "f.yml:1: YAML anchors (&lol0) are not allowed; write each value out in full"
    assert "f.yml:2: YAML aliases (*lol0) are not allowed; write the value out in full" in lines
    assert len(lines) <= 20


@pytest.mark.parametrize("text", [DEEP, DEEP_BLOCK], ids=["flow", "block"])
def test_deep_nesting_is_refused_without_recursion(text: str) -> None:
    lines = refused(text)
    assert lines == [f"f.yml:{lines[0].split(':')[1]}: nested more than {MAX_DEPTH} levels deep; this file needs far fewer"]


def test_an_oversized_file_is_refused_before_it_is_parsed() -> None:
    assert refused("a: " + "x" * 2_000, max_bytes=1_000) == ["f.yml: is 2,003 bytes; YAML files here are limited to 1,000 bytes"]


def test_a_list_as_a_key_is_a_message_not_a_crash() -> None:
    assert refused("? [a, b]\n: 1\n") == ["f.yml:1: invalid YAML: a key must be plain text, not a list or a mapping"]


def test_front_matter_lines_count_from_the_file() -> None:
    assert refused("title: x\nother: *x\n", line_offset=1)[0].startswith("f.yml:3: YAML aliases (*x)")

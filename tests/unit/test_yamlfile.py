"""YAML loading: a line for every key and item, duplicate keys refused, dates kept as text,
and unreadable files reported as one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesoguide.errors import UserError
from mesoguide.inputs.yamlfile import MAX_DEPTH, LineMap, load_yaml, parse_yaml

PROFILE = """\
name: Demo Skin Clinic
contact:
  phone: "+44 20 7946 0000"

  email: hello@example.org
colors: {primary: "#0b6e4f", accent: "#ff7043"}
pages:
  - prices.md
  -
    file: visiting.md
    title: Visiting
"""


def problems(text: str, **kwargs) -> list[str]:
    with pytest.raises(UserError) as caught:
        parse_yaml(text, Path("f.yml"), **kwargs)
    return [p.format() for p in caught.value.problems]


def test_every_key_and_item_has_its_line() -> None:
    data, lines = parse_yaml(PROFILE, Path("f.yml"))
    assert data["contact"] == {"phone": "+44 20 7946 0000", "email": "hello@example.org"}
    assert lines.lines == {
        (): 1,
        ("name",): 1,
        ("contact",): 2,
        ("contact", "phone"): 3,
        ("contact", "email"): 5,
        ("colors",): 6,
        ("colors", "primary"): 6,
        ("colors", "accent"): 6,
        ("pages",): 7,
        ("pages", 0): 8,
        ("pages", 1): 10,  # an item that starts on the line after its dash is placed where its value starts
        ("pages", 1, "file"): 10,
        ("pages", 1, "title"): 11,
    }


def test_a_location_without_a_line_of_its_own_takes_its_nearest_ancestor_s() -> None:
    _, lines = parse_yaml(PROFILE, Path("f.yml"))
    assert lines.line_of(("contact", "phone")) == 3
    assert lines.line_of(("contact", "fax")) == 2  # pydantic names a missing key: point at its mapping
    assert lines.line_of(("pages", 1, "title", "extra")) == 11
    assert lines.line_of(("nowhere", "at", "all")) == 1
    assert LineMap(Path("empty.yml")).line_of(("a",)) is None


def test_front_matter_lines_count_from_the_top_of_the_file() -> None:
    _, lines = parse_yaml("title: Aftercare\nauthor: Editors\n", Path("page.md"), line_offset=1)
    assert lines.line_of(("author",)) == 3
    assert lines.text_of(3) == "author: Editors"
    assert lines.text_of(1) is None and lines.text_of(4) is None and lines.text_of(None) is None


def test_a_duplicate_key_is_refused_with_both_lines() -> None:
    assert problems("name: A\nother: 1\nname: B\n") == ["f.yml:3: invalid YAML: duplicate key 'name' (first on line 1)"]
    nested = problems("contact:\n  phone: 1\n  email: x\n  phone: 2\n")
    assert nested == ["f.yml:4: invalid YAML: duplicate key 'phone' (first on line 2)"]


def test_the_same_key_in_different_mappings_is_fine() -> None:
    data, _ = parse_yaml("- name: A\n- name: B\n", Path("f.yml"))
    assert data == [{"name": "A"}, {"name": "B"}]


def test_dates_stay_text_and_other_scalars_keep_their_types() -> None:
    data, _ = parse_yaml("reviewed: 2026-11-01\ncount: 3\nshown: true\nprice: 1.5\nnothing:\n", Path("f.yml"))
    assert data == {"reviewed": "2026-11-01", "count": 3, "shown": True, "price": 1.5, "nothing": None}


def test_an_empty_file_is_none_with_no_lines() -> None:
    data, lines = parse_yaml("# only a comment\n", Path("f.yml"))
    assert data is None and lines.lines == {}


def test_a_syntax_error_is_one_line_at_the_place_it_is() -> None:
    assert problems('name: "unclosed\nother: 1\n') == [
        "f.yml:3: invalid YAML: found unexpected end of stream",
    ]
    assert problems("a: 1\n b: 2\n") == ["f.yml:2: invalid YAML: mapping values are not allowed in this context"]


def test_python_tags_are_refused_not_run() -> None:
    found = problems("x: !!python/object/apply:os.system ['true']\n")
    assert len(found) == 1 and found[0].startswith("f.yml:1: invalid YAML: could not determine a constructor"), found


def test_one_anchor_and_one_alias_are_each_named_at_their_line() -> None:
    assert problems("base: &b {a: 1}\ncopy: *b\n") == [
        "f.yml:1: YAML anchors (&b) are not allowed; write each value out in full",
        "f.yml:2: YAML aliases (*b) are not allowed; write the value out in full",
    ]


def test_nesting_up_to_the_limit_is_accepted_and_one_level_more_is_refused() -> None:
    def nested(levels: int) -> str:
        return "[" * levels + "]" * levels

    data, _ = parse_yaml(nested(MAX_DEPTH), Path("f.yml"))
    assert data is not None
    assert problems(nested(MAX_DEPTH + 1)) == [f"f.yml:1: nested more than {MAX_DEPTH} levels deep; this file needs far fewer"]


def test_the_size_limit_counts_bytes_not_characters() -> None:
    text = "a: " + "é" * 500  # 1,003 bytes in UTF-8, 503 characters
    assert problems(text, max_bytes=1_000) == ["f.yml: is 1,003 bytes; YAML files here are limited to 1,000 bytes"]
    assert parse_yaml(text, Path("f.yml"), max_bytes=1_003)[0] == {"a": "é" * 500}


def test_a_file_is_read_as_utf_8_and_its_problems_are_one_line_each(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text("name: Clinique Été\n", encoding="utf-8")
    assert load_yaml(good)[0] == {"name": "Clinique Été"}

    def load_problems(path: Path, **kwargs) -> list[str]:
        with pytest.raises(UserError) as caught:
            load_yaml(path, **kwargs)
        return [f"{p.line}: {p.message}" for p in caught.value.problems]

    assert load_problems(tmp_path / "missing.yml") == ["None: file not found"]
    latin = tmp_path / "latin.yml"
    latin.write_bytes("name: Clinique Été\n".encode("latin-1"))
    assert load_problems(latin)[0].startswith("None: cannot read file: 'utf-8' codec can't decode")
    big = tmp_path / "big.yml"
    big.write_bytes(b"a: " + b"\xff" * 2_000)
    # Refused from its size on disk, before it is read: its bytes are not even looked at.
    assert load_problems(big, max_bytes=1_000) == ["None: is 2,003 bytes; YAML files here are limited to 1,000 bytes"]
    folder = tmp_path / "folder.yml"
    folder.mkdir()
    assert load_problems(folder)[0].startswith("None: cannot read file: ")

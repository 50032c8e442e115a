"""content/CHANGELOG.md, read by one parser for the release date and for check --deployed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mesoguide.inputs.changelog import changelog_entries, entries_since, release_date

CHANGELOG = """# What changed for patients

## 1.10.0 (2026-11-29)

Whom to call,
in order.

## 1.2.0 (2026-06-01)

Corrected figures.

## 1.0.0 (2026-01-15)

First release.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "CHANGELOG.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_carry_version_date_text_and_line() -> None:
    entries = changelog_entries(CHANGELOG)
    assert [(e.version, e.date_text, e.line) for e in entries] == [
        ("1.10.0", "2026-11-29", 3),
        ("1.2.0", "2026-06-01", 8),
        ("1.0.0", "2026-01-15", 12),
    ]
    assert entries[0].text == "Whom to call, in order."


def test_entries_since_compare_versions_as_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, CHANGELOG)
    assert [e.version for e in entries_since(path, "1.2.0")] == ["1.10.0"]
    assert [e.version for e in entries_since(path, "1.0.0")] == ["1.10.0", "1.2.0"]
    assert entries_since(path, "1.10.0") == []


def test_the_release_date_is_the_current_version_s(tmp_path: Path) -> None:
    path = write(tmp_path, CHANGELOG)
    assert release_date(path, "1.2.0") == (dt.date(2026, 6, 1), [])
    date, problems = release_date(path, "1.3.0")
    assert date is None
    assert [(p.path, p.line, p.message) for p in problems] == [
        (path, None, "no entry '## 1.3.0 (YYYY-MM-DD)' for the version in content/VERSION")
    ]


def test_a_date_that_does_not_exist_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "# Changes\n\n## 1.0.0 (2026-02-30)\n\nFirst.\n")
    date, problems = release_date(path, "1.0.0")
    assert date is None
    assert [(p.path, p.line, p.message) for p in problems] == [(path, 3, "2026-02-30 is not a date; write it as YYYY-MM-DD")]

"""Dated regulation through the command line: `check` warns at the page's line once a date is a
year old, refuses a date it cannot read, and the built page shows "(as of Month Year)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import replace, run

# The readability gate measures text: see MEASURING_GROUP in tests/conftest.py.
pytestmark = pytest.mark.measures_text


def test_an_old_date_on_a_page_warns_and_the_page_shows_it(project: Path, capsys) -> None:
    replace(
        project,
        "content/pages/index.md",
        "The evidence is weak.",
        'The evidence is weak.\n    - Rules differ {{ as_of("2024-01") }}.{{ cite("konda-2013") }}',
    )
    result = run(project, "check", "--today", "2026-06-01", "--clinic", "demo", capsys=capsys)
    assert result.code == 0, result.out  # a warning, not an error
    assert re.search(
        r"content/pages/index.md:17: warning: statement dated as of January 2024, more than 12 months ago", result.out
    ), result.out
    assert run(project, "build", capsys=capsys).code == 0
    assert "Rules differ (as of January 2024)." in (project / "site/demo/index.html").read_text(encoding="utf-8")


def test_an_unreadable_date_is_an_error_at_its_line(project: Path, capsys) -> None:
    replace(project, "content/pages/index.md", "The evidence is weak.", 'Rules differ {{ as_of("2026-13") }}.')
    result = run(project, "check", "--today", "2026-06-01", "--clinic", "demo", capsys=capsys)
    assert result.code == 1
    assert re.search(r"content/pages/index.md:16: as_of\(\'2026-13\'\): give the month as YYYY-MM", result.out), result.out

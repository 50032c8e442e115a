"""Dated regulation: as_of() shows "(as of Month Year)" and the review gate warns once it is a year old."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import replace
from mesoguide.checks.review import review_problems
from mesoguide.inputs.asof import as_of_text, find_dated_marks, months_between
from mesoguide.inputs.content import load_content


def dated_problems(project: Path, today: str) -> list[tuple[str, int | None, str, str]]:
    problems = review_problems(load_content(project / "content"), dt.date.fromisoformat(today))
    return [
        (p.path.relative_to(project).as_posix(), p.line, p.severity, p.message)
        for p in problems
        if "as of" in p.message or "as_of" in p.message
    ]


def test_the_macro_text() -> None:
    assert as_of_text("2026-11") == "(as of November 2026)"
    assert as_of_text("2025-01") == "(as of January 2025)"
    for bad in ("2026-13", "2026-1", "November 2026", ""):
        with pytest.raises(ValueError, match="YYYY-MM"):
            as_of_text(bad)


def test_months_between_counts_calendar_months() -> None:
    assert months_between(dt.date(2025, 11, 1), dt.date(2026, 11, 30)) == 12
    assert months_between(dt.date(2025, 11, 1), dt.date(2026, 12, 1)) == 13


def test_both_forms_are_found_with_their_lines() -> None:
    text = 'First line.\nRules {{ as_of("2026-03") }} apply.\nAs of May 2025, nothing changed.\n'
    marks = find_dated_marks(text)
    assert [(m.line, m.date) for m in marks] == [(2, dt.date(2026, 3, 1)), (3, dt.date(2025, 5, 1))]


def test_a_date_within_twelve_months_does_not_warn(project: Path) -> None:
    replace(project, "content/pages/index.md", "The evidence is weak.", 'Rules differ {{ as_of("2025-06") }}.')
    assert dated_problems(project, "2026-06-01") == []
    assert len(dated_problems(project, "2026-07-01")) == 1


def test_a_written_date_in_a_claim_explanation_warns_at_its_line(project: Path) -> None:
    replace(
        project,
        "content/claims.yml",
        "explanation: Injections can cause infection.",
        "explanation: As of March 2025, injections can cause infection.",
    )
    assert dated_problems(project, "2026-06-01") == [
        (
            "content/claims.yml",
            5,
            "warning",
            "statement dated as of March 2025, more than 12 months ago; "
            "check that the rules it describes still hold, then update the date",
        )
    ]

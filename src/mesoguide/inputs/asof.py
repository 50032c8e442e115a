"""Dated statements: "as of <Month Year>" marks on what regulation says, and finding them again.

Rules on who may inject what change; a sentence about them is only true as of a date.
Editors mark such a sentence with ``{{ as_of("2026-11") }}`` (shown as "(as of November
2026)") or write "as of November 2026" in plain text, for example in a claim's explanation.
The review gate finds both forms and warns once a date is more than a year old.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MACRO = re.compile(r"""as_of\(\s*["']([^"']*)["']\s*\)""")
WRITTEN = re.compile(rf"\bas of ({'|'.join(MONTHS)}) (\d{{4}})\b", re.IGNORECASE)
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year_month(value: str) -> dt.date:
    """``"2026-11"`` → 1 November 2026; ValueError for anything else."""
    match = YEAR_MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f'as_of({value!r}): give the month as YYYY-MM, e.g. as_of("2026-11")')
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def as_of_text(value: str) -> str:
    """What the macro shows: ``"(as of November 2026)"``."""
    date = parse_year_month(value)
    return f"(as of {MONTHS[date.month - 1]} {date.year})"


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from one month to another (days are ignored)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass(frozen=True)
class DatedMark:
    """One "as of" mark found in a text: its line (1-based), date, or why it is unreadable."""

    line: int
    date: dt.date | None
    error: str | None = None


def find_dated_marks(text: str) -> list[DatedMark]:
    """Every ``as_of(...)`` call and every written "as of Month Year" in ``text``."""
    marks = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MACRO.finditer(line):
            try:
                marks.append(DatedMark(number, parse_year_month(match.group(1))))
            except ValueError as exc:
                marks.append(DatedMark(number, None, str(exc)))
        for match in WRITTEN.finditer(line):
            month = [m.lower() for m in MONTHS].index(match.group(1).lower()) + 1
            marks.append(DatedMark(number, dt.date(int(match.group(2)), month, 1)))
    return marks

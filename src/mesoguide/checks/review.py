"""Review dates and review integrity: pages nag before their next review falls due."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mesoguide.errors import Problem, UserError
from mesoguide.inputs.asof import MONTHS, find_dated_marks, months_between
from mesoguide.inputs.content import Content, load_content

WARN_DAYS = 60
MAX_AS_OF_MONTHS = 12
"""A statement about regulation dated "as of" longer ago than this may no longer be true."""


def _line(page_source: Path, key: str) -> int | None:
    text = page_source.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def review_problems(content: Content, today: dt.date, require_review: bool = False) -> list[Problem]:
    """Overdue and soon-due reviews, pages changed since review, stale "as of" dates, and (optionally) unreviewed pages."""
    problems = []
    for page in content.pages.values():
        meta = page.meta
        due = meta.next_review
        line = _line(page.source, "next_review")
        if due < today:
            problems.append(Problem(page.source, line, f"review overdue since {due}; review the page and set new dates"))
        elif (due - today).days <= WARN_DAYS:
            problems.append(Problem(page.source, line, f"review due on {due}, in {(due - today).days} days", "warning"))
        changed = page.changed_since_review
        if changed:
            problems.append(
                Problem(
                    page.source,
                    _line(page.source, "reviewed_content_hash"),
                    "changed since its clinical review (the site says so); ask for a new review",
                    "warning",
                )
            )
        if require_review and not meta.generated and (not meta.clinical_reviewer or changed or not meta.reviewed_content_hash):
            reason = "has changed since its review" if changed else "has no clinical review"
            problems.append(
                Problem(page.source, _line(page.source, "clinical_reviewer"), f"{reason}; --require-review refuses it")
            )
    problems += dated_statement_problems(content, today)
    return problems


def _dated_mark_problems(path: Path, first_line: int, text: str, today: dt.date) -> list[Problem]:
    problems = []
    for mark in find_dated_marks(text):
        line = first_line + mark.line - 1
        if mark.date is None:
            problems.append(Problem(path, line, mark.error or "unreadable as_of() date"))
        elif months_between(mark.date, today) > MAX_AS_OF_MONTHS:
            month = f"{MONTHS[mark.date.month - 1]} {mark.date.year}"
            problems.append(
                Problem(
                    path,
                    line,
                    f"statement dated as of {month}, more than {MAX_AS_OF_MONTHS} months ago; "
                    "check that the rules it describes still hold, then update the date",
                    "warning",
                )
            )
    return problems


def dated_statement_problems(content: Content, today: dt.date) -> list[Problem]:
    """Statements about regulation marked "as of" a month that is more than a year ago."""
    problems = []
    for page in content.pages.values():
        problems += _dated_mark_problems(page.source, page.body_line, page.body, today)
    claims_map = content.line_maps.get("claims.yml")
    for index, claim in enumerate(content.claims):
        line = claims_map.line_of((index, "explanation")) if claims_map else None
        path = claims_map.path if claims_map else content.root / "claims.yml"
        problems += [
            Problem(p.path, line, p.message, p.severity) for p in _dated_mark_problems(path, 1, claim.explanation, today)
        ]
    return problems


def require_review(content_dir: Path, today: dt.date) -> None:
    """For ``build --require-review``: refuse pages without a current clinical review."""
    problems = [p for p in review_problems(load_content(content_dir), today, require_review=True) if p.severity == "error"]
    if problems:
        raise UserError(problems)

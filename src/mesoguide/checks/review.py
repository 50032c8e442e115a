"""Review dates and review integrity: pages nag before their next review falls due."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content import Content, load_content
from ..errors import Problem, UserError

WARN_DAYS = 60


def _line(page_source: Path, key: str) -> int | None:
    text = page_source.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def review_problems(content: Content, today: dt.date, require_review: bool = False) -> list[Problem]:
    """Overdue and soon-due reviews, pages changed since review, and (optionally) unreviewed pages."""
    problems = []
    for page in content.pages.values():
        meta = page.meta
        due = meta.next_review
        line = _line(page.source, "next_review")
        if due < today:
            problems.append(Problem(page.source, line, f"review overdue since {due}; review the page and set new dates"))
        elif (due - today).days <= WARN_DAYS:
            problems.append(Problem(page.source, line, f"review due on {due}, in {(due - today).days} days", "warning"))
        changed = bool(meta.reviewed_content_hash) and meta.reviewed_content_hash != page.content_hash
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
    return problems


def require_review(content_dir: Path, today: dt.date) -> None:
    """For ``build --require-review``: refuse pages without a current clinical review."""
    problems = [p for p in review_problems(load_content(content_dir), today, require_review=True) if p.severity == "error"]
    if problems:
        raise UserError(problems)

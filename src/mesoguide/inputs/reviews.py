"""``mesoguide review``: record a clinical review in a page's front matter, or list every page's state.

The front matter is edited with ruamel.yaml's round trip, so comments, order and spacing stay
as the editor wrote them. The content hash recorded is :attr:`Page.content_hash`, the same
one that the check and the site compare to say "changed since review".
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from mesoguide.errors import Problem, UserError, did_you_mean, display_path
from mesoguide.inputs.content import FRONT_MATTER, Content, Page, load_content
from mesoguide.inputs.settings import review_months

DUE_SOON_DAYS = 60
"""Pages due within this many days count as due (the check warns from the same day)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def find_pages(specs: list[str], content: Content) -> list[Page]:
    """Pages by name (``procedure``) or path (``content/pages/procedure.md``); every unknown one reported."""
    pages, problems = [], []
    by_path = {page.source.resolve(): page for page in content.pages.values()}
    for spec in specs:
        page = content.pages.get(spec) or by_path.get(Path(spec).resolve())
        if page is None:
            hint = did_you_mean(Path(spec).stem, list(content.pages))
            problems.append(Problem(content.root / "pages", None, f"no page {spec!r}{hint}; give a page name or its path"))
        else:
            pages.append(page)
    if problems:
        raise UserError(problems)
    return pages


def _yaml() -> YAML:
    yaml = YAML()  # round trip: keeps comments, key order and quoting
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def record_review(page: Page, reviewer: str, registration: str, day: dt.date, months: int) -> None:
    """Write the review into ``page``'s file; only the front matter's review fields change."""
    text = page.source.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:  # load_content has already refused such a page
        raise UserError([Problem(page.source, 1, "page must start with YAML front matter between '---' lines")])
    yaml = _yaml()
    data = yaml.load(match.group(1))
    values = {
        "clinical_reviewer": reviewer,
        "reviewer_registration": registration,
        "reviewed_content_hash": page.content_hash,
        "last_reviewed": day,
        "next_review": add_months(day, months),
    }
    # New keys go just after the reviewer, in this order, where an editor looks for them.
    position = list(data).index("clinical_reviewer") + 1 if "clinical_reviewer" in data else len(data)
    for key, value in values.items():
        if key in data:
            data[key] = value
        else:
            data.insert(position, key, value)
        if key in ("clinical_reviewer", "reviewer_registration", "reviewed_content_hash"):
            position = list(data).index(key) + 1
    out = io.StringIO()
    yaml.dump(data, out)
    page.source.write_text("---\n" + out.getvalue() + "---\n" + text[match.end() :], encoding="utf-8")


@dataclass(frozen=True)
class ReviewState:
    page: str
    path: str
    state: str
    """``not reviewed``, ``changed since review``, ``due``, ``due (overdue)`` or ``reviewed``."""
    reviewer: str
    next_review: dt.date


def review_state(page: Page, today: dt.date) -> str:
    meta = page.meta
    if not meta.clinical_reviewer or not meta.reviewed_content_hash:
        return "not reviewed"
    if page.changed_since_review:
        return "changed since review"
    if meta.next_review < today:
        return "due (overdue)"
    if (meta.next_review - today).days <= DUE_SOON_DAYS:
        return "due"
    return "reviewed"


def review_status(content: Content, today: dt.date) -> list[ReviewState]:
    return [
        ReviewState(
            page.name,
            display_path(page.source),
            review_state(page, today),
            (page.meta.clinical_reviewer or "-")
            + (f" ({page.meta.reviewer_registration})" if page.meta.reviewer_registration else ""),
            page.meta.next_review,
        )
        for page in content.pages.values()
        if not page.meta.generated
    ]


def status_table(rows: list[ReviewState]) -> str:
    width = max(len(r.page) for r in rows) if rows else 4
    out = [f"{'page':<{width}}  {'state':<20}  {'next review':<11}  reviewer"]
    out += [f"{r.page:<{width}}  {r.state:<20}  {r.next_review.isoformat():<11}  {r.reviewer}" for r in rows]
    return "\n".join(out)


def review_pages(root: Path, content_dir: Path, specs: list[str], reviewer: str, registration: str, day: dt.date) -> list[Page]:
    """Record one review of every page in ``specs``; nothing is written when any is unknown."""
    content = load_content(content_dir)
    pages = find_pages(specs, content)
    months = review_months(root)
    for page in pages:
        record_review(page, reviewer.strip(), registration.strip(), day, months)
    return pages

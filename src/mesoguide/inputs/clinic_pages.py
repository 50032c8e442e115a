"""A clinic's own pages (``clinics/<slug>/pages/*.md``): plain Markdown, checked before anything is rendered.

Clinic pages carry a label that the clinic wrote them; they may hold no HTML, scripts,
event handlers, attribute lists or remote images, and no text still saying CHANGE-ME.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mesoguide.errors import Problem

PLACEHOLDER = "CHANGE-ME"
"""What ``new-clinic`` writes where the clinic must fill in its own value."""
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_CLINIC_PAGE_BYTES = 200_000


@dataclass(frozen=True)
class ClinicPage:
    """A page a clinic wrote itself; shown with a label, never written or checked by the guide's editors."""

    source: Path
    """The Markdown file in ``clinics/<slug>/pages/``."""
    name: str
    """File name without ``.md``; the page is published under ``clinic/<name>/``."""
    title: str
    """The page's first ``#`` heading."""
    text: str
    """The Markdown as written."""


RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
EVENT_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:|data\s*:\s*text/html", re.IGNORECASE)
ATTRIBUTE_LIST = re.compile(r"\{\s*[:#.]|\{\s*[a-z-]+\s*=", re.IGNORECASE)
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?:https?:)?//", re.IGNORECASE)
CODE = re.compile(r"(```|~~~).*?\1|`[^`\n]*`", re.DOTALL)


def clinic_page_problems(path: Path, text: str) -> list[Problem]:
    """Clinic pages are plain Markdown: no HTML, scripts, handlers, attribute lists or remote images."""
    problems: list[Problem] = []
    without_code = CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    checks = [
        (RAW_HTML, "raw HTML is not allowed in clinic pages; write Markdown only"),
        (EVENT_HANDLER, "event handler attributes are not allowed in clinic pages"),
        (SCRIPT_URL, "script links (javascript:) are not allowed in clinic pages"),
        (ATTRIBUTE_LIST, "attribute lists ({: ...}) are not allowed in clinic pages"),
        (REMOTE_IMAGE, "images from other sites are not allowed; patients' browsers must load nothing from elsewhere"),
    ]
    for number, line in enumerate(without_code.splitlines(), start=1):
        for pattern, message in checks:
            if pattern.search(line):
                problems.append(Problem(path, number, message))
    if PLACEHOLDER in text:
        problems.append(Problem(path, None, f"still contains {PLACEHOLDER}; replace it with the clinic's own text"))
    return problems


def load_clinic_pages(folder: Path) -> tuple[tuple[ClinicPage, ...], list[Problem]]:
    """Read and check every ``pages/*.md`` of a clinic, in name order."""
    pages_dir = folder / "pages"
    if not pages_dir.is_dir():
        return (), []
    pages, problems = [], []
    for source in sorted(pages_dir.glob("*.md")):
        if source.is_symlink():
            problems.append(Problem(source, None, "clinic pages may not be symbolic links"))
            continue
        name = source.stem
        if not SLUG.match(name):
            problems.append(Problem(source, None, "page file names use lower-case letters, digits and hyphens only"))
            continue
        if source.stat().st_size > MAX_CLINIC_PAGE_BYTES:
            problems.append(Problem(source, None, f"clinic pages may be {MAX_CLINIC_PAGE_BYTES // 1000} KB at most"))
            continue
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = source.read_bytes()[: exc.start].count(b"\n") + 1
            problems.append(Problem(source, line, "is not UTF-8 text; save it as UTF-8 in your editor"))
            continue
        problems += clinic_page_problems(source, text)
        heading = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
        if heading is None:
            problems.append(Problem(source, 1, "a clinic page starts with a '# Title' heading"))
            continue
        pages.append(ClinicPage(source, name, heading.group(1), text))
    return tuple(pages), problems

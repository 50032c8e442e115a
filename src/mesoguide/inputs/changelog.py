"""content/CHANGELOG.md: each version's entry, its date and what changed for patients.

One parser for the two readers: the content stage takes the release date of the current
version from it, and ``check --deployed`` lists what changed since a clinic's live copy.
An entry starts with a heading ``## MAJOR.MINOR.PATCH (YYYY-MM-DD)``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from mesoguide.errors import Problem

ENTRY = re.compile(r"^##\s+(\d+\.\d+\.\d+)\s+\((\d{4}-\d{2}-\d{2})\)", re.MULTILINE)


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    date_text: str
    """The date as written; a date that does not exist is reported by release_date()."""
    text: str
    """What the entry says, with its lines joined by single spaces."""
    line: int

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))


def changelog_entries(text: str) -> list[ChangelogEntry]:
    """Every entry of a CHANGELOG's ``text``, in the order written (newest first, by convention)."""
    matches = list(ENTRY.finditer(text))
    entries = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = " ".join(text[match.end() : end].split())
        line = text.count("\n", 0, match.start()) + 1
        entries.append(ChangelogEntry(match.group(1), match.group(2), body, line))
    return entries


def entries_since(changelog: Path, version: str) -> list[ChangelogEntry]:
    """The entries of ``changelog`` for versions newer than ``version``, in the order written."""
    since = tuple(int(part) for part in version.split("."))
    entries = changelog_entries(changelog.read_text(encoding="utf-8"))
    return [entry for entry in entries if entry.version_key > since]


def release_date(changelog: Path, version: str) -> tuple[dt.date | None, list[Problem]]:
    """The date of the CHANGELOG entry for ``version`` (``## 1.2.0 (2026-11-22)``)."""
    if not changelog.is_file():
        return None, [Problem(changelog, None, "file not found; it says what changed for patients in each version")]
    for entry in changelog_entries(changelog.read_text(encoding="utf-8")):
        if entry.version == version:
            try:
                return dt.date.fromisoformat(entry.date_text), []
            except ValueError:
                return None, [Problem(changelog, entry.line, f"{entry.date_text} is not a date; write it as YYYY-MM-DD")]
    return None, [Problem(changelog, None, f"no entry '## {version} (YYYY-MM-DD)' for the version in content/VERSION")]

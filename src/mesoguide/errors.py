"""Problems that users can cause, collected and reported together.

Every stage collects :class:`Problem` values instead of stopping at the first one, then
raises :class:`UserError` with all of them, so an editor or a clinic sees every mistake
in one run. The command line prints them as ``path:line: message``.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a user's input."""

    path: Path | str
    """The file the problem is in (or, for a deployed site, its address)."""
    line: int | None
    """1-based line number, when known."""
    message: str
    """What is wrong and, where possible, what to do about it."""
    severity: str = field(default="error", compare=False)
    """``error``, ``warning`` or ``note`` (what the engine did for the user; never fails anything)."""

    def format(self) -> str:
        """Render as ``path:line: message`` with the path relative to the working folder."""
        location = display_path(self.path)
        if self.line is not None:
            location = f"{location}:{self.line}"
        prefix = f"{self.severity}: " if self.severity in ("warning", "note") else ""
        # One problem, one line: a key or value quoted from the user's file may hold line breaks.
        message = CONTROL.sub(lambda m: repr(m.group())[1:-1], self.message)
        return f"{location}: {prefix}{message}"


class UserError(Exception):
    """Raised with every problem a stage found; the command line exits 1 on it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def display_path(path: Path | str) -> str:
    """Show ``path`` relative to the working folder when it lies below it; addresses as they are."""
    if isinstance(path, str):
        return path
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def raise_if_any(problems: list[Problem]) -> None:
    """Raise :class:`UserError` when ``problems`` holds any error."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise UserError(sorted(errors))


def did_you_mean(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing when none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""

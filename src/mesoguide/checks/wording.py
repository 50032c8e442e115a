"""Promotional wording: the phrases of docs/content-policy.md ("Promotional wording"), as whole words, case-insensitive.

An error in the clinical pages (outside quoted claims and claim explanations, which live in
claims.yml) and in clinic-supplied text. An honest use passes with a waiver comment on
its line, ``{## wording-ok: reason ##}``, and every waiver is listed in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mesoguide.errors import Problem
from mesoguide.render.pagesyntax import plain_lines

PHRASES = (
    "painless",
    "pain-free",
    "pain free",
    "non-invasive",
    "noninvasive",
    "permanent results",
    "guaranteed",
    "guarantee",
    "miracle",
    "breakthrough",
    "cutting-edge",
    "cutting edge",
    "revolutionary",
    "cures",
    "eliminates scars",
    "no side effects",
    "no downtime",
    "instant results",
    "immediate results",
)
PHRASE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in PHRASES) + r")(?![\w-])", re.IGNORECASE)
CLINICALLY_PROVEN = re.compile(r"(?<![\w-])clinically proven(?![\w-])", re.IGNORECASE)
SAFE_OR_EFFECTIVE = re.compile(r"(?<![\w-])(safe|safely|effective|effectively)(?![\w-])", re.IGNORECASE)
# Words just before "safe"/"effective" that qualify it ("how safe", "not proven effective").
QUALIFIERS = re.compile(
    r"(?:\b(?:not|no|how|whether|less|more|as|unproven|proven|shown|known|equally|if|is it|be|been|was|were|are)\s+(?:\w+\s+)?)$",
    re.IGNORECASE,
)
WAIVER = re.compile(r"\{##\s*wording-ok:\s*(?P<reason>[^#]*?)\s*##\}")


@dataclass(frozen=True)
class Waiver:
    path: Path
    line: int
    phrase: str
    reason: str


def _hits(text: str, cited: bool) -> list[str]:
    """Flagged phrases in ``text`` (template syntax removed); ``cited``: the line calls cite()."""
    hits = [m.group(1) for m in PHRASE.finditer(text)]
    if CLINICALLY_PROVEN.search(text) and not cited:
        hits.append("clinically proven (without a citation)")
    for match in SAFE_OR_EFFECTIVE.finditer(text):
        if not QUALIFIERS.search(text[: match.start()]):
            hits.append(f"{match.group(1)} (without a qualifier)")
    return hits


def scan_lines(path: Path, text: str, first_line: int = 1, allow_waivers: bool = True) -> tuple[list[Problem], list[Waiver]]:
    """Promotional wording in ``text``, whose first line is line ``first_line`` of ``path``.

    With ``allow_waivers`` the text is a guide page: a template, read without its template
    syntax (comments never reach the site). Otherwise it is clinic text, shown as written.
    """
    problems, waivers = [], []
    raw_lines = text.splitlines()
    lines = plain_lines(text) if allow_waivers else raw_lines
    for offset, (raw, line) in enumerate(zip(raw_lines, lines, strict=False)):
        number = first_line + offset
        waiver = WAIVER.search(raw) if allow_waivers else None
        for phrase in _hits(line, cited=allow_waivers and "cite(" in raw):
            if waiver and waiver.group("reason"):
                waivers.append(Waiver(path, number, phrase, waiver.group("reason")))
            else:
                hint = "" if allow_waivers else " (clinic text cannot make the claims the guide flags)"
                problems.append(
                    Problem(path, number, f"promotional wording '{phrase}'{hint}; say what the evidence shows instead")
                )
        if waiver and not waiver.group("reason"):
            problems.append(Problem(path, number, "a wording waiver needs a reason: {## wording-ok: why this use is honest ##}"))
    return problems, waivers

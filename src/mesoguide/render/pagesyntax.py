"""The page template language, parsed once for every check that reads page sources.

Pages are Jinja templates with ``{## comments ##}``. Rather than each check matching
``cite(...)`` or ``{{ ... }}`` with its own regular expression, they ask this module: Jinja's
own parser finds every macro call with its line, and :func:`plain_lines` blanks the template
syntax out of the text while keeping every line where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

# Comments use {## ##} so that Markdown attribute lists such as {#anchor} stay literal.
SYNTAX: dict[str, Any] = {"comment_start_string": "{##", "comment_end_string": "##}"}
TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", re.DOTALL)


@dataclass(frozen=True)
class MacroCall:
    """One call such as ``cite("a", "b")`` in a page, with its string arguments."""

    name: str
    args: tuple[str, ...]
    """The arguments that are plain strings, in order (ids, for claim() and cite())."""
    line: int
    """Line within the page body, counting from 1."""


@dataclass(frozen=True)
class ParsedPage:
    calls: tuple[MacroCall, ...]
    syntax_error: tuple[int, str] | None
    """Line within the body and message, when the body is not a valid template."""

    def ids(self, macro: str) -> list[tuple[str, int]]:
        """Every id passed to ``macro`` with its body line."""
        return [(arg, call.line) for call in self.calls if call.name == macro for arg in call.args]


# Process-wide on purpose: a parser with fixed settings, holding no page or content.
@cache
def _environment() -> Environment:
    return Environment(**SYNTAX)


def parse_body(body: str) -> ParsedPage:
    """Macro calls in a page body (a millisecond or two a page, so not kept)."""
    try:
        tree = _environment().parse(body)
    except TemplateSyntaxError as exc:
        # The render reports the error; the calls are still read, line by line, so that one
        # typo does not make every reference the page cites look uncited.
        return ParsedPage(tuple(_calls_by_pattern(body)), (exc.lineno or 1, exc.message or str(exc)))
    calls = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name):
            args = tuple(a.value for a in call.args if isinstance(a, nodes.Const) and isinstance(a.value, str))
            calls.append(MacroCall(call.node.name, args, call.lineno))
    return ParsedPage(tuple(calls), None)


CALL_IN_EXPRESSION = re.compile(r"\{\{-?\s*(\w+)\(([^)]*)\)")
QUOTED = re.compile(r"[\"']([^\"']*)[\"']")


def _calls_by_pattern(body: str) -> list[MacroCall]:
    return [
        MacroCall(match.group(1), tuple(QUOTED.findall(match.group(2))), number)
        for number, line in enumerate(body.splitlines(), start=1)
        for match in CALL_IN_EXPRESSION.finditer(line)
    ]


def plain_lines(body: str) -> list[str]:
    """The body's lines with template syntax blanked out; line numbers stay as they were."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return TEMPLATE_SYNTAX.sub(blank, body).splitlines()


def replace_calls(body: str, bad: set[tuple[int, str, str]]) -> str:
    """The body with each ``{{ ... }}`` expression that passes a bad id replaced: (line, id, replacement).

    The check builds such a repaired copy so that one unknown id does not stop every other
    gate from measuring the page; line numbers stay the same.
    """
    lines = body.split("\n")
    for line, ident, replacement in bad:
        pattern = re.compile(r"\{\{[^}]*?[\"']" + re.escape(ident) + r"[\"'][^}]*\}\}")
        if 0 < line <= len(lines):
            lines[line - 1] = pattern.sub(replacement, lines[line - 1])
    return "\n".join(lines)


# A clinic value in a heading (its anchor) or in a link address would make the page's
# conversion differ from clinic to clinic.
MISPLACED_CLINIC_VALUE = re.compile(r"^ {0,3}#.*\{\{-?\s*clinic\.|\]\([^)]*\{\{-?\s*clinic\.")


def clinic_values_in_headings_or_links(body: str) -> list[int]:
    """Body lines, counting from 1, that put ``{{ clinic.… }}`` in a Markdown heading or a link address."""
    return [number for number, line in enumerate(body.splitlines(), start=1) if MISPLACED_CLINIC_VALUE.search(line)]

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


@cache
def _environment() -> Environment:
    return Environment(**SYNTAX)


@cache
def parse_body(body: str) -> ParsedPage:
    """Macro calls in a page body; cached, since several checks ask about the same page."""
    try:
        tree = _environment().parse(body)
    except TemplateSyntaxError as exc:
        return ParsedPage((), (exc.lineno or 1, exc.message or str(exc)))
    calls = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name):
            args = tuple(a.value for a in call.args if isinstance(a, nodes.Const) and isinstance(a.value, str))
            calls.append(MacroCall(call.node.name, args, call.lineno))
    return ParsedPage(tuple(calls), None)


def plain_lines(body: str) -> list[str]:
    """The body's lines with template syntax blanked out; line numbers stay as they were."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return TEMPLATE_SYNTAX.sub(blank, body).splitlines()


def remove_calls(body: str, bad: set[tuple[int, str]]) -> str:
    """The body without the ``{{ ... }}`` expressions that pass an id in ``bad`` (line, id).

    The check builds such a repaired copy so that one unknown id does not stop every other
    gate from measuring the page; line numbers stay the same.
    """
    lines = body.split("\n")
    for line, ident in bad:
        pattern = re.compile(r"\{\{[^}]*?[\"']" + re.escape(ident) + r"[\"'][^}]*\}\}")
        if 0 < line <= len(lines):
            lines[line - 1] = pattern.sub("", lines[line - 1])
    return "\n".join(lines)

"""Clinic values written into a page's Markdown, so that any engine shows them as they are.

A clinic value reaches a page as finished HTML (escaped text, or one link around escaped
text; see ``render.clinic_values``). Written into Markdown as it is, some of its characters
would be read as Markdown: ``*`` or ``_`` as emphasis, ``[`` as a link, a leading ``#`` as
a heading. Backslashes would stop that in Markdown text but show up in raw HTML blocks,
where Markdown does not look. Character references work in both: Python-Markdown passes
``&#42;`` through unchanged, and a browser shows ``*``. So every character Markdown could
read is written as a character reference, and the value reads the same in Markdown text,
in a raw HTML block and, unchanged, in the HTML every engine writes.

Page templates write a placeholder where a clinic value goes, so that each page is
rendered once for every clinic that gave the same values; :func:`put_in_place` then
replaces each placeholder with its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = '<span data-mg-clinic="{}"></span>'
ANY_PLACEHOLDER = re.compile(r'<span data-mg-clinic="([A-Za-z0-9_]+)"></span>')
# Characters that start Markdown inside a line: escapes, code, emphasis, attribute lists,
# links and images (a link needs its "["), table cells.
INLINE_SPECIALS = frozenset("\\`*_{}[]|")
# At the start of a line these begin a block: heading, list, setext underline.
LINE_START_SPECIALS = frozenset("#-+=")
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)")
ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def markdown_safe(value_html: str) -> str:
    """``value_html`` with every character Markdown could read written as a character reference.

    Tags and existing references are kept as they are; only the text between them changes.
    """
    parts = TAG_OR_ENTITY.split(value_html)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a character reference
            out.append(part)
            continue
        out.append("".join(_reference(c) if c in INLINE_SPECIALS else c for c in part))
    safe = "".join(out)
    if safe[:1] in LINE_START_SPECIALS:
        safe = _reference(safe[0]) + safe[1:]
    return ORDERED_LIST_START.sub(lambda m: m[1] + _reference(m[2]), safe)


def placeholders_in(text: str) -> set[str]:
    """Names of the clinic values ``text`` has placeholders for."""
    return set(ANY_PLACEHOLDER.findall(text))


def put_in_place(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced by its value (written as given)."""
    return ANY_PLACEHOLDER.sub(lambda m: values[m[1]], text)

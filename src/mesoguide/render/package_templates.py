"""The engine's own HTML and Markdown snippets (``src/mesoguide/render/templates/``), in one sandboxed Jinja environment.

Macros that write HTML or Markdown into pages (claim boxes, reference lists, figures, help
contacts) render these files instead of building markup in Python strings, so a maintainer
reads the markup where it lives.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

TEMPLATES_DIR = Path(__file__).parent / "templates"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")


def markdown_text(value: object) -> Markup:
    """Escape a plain value for Markdown and then HTML, so it always shows literally (the ``markdown_text`` filter)."""
    return Markup(escape(MARKDOWN_SPECIALS.sub(r"\\\1", str(value))))


# One environment per process, on purpose: it holds only the package's own templates,
# compiled from files that do not change while the process runs, and no clinic's or
# content's data, so every renderer may share it (unlike the page templates, which a
# Renderer owns).
@cache
def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown_text"] = markdown_text
    return env


def package_template(name: str) -> Template:
    """The template ``name`` from ``src/mesoguide/render/templates/``, compiled once per process."""
    return _environment().get_template(name)

"""The engine's own HTML and Markdown snippets (``src/mesoguide/render/templates/``), in one sandboxed Jinja environment.

Macros that write HTML into pages (claim boxes, figures, help contacts) render these files
instead of building HTML in Python strings, so a maintainer reads the markup where it lives.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

TEMPLATES_DIR = Path(__file__).parent / "templates"


@cache
def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def package_template(name: str) -> Template:
    """The template ``name`` from ``src/mesoguide/render/templates/``, compiled once per process."""
    return _environment().get_template(name)

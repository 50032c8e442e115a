"""Whom to call and where to find support, from the clinic's profile and its country's row.

The "When to get help" boxes list signs by urgency; the page text names the emergency
number for the most urgent signs and calls ``get_help_contacts()`` for the urgent ones:
the clinic, its out-of-hours contact and the country's line for urgent problems that are
not emergencies. A slot is never empty: without an out-of-hours contact the country's line
fills it, and without that, plain advice does.

Values that depend on the country (the urgent line, the support links) reach pages as
clinic values, placeholders filled in after Markdown, so that a page's Markdown depends
only on which values a clinic gave, never on the values (see render.ClinicView).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .countries import Country, SupportTopic

SUPPORT_TOPICS: tuple[SupportTopic, ...] = ("information", "registration", "feelings")
COUNTRY_VALUE_NAMES = ("urgent_line", *(f"support_{topic}" for topic in SUPPORT_TOPICS))
"""Clinic values this module adds; a page reads them as ``clinic.urgent_line`` and so on."""

_TEMPLATES = ImmutableSandboxedEnvironment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def country_values(country: Country | None) -> dict[str, str]:
    """The country's urgent line and support links as finished HTML, by clinic-value name."""
    values: dict[str, str] = {}
    if country is None:
        return values
    if country.urgent_number:
        values["urgent_line"] = _TEMPLATES.get_template("urgent-line.html").render(
            number=country.urgent_number, notes=country.urgent_notes
        )
    for topic in SUPPORT_TOPICS:
        links = [link for link in country.support if link.topic == topic]
        if links:
            values[f"support_{topic}"] = _TEMPLATES.get_template("support-links.html").render(links=links)
    return values


def help_contacts(clinic: Any, indent: int = 4) -> Markup:
    """Markdown list items: whom to call today, from the clinic's values (placeholders)."""
    text = _TEMPLATES.get_template("help-contacts.md").render(clinic=clinic)
    lines = [line for line in text.splitlines() if line.strip()]
    pad = " " * indent
    # The first line takes the indentation of the macro call in the page; the rest need it added.
    return Markup("\n".join(lines[:1] + [pad + line for line in lines[1:]]))

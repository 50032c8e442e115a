"""Whom to call and where to find support, from the clinic's profile and its country's row.

The "When to get help" boxes list signs by urgency; the page text names the emergency
number for the most urgent signs and calls ``get_help_contacts()`` for the urgent ones:
the clinic, its out-of-hours contact and the country's line for urgent problems that are
not emergencies. A slot is never empty: without an out-of-hours contact the country's line
fills it, and without that, plain advice does.

Values that depend on the country (the urgent line, the support links) reach pages as
clinic values, placeholders filled in after Markdown, so that a page's Markdown depends
only on which values a clinic gave, never on the values (see render.values.ClinicView). Each
value is escaped text or one link around escaped text, the shapes a shared prototype build
can fill in (see prototype.SNIPPET).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from mesoguide.inputs.countries import Country, SupportTopic
from mesoguide.render.blocks import link_html
from mesoguide.render.package_templates import package_template
from mesoguide.render.page_values import PLACEHOLDER

SUPPORT_TOPICS: tuple[SupportTopic, ...] = ("information", "registration", "feelings")
COUNTRY_VALUE_NAMES = ("urgent_line", "urgent_notes")
"""Clinic values with fixed names that this module adds; pages read them as ``clinic.urgent_line``."""


def _support_name(topic: str, index: int) -> str:
    return f"support_{topic}_{index}"


def country_values(country: Country | None) -> dict[str, str]:
    """The country's urgent line and support links as finished HTML, by clinic-value name."""
    values: dict[str, str] = {}
    if country is None:
        return values
    if country.urgent_number:
        values["urgent_line"] = link_html(f"tel:{country.urgent_number}", country.urgent_number)
        if country.urgent_notes:
            values["urgent_notes"] = str(escape(country.urgent_notes))
    for topic in SUPPORT_TOPICS:
        for index, link in enumerate(link for link in country.support if link.topic == topic):
            values[_support_name(topic, index)] = link_html(link.url, link.name)
            if link.note:
                values[_support_name(topic, index) + "_note"] = str(escape(link.note))
    return values


def help_contacts(clinic: Any, indent: int = 4) -> Markup:
    """Markdown list items: whom to call today, from the clinic's values (placeholders)."""
    text = package_template("help-contacts.md").render(clinic=clinic)
    lines = [line for line in text.splitlines() if line.strip()]
    pad = " " * indent
    # The first line takes the indentation of the macro call in the page; the rest need it added.
    return Markup("\n".join(lines[:1] + [pad + line for line in lines[1:]]))


def support_links(given: frozenset[str], topic: str) -> Markup:
    """A Markdown list of the country's links on ``topic`` as placeholders; empty when it has none."""
    if topic not in SUPPORT_TOPICS:
        raise ValueError(f"unknown support topic {topic!r}; use one of {', '.join(SUPPORT_TOPICS)}")
    items = []
    index = 0
    while _support_name(topic, index) in given:
        name = _support_name(topic, index)
        note = name + "_note"
        items.append((Markup(PLACEHOLDER.format(name)), Markup(PLACEHOLDER.format(note)) if note in given else None))
        index += 1
    return Markup(package_template("support-links.md").render(items=items))

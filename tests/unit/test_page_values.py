"""Clinic values written into Markdown read literally, in Markdown text and in raw HTML blocks alike."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from markupsafe import escape

from mesoguide.render.page_values import PLACEHOLDER, markdown_safe, placeholders_in, put_in_place

EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.details", "toc"]
TRICKY = [
    "Jo *Skin* _Clinic_",
    "# Clinic",
    "- Clinic",
    "+ Clinic",
    "1. Clinic",
    "12) Clinic",
    "[link](https://example.org) {: #x } `code` \\ back | pipe",
    'O\'Brien & Sons <b>Skin</b> "quoted" é 🙂 &amp;',
    "= Clinic",
]


def text_of(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", page_html)).strip()


@pytest.mark.parametrize("value", TRICKY)
def test_a_value_reads_as_written_in_markdown_text(value: str) -> None:
    safe = markdown_safe(str(escape(value)))
    for source in (safe, f"{safe} offers this treatment.", f"Call {safe} today."):
        converted = markdown.markdown(source, extensions=EXTENSIONS)
        assert converted.startswith("<p>") and converted.count("<p>") == 1, converted
        assert value in text_of(converted), converted


@pytest.mark.parametrize("value", TRICKY)
def test_a_value_reads_as_written_in_a_raw_html_block(value: str) -> None:
    safe = markdown_safe(str(escape(value)))
    converted = markdown.markdown(f'<p class="label">{safe} wrote this page.</p>', extensions=EXTENSIONS)
    assert text_of(converted) == f"{value} wrote this page."


def test_markdown_passes_the_written_value_through_unchanged() -> None:
    """What makes a marker and the value interchangeable: the value's HTML is the page's HTML."""
    value = '<a href="tel:+15550147">+1 555-0147</a> *Jo* &amp; [Co]'
    safe = markdown_safe(value)
    assert markdown.markdown(f"Call {safe}.", extensions=EXTENSIONS) == f"<p>Call {safe}.</p>"


def test_tags_and_references_are_kept_as_they_are() -> None:
    value = '<a href="https://example.org/a_b*c">Report_it</a> &#39; &amp;'
    assert markdown_safe(value) == '<a href="https://example.org/a_b*c">Report&#95;it</a> &#39; &amp;'


def test_placeholders_are_replaced_by_any_name_they_carry() -> None:
    text = f"call {PLACEHOLDER.format('name')} on {PLACEHOLDER.format('poison_centre_0')}"
    assert placeholders_in(text) == {"name", "poison_centre_0"}
    assert put_in_place(text, {"name": "Jo", "poison_centre_0": "111"}) == "call Jo on 111"

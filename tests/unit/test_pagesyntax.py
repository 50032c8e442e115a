"""The page template language's parser: where a clinic value may not go."""

from __future__ import annotations

from mesoguide.render.pagesyntax import clinic_values_in_headings_or_links

BODY = """# Call {{ clinic.name }}
Call {{ clinic.phone }} today.
See [the clinic]({{ clinic.website }}).
See [{{ clinic.name }}](contact.md).
   ## Indented {{- clinic.name }}
    # code, not a heading: {{ clinic.name }}
"""


def test_clinic_values_in_headings_and_link_addresses_are_found_by_line() -> None:
    assert clinic_values_in_headings_or_links(BODY) == [1, 3, 5]

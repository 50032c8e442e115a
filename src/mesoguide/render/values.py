"""The clinic's values as pages show them: finished, escaped HTML by the names page templates use.

Page templates never see a value itself: :class:`ClinicView` hands them placeholders, so that
a page is rendered once for every clinic that gave the same values, and
:func:`values_in_place` gives what replaces each placeholder afterwards (see page_values).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from mesoguide.inputs.profile import PHONE, Clinic
from mesoguide.render import page_values
from mesoguide.render.blocks import link_html
from mesoguide.render.country_help import COUNTRY_VALUE_NAMES, country_values
from mesoguide.render.json_ld import Mark, Publisher, as_is

CLINIC_VALUE = page_values.PLACEHOLDER
"""Where a clinic value goes in a rendered page, until it is put in place (see page_values)."""

Shape = frozenset[tuple[str, bool]]
"""Each name of clinic_values() and whether the clinic gave that value: all a rendered page depends on."""


def phone_href(phone: str) -> str:
    """``tel:`` address from a validated phone number (digits and a leading +)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def is_phone_number(value: str) -> bool:
    """The out-of-hours contact may be a number (made a tel: link) or an instruction."""
    return bool(PHONE.fullmatch(value))


def clinic_values(clinic: Clinic) -> dict[str, str | None]:
    """The clinic's values as finished, escaped HTML, by the name page templates use.

    A value the clinic did not give is None: page templates can ask ``{% if clinic.x %}``.
    Every name here reaches the templates and the pages; nothing else lists them.
    """
    p = clinic.profile
    values: dict[str, object] = {
        "name": escape(p.name),
        "phone": link_html(phone_href(p.contact.phone), p.contact.phone),
        "emergency_number": link_html(f"tel:{clinic.emergency_number}", clinic.emergency_number),
        "email": escape(p.contact.email),
        "regulator": escape(p.legal.regulator),
        "country": escape(clinic.country.name if clinic.country else p.country),
    }
    ooh = p.contact.out_of_hours
    values["out_of_hours"] = None
    if ooh:
        values["out_of_hours"] = link_html(phone_href(ooh), ooh) if is_phone_number(ooh) else escape(ooh)
    scheme = clinic.country.reporting_scheme if clinic.country else None
    url = clinic.country.reporting_url if clinic.country else None
    values["reporting_scheme"] = link_html(url, scheme) if scheme and url else None
    values.update(dict.fromkeys(COUNTRY_VALUE_NAMES))  # None unless the country gives them
    values.update(country_values(clinic.country))
    return {name: None if value is None else str(value) for name, value in values.items()}


def shape_of(clinic: Clinic) -> Shape:
    """Which values the clinic gave: clinics with the same shape share every rendered page."""
    return frozenset((name, value is not None) for name, value in clinic_values(clinic).items())


class ClinicView:
    """What page templates may read about the clinic: placeholders, no methods, no models.

    ``{{ clinic.name }}`` writes a placeholder element, not the name, so a page is rendered
    once for every clinic that gave the same values; the values are put in place afterwards.
    A value the clinic did not give (out-of-hours contact, a country's reporting scheme) is
    None, for ``{% if %}``. So what a template writes depends only on which values the
    clinic gave (``shape``: each name of clinic_values() and whether it was given).
    """

    def __init__(self, shape: Shape) -> None:
        # For macros that list a varying number of values (support links).
        self.given_names = frozenset(name for name, given in shape if given)
        for name, given in shape:
            setattr(self, name, Markup(CLINIC_VALUE.format(name)) if given else None)


def values_in_place(clinic: Clinic, mark: Mark = as_is) -> dict[str, str]:
    """Each value the clinic gave, as it is written into a page (see page_values), passed through ``mark``."""
    return {
        name: mark(page_values.markdown_safe(value), True) for name, value in clinic_values(clinic).items() if value is not None
    }


def publisher(clinic: Clinic, mark: Mark = as_is) -> Publisher:
    """The clinic's values that each page's structured data names, each passed through ``mark``."""
    p = clinic.profile
    return Publisher(
        name=mark(p.name, False),
        website=mark(p.contact.website, False),
        phone=mark(p.contact.phone, False),
        site_url=mark(p.site_url, False),
        language=p.language,
    )

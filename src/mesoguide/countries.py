"""Emergency numbers and side-effect reporting schemes by country (ISO 3166-1 alpha-2).

A small table on purpose: a number on a health page must be right, so every row names
the public source it was taken from. A clinic in a country not listed sets
``emergency_number`` in its profile, and the pages name its regulator for reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """What a patient in one country calls or uses when something goes wrong."""

    name: str
    emergency_number: str
    reporting_scheme: str | None = None
    """Name of the national scheme for reporting side effects of medicines and devices."""
    reporting_url: str | None = None


COUNTRIES: dict[str, Country] = {
    # 999: NHS, "When to call 999" (nhs.uk); Yellow Card: MHRA (yellowcard.mhra.gov.uk).
    "GB": Country("the United Kingdom", "999", "the Yellow Card scheme (MHRA)", "https://yellowcard.mhra.gov.uk/"),
    # 112 and 999: HSE, "Emergencies" (hse.ie); reporting: HPRA (hpra.ie/report).
    "IE": Country("Ireland", "112", "the HPRA reporting scheme", "https://www.hpra.ie/report"),
    # 911: US 911.gov; MedWatch: US FDA (fda.gov/safety/medwatch).
    "US": Country(
        "the United States",
        "911",
        "MedWatch (US FDA)",
        "https://www.fda.gov/safety/medwatch-fda-safety-information-and-adverse-event-reporting-program",
    ),
    # 911: Government of Canada, "Emergency services" (canada.ca).
    "CA": Country("Canada", "911"),
    # 000: Australian Government, Triple Zero (triplezero.gov.au).
    "AU": Country("Australia", "000"),
    # 111: New Zealand Police and 111 service (police.govt.nz).
    "NZ": Country("New Zealand", "111"),
    # 998 (ambulance): UAE government portal u.ae, "Emergency numbers".
    "AE": Country("the United Arab Emirates", "998"),
    # 112: European Commission, "112 – the single European emergency number" (digital-strategy.ec.europa.eu).
    "DE": Country("Germany", "112"),
    "ES": Country("Spain", "112"),
    "FR": Country("France", "112"),
    "IT": Country("Italy", "112"),
    "NL": Country("the Netherlands", "112"),
}

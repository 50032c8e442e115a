"""What a patient needs that depends on the country: numbers to call and where to find help.

A small table on purpose: a number or an address on a health page must be right, so every
row names the public source it was taken from. A clinic in a country not listed sets
``emergency_number`` in its profile, and the pages name its regulator for reports, tell
the patient to call their own doctor when the clinic is closed, and give plain advice
instead of support links. A field left empty means "not checked", never "none exists".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SupportTopic = Literal["information", "registration", "feelings"]


@dataclass(frozen=True)
class SupportLink:
    """One place to go for information or help, shown on the support page."""

    topic: SupportTopic
    """information: about acne; registration: check a practitioner; feelings: how acne makes you feel."""
    name: str
    url: str
    note: str | None = None
    """One short plain sentence shown after the link, e.g. who the register covers."""


@dataclass(frozen=True)
class Country:
    """What a patient in one country calls or uses when something goes wrong."""

    name: str
    emergency_number: str
    reporting_scheme: str | None = None
    """Name of the national scheme for reporting side effects of medicines and devices."""
    reporting_url: str | None = None
    urgent_number: str | None = None
    """The national line for urgent problems that are not emergencies, where the country has one."""
    urgent_notes: str | None = None
    """Plain sentences after the number: what the line is called, and where in the country it does not work."""
    support: tuple[SupportLink, ...] = ()


UK_SUPPORT = (
    # NHS, "Acne" (nhs.uk/conditions/acne); the national patient-information page.
    SupportLink("information", "NHS: Acne", "https://www.nhs.uk/conditions/acne/"),
    # GMC, "The medical register" (gmc-uk.org): doctors need registration and a licence to practise.
    SupportLink(
        "registration",
        "General Medical Council (GMC): check a doctor",
        "https://www.gmc-uk.org/registration-and-licensing/the-medical-register",
    ),
    # NMC, "Search the register" (nmc.org.uk): nurses, midwives and nursing associates.
    SupportLink(
        "registration",
        "Nursing and Midwifery Council (NMC): check a nurse",
        "https://www.nmc.org.uk/registration/search-the-register/",
    ),
    # GDC, "Search the registers" (olr.gdc-uk.org): dentists and the dental team, UK-wide.
    SupportLink("registration", "General Dental Council (GDC): check a dentist", "https://olr.gdc-uk.org/SearchRegister"),
    # GPhC, "Registers" (pharmacyregulation.org): pharmacists in England, Scotland and Wales only.
    SupportLink(
        "registration",
        "General Pharmaceutical Council (GPhC): check a pharmacist",
        "https://www.pharmacyregulation.org/registers",
        "This covers England, Scotland and Wales.",
    ),
    # Pharmaceutical Society NI, "Search the register" (psni.org.uk): pharmacists in Northern Ireland.
    SupportLink(
        "registration",
        "Pharmaceutical Society of Northern Ireland (PSNI): check a pharmacist",
        "https://www.psni.org.uk/",
        "This covers Northern Ireland.",
    ),
    # HCPC, "Check the Register" (hcpc-uk.org): 15 health and care professions.
    SupportLink(
        "registration",
        "Health and Care Professions Council (HCPC): check other health workers",
        "https://www.hcpc-uk.org/check-the-register/",
    ),
    # JCCP, "Practitioner Register" (jccp.org.uk): a voluntary register, not a legal one.
    SupportLink(
        "registration",
        "Joint Council for Cosmetic Practitioners (JCCP)",
        "https://www.jccp.org.uk/PractitionersAndClinics",
        "Joining is a choice, not the law.",
    ),
    # Save Face (saveface.co.uk): a voluntary register accredited by the Professional Standards Authority.
    SupportLink("registration", "Save Face", "https://www.saveface.co.uk/", "Joining is a choice, not the law."),
    # Changing Faces, "What we do" (changingfaces.org.uk): UK charity for people with a mark, scar or
    # condition that makes them look different; support line 0300 012 0275.
    SupportLink(
        "feelings",
        "Changing Faces",
        "https://www.changingfaces.org.uk/",
        "A charity for people with a scar, mark or skin condition. It offers advice and a support line.",
    ),
)

US_SUPPORT = (
    # NIAMS (National Institutes of Health), "Acne" health topic (niams.nih.gov/health-topics/acne).
    SupportLink("information", "National Institutes of Health (NIAMS): Acne", "https://www.niams.nih.gov/health-topics/acne"),
    # FSMB, "Information for Consumers" (fsmb.org): state medical boards say whether a doctor is
    # licensed in good standing and whether they have been disciplined.
    SupportLink(
        "registration",
        "Federation of State Medical Boards: how to check a doctor",
        "https://www.fsmb.org/u.s.-medical-regulatory-trends-and-actions/guide-to-medical-regulation-in-the-united-states/information-for-consumers/",
        "Each state's medical board keeps its own list of licensed doctors.",
    ),
    # 988 Suicide & Crisis Lifeline (988lifeline.org): free, any kind of emotional distress, 24 hours.
    SupportLink(
        "feelings",
        "988 Lifeline",
        "https://988lifeline.org/",
        "Call or text 988, day or night, if you feel low or cannot cope.",
    ),
)

COUNTRIES: dict[str, Country] = {
    # 999: NHS, "When to call 999" (nhs.uk); Yellow Card: MHRA (yellowcard.mhra.gov.uk).
    # 111: NHS 111 in England (NHS ambulance trusts, e.g. neas.nhs.uk "111"); NHS 24 on 111 in
    # Scotland (nhs24.scot, "Important information about the 111 service"); NHS 111 Wales
    # (111.wales.nhs.uk). Northern Ireland has no general 111 line: GP out-of-hours
    # (gpoutofhours.hscni.net, "Service standards for GP Out-of-Hours"; nidirect.gov.uk).
    "GB": Country(
        "the United Kingdom",
        "999",
        "the Yellow Card scheme (MHRA)",
        "https://yellowcard.mhra.gov.uk/",
        urgent_number="111",
        urgent_notes=(
            "In England it is NHS 111. In Scotland it is NHS 24. In Wales it is NHS 111 Wales. "
            "Northern Ireland has no 111 line: call your GP, or the GP out-of-hours service."
        ),
        support=UK_SUPPORT,
    ),
    # 112 and 999: HSE, "Emergencies" (hse.ie); reporting: HPRA (hpra.ie/report).
    "IE": Country("Ireland", "112", "the HPRA reporting scheme", "https://www.hpra.ie/report"),
    # 911: US 911.gov; MedWatch: US FDA (fda.gov/safety/medwatch). No national line for urgent
    # problems that are not emergencies.
    "US": Country(
        "the United States",
        "911",
        "MedWatch (US FDA)",
        "https://www.fda.gov/safety/medwatch-fda-safety-information-and-adverse-event-reporting-program",
        support=US_SUPPORT,
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

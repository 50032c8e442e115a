"""Stage 1, profile: ``clinics/<slug>/clinic.yml`` → a validated :class:`Clinic`.

Everything a clinic supplies is checked here, once, before any page is rendered: the
profile's fields, its logo and favicon, and its own extra pages. Clinic text is data; it
is never rendered as a template, and later stages escape it for the context it lands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from mesoguide.errors import Problem, UserError, raise_if_any
from mesoguide.inputs.clinic_pages import PLACEHOLDER, SLUG, ClinicPage, load_clinic_pages
from mesoguide.inputs.colors import HEX_COLOUR, Palette, derive_palette, normalise
from mesoguide.inputs.countries import COUNTRIES, Country
from mesoguide.inputs.logo import image_problems, image_warnings
from mesoguide.inputs.schema import StrictModel, validation_problems
from mesoguide.inputs.yamlfile import LineMap, load_yaml

# The logo `new-clinic` writes; a clinic still showing it gets a warning.
PLACEHOLDER_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48" role="img" aria-label="Logo">
  <title>Placeholder logo</title>
  <rect x="4" y="4" width="40" height="40" rx="8" fill="#2f5d8a"/>
  <circle cx="24" cy="24" r="10" fill="#ffffff"/>
</svg>
"""
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"\+?[0-9 ()\-.]{3,40}")
URL = re.compile(r"^https?://[^\s<>\"'{}\\]+$")
MAX_PROFILE_BYTES = 100_000


def _no_control_characters(value: str) -> str:
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
        raise ValueError("contains control characters")
    return value


class Colors(StrictModel):
    """Brand colours; hints from which the theme's shades are derived."""

    primary: str = Field(description="Header and link colour, as #rrggbb.")
    accent: str = Field(description="Highlight colour, as #rrggbb.")

    @field_validator("primary", "accent")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOUR.match(value):
            raise ValueError(f'{value!r} is not a colour; write it as #rrggbb, for example "#0b6e4f"')
        return normalise(value)


class Contact(StrictModel):
    """How patients reach the clinic."""

    phone: str = Field(min_length=3, max_length=40, description="Main phone number, shown on every page.")
    out_of_hours: str | None = Field(None, max_length=200, description="Phone or instruction for evenings and weekends.")
    email: str = Field(description="Contact email address.")
    address: str = Field(min_length=1, max_length=300, description="Postal address, one or more lines.")
    website: str = Field(description="The clinic's own website.")
    booking_url: str | None = Field(None, description="Optional page where patients book a consultation.")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not PHONE.fullmatch(value):
            raise ValueError(f"{value!r} is not a phone number; use digits, spaces, + ( ) - and .")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("website", "booking_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not URL.match(value):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value

    @field_validator("out_of_hours", "address")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else _no_control_characters(value)


class Legal(StrictModel):
    """Who runs the clinic and who regulates it; shown in the footer."""

    company: str = Field(min_length=1, max_length=200, description="Legal name of the business.")
    regulator: str = Field(min_length=1, max_length=200, description="Body that registers or inspects the clinic.")
    licence: str | None = Field(None, max_length=200, description="Registration or licence number.")


class Practitioner(StrictModel):
    """A real person who gives the treatment at this clinic."""

    name: str = Field(min_length=1, max_length=120)
    profession: str = Field(min_length=1, max_length=120)
    registration: str | None = Field(None, max_length=120, description="Professional register and number.")


class ClinicProfile(StrictModel):
    """The fields of ``clinic.yml``, exactly as DESIGN.md lists them."""

    name: str = Field(min_length=1, max_length=80, description="Shown in the header, title and footer.")
    tagline: str | None = Field(None, max_length=160, description="One optional line under the name.")
    language: Literal["en"] = Field("en", description="Page language; the guide is written in English.")
    logo: str = Field(description="SVG or PNG file inside the clinic folder.")
    favicon: str | None = Field(None, description="Optional SVG or PNG inside the clinic folder.")
    colors: Colors
    contact: Contact
    country: str = Field(description="ISO 3166-1 alpha-2 code, for example GB.")
    emergency_number: str | None = Field(None, description="Overrides the country's emergency number.")
    site_url: str = Field(description="Where the site will be published, for example https://guide.example.org/.")
    legal: Legal
    practitioners: list[Practitioner] = Field(default_factory=list)

    @field_validator("name", "tagline")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and ("\n" in value or "\r" in value):
            raise ValueError("must be one line")
        return None if value is None else _no_control_characters(value)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code such as GB or US")
        return value

    @field_validator("emergency_number")
    @classmethod
    def _emergency(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9]{2,6}", value):
            raise ValueError(f"{value!r} is not an emergency number (2 to 6 digits)")
        return value

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str) -> str:
        if not URL.match(value):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _emergency_known(self) -> ClinicProfile:
        if self.emergency_number is None and self.country not in COUNTRIES:
            known = ", ".join(sorted(COUNTRIES))
            raise ValueError(
                f"no emergency number is known for country {self.country}; add emergency_number (known countries: {known})"
            )
        return self


@dataclass(frozen=True)
class Clinic:
    """A validated clinic with everything derived from its profile."""

    slug: str
    folder: Path
    profile: ClinicProfile
    palette: Palette
    emergency_number: str
    country: Country | None
    logo: Path
    favicon: Path | None
    pages: tuple[ClinicPage, ...]

    @property
    def profile_path(self) -> Path:
        return self.folder / "clinic.yml"


def find_placeholders(data: Any, location: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Locations of every value that still says CHANGE-ME."""
    if isinstance(data, dict):
        return [loc for key, value in data.items() for loc in find_placeholders(value, location + (key,))]
    if isinstance(data, list):
        return [loc for i, value in enumerate(data) for loc in find_placeholders(value, location + (i,))]
    if isinstance(data, str) and PLACEHOLDER in data:
        return [location]
    return []


def _check_file(folder: Path, relative: str, field: str, path: Path, line: int | None) -> tuple[Path | None, list[Problem]]:
    """Resolve a file named in the profile; it must lie inside ``folder`` and not be a link."""
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None, [
            Problem(path, line, f"'{field}': {relative!r} must be a file inside the clinic folder (no absolute paths, no '..')")
        ]
    full = folder
    for part in candidate.parts:
        full = full / part
        if full.is_symlink():
            return None, [
                Problem(path, line, f"'{field}': {relative!r} is a symbolic link; copy the file into the clinic folder")
            ]
    if not full.is_file():
        return None, [Problem(path, line, f"'{field}': file {relative!r} not found in {folder.name}/")]
    if not full.resolve().is_relative_to(folder.resolve()):
        return None, [Problem(path, line, f"'{field}': {relative!r} resolves outside the clinic folder")]
    return full, [Problem(path, line, f"'{field}': {reason}") for reason in image_problems(full)]


def load_clinic(folder: Path) -> Clinic:
    """Load, validate and derive one clinic; raises :class:`UserError` with every problem."""
    folder = Path(folder)
    path = folder / "clinic.yml"
    slug = folder.resolve().name
    problems: list[Problem] = []
    if not SLUG.match(slug):
        problems.append(Problem(folder, None, f"clinic folder name {slug!r} must be lower-case letters, digits and hyphens"))
    data, line_map = load_yaml(path, max_bytes=MAX_PROFILE_BYTES)
    if data is None or data == {}:
        raise UserError([Problem(path, 1, "the profile is empty; run 'mesoguide new-clinic' for a template to fill in")])
    if not isinstance(data, dict):
        raise UserError([Problem(path, 1, "the profile must be a mapping of keys to values")])
    for location in find_placeholders(data):
        field = ".".join(str(p) for p in location)
        problems.append(
            Problem(path, line_map.line_of(location), f"'{field}' still says {PLACEHOLDER}; fill in the clinic's real value")
        )
    try:
        profile = ClinicProfile.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, line_map, ClinicProfile)
        raise_if_any(problems)
        raise  # unreachable: validation errors are problems
    logo, logo_problems = _check_file(folder, profile.logo, "logo", path, line_map.line_of(("logo",)))
    problems += logo_problems
    favicon = None
    if profile.favicon:
        favicon, favicon_problems = _check_file(folder, profile.favicon, "favicon", path, line_map.line_of(("favicon",)))
        problems += favicon_problems
    pages, page_problems = load_clinic_pages(folder)
    problems += page_problems
    raise_if_any(problems)
    country = COUNTRIES.get(profile.country)
    return Clinic(
        slug=slug,
        folder=folder,
        profile=profile,
        palette=derive_palette(profile.colors.primary, profile.colors.accent),
        emergency_number=profile.emergency_number or (country.emergency_number if country else ""),
        country=country,
        logo=logo,  # type: ignore[arg-type]
        favicon=favicon,
        pages=pages,
    )


def clinic_line_map(clinic: Clinic) -> LineMap:
    """Line numbers of the clinic's profile, for checks that report on its fields."""
    return load_yaml(clinic.profile_path)[1]


def profile_warnings(clinic: Clinic) -> list[Problem]:
    """Things a clinic should fix that do not stop a build, and notes on what the engine did.

    Warnings are only for what harms patients or pages (no out-of-hours contact, the
    placeholder logo, a heavy image); what a clinic chose on purpose, such as having no
    favicon, is not warned about. Colour adjustments are notes: the engine already made
    the colours readable.
    """
    path = clinic.profile_path
    lines = clinic_line_map(clinic)
    warnings = [
        Problem(
            path,
            lines.line_of(("colors", "accent" if note.startswith("accent") else "primary")),
            f"colour adjusted for contrast: {note}",
            "note",
        )
        for note in clinic.palette.adjusted
    ]
    if not clinic.profile.contact.out_of_hours:
        warnings.append(
            Problem(
                path,
                lines.line_of(("contact",)),
                "no contact.out_of_hours: patients need a number for evenings and weekends",
                "warning",
            )
        )
    for field_name, image in (("logo", clinic.logo), ("favicon", clinic.favicon)):
        if image is not None:
            warnings += [
                Problem(path, lines.line_of((field_name,)), f"'{field_name}': {message}", "warning")
                for message in image_warnings(image)
            ]
    if clinic.logo.read_text(encoding="utf-8", errors="replace") == PLACEHOLDER_LOGO:
        warnings.append(
            Problem(
                path,
                lines.line_of(("logo",)),
                "the logo is still the placeholder from new-clinic; replace it with yours",
                "warning",
            )
        )
    return warnings


def find_clinic(spec: str, clinics_dir: Path) -> Path:
    """Resolve ``--clinic``: a slug inside ``clinics_dir`` or a path to a clinic folder."""
    as_path = Path(spec)
    if (as_path / "clinic.yml").exists() or "/" in spec or spec.startswith("."):
        return as_path
    return clinics_dir / spec


def list_clinics(clinics_dir: Path) -> list[Path]:
    """Every folder in ``clinics_dir`` that holds a ``clinic.yml``, in name order."""
    if not clinics_dir.is_dir():
        raise UserError([Problem(clinics_dir, None, "clinics folder not found")])
    return sorted(p for p in clinics_dir.iterdir() if (p / "clinic.yml").is_file())

"""``mesoguide new-clinic``: a profile to fill in, and a placeholder logo."""

from __future__ import annotations

from pathlib import Path

from mesoguide.errors import Problem, UserError
from mesoguide.inputs.profile import PLACEHOLDER, PLACEHOLDER_LOGO, SLUG

PROFILE_TEMPLATE = f"""\
# The clinic profile. Replace every {PLACEHOLDER}; build and check refuse it until then.
# Every field is described in docs/clinic-guide.md.
name: {PLACEHOLDER}                 # the clinic's name, shown in the header, title and footer
# tagline: one optional line
language: en
logo: logo.svg                      # SVG or PNG in this folder (replace the placeholder file)
# favicon: favicon.png
colors:
  primary: "#2f5d8a"                # brand colours are hints: the engine adjusts them for contrast
  accent: "#a33a12"
contact:
  phone: "{PLACEHOLDER}"
  out_of_hours: "{PLACEHOLDER}"     # a phone number, or what to do in the evening and at weekends
  email: {PLACEHOLDER}
  address: |
    {PLACEHOLDER}
  website: https://{PLACEHOLDER}.example.org/
  # booking_url: https://...
country: GB                         # ISO 3166-1 alpha-2; sets the emergency number
# emergency_number: "112"           # only if the country's default is wrong for you
site_url: https://{PLACEHOLDER}.example.org/
legal:
  company: {PLACEHOLDER}
  regulator: {PLACEHOLDER}          # who registers or inspects the clinic
  # licence: registration number
practitioners: []                   # real people only: name, profession, registration
"""


def new_clinic(slug: str, clinics_dir: Path) -> Path:
    """Create ``clinics_dir/<slug>/`` with a profile template; never overwrites."""
    folder = clinics_dir / slug
    if not SLUG.match(slug):
        raise UserError([Problem(folder, None, "a clinic slug uses lower-case letters, digits and hyphens, e.g. 'riverside'")])
    if folder.exists():
        raise UserError([Problem(folder, None, "already exists; choose another slug or edit that clinic")])
    (folder / "pages").mkdir(parents=True)
    (folder / "clinic.yml").write_text(PROFILE_TEMPLATE, encoding="utf-8")
    (folder / "logo.svg").write_text(PLACEHOLDER_LOGO, encoding="utf-8")
    return folder

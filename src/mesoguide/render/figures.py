"""The guide's diagrams: each one a self-hosted SVG with a caption and a text version.

Pages place a diagram with ``{{ figure("skin-layers") }}``. The picture, its short
accessible name, its caption and its text version live together here, so a diagram
cannot appear without the words that say the same thing (for screen readers and for
readers who prefer text). The SVG files are in ``overrides/assets/images/``; each draws
its own white background, so it reads the same in the dark scheme and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from mesoguide.render.package_templates import package_template

IMAGES = "assets/images"


@dataclass(frozen=True)
class Figure:
    """One diagram and the words that go with it."""

    file: str
    name: str
    """Short accessible name (the image's alt text)."""
    caption: str
    text_version: tuple[str, ...]
    """The diagram in words, one item per point it makes."""
    height: int
    """Height of the SVG's viewBox (all are 480 wide), so the page keeps its place while it loads."""


FIGURES: dict[str, Figure] = {
    "skin-layers": Figure(
        "skin-layers.svg",
        "Diagram of the layers of the skin, with a needle reaching the dermis",
        "The layers of the skin, and how deep mesotherapy injections go.",
        (
            "The epidermis is the thin outer layer of the skin.",
            "Below it is the dermis. It holds collagen, which sunken scars have lost.",
            "Below the dermis is a layer of fat (the subcutaneous layer).",
            "Mesotherapy injections go into the dermis or the fat just below it, at most 4 mm deep.",
        ),
        390,
    ),
    "scar-types": Figure(
        "scar-types.svg",
        "Diagram of five types of acne scar seen from the side",
        "Types of acne scar, seen from the side.",
        (
            "Ice pick scars are narrow and deep.",
            "Boxcar scars are wider, with steep edges.",
            "Rolling scars are gentle dips, held down by bands under the skin.",
            "Hypertrophic scars are raised but stay within the first wound.",
            "Keloid scars are raised and grow past the edges of the first wound.",
        ),
        470,
    ),
    "batch-number": Figure(
        "batch-number.svg",
        "Diagram of a product label and a vial with the batch number circled",
        "Where to find the batch number. The labels are made-up examples.",
        (
            "The batch number follows the word LOT, on the box, the syringe or the vial.",
            "The use-by date follows EXP.",
            "Ask to see it before your session. Write it down with the product name and the date.",
        ),
        330,
    ),
    "who-to-call": Figure(
        "who-to-call.svg",
        "Chart of who to call for which signs after an injection",
        "Who to call for which signs.",
        (
            "Call the emergency number now for any of these: trouble breathing; swelling of the lips, tongue or throat; "
            "a sudden change in vision. The same goes for skin that turns pale or white with pain, during or just after an injection.",
            "Get help today for fever, spreading redness, pus, or swelling that is hot or growing. "
            "Call your clinic, its out-of-hours contact, or an urgent health line where you live.",
            "See a doctor soon for a lump or sore weeks later. Say you had injections, when, and which product.",
        ),
        520,
    ),
}


def render_figure(key: str, root_prefix: str) -> Markup:
    """The figure as one HTML block; ``root_prefix`` leads from the page to the site root ("../" or "")."""
    figure = FIGURES[key]
    html = package_template("figure.html").render(key=key, figure=figure, src=f"{root_prefix}{IMAGES}/{figure.file}")
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))

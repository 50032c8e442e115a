"""The option grid as HTML: a card per option, the same labelled fields in the same order."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from mesoguide.inputs.countries import COUNTRIES
from mesoguide.inputs.options import ANSWER_FIELDS, FUNDING_LABEL, Option
from mesoguide.render.package_templates import package_template


def render_grid(options: tuple[Option, ...], ref_link: Callable[[str], Markup]) -> Markup:
    """The grid as one HTML block: a card per option, the same labelled fields in the same order.

    ``ref_link(ref_id)`` returns the numbered link to a reference (the page's own macro, so the
    numbers match the reference list).
    """
    template = package_template("options_grid.html")
    html = template.render(
        options=options,
        fields=ANSWER_FIELDS,
        funding_label=FUNDING_LABEL,
        countries={code: country.name for code, country in COUNTRIES.items()},
        ref_link=ref_link,
    )
    # One line per block, no blank lines: Markdown leaves an HTML block alone only while it has none.
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))

"""HTML blocks that page macros place: claim checks, the closed list of other claims, jump lists.

Each comes from a Jinja template in ``templates/`` and is returned as one Markdown HTML block
(no blank lines), so Markdown leaves it alone.
"""

from __future__ import annotations

from markupsafe import Markup

from mesoguide.inputs.content import Claim
from mesoguide.render.package_templates import package_template

MAX_CLAIMS_IN_CONTEXT = 3
"""Claim checks a page may show open in its text; the rest go in its closed "other claims" list."""


def _one_block(html: str) -> Markup:
    # One line per block, no blank lines: Markdown leaves an HTML block alone only while it has none.
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def claim_html(claim: Claim, verdict: str, source: str, refs: Markup) -> Markup:
    """One claim check with ``id="claim-<id>"``: what the evidence shows, then the claim and verdict."""
    return _one_block(package_template("claim.html").render(claim=claim, verdict=verdict, source=source, refs=refs))


def other_claims_html(blocks: list[Markup]) -> Markup:
    """The claim checks a page does not show in its text, in a closed ``<details>``; empty if none."""
    if not blocks:
        return Markup("")
    return _one_block(package_template("other_claims.html").render(blocks=blocks))


def jump_list_html(label: str, links: list[tuple[str, str]]) -> Markup:
    """A list of links to anchors on the same page, e.g. the glossary's letters."""
    return _one_block(package_template("jump_list.html").render(label=label, links=links))


def link_html(url: str, text: str) -> str:
    """One link around escaped text: the only HTML shape a clinic or country value takes."""
    return package_template("link.html").render(url=url, text=text)

"""schema.org data for each guide page, prepared in the render stage.

The theme prints each item of a page's ``json_ld`` front matter with ``tojson`` and does
nothing else with it: no dictionaries built or changed in the template, which engines whose
templates cannot call Python methods (Zensical's MiniJinja) could not run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mesoguide.inputs.content import Content, Page

EDITORS = "the mesoguide editorial team"
VERDICT_LABELS = {
    "supported": "Supported",
    "overstated": "Overstated",
    "unsupported": "Not supported by evidence",
    "misleading": "Misleading",
    "false": "False",
}
# schema.org ClaimReview ratings: 1 (false) to 5 (true).
VERDICT_RATINGS = {"false": 1, "misleading": 2, "unsupported": 2, "overstated": 3, "supported": 5}

Mark = Callable[[str, bool], str]
"""Turns a clinic value into what the project holds: the value itself, or a marker for it."""


def as_is(value: str, is_html: bool) -> str:
    return value


@dataclass(frozen=True)
class Publisher:
    """The clinic's values that the structured data names, as the project holds them."""

    name: str
    website: str
    phone: str
    site_url: str
    language: str


def page_url(site_url: str, page_name: str) -> str:
    """The page's address as MkDocs' ``canonical_url`` gives it (directory URLs)."""
    return site_url + ("" if page_name == "index" else f"{page_name}/")


def medical_web_page(page: Page, content: Content, publisher: Publisher) -> dict[str, Any]:
    meta = page.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": meta.title,
        "description": meta.description,
        "url": page_url(publisher.site_url, page.name),
        "inLanguage": publisher.language,
        "lastReviewed": meta.last_reviewed.isoformat(),
        "author": {
            "@type": "Organization",
            "name": EDITORS,
            "contactPoint": {"@type": "ContactPoint", "contactType": "corrections", "email": content.editors_contact},
        },
        "publisher": {"@type": "MedicalClinic", "name": publisher.name, "url": publisher.website, "telephone": publisher.phone},
        "about": {"@type": "MedicalProcedure", "name": "Mesotherapy for acne and acne scars"},
        "version": content.version,
    }
    if meta.clinical_reviewer:
        data["reviewedBy"] = {"@type": "Person", "name": meta.clinical_reviewer}
        if meta.reviewer_registration:  # as the reviewer gave it; not verified
            data["reviewedBy"]["identifier"] = meta.reviewer_registration
    return data


def claim_reviews(content: Content, site_url: str) -> list[dict[str, Any]]:
    """schema.org ClaimReview for every claim, each pointing at its box on the claim check page."""
    return [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page_url(site_url, 'claim-check')}#claim-{claim.id}",
            "claimReviewed": claim.quote,
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {"@type": "CreativeWork", "description": content.sources[claim.source].description},
            },
            "author": {"@type": "Organization", "name": EDITORS},
            "datePublished": content.release_date.isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": VERDICT_RATINGS[claim.verdict],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": VERDICT_LABELS[claim.verdict],
            },
        }
        for claim in content.claims
    ]


def page_json_ld(page: Page, content: Content, publisher: Publisher, lists_all_claims: bool) -> list[Any]:
    """What the page's ``<script type="application/ld+json">`` elements hold, one item each."""
    items: list[Any] = [medical_web_page(page, content, publisher)]
    if lists_all_claims:
        items.append(claim_reviews(content, publisher.site_url))
    return items

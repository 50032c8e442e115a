"""The functions page templates call: claim(), cite(), get_help_contacts(), the lists and the grid.

Each macro is a method of :class:`Macros` named in :data:`MACROS`; a page template sees
exactly those, plus the clinic's placeholders and two content values (see
:meth:`Macros.template_globals`). To add a macro, add a method and its name here: nothing
else changes. The markup a macro writes lives in ``templates/``; a macro only gathers the
values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from mesoguide.errors import did_you_mean
from mesoguide.inputs.asof import as_of_text
from mesoguide.inputs.content import Claim, Content, Reference
from mesoguide.inputs.designs import STUDY_DESIGNS
from mesoguide.render.blocks import MAX_CLAIMS_IN_CONTEXT, claim_html, jump_list_html, other_claims_html
from mesoguide.render.country_help import help_contacts, support_links
from mesoguide.render.figures import FIGURES, render_figure
from mesoguide.render.json_ld import VERDICT_LABELS
from mesoguide.render.options_grid import render_grid
from mesoguide.render.package_templates import package_template
from mesoguide.render.values import ClinicView

MACROS: tuple[str, ...] = (
    "claim",
    "other_claims",
    "cite",
    "as_of",
    "get_help_contacts",
    "support_links",
    "report_side_effect",
    "claims_by_page",
    "references_list",
    "glossary_entries",
    "treatment_record",
    "clinical_reviewers",
    "options_grid",
    "figure",
)
"""The macros page templates may call, each a method of Macros of the same name."""


class ContentError(Exception):
    """A macro was called wrongly (unknown claim or reference id); reported at the call's line."""


@dataclass
class PageContext:
    """Per-page state the macros need: where the page sits and which claims it showed."""

    page: str
    depth: int
    page_order: tuple[str, ...] = ()
    """Guide pages in the order of the site's navigation, for lists grouped by page."""
    claims_shown: list[str] = field(default_factory=list)
    claims_in_text: int = 0
    """claim() calls so far: a page shows at most MAX_CLAIMS_IN_CONTEXT claim checks open."""
    lists_all_claims: bool = False
    """Set by claims_by_page(): the page then carries the ClaimReview data."""

    def url(self, target: str, anchor: str = "") -> str:
        """Relative address of guide page ``target`` (use_directory_urls) from this page."""
        path = "" if target == "index" else f"{target}/"
        href = "../" * self.depth + path
        return (href or "./") + (f"#{anchor}" if anchor else "")


def _snippet(name: str, **values: Any) -> Markup:
    """The package template ``name`` rendered with ``values``: markup the page takes as it is."""
    return Markup(package_template(name).render(**values))


def reference_design(ref: Reference) -> str:
    """What kind of source it is, in words, with how many people where that is known."""
    kind = ref.design[:1].upper() + ref.design[1:]
    if ref.participants is None:
        return f"{kind}."
    people = "1 person" if ref.participants == 1 else f"{ref.participants:,} people"
    if ref.design in STUDY_DESIGNS:
        return f"{kind}, {people}."
    return f"{kind} of studies with {people} in all."


def reference_entry(ref: Reference) -> dict[str, Any]:
    """What the reference list shows of ``ref``: the template's values, links as (address, text)."""
    links = []
    if ref.doi:
        links.append((f"https://doi.org/{ref.doi}", f"doi:{ref.doi}"))
    pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    if ref.pmid:
        links.append((pubmed, f"PubMed {ref.pmid}"))
    if not ref.doi and ref.url != pubmed:
        links.append((ref.url, ref.url))
    return {
        "id": ref.id,
        # Authors often end in "et al."; one full stop, never two.
        "authors": ref.authors.rstrip(".") if ref.authors else None,
        "title": ref.title,
        "venue": [part for part in (ref.container, ref.year, ref.details) if part],
        "links": links,
        "design": reference_design(ref),
        "note": ref.note,
    }


class Macros:
    """The functions page templates call, for one page of one clinic shape."""

    def __init__(self, view: ClinicView, content: Content, context: PageContext) -> None:
        self.view = view
        self.content = content
        self.ctx = context

    def template_globals(self) -> dict[str, Any]:
        """Everything a page template can name: the clinic, two content values and the macros."""
        names: dict[str, Any] = {
            "clinic": self.view,
            "content_version": self.content.version,
            "editors_contact": self.content.editors_contact,
        }
        names.update({name: getattr(self, name) for name in MACROS})
        return names

    def _claim(self, claim_id: str) -> Claim:
        for claim in self.content.claims:
            if claim.id == claim_id:
                return claim
        known = [c.id for c in self.content.claims]
        raise ContentError(
            f"unknown claim id {claim_id!r}{did_you_mean(claim_id, known)}; claims are listed in content/claims.yml"
        )

    def _reference_number(self, ref_id: str) -> int:
        if ref_id not in self.content.references:
            raise ContentError(
                f"unknown reference id {ref_id!r}{did_you_mean(ref_id, list(self.content.references))}; "
                "references are listed in content/references.yml"
            )
        return self.content.reference_number(ref_id)

    def _ref_links(self, ref_ids: list[str]) -> Markup:
        links = [(self._reference_number(ref_id), self.ctx.url("references", "ref-" + ref_id)) for ref_id in ref_ids]
        return _snippet("ref_links.html", links=links)

    def claim_block(self, claim: Claim) -> Markup:
        """One claim check as a single HTML block with ``id="claim-<id>"``, fact first."""
        self.ctx.claims_shown.append(claim.id)
        source = self.content.sources[claim.source].description
        return claim_html(claim, VERDICT_LABELS[claim.verdict], source, self._ref_links(claim.references))

    def claim(self, claim_id: str) -> Markup:
        """A claim check in context; only on the page the claim belongs to, at most three a page."""
        claim = self._claim(claim_id)
        if claim.page != self.ctx.page and self.ctx.page != "claim-check":
            raise ContentError(f"claim {claim_id!r} belongs on page {claim.page!r} (its 'page' in claims.yml)")
        self.ctx.claims_in_text += 1
        if self.ctx.claims_in_text > MAX_CLAIMS_IN_CONTEXT:
            raise ContentError(
                f"claim {claim_id!r}: a page shows at most {MAX_CLAIMS_IN_CONTEXT} claim checks in its text, "
                "the ones that matter most; remove this one and other_claims() lists it, closed"
            )
        return Markup("\n\n" + self.claim_block(claim) + "\n\n")

    def other_claims(self) -> Markup:
        """Every claim of this page that the text has not already shown, closed until opened."""
        rest = [c for c in self.content.claims_on(self.ctx.page) if c.id not in self.ctx.claims_shown]
        return Markup("\n\n" + other_claims_html([self.claim_block(c) for c in rest]) + "\n")

    def as_of(self, year_month: str) -> Markup:
        """Dates a statement about regulation: ``{{ as_of("2026-11") }}`` → "(as of November 2026)"."""
        try:
            return Markup(escape(as_of_text(year_month)))
        except ValueError as exc:
            raise ContentError(str(exc)) from None

    def cite(self, *ref_ids: str) -> Markup:
        """Numbered links to the reference list, e.g. ``{{ cite("singsing-2022") }}``."""
        if not ref_ids:
            raise ContentError("cite() needs at least one reference id")
        return _snippet("cite.html", refs=[(self._reference_number(ref_id), ref_id) for ref_id in ref_ids])

    def get_help_contacts(self, indent: int = 4) -> Markup:
        """Whom to call today: the clinic, its out-of-hours contact, the country's urgent line."""
        return help_contacts(self.view, indent)

    def support_links(self, topic: str) -> Markup:
        """The clinic's country's links on ``topic`` (information, registration, feelings); empty if none."""
        try:
            return support_links(self.view.given_names, topic)
        except ValueError as exc:
            raise ContentError(str(exc)) from None

    def report_side_effect(self) -> Markup:
        """Where to report a side effect in the clinic's country."""
        return _snippet("report-side-effect.md", clinic=self.view)

    def claims_by_page(self) -> Markup:
        """Every claim, grouped under the page it belongs to in the site's page order, after a jump list."""
        order = [name for name in self.ctx.page_order if name in self.content.pages]
        order += [name for name in self.content.pages if name not in order]
        sections = []
        for page_name in order:
            claims = self.content.claims_on(page_name)
            if claims:
                title = self.content.pages[page_name].meta.title
                blocks = [self.claim_block(claim) for claim in claims]
                sections.append({"page": page_name, "title": title, "anchor": f"claims-{page_name}", "blocks": blocks})
        self.ctx.lists_all_claims = True
        links = [(s["anchor"], f"{s['title']} ({len(s['blocks'])})") for s in sections]
        return _snippet("claims-by-page.md", jump_list=jump_list_html("Claims by topic", links), sections=sections)

    def references_list(self) -> Markup:
        """The numbered reference list with DOI, PubMed and canonical links."""
        return _snippet("references.html", entries=[reference_entry(ref) for ref in self.content.references.values()])

    def glossary_entries(self) -> Markup:
        """Each glossary term as a short paragraph with an anchor, under A to Z headings with a jump list."""
        letters: dict[str, dict[str, Any]] = {}
        for entry in sorted(self.content.glossary, key=lambda e: e.term.lower()):
            name = entry.term[:1].upper() if entry.term[:1].isalpha() else "#"
            anchor = "letter-" + (name.lower() if name.isalpha() else "other")
            letter = letters.setdefault(name, {"name": name, "anchor": anchor, "entries": []})
            letter["entries"].append(
                {
                    "term": entry.term[:1].upper() + entry.term[1:],
                    "definition": entry.definition,
                    "anchor": "term-" + re.sub(r"[^a-z0-9]+", "-", entry.term.lower()).strip("-"),
                }
            )
        jump_list = jump_list_html("Jump to a letter", [(letter["anchor"], name) for name, letter in letters.items()])
        return _snippet("glossary.md", jump_list=jump_list, letters=list(letters.values()))

    def clinical_reviewers(self) -> Markup:
        """Who reviewed which pages, from the pages' front matter (for the about page)."""
        reviewers: dict[tuple[str, str | None], list[str]] = {}
        for page in self.content.pages.values():
            if page.meta.clinical_reviewer:
                key = (page.meta.clinical_reviewer, page.meta.reviewer_registration)
                reviewers.setdefault(key, []).append(page.meta.title)
        listed = [{"name": name, "registration": reg, "titles": titles} for (name, reg), titles in reviewers.items()]
        return _snippet("clinical-reviewers.md", reviewers=listed)

    def options_grid(self) -> Markup:
        """Every option of content/options.yml as one grid (see options.py)."""
        if not self.content.options:
            raise ContentError("options_grid() found no options; they are listed in content/options.yml")
        return Markup("\n\n" + render_grid(self.content.options, lambda ref: self._ref_links([ref])) + "\n\n")

    def figure(self, key: str) -> Markup:
        """A diagram with its caption and text version, e.g. ``{{ figure("scar-types") }}`` (see figures.py)."""
        if key not in FIGURES:
            raise ContentError(f"unknown figure {key!r}; the figures are {', '.join(FIGURES)}")
        return Markup("\n\n" + render_figure(key, "../" * self.ctx.depth) + "\n\n")

    def treatment_record(self, rows: int = 4) -> Markup:
        """A blank table to fill in at each session."""
        return _snippet("treatment-record.md", rows=rows)

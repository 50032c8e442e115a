"""Stage 3, render: a :class:`Clinic` and the :class:`Content` → a plain MkDocs project.

Each guide page is a Jinja2 template rendered in a sandbox with ``StrictUndefined`` and
autoescaping. Clinic values reach pages only through :class:`ClinicView`, as placeholders
that are then replaced with the values escaped for Markdown and HTML (see page_values);
clinic text is never itself compiled as a template. The output folder, ``build/<slug>/``,
holds ``mkdocs.yml``, ``docs/`` and a copy of ``overrides/``: a plain project with every
clinic value in place and no hook or plugin of its own, which ``mkdocs``, ``properdocs``
and ``zensical`` build into the same pages.
"""

from __future__ import annotations

import html
import json
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from mesoguide.errors import Problem, UserError, did_you_mean, raise_if_any
from mesoguide.inputs.asof import as_of_text
from mesoguide.inputs.content import STUDY_DESIGNS, Claim, Content, Page, Reference
from mesoguide.inputs.favicon import site_favicon
from mesoguide.inputs.profile import PHONE, Clinic
from mesoguide.inputs.yamlfile import load_yaml
from mesoguide.render import page_values, pagesyntax
from mesoguide.render.blocks import MAX_CLAIMS_IN_CONTEXT, claim_html, jump_list_html, other_claims_html
from mesoguide.render.country_help import COUNTRY_VALUE_NAMES, country_values, help_contacts, support_links
from mesoguide.render.figures import FIGURES, render_figure
from mesoguide.render.jinjacache import SharedBytecodeCache
from mesoguide.render.json_ld import EDITORS, VERDICT_LABELS, Mark, Publisher, as_is, page_json_ld
from mesoguide.render.options_grid import render_grid

CLINIC_PAGES_DIR = "clinic"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")


def dump_yaml(data: Any) -> str:
    """YAML in the order given, with libyaml's emitter (the pure-Python one is ten times slower)."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


class ContentError(Exception):
    """A macro was called wrongly (unknown claim or reference id); reported at the call's line."""


def markdown_text(value: object) -> Markup:
    """Escape a plain value for Markdown and then HTML, so it always shows literally."""
    return Markup(escape(MARKDOWN_SPECIALS.sub(r"\\\1", str(value))))


def phone_href(phone: str) -> str:
    """``tel:`` address from a validated phone number (digits and a leading +)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _is_phone_number(value: str) -> bool:
    """The out-of-hours contact may be a number (made a tel: link) or an instruction."""
    return bool(PHONE.fullmatch(value))


CLINIC_VALUE = page_values.PLACEHOLDER
"""Where a clinic value goes in a rendered page, until it is put in place (see page_values)."""


def clinic_values(clinic: Clinic) -> dict[str, str | None]:
    """The clinic's values as finished, escaped HTML, by the name page templates use.

    A value the clinic did not give is None: page templates can ask ``{% if clinic.x %}``.
    Every name here reaches the templates and the pages; nothing else lists them.
    """
    p = clinic.profile
    values = {
        "name": escape(p.name),
        "phone": f'<a href="{escape(phone_href(p.contact.phone))}">{escape(p.contact.phone)}</a>',
        "emergency_number": f'<a href="tel:{escape(clinic.emergency_number)}">{escape(clinic.emergency_number)}</a>',
        "email": escape(p.contact.email),
        "regulator": escape(p.legal.regulator),
        "country": escape(clinic.country.name if clinic.country else p.country),
    }
    ooh = p.contact.out_of_hours
    values["out_of_hours"] = None
    if ooh:
        values["out_of_hours"] = (
            f'<a href="{escape(phone_href(ooh))}">{escape(ooh)}</a>' if _is_phone_number(ooh) else escape(ooh)
        )
    scheme = clinic.country.reporting_scheme if clinic.country else None
    url = clinic.country.reporting_url if clinic.country else None
    values["reporting_scheme"] = f'<a href="{escape(url)}">{escape(scheme)}</a>' if scheme and url else None
    values.update(dict.fromkeys(COUNTRY_VALUE_NAMES))  # None unless the country gives them
    values.update(country_values(clinic.country))
    return {name: None if value is None else str(value) for name, value in values.items()}


class ClinicView:
    """What page templates may read about the clinic: placeholders, no methods, no models.

    ``{{ clinic.name }}`` writes a placeholder element, not the name, so a page is rendered
    once for every clinic that gave the same values; the values are put in place afterwards.
    A value the clinic did not give (out-of-hours contact, a country's reporting scheme) is
    None, for ``{% if %}``. So what a template writes depends only on which values the
    clinic gave (``shape``: each name of clinic_values() and whether it was given).
    """

    def __init__(self, shape: frozenset[tuple[str, bool]]) -> None:
        # For macros that list a varying number of values (support links).
        self.given_names = frozenset(name for name, given in shape if given)
        for name, given in shape:
            setattr(self, name, Markup(CLINIC_VALUE.format(name)) if given else None)


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


class Macros:
    """The functions page templates call: claim(), cite(), get_help_contacts() and the lists."""

    def __init__(self, view: ClinicView, content: Content, context: PageContext) -> None:
        self.view = view
        self.content = content
        self.ctx = context

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

    def _ref_links(self, ref_ids: list[str]) -> str:
        links = []
        for ref_id in ref_ids:
            number = self._reference_number(ref_id)
            links.append(
                f'<a href="{self.ctx.url("references", "ref-" + ref_id)}" aria-label="Reference {number}">[{number}]</a>'
            )
        return " ".join(links)

    def claim_block(self, claim: Claim) -> Markup:
        """One claim check as a single HTML block with ``id="claim-<id>"``, fact first."""
        self.ctx.claims_shown.append(claim.id)
        source = self.content.sources[claim.source].description
        return claim_html(claim, VERDICT_LABELS[claim.verdict], source, Markup(self._ref_links(claim.references)))

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
        links = [f"[{self._reference_number(ref_id)}](references.md#ref-{ref_id})" for ref_id in ref_ids]
        return Markup('<sup class="mg-cite">' + ", ".join(links) + "</sup>")

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
        view = self.view
        regulator = f"You can also complain to the body that regulates the clinic: {view.regulator}."
        if view.reporting_scheme:
            return Markup(
                f"In {view.country}, report side effects of medicines and medical products to {view.reporting_scheme}. {regulator}"
            )
        return Markup(f"Ask your doctor how to report a side effect in {view.country}. {regulator}")

    def claims_by_page(self) -> Markup:
        """Every claim, grouped under the page it belongs to in the site's page order, after a jump list."""
        blocks = []
        links = []
        order = [name for name in self.ctx.page_order if name in self.content.pages]
        order += [name for name in self.content.pages if name not in order]
        for page_name in order:
            page = self.content.pages[page_name]
            claims = self.content.claims_on(page_name)
            if not claims:
                continue
            anchor = f"claims-{page_name}"
            links.append((anchor, f"{page.meta.title} ({len(claims)})"))
            blocks.append(f"## {markdown_text(page.meta.title)} {{: #{anchor} }}\n")
            blocks.append(f"Read these claims in context on [{markdown_text(page.meta.title)}]({page_name}.md).\n")
            blocks += [str(self.claim_block(claim)) + "\n" for claim in claims]
        self.ctx.lists_all_claims = True
        return Markup(str(jump_list_html("Claims by topic", links)) + "\n\n" + "\n".join(blocks))

    def references_list(self) -> Markup:
        """The numbered reference list with DOI, PubMed and canonical links."""
        items = []
        for ref in self.content.references.values():
            # Authors often end in "et al."; one full stop, never two.
            parts = [escape(ref.authors.rstrip(".")) + "." if ref.authors else "", f"<cite>{escape(ref.title)}</cite>."]
            venue = ", ".join(escape(x) for x in (ref.container, ref.year, ref.details) if x)
            if venue:
                parts.append(f"{venue}.")
            links = []
            if ref.doi:
                links.append(f'<a href="https://doi.org/{escape(ref.doi)}">doi:{escape(ref.doi)}</a>')
            if ref.pmid:
                links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/">PubMed {ref.pmid}</a>')
            if not ref.doi and ref.url != f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/":
                links.append(f'<a href="{escape(ref.url)}">{escape(ref.url)}</a>')
            parts.append(" · ".join(links))
            parts.append(f'<br><span class="mg-ref-design">{escape(reference_design(ref))}</span>')
            if ref.note:
                parts.append(f'<br><span class="mg-ref-note">{escape(ref.note)}</span>')
            items.append(f'<li id="ref-{ref.id}">' + " ".join(p for p in parts if p) + "</li>")
        return Markup('<ol class="mg-refs">\n' + "\n".join(items) + "\n</ol>")

    def glossary_entries(self) -> Markup:
        """Each glossary term as a short paragraph with an anchor, under A to Z headings with a jump list."""
        by_letter: dict[str, list[str]] = {}
        for entry in sorted(self.content.glossary, key=lambda e: e.term.lower()):
            anchor = "term-" + re.sub(r"[^a-z0-9]+", "-", entry.term.lower()).strip("-")
            letter = entry.term[:1].upper() if entry.term[:1].isalpha() else "#"
            by_letter.setdefault(letter, []).append(
                f"**{markdown_text(entry.term[:1].upper() + entry.term[1:])}**: {markdown_text(entry.definition)}\n{{: #{anchor} }}"
            )
        anchors = {letter: "letter-" + (letter.lower() if letter.isalpha() else "other") for letter in by_letter}
        parts = [str(jump_list_html("Jump to a letter", [(anchors[letter], letter) for letter in by_letter]))]
        for letter, paragraphs in by_letter.items():
            parts.append(f"## {markdown_text(letter)} {{: #{anchors[letter]} }}")
            parts += paragraphs
        return Markup("\n\n".join(parts))

    def clinical_reviewers(self) -> Markup:
        """Who reviewed which pages, from the pages' front matter (for the about page)."""
        pages_by_reviewer: dict[tuple[str, str | None], list[str]] = {}
        for page in self.content.pages.values():
            if page.meta.clinical_reviewer:
                key = (page.meta.clinical_reviewer, page.meta.reviewer_registration)
                pages_by_reviewer.setdefault(key, []).append(markdown_text(page.meta.title))
        if not pages_by_reviewer:
            return Markup("No doctor or other clinician has reviewed this guide yet.")
        lines = ["These clinicians have reviewed pages of this guide:\n"]
        for (name, registration), titles in pages_by_reviewer.items():
            registered = f" (registration: {markdown_text(registration)})" if registration else ""
            lines.append(f"- {markdown_text(name)}{registered}: {', '.join(titles)}")
        return Markup("\n".join(lines) + "\n")

    def options_grid(self) -> Markup:
        """Every option of content/options.yml as one grid (see options.py)."""
        if not self.content.options:
            raise ContentError("options_grid() found no options; they are listed in content/options.yml")
        return Markup("\n\n" + render_grid(self.content.options, lambda ref: Markup(self._ref_links([ref]))) + "\n\n")

    def figure(self, key: str) -> Markup:
        """A diagram with its caption and text version, e.g. ``{{ figure("scar-types") }}`` (see figures.py)."""
        if key not in FIGURES:
            raise ContentError(f"unknown figure {key!r}; the figures are {', '.join(FIGURES)}")
        return Markup("\n\n" + render_figure(key, "../" * self.ctx.depth) + "\n\n")

    def treatment_record(self, rows: int = 4) -> Markup:
        """A blank table to fill in at each session."""
        header = "| Date | Clinic | Practitioner | Product name | Batch (lot) number |\n|---|---|---|---|---|"
        blank = "| &nbsp; | &nbsp; | &nbsp; | &nbsp; | &nbsp; |"
        return Markup("\n".join([header] + [blank] * rows))


def reference_design(ref: Reference) -> str:
    """What kind of source it is, in words, with how many people where that is known."""
    kind = ref.design[:1].upper() + ref.design[1:]
    if ref.participants is None:
        return f"{kind}."
    people = "1 person" if ref.participants == 1 else f"{ref.participants:,} people"
    if ref.design in STUDY_DESIGNS:
        return f"{kind}, {people}."
    return f"{kind} of studies with {people} in all."


def _environment(pages: dict[str, Page], cache_dir: Path | None) -> ImmutableSandboxedEnvironment:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        page = pages.get(name)
        return (page.body, str(page.source), lambda: True) if page else None

    return ImmutableSandboxedEnvironment(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        **pagesyntax.SYNTAX,
        bytecode_cache=SharedBytecodeCache(cache_dir, by_file_name=True),
    )


def _error_line(exc: BaseException, page: Page) -> int | None:
    """The template line an exception came from, mapped to the page file's line."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return page.body_line + exc.lineno - 1
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == str(page.source) and frame.lineno:
            return page.body_line + frame.lineno - 1
    return None


def abbreviations(content: Content) -> dict[str, str]:
    """Glossary words and their meanings, for Markdown's ``abbr`` tooltips on every page.

    Given to the extension as its ``glossary`` option rather than as ``*[term]:`` lines in
    each page: parsing a hundred definitions per page made every build twice as slow.
    """
    glossary = {}
    for entry in (e for e in content.glossary if e.tooltip):
        for form in sorted({entry.term, entry.term[:1].upper() + entry.term[1:], *entry.also}):
            glossary[form] = entry.definition
    return glossary


def _with_glossary(extensions: list[Any], glossary: dict[str, str]) -> list[Any]:
    """The base's Markdown extensions with ``abbr`` configured to use the glossary."""
    result: list[Any] = []
    for extension in extensions:
        name = extension if isinstance(extension, str) else next(iter(extension))
        result.append({"abbr": {"glossary": glossary}} if name == "abbr" else extension)
    return result


def render_page(
    page: Page, view: ClinicView, content: Content, env: ImmutableSandboxedEnvironment, page_order: tuple[str, ...] = ()
) -> tuple[str, PageContext]:
    """Render one page's body; raises ContentError, TemplateError or SecurityError."""
    ctx = PageContext(page=page.name, depth=0 if page.name == "index" else 1, page_order=page_order)
    macros = Macros(view, content, ctx)
    template = env.get_template(page.name)
    body = template.render(
        clinic=view,
        content_version=content.version,
        editors_contact=content.editors_contact,
        claim=macros.claim,
        other_claims=macros.other_claims,
        cite=macros.cite,
        as_of=macros.as_of,
        get_help_contacts=macros.get_help_contacts,
        support_links=macros.support_links,
        report_side_effect=macros.report_side_effect,
        claims_by_page=macros.claims_by_page,
        references_list=macros.references_list,
        glossary_entries=macros.glossary_entries,
        treatment_record=macros.treatment_record,
        clinical_reviewers=macros.clinical_reviewers,
        options_grid=macros.options_grid,
        figure=macros.figure,
    )
    return body, ctx


def reviewed_by(reviewer: str | None, registration: str | None) -> dict[str, str] | None:
    """schema.org ``reviewedBy`` for the page's JSON-LD; the registration as its identifier."""
    if not reviewer:
        return None
    person = {"@type": "Person", "name": reviewer}
    if registration:
        person["identifier"] = registration
    return person


def _front_matter(page: Page) -> str:
    """The start of the page's front matter (no closing line): the part that depends on the content alone."""
    meta = page.meta
    data = {
        "title": meta.title,
        "description": meta.description,
        "author": meta.author,
        "clinical_reviewer": meta.clinical_reviewer,
        "reviewer_registration": meta.reviewer_registration,
        "reviewed_by": reviewed_by(meta.clinical_reviewer, meta.reviewer_registration),
        "last_reviewed": meta.last_reviewed.isoformat(),
        "next_review": meta.next_review.isoformat(),
        "changed_since_review": page.changed_since_review,
        "guide_page": True,
    }
    if not meta.searchable:
        # Every patient downloads the search index on first view; repeated text only adds weight.
        data["search"] = {"exclude": True}
    return "---\n" + dump_yaml(data)


@dataclass(frozen=True)
class _RenderedPage:
    """A guide page rendered with placeholders: what clinics that gave the same values share."""

    front_matter: str
    """Front matter without its closing line; the page's structured data follows it."""
    body: str
    lists_all_claims: bool


@dataclass
class _ContentWork:
    """What rendering one loaded Content computes once for every clinic."""

    content: Content
    environment: ImmutableSandboxedEnvironment
    """Compiled page templates."""
    pages: dict[tuple[frozenset[tuple[str, bool]], tuple[str, ...]], dict[str, _RenderedPage]] = field(default_factory=dict)
    """Rendered guide pages by the clinic values given and the navigation order."""


# Kept for the last Content object rendered (build --all renders every clinic from one);
# a newly loaded Content starts afresh, so nothing survives a change to the content.
_LAST: _ContentWork | None = None


def _per_content(content: Content, cache_dir: Path | None = None) -> _ContentWork:
    global _LAST
    if _LAST is None or _LAST.content is not content:
        _LAST = _ContentWork(content, _environment(content.pages, cache_dir))
    return _LAST


def nav_order(config: dict[str, Any]) -> tuple[str, ...]:
    """Page names (file names without .md) in the order the navigation lists them."""
    names: list[str] = []

    def walk(items: Any) -> None:
        for item in items or []:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                names.append(value.removesuffix(".md"))

    walk(config.get("nav"))
    return tuple(names)


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


def values_in_place(clinic: Clinic, mark: Mark = as_is) -> dict[str, str]:
    """Each value the clinic gave, as it is written into a page (see page_values), passed through ``mark``."""
    return {
        name: mark(page_values.markdown_safe(value), True) for name, value in clinic_values(clinic).items() if value is not None
    }


def render_pages(
    clinic: Clinic, content: Content, page_order: tuple[str, ...] = (), cache_dir: Path | None = None, mark: Mark = as_is
) -> dict[str, str]:
    """Every guide page for ``clinic``, as Markdown with front matter, by file name.

    Every clinic value is in place, passed through ``mark`` (the site stage's prototypes
    pass markers; see site/prototype.py).
    """
    work = _per_content(content, cache_dir)
    shape = frozenset((name, value is not None) for name, value in clinic_values(clinic).items())
    key = (shape, page_order)
    if key not in work.pages:
        work.pages[key] = _render_guide_pages(ClinicView(shape), content, work.environment, page_order)
    values = values_in_place(clinic, mark)
    names = publisher(clinic, mark)
    pages = {}
    for name, rendered in work.pages[key].items():
        data = {"json_ld": page_json_ld(content.pages[name], content, names, rendered.lists_all_claims)}
        body = page_values.put_in_place(rendered.body, values)
        pages[f"{name}.md"] = rendered.front_matter + dump_yaml(data) + "---\n" + body
    return pages


MISPLACED_CLINIC_VALUE = re.compile(r"^ {0,3}#.*\{\{-?\s*clinic\.|\]\([^)]*\{\{-?\s*clinic\.")


def _misplaced_clinic_values(page: Page) -> list[Problem]:
    """A heading's anchor or a link address would then differ from clinic to clinic, and clinics could not share pages."""
    return [
        Problem(
            page.source,
            page.body_line + number,
            "a clinic value cannot go in a heading or a link address (clinics share each page's conversion); "
            "put it in the text below",
        )
        for number, line in enumerate(page.body.splitlines())
        if MISPLACED_CLINIC_VALUE.search(line)
    ]


def _render_guide_pages(
    view: ClinicView, content: Content, env: ImmutableSandboxedEnvironment, page_order: tuple[str, ...]
) -> dict[str, _RenderedPage]:
    problems: list[Problem] = []
    rendered: dict[str, _RenderedPage] = {}
    shown_on: dict[str, list[str]] = {}
    for page in content.pages.values():
        problems += _misplaced_clinic_values(page)
        try:
            body, ctx = render_page(page, view, content, env, page_order)
        except (ContentError, TemplateError, SecurityError, UndefinedError) as exc:
            message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
            if isinstance(exc, UndefinedError):
                message = f"{message} (page templates may use clinic.*, claim(), cite() and the list macros)"
            problems.append(Problem(page.source, _error_line(exc, page), message))
            continue
        shown_on[page.name] = ctx.claims_shown
        rendered[page.name] = _RenderedPage(_front_matter(page), body.rstrip("\n") + "\n", ctx.lists_all_claims)
    for claim in content.claims:
        if claim.page in shown_on and claim.id not in shown_on[claim.page]:
            page = content.pages[claim.page]
            problems.append(
                Problem(
                    page.source,
                    None,
                    f'claim {claim.id!r} belongs on this page but is not shown; add {{{{ claim("{claim.id}") }}}}',
                )
            )
    raise_if_any(problems)
    return rendered


def render_clinic_pages(clinic: Clinic, mark: Mark = as_is) -> dict[str, str]:
    """The clinic's own pages, each with a visible label; never passed through Jinja."""
    label = page_values.put_in_place(
        '<p class="mg-clinic-label"><strong>From the clinic:</strong> '
        f"{CLINIC_VALUE.format('name')} wrote this page. The guide's editors did not write or check it.</p>",
        values_in_place(clinic, mark),
    )
    out = {}
    for page in clinic.pages:
        front = dump_yaml({"clinic_page": True})
        out[f"{CLINIC_PAGES_DIR}/{page.name}.md"] = f"---\n{front}---\n{label}\n\n{page.text.rstrip()}\n"
    return out


def clinic_css(clinic: Clinic) -> str:
    """Material's colour variables for both schemes, from the derived palette."""
    p = clinic.palette
    return (
        "/* Generated by mesoguide from the clinic's brand colours; see `mesoguide check`. */\n"
        ":root, [data-md-color-scheme=default] {\n"
        f"  --md-primary-fg-color: {p.primary};\n"
        f"  --md-primary-fg-color--light: {p.primary};\n"
        f"  --md-primary-fg-color--dark: {p.primary};\n"
        f"  --md-primary-bg-color: {p.on_primary};\n"
        f"  --md-primary-bg-color--light: {p.on_primary};\n"
        f"  --md-accent-fg-color: {p.accent_light};\n"
        f"  --md-typeset-a-color: {p.link_light};\n"
        "}\n"
        "[data-md-color-scheme=slate] {\n"
        f"  --md-primary-fg-color: {p.primary};\n"
        f"  --md-primary-fg-color--light: {p.primary};\n"
        f"  --md-primary-fg-color--dark: {p.primary};\n"
        f"  --md-primary-bg-color: {p.on_primary};\n"
        f"  --md-primary-bg-color--light: {p.on_primary};\n"
        f"  --md-accent-fg-color: {p.accent_dark};\n"
        f"  --md-typeset-a-color: {p.link_dark};\n"
        "}\n"
    )


def extra_clinic(clinic: Clinic) -> dict[str, Any]:
    """Clinic values for the theme overrides (``config.extra.clinic``); escaped there."""
    p = clinic.profile
    c = p.contact
    return {
        "slug": clinic.slug,
        "name": p.name,
        "tagline": p.tagline,
        "phone": c.phone,
        "phone_href": phone_href(c.phone),
        "out_of_hours": c.out_of_hours,
        "out_of_hours_href": phone_href(c.out_of_hours) if c.out_of_hours and _is_phone_number(c.out_of_hours) else None,
        "email": c.email,
        "address": [line.strip() for line in c.address.splitlines() if line.strip()],
        "website": c.website,
        "booking_url": c.booking_url,
        "company": p.legal.company,
        "regulator": p.legal.regulator,
        "licence": p.legal.licence,
        "emergency_number": clinic.emergency_number,
        "country": clinic.country.name if clinic.country else p.country,
        "site_url": p.site_url,
        "logo": "assets/clinic/" + clinic.logo.name,
        "practitioners": [pr.model_dump() for pr in p.practitioners],
    }


SITE_CSS = "assets/stylesheets/mesoguide.css"


def inline_css(clinic: Clinic, project_root: Path) -> str:
    """The site's own CSS and the clinic's palette, inlined in every page's <head>.

    Two more stylesheet requests would block the first paint on a slow phone connection;
    together they are under 4 KB. The text comes from overrides/ and from validated hex
    colours, never from free clinic text.
    """
    css = (project_root / "overrides" / SITE_CSS).read_text(encoding="utf-8") + clinic_css(clinic)
    if "</" in css:
        raise UserError([Problem(project_root / "overrides" / SITE_CSS, None, "'</' may not appear in the site's CSS")])
    return css


# Clinic values the theme runs through MkDocs' url filter, which rewrites paths: never marked.
UNMARKED_KEYS = frozenset({"logo"})


def _mark_tree(value: Any, mark: Mark) -> Any:
    """Every non-empty string in ``value`` passed through ``mark``; None, booleans and numbers are kept."""
    if isinstance(value, dict):
        return {k: (v if k in UNMARKED_KEYS else _mark_tree(v, mark)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_tree(v, mark) for v in value]
    if isinstance(value, str) and value:
        return mark(value, False)
    return value  # None, booleans, numbers and empty text decide what is shown: part of the shape


def _mark_host(site_url: str, mark: Mark) -> str:
    """The site address with its host passed through ``mark``; MkDocs reads the path."""
    url = urlsplit(site_url)
    return urlunsplit((url.scheme, mark(url.netloc, False), url.path, url.query, url.fragment))


def mkdocs_config(base: dict[str, Any], clinic: Clinic, content: Content, css: str = "", mark: Mark = as_is) -> dict[str, Any]:
    """The clinic's mkdocs.yml: the base definition plus branding and paths, clinic values passed through ``mark``."""
    config = json.loads(json.dumps(base))  # a deep copy that cannot share state with the base
    p = clinic.profile
    # Material prints site_name unescaped in places our overrides do not reach: escape once.
    config["site_name"] = mark(html.escape(p.name), True)
    config["site_url"] = _mark_host(p.site_url, mark) if p.site_url else p.site_url
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = config.setdefault("theme", {})
    theme["custom_dir"] = "overrides"
    theme["language"] = p.language
    theme["logo"] = "assets/clinic/" + clinic.logo.name
    theme["favicon"] = "assets/clinic/" + site_favicon(clinic)[0]
    extra = config.setdefault("extra", {})
    extra["clinic"] = _mark_tree(extra_clinic(clinic), mark)
    extra["content_version"] = content.version
    extra["release_date"] = content.release_date.isoformat()
    extra["editors"] = EDITORS
    extra["editors_contact"] = content.editors_contact
    extra["inline_css"] = mark(css, True) if css else css
    config["markdown_extensions"] = _with_glossary(config.get("markdown_extensions", []), abbreviations(content))
    if clinic.pages:
        config.setdefault("nav", []).append({"From your clinic": [f"{CLINIC_PAGES_DIR}/{page.name}.md" for page in clinic.pages]})
    return config


def load_base_config(project_root: Path) -> dict[str, Any]:
    path = project_root / "mkdocs.yml"
    if not path.is_file():
        raise UserError([Problem(path, None, "base site definition not found")])
    data, _ = load_yaml(path)  # the same limits as every other YAML file: no aliases, bounded depth and size
    if not isinstance(data, dict):
        raise UserError([Problem(path, 1, "the base site definition must be a mapping of keys to values")])
    return data


PROJECT_HEADER = "# Generated by mesoguide render from mkdocs.yml and the clinic's profile; do not edit.\n"


def _project(
    clinic: Clinic, content: Content, project_root: Path, cache_dir: Path | None, mark: Mark = as_is
) -> tuple[dict[str, bytes], list[str]]:
    """The project's files (every clinic value passed through ``mark``) and the paths of the clinic's own files."""
    base = load_base_config(project_root)
    pages = render_pages(clinic, content, nav_order(base), cache_dir, mark)
    files: dict[str, bytes] = {f"docs/{name}": text.encode() for name, text in pages.items()}
    files.update({f"docs/{name}": text.encode() for name, text in render_clinic_pages(clinic, mark).items()})
    favicon_name, favicon = site_favicon(clinic)
    assets = [f"docs/assets/clinic/{clinic.logo.name}", f"docs/assets/clinic/{favicon_name}"]
    files[assets[0]] = clinic.logo.read_bytes()
    files[assets[1]] = favicon  # the logo's own bytes again when the logo serves as the favicon
    overrides = project_root / "overrides"
    if not overrides.is_dir():
        raise UserError([Problem(overrides, None, "theme overrides folder not found; it holds the templates every site needs")])
    for path in sorted(overrides.rglob("*")):
        if path.is_file():
            files[f"overrides/{path.relative_to(overrides).as_posix()}"] = path.read_bytes()
    config = mkdocs_config(base, clinic, content, inline_css(clinic, project_root), mark)
    files["mkdocs.yml"] = (PROJECT_HEADER + dump_yaml(config)).encode()
    return files, sorted(set(assets))


def project_files(clinic: Clinic, content: Content, project_root: Path, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the rendered project, in memory; raises UserError on any problem."""
    return _project(clinic, content, project_root, cache_dir)[0]


def _glossary_meets_values(clinic: Clinic, content: Content) -> bool:
    """Whether a glossary word occurs in a clinic value that goes into a page.

    Markdown's ``abbr`` then marks the word up inside the value, which a marker standing
    for the value would not show; such a clinic's site is built from its own project.
    Tags and character references count as spaces, which can only find more words.
    """
    terms = sorted(abbreviations(content), key=len, reverse=True)
    if not terms:
        return False
    word = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b")
    texts = (re.sub(r"<[^>]*>|&[^;\s]*;", " ", value) for value in values_in_place(clinic).values())
    return any(word.search(text) for text in texts)


@dataclass(frozen=True)
class RenderedProject:
    """A clinic's project on disk, and the same project with other values for the site stage's shared builds."""

    clinic: Clinic
    path: Path
    config_file: Path
    files_with: Callable[[Mark], dict[str, bytes]]
    """The project's files with every clinic value passed through the given function."""
    clinic_files: tuple[str, ...] = ()
    """Project paths of the clinic's own files (logo, favicon)."""
    shares_builds: bool = True
    """False when markers for the values would not be converted as the values are (see _glossary_meets_values)."""


def sync_tree(files: dict[str, bytes], dest: Path) -> None:
    """Make ``dest`` hold exactly ``files``; unchanged files are not touched (live reload stays quiet)."""
    dest.mkdir(parents=True, exist_ok=True)
    for relative, data in files.items():
        target = dest / relative
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    wanted = {dest / r for r in files}
    for path in sorted(dest.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted and not path.is_relative_to(dest / "site"):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def render(clinic: Clinic, content: Content, out: Path, project_root: Path, cache_dir: Path | None = None) -> RenderedProject:
    """Render ``clinic``'s project into ``out`` (normally ``build/<slug>/``); compiled page templates go to ``cache_dir``."""
    files, assets = _project(clinic, content, project_root, cache_dir)
    sync_tree(files, out)

    def files_with(mark: Mark) -> dict[str, bytes]:
        return _project(clinic, content, project_root, cache_dir, mark)[0]

    return RenderedProject(
        clinic, out, out / "mkdocs.yml", files_with, tuple(assets), shares_builds=not _glossary_meets_values(clinic, content)
    )

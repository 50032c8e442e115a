"""Stage 2, content: ``content/`` → a validated :class:`Content`.

Loads the four registries (claims, references, sources, glossary), the pages with their
front matter, the content version and its release date. Every problem across all files
is collected and raised together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from mesoguide.errors import Problem, UserError, raise_if_any
from mesoguide.inputs.changelog import release_date
from mesoguide.inputs.designs import STUDY_DESIGNS, SYNTHESIS_DESIGNS, Design, Findable
from mesoguide.inputs.options import Option, option_problems
from mesoguide.inputs.schema import StrictModel, validation_problems
from mesoguide.inputs.yamlfile import LineMap, load_yaml, parse_yaml

Verdict = Literal["supported", "overstated", "unsupported", "misleading", "false"]
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
MAX_REVIEW_INTERVAL_DAYS = 731  # 24 months, counting a leap day


def _check_id(value: str) -> str:
    if not ID.match(value):
        raise ValueError(f"{value!r} is not an id: use lower-case letters, digits and hyphens")
    return value


class Source(StrictModel):
    """A source article that claims are quoted from; described on the site, never named."""

    id: str = Field(description="The article's file name without .txt.")
    description: str = Field(min_length=1, description='Neutral description, e.g. "a clinic\'s blog post, UK".')
    kind: str = Field(description="What sort of document it is, e.g. blog post.")
    country: str | None = Field(None, description="Country of the publisher, where known.")
    language: str | None = Field(None, description="Language of the original, where known.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the article's text file.")


class Reference(StrictModel):
    """One entry of the bibliography."""

    id: str = Field(description="Short id used by cite() and claims, e.g. singsing-2022.")
    design: Design = Field(description="What kind of source it is; see STUDY_DESIGNS, SYNTHESIS_DESIGNS and OTHER_KINDS.")
    authors: str | None = Field(None, description="Authors as published, or the issuing body.")
    title: str = Field(min_length=1)
    container: str | None = Field(None, description="Journal, book or publisher.")
    year: int | None = Field(None, ge=1900, le=2100)
    details: str | None = Field(None, description="Volume, issue and pages.")
    doi: str | None = Field(None, pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(None, pattern=r"^\d{1,9}$")
    url: str = Field(
        pattern=r"^https://\S+$",
        description="Canonical address; derived from the DOI, else the PMID, when left out.",
    )
    participants: int | None = Field(
        None, ge=1, description="Number of people studied; for a review, the people in the studies it pooled."
    )
    not_found: dict[Findable, str] = Field(
        default_factory=dict,
        description="A detail of a study or review that was looked for and not found, with where it was looked for.",
    )
    note: str | None = Field(None, description="What a reader should know about the strength of this source.")

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        return _check_id(value)

    @field_validator("not_found")
    @classmethod
    def _reasons_given(cls, value: dict[str, str]) -> dict[str, str]:
        for field, reason in value.items():
            if not reason.strip():
                raise ValueError(f"say where '{field}' was looked for")
        return value

    @model_validator(mode="before")
    @classmethod
    def _derive_url(cls, data: object) -> object:
        """An entry with a DOI or PMID need not repeat it as an address."""
        if isinstance(data, dict) and data.get("url") is None:
            if data.get("doi"):
                return {**data, "url": f"https://doi.org/{data['doi']}"}
            if data.get("pmid"):
                return {**data, "url": f"https://pubmed.ncbi.nlm.nih.gov/{data['pmid']}/"}
        return data

    @property
    def is_research(self) -> bool:
        return self.design in STUDY_DESIGNS or self.design in SYNTHESIS_DESIGNS


class Claim(StrictModel):
    """A claim quoted from a source article, with our verdict on it."""

    id: str
    source: str = Field(description="Id of the source article.")
    quote: str = Field(min_length=1, description="Verbatim, one sentence or less.")
    verdict: Verdict
    explanation: str = Field(min_length=1, description="At most two plain sentences.")
    references: list[str] = Field(min_length=1)
    page: str = Field(description="Page (file name without .md) where the claim is shown in context.")

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        return _check_id(value)


class GlossaryEntry(StrictModel):
    """A medical word and its plain meaning."""

    term: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    also: list[str] = Field(default_factory=list, description="Other forms of the word that get the same tooltip.")
    tooltip: bool = Field(True, description="False for words so common on the site that a tooltip on each would be noise.")


class Editors(StrictModel):
    """content/editors.yml: how readers reach the guide's editors (not the clinic) about an error."""

    email: str = Field(pattern=r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$", description="Where error reports go.")


class FrontMatter(StrictModel):
    """What every guide page declares about itself."""

    title: str = Field(min_length=1)
    description: str = Field(min_length=1, max_length=300)
    author: str = Field(min_length=1)
    clinical_reviewer: str | None = Field(description="null until a named clinician has reviewed the page.")
    reviewer_registration: str | None = Field(
        None, description="The reviewer's professional registration as they gave it (free text: not verified)."
    )
    reviewed_content_hash: str | None = None
    last_reviewed: dt.date
    next_review: dt.date
    generated: bool = Field(False, description="True for pages generated from a registry.")
    searchable: bool = Field(True, description="False keeps the page out of the search index (its text repeats other pages).")

    @model_validator(mode="after")
    def _review_interval(self) -> FrontMatter:
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        if (self.next_review - self.last_reviewed).days > MAX_REVIEW_INTERVAL_DAYS:
            raise ValueError("next_review may be at most 24 months after last_reviewed")
        if self.reviewed_content_hash and not self.clinical_reviewer:
            raise ValueError("reviewed_content_hash is set but clinical_reviewer is null")
        return self


@dataclass(frozen=True)
class Page:
    """One guide page: its front matter and its Jinja/Markdown body."""

    name: str
    source: Path
    meta: FrontMatter
    body: str
    body_line: int
    """Line of ``source`` on which the body starts (after the front matter)."""

    @property
    def content_hash(self) -> str:
        """SHA-256 of the body as written; a clinical review records it."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @property
    def changed_since_review(self) -> bool:
        """True when the page was reviewed and its body has been edited since."""
        recorded = self.meta.reviewed_content_hash
        return bool(recorded) and recorded != self.content_hash


@dataclass(frozen=True)
class Content:
    """Everything in ``content/``, validated."""

    root: Path
    pages: dict[str, Page]
    claims: tuple[Claim, ...]
    references: dict[str, Reference]
    sources: dict[str, Source]
    glossary: tuple[GlossaryEntry, ...]
    version: str
    release_date: dt.date
    line_maps: dict[str, LineMap]
    """Line maps of the registries, by file name, for checks that point at entries."""
    editors_contact: str = ""
    """The editors' address for error reports (content/editors.yml); the same on every clinic's site."""
    options: tuple[Option, ...] = ()
    """The option grid's choices (content/options.yml, optional)."""

    def claims_on(self, page: str) -> list[Claim]:
        return [c for c in self.claims if c.page == page]

    def reference_number(self, ref_id: str) -> int:
        return list(self.references).index(ref_id) + 1


FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def load_page(path: Path) -> tuple[Page | None, list[Problem]]:
    """Read one page; its front matter must validate."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "is not UTF-8 text; save it as UTF-8 in your editor")]
    match = FRONT_MATTER.match(text)
    if not match:
        return None, [Problem(path, 1, "page must start with YAML front matter between '---' lines")]
    try:
        data, line_map = parse_yaml(match.group(1), path, line_offset=1)
    except UserError as exc:
        return None, exc.problems
    if not isinstance(data, dict):
        return None, [Problem(path, 2, "front matter must be a mapping")]
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, line_map, FrontMatter)
    body_line = match.group(0).count("\n") + 1
    return Page(path.stem, path, meta, text[match.end() :], body_line), []


def _load_list(path: Path, model: type[StrictModel]) -> tuple[list, LineMap, list[Problem]]:
    """A registry file is a YAML list of entries of one model."""
    try:
        data, line_map = load_yaml(path)
    except UserError as exc:
        return [], LineMap(path), exc.problems
    if not isinstance(data, list):
        return [], line_map, [Problem(path, 1, "expected a list of entries")]
    entries, problems = [], []
    for index, item in enumerate(data):
        try:
            entries.append((index, model.model_validate(item)))
        except ValidationError as exc:
            problems += validation_problems(exc, line_map, model, prefix=(index,))
    return entries, line_map, problems


def _unique(entries: list, key: str, line_map: LineMap) -> tuple[dict, list[Problem]]:
    result, problems = {}, []
    for index, entry in entries:
        value = getattr(entry, key)
        if value in result:
            problems.append(Problem(line_map.path, line_map.line_of((index, key)), f"duplicate {key} {value!r}"))
        else:
            result[value] = entry
    return result, problems


def _load_editors(path: Path) -> tuple[Editors | None, list[Problem]]:
    try:
        data, line_map = load_yaml(path)
    except UserError as exc:
        return None, [
            Problem(p.path, p.line, f"{p.message}; it gives the editors' address for error reports") for p in exc.problems
        ]
    try:
        return Editors.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(exc, line_map, Editors)


def load_content(root: Path) -> Content:
    """Load and cross-check everything in ``root`` (normally ``content/``)."""
    root = Path(root)
    problems: list[Problem] = []
    sources_raw, sources_map, p = _load_list(root / "sources.yml", Source)
    problems += p
    references_raw, references_map, p = _load_list(root / "references.yml", Reference)
    problems += p
    claims_raw, claims_map, p = _load_list(root / "claims.yml", Claim)
    problems += p
    glossary_raw, glossary_map, p = _load_list(root / "glossary.yml", GlossaryEntry)
    problems += p
    sources, p = _unique(sources_raw, "id", sources_map)
    problems += p
    references, p = _unique(references_raw, "id", references_map)
    problems += p
    claims_by_id, p = _unique(claims_raw, "id", claims_map)
    problems += p
    _, p = _unique(glossary_raw, "term", glossary_map)
    problems += p

    pages: dict[str, Page] = {}
    pages_dir = root / "pages"
    if not pages_dir.is_dir():
        problems.append(Problem(pages_dir, None, "folder of guide pages not found"))
    else:
        for path in sorted(pages_dir.glob("*.md")):
            page, p = load_page(path)
            problems += p
            if page:
                pages[page.name] = page

    for index, claim in claims_raw:

        def at(field: str, index: int = index) -> int | None:
            return claims_map.line_of((index, field))

        if claim.source not in sources:
            problems.append(
                Problem(
                    claims_map.path, at("source"), f"claim {claim.id!r}: unknown source {claim.source!r}; add it to sources.yml"
                )
            )
        if claim.page not in pages:
            problems.append(
                Problem(
                    claims_map.path,
                    at("page"),
                    f"claim {claim.id!r}: unknown page {claim.page!r} (a file name in content/pages/ without .md)",
                )
            )
        for ref in claim.references:
            if ref not in references:
                problems.append(
                    Problem(
                        claims_map.path,
                        at("references"),
                        f"claim {claim.id!r}: unknown reference {ref!r}; add it to references.yml",
                    )
                )

    editors, p = _load_editors(root / "editors.yml")
    problems += p
    options_raw: list = []
    if (root / "options.yml").is_file():
        options_raw, options_map, p = _load_list(root / "options.yml", Option)
        problems += p + option_problems(options_raw, options_map, set(references))

    version_file = root / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else ""
    if not SEMVER.match(version):
        problems.append(Problem(version_file, 1, "must hold the content version as MAJOR.MINOR.PATCH"))
    release, p = release_date(root / "CHANGELOG.md", version) if version else (None, [])
    problems += p
    raise_if_any(problems)
    return Content(
        root=root,
        pages=pages,
        claims=tuple(claims_by_id.values()),
        references=references,
        sources=sources,
        glossary=tuple(entry for _, entry in glossary_raw),
        version=version,
        release_date=release,  # type: ignore[arg-type]
        line_maps={
            "claims.yml": claims_map,
            "references.yml": references_map,
            "sources.yml": sources_map,
            "glossary.yml": glossary_map,
        },
        editors_contact=editors.email if editors else "",
        options=tuple(option for _, option in options_raw),
    )

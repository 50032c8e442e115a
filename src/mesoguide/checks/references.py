"""Reference completeness: what a reader needs to find and weigh each source.

A study or review names its authors, year, journal (or book) and volume and pages, and
has a DOI or PMID; a study says how many people took part. A detail that was looked for
and not found is declared in ``not_found`` with where it was looked for, so that a gap
is a decision on record rather than an oversight. Addresses are the source itself, never
a search that may find something else tomorrow.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from mesoguide.errors import Problem
from mesoguide.inputs.content import Content, Reference
from mesoguide.inputs.designs import STUDY_DESIGNS

RESEARCH_DETAILS = ("authors", "year", "container", "details")
SEARCH_PARAMETERS = frozenset({"term", "q", "query", "search", "searchterm", "keywords"})
DOUBLED_FULL_STOP = re.compile(r"\.\s*\.\s*$")


def _a(design: str) -> str:
    return ("an " if design[0] in "aeiou" else "a ") + design


def is_search_link(url: str) -> bool:
    """True for an address that runs a search (PubMed ``?term=``, ``/search?q=`` ...)."""
    parsed = urlparse(url)
    if "search" in parsed.path.lower().split("/"):
        return True
    return bool(SEARCH_PARAMETERS & {key.lower() for key in parse_qs(parsed.query)})


def _entry_problems(ref: Reference) -> list[tuple[str, str]]:
    """(field, message) for each rule the entry breaks."""
    found: list[tuple[str, str]] = []
    if is_search_link(ref.url):
        found.append(("url", "the address is a search; give the DOI, the PMID or the page of the source itself"))
    if ref.authors and DOUBLED_FULL_STOP.search(ref.authors):
        found.append(("authors", "the authors end in two full stops; end them with one (e.g. 'et al.')"))
    is_study = ref.design in STUDY_DESIGNS
    if ref.participants is not None and not ref.is_research:
        found.append(("participants", f"{_a(ref.design)} has no participants; remove the number"))
    if not ref.is_research:
        if ref.not_found:
            found.append(("not_found", f"not_found is for studies and reviews, not {_a(ref.design)}"))
        return found
    present = {
        "authors": ref.authors,
        "year": ref.year,
        "container": ref.container,
        "details": ref.details,
        "identifier": ref.doi or ref.pmid,
        "participants": ref.participants if is_study else "not needed",
    }
    for field, value in present.items():
        declared = field in ref.not_found
        if value and declared:
            found.append(("not_found", f"'{field}' is given, so remove it from not_found"))
        elif not value and not declared:
            found.append((field if field != "identifier" else "doi", _missing_message(ref, field)))
    return found


def _missing_message(ref: Reference, field: str) -> str:
    what = {
        "authors": "its authors",
        "year": "its year",
        "container": "its journal or book (container)",
        "details": "its volume, issue and pages (details)",
        "identifier": "a DOI or PMID",
        "participants": "how many people took part (participants)",
    }[field]
    return f"{_a(ref.design)} needs {what}; add it, or say under not_found where you looked and did not find it"


def reference_problems(content: Content) -> list[Problem]:
    """Every completeness problem of every reference, at the line of the field concerned."""
    line_map = content.line_maps["references.yml"]
    problems = []
    for index, (ref_id, ref) in enumerate(content.references.items()):
        for field, message in _entry_problems(ref):
            line = line_map.line_of((index, field))
            problems.append(Problem(line_map.path, line, f"reference {ref_id!r}: {message}"))
    return problems

"""Reference completeness: each rule of the registry gate fails on its own, at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run
from mesoguide.checks.references import is_search_link
from mesoguide.checks.registry import registry_problems
from mesoguide.errors import UserError
from mesoguide.inputs.content import Reference, load_content
from mesoguide.render import Macros, reference_design

REFS = "content/references.yml"
KONDA_AUTHORS = "  authors: Konda D, Thappa DM\n"
KONDA_DETAILS = '  details: "79(1):127-134"\n'
KONDA_DOI = "  doi: 10.4103/0378-6323.104689\n"
KONDA_URL = "  url: https://doi.org/10.4103/0378-6323.104689\n"
CDC_PARTICIPANTS = "  participants: 14\n"


def check(project: Path, capsys):
    return run(project, "check", "--today", "2026-06-01", "--clinic", "demo", capsys=capsys)


def registry_report(project: Path) -> str:
    """The registry gate's problems as ``path:line: message`` lines, without the slower gates."""
    try:
        problems = registry_problems(load_content(project / "content"), None)
    except UserError as exc:
        problems = exc.problems
    return "\n".join(f"{p.path.relative_to(project).as_posix()}:{p.line}: {p.message}" for p in problems)


def edit(project: Path, old: str, new: str) -> None:
    refs = project / REFS
    text = refs.read_text(encoding="utf-8")
    assert old in text, old
    refs.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, text: str) -> int:
    lines = (project / REFS).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


RULES = [
    (
        "search-link",
        "  url: https://pubmed.ncbi.nlm.nih.gov/16280971/\n",
        "  url: https://pubmed.ncbi.nlm.nih.gov/?term=mesotherapy+skin+reactions\n",
        "url: https://pubmed",
        r"reference 'cdc-2005': the address is a search",
    ),
    ("research-without-authors", KONDA_AUTHORS, "", "- id: konda-2013", r"reference 'konda-2013': a review needs its authors"),
    ("research-without-details", KONDA_DETAILS, "", "- id: konda-2013", r"a review needs its volume, issue and pages"),
    ("research-without-year", "  year: 2013\n", "", "- id: konda-2013", r"a review needs its year"),
    (
        "research-without-container",
        "  container: Indian Journal of Dermatology, Venereology and Leprology\n",
        "",
        "- id: konda-2013",
        r"a review needs its journal or book",
    ),
    ("research-without-doi-or-pmid", KONDA_DOI, "", "- id: konda-2013", r"a review needs a DOI or PMID"),
    (
        "study-without-participants",
        CDC_PARTICIPANTS,
        "",
        "- id: cdc-2005",
        r"reference 'cdc-2005': an outbreak report needs how many people took part",
    ),
    (
        "participants-on-a-law",
        "  design: outbreak report\n",
        "  design: law\n",
        "participants: 14",
        r"reference 'cdc-2005': a law has no participants",
    ),
    (
        "doubled-full-stop",
        KONDA_AUTHORS,
        "  authors: Konda D, et al..\n",
        "authors: Konda",
        r"reference 'konda-2013': the authors end in two full stops",
    ),
    (
        "not-found-for-a-detail-that-is-given",
        KONDA_DETAILS,
        KONDA_DETAILS + "  not_found:\n    year: not shown on the record seen\n",
        "not_found:",
        r"reference 'konda-2013': 'year' is given, so remove it from not_found",
    ),
    (
        "not-found-on-a-law",
        "  design: outbreak report\n",
        "  design: law\n  not_found:\n    authors: nowhere\n",
        "not_found:",
        r"not_found is for studies and reviews, not a law",
    ),
    (
        "not-found-without-where",
        KONDA_DETAILS,
        '  not_found:\n    details: " "\n',
        "not_found:",
        r"'not_found': say where 'details' was looked for",
    ),
    (
        "unknown-design",
        "  design: review\n",
        "  design: expert blog\n",
        "design: expert blog",
        r"'design' must be 'randomised trial', .*'patient information'",
    ),
    ("no-design", "  design: review\n", "", "- id: konda-2013", r"'design' is required"),
]


@pytest.mark.parametrize("old,new,at,pattern", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_reference_rule_fails_at_its_line(project: Path, old: str, new: str, at: str, pattern: str) -> None:
    assert registry_report(project) == ""
    edit(project, old, new)
    report = registry_report(project)
    found = re.search(rf"^content/references.yml:(\d+): .*{pattern}", report, re.M)
    assert found, report
    assert int(found.group(1)) == line_of(project, at)


@pytest.mark.measures_text  # runs mesoguide check
def test_the_check_command_reports_a_search_link_and_fails(project: Path, capsys) -> None:
    edit(project, "  url: https://pubmed.ncbi.nlm.nih.gov/16280971/\n", "  url: https://pubmed.ncbi.nlm.nih.gov/?term=x\n")
    result = check(project, capsys)
    assert result.code == 1
    line = line_of(project, "?term=x")
    assert re.search(rf"^content/references.yml:{line}: reference 'cdc-2005': the address is a search", result.out, re.M)


def test_a_detail_declared_not_found_passes(project: Path) -> None:
    edit(project, KONDA_DETAILS, "  not_found:\n    details: not shown on the PubMed record seen\n")
    assert registry_report(project) == ""


def test_url_is_derived_from_the_doi_then_the_pmid(project: Path) -> None:
    edit(project, KONDA_URL, "")
    edit(project, "  url: https://pubmed.ncbi.nlm.nih.gov/16280971/\n", "")
    assert registry_report(project) == ""
    refs = load_content(project / "content").references
    assert refs["konda-2013"].url == "https://doi.org/10.4103/0378-6323.104689"
    assert refs["cdc-2005"].url == "https://pubmed.ncbi.nlm.nih.gov/16280971/"


def test_an_entry_without_doi_pmid_or_url_is_refused(project: Path) -> None:
    edit(project, KONDA_DOI + KONDA_URL, "")
    report = registry_report(project)
    assert re.search(rf"^content/references.yml:{line_of(project, '- id: konda-2013')}: 'url' is required", report, re.M)


@pytest.mark.parametrize(
    "url,is_search",
    [
        ("https://pubmed.ncbi.nlm.nih.gov/?term=acne+scars", True),
        ("https://www.ncbi.nlm.nih.gov/pmc/?term=x", True),
        ("https://www.cochranelibrary.com/search?q=acne", True),
        ("https://europepmc.org/search?query=acne", True),
        ("https://pubmed.ncbi.nlm.nih.gov/16280971/", False),
        ("https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000023845272", False),
    ],
)
def test_search_links_are_recognised(url: str, is_search: bool) -> None:
    assert is_search_link(url) is is_search


def test_the_list_shows_design_and_people_and_never_et_al_twice(project: Path) -> None:
    edit(project, KONDA_AUTHORS, "  authors: Konda D, et al.\n")
    content = load_content(project / "content")
    html = Macros(None, content, None).references_list()  # type: ignore[arg-type]
    assert "et al.." not in html
    assert "Konda D, et al. <cite>" in html
    assert '<span class="mg-ref-design">Outbreak report, 14 people.</span>' in html
    assert '<span class="mg-ref-design">Review.</span>' in html
    # A PMID-only entry links PubMed once, not twice.
    assert html.count("https://pubmed.ncbi.nlm.nih.gov/16280971/") == 1


def test_design_words_for_reviews_and_single_cases() -> None:
    review = Reference.model_validate(
        {"id": "r", "design": "systematic review", "title": "t", "doi": "10.1000/x", "participants": 423}
    )
    case = Reference.model_validate({"id": "c", "design": "case report", "title": "t", "pmid": "1", "participants": 1})
    assert reference_design(review) == "Systematic review of studies with 423 people in all."
    assert reference_design(case) == "Case report, 1 person."

"""The page macros on a tiny Content built here: the markup each writes, its numbering and its errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mesoguide.inputs.content import Claim, Content, FrontMatter, GlossaryEntry, Page, Reference, Source
from mesoguide.inputs.options import ANSWER_FIELDS, Option
from mesoguide.render.macros import MACROS, ContentError, Macros, PageContext
from mesoguide.render.values import ClinicView

DAY = dt.date(2026, 11, 1)


def page(name: str, title: str, reviewer: str | None = None, registration: str | None = None) -> Page:
    meta = FrontMatter(
        title=title,
        description="d",
        author="a",
        clinical_reviewer=reviewer,
        reviewer_registration=registration,
        last_reviewed=DAY,
        next_review=DAY + dt.timedelta(days=300),
    )
    return Page(name, Path(f"content/pages/{name}.md"), meta, "", 5)


def claim(ident: str, on: str, refs: list[str], verdict: str = "overstated") -> Claim:
    return Claim(
        id=ident,
        source="blog",
        quote=f"Quote of {ident}",
        verdict=verdict,
        explanation=f"Evidence for {ident}.",
        references=refs,
        page=on,
    )


def option(ident: str, refs: list[str]) -> Option:
    answers = {name: {"text": f"{name} of {ident}", "refs": refs} for name, _ in ANSWER_FIELDS}
    return Option.model_validate(
        {"id": ident, "name": f"Option {ident}", "treats": "scars", **answers, "funding": [{"country": "GB", "text": "No."}]}
    )


def tiny_content(**changes: object) -> Content:
    references = {
        "alpha": Reference.model_validate(
            {
                "id": "alpha",
                "design": "randomised trial",
                "authors": "Smith J, et al.",
                "title": "A <small> trial",
                "container": "J Skin",
                "year": 2020,
                "doi": "10.1000/abc",
                "pmid": "123",
                "participants": 40,
                "note": "Paid for by a maker.",
            }
        ),
        "beta": Reference.model_validate(
            {"id": "beta", "design": "guideline", "title": "Guidance", "url": "https://example.org/guidance"}
        ),
    }
    values: dict[str, object] = {
        "root": Path("content"),
        "pages": {
            "index": page("index", "Start here"),
            "risks": page("risks", "Risks *and* side effects", "Dr A_b", "GMC 1"),
            "claim-check": page("claim-check", "Claim check", "Dr A_b", "GMC 1"),
            "references": page("references", "References"),
        },
        "claims": (
            claim("c-one", "risks", ["beta", "alpha"]),
            claim("c-two", "risks", ["alpha"], "false"),
            claim("c-three", "risks", ["beta"], "supported"),
            claim("c-four", "risks", ["beta"], "misleading"),
            claim("c-home", "index", ["alpha"]),
        ),
        "references": references,
        "sources": {"blog": Source(id="blog", description="a clinic's blog post, UK", kind="blog post", sha256="0" * 64)},
        "glossary": (
            GlossaryEntry(term="dermis", definition="The layer *under* the epidermis."),
            GlossaryEntry(term="acne", definition="Spots."),
            GlossaryEntry(term="Atrophic scar", definition="A sunken scar."),
            GlossaryEntry(term="3D imaging", definition="Pictures in depth."),
        ),
        "version": "1.0.0",
        "release_date": DAY,
        "line_maps": {},
        "editors_contact": "editors@example.org",
        "options": (option("peel", ["alpha"]), option("wait", ["beta", "alpha"])),
    }
    values.update(changes)
    return Content(**values)  # type: ignore[arg-type]


def macros(on: str = "risks", content: Content | None = None, given: tuple[str, ...] = ()) -> Macros:
    shape = frozenset((name, name in given) for name in ("name", "country", "regulator", "reporting_scheme"))
    depth = 0 if on == "index" else 1
    return Macros(ClinicView(shape), content or tiny_content(), PageContext(on, depth, ("index", "claim-check", "risks")))


def test_a_claim_box_states_the_evidence_before_the_claim_and_links_its_references_by_number() -> None:
    html = str(macros().claim("c-one"))
    assert html.startswith("\n\n") and html.endswith("\n\n")
    box = html.strip()
    assert box.startswith('<div class="mg-claim mg-claim--overstated" id="claim-c-one">')
    assert "\n\n" not in box  # one HTML block: Markdown leaves it alone
    assert box.index("What the evidence shows:") < box.index("The claim we checked:") < box.index("Quote of c-one")
    assert '<strong class="mg-claim__badge">Overstated</strong>' in box
    assert "Said in a clinic&#39;s blog post, UK." in box
    # Numbered in the reference list's order (alpha is 1, beta 2), in the order the claim gives them.
    assert (
        'Sources: <a href="../references/#ref-beta" aria-label="Reference 2">[2]</a> '
        '<a href="../references/#ref-alpha" aria-label="Reference 1">[1]</a></p>'
    ) in box


def test_links_from_the_home_page_start_at_the_site_root() -> None:
    assert 'href="references/#ref-alpha"' in str(macros("index").claim("c-home"))


def test_a_page_shows_three_claims_open_and_lists_the_rest_closed() -> None:
    m = macros()
    for ident in ("c-one", "c-two", "c-three"):
        m.claim(ident)
    with pytest.raises(ContentError, match="at most 3 claim checks"):
        m.claim("c-four")
    rest = str(m.other_claims()).strip()
    assert rest.startswith('<details class="mg-other-claims">')
    assert "Show 1 more claim we checked" in rest
    assert re.findall(r'id="claim-([\w-]+)"', rest) == ["c-four"]


def test_a_claim_belongs_on_its_own_page() -> None:
    with pytest.raises(ContentError, match="belongs on page 'risks'"):
        macros("index").claim("c-one")
    with pytest.raises(ContentError, match=r"unknown claim id 'c-on' \(did you mean 'c-one'\?\)"):
        macros().claim("c-on")


def test_cite_numbers_follow_the_reference_list() -> None:
    assert str(macros().cite("beta", "alpha")) == (
        '<sup class="mg-cite">[2](references.md#ref-beta), [1](references.md#ref-alpha)</sup>'
    )
    with pytest.raises(ContentError, match="needs at least one reference id"):
        macros().cite()
    with pytest.raises(ContentError, match=r"unknown reference id 'alpah' \(did you mean 'alpha'\?\)"):
        macros().cite("alpah")


def test_the_reference_list_gives_authors_once_title_links_design_and_note() -> None:
    html = str(macros("references").references_list())
    assert html.startswith('<ol class="mg-refs">\n') and html.endswith("\n</ol>")
    items = html.splitlines()[1:-1]
    assert items[0] == (
        '<li id="ref-alpha">Smith J, et al. <cite>A &lt;small&gt; trial</cite>. J Skin, 2020. '
        '<a href="https://doi.org/10.1000/abc">doi:10.1000/abc</a> · '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/123/">PubMed 123</a> '
        '<br><span class="mg-ref-design">Randomised trial, 40 people.</span> '
        '<br><span class="mg-ref-note">Paid for by a maker.</span></li>'
    )
    assert items[1] == (
        '<li id="ref-beta"><cite>Guidance</cite>. <a href="https://example.org/guidance">https://example.org/guidance</a> '
        '<br><span class="mg-ref-design">Guideline.</span></li>'
    )


def test_glossary_entries_sit_under_letters_with_anchors_and_show_literally() -> None:
    text = str(macros("glossary").glossary_entries())
    jump, _, rest = text.partition("\n\n")
    assert jump.startswith('<nav class="mg-jump" aria-label="Jump to a letter">')
    assert re.findall(r'href="#(letter-\w+)">(.)<', jump) == [
        ("letter-other", "#"),
        ("letter-a", "A"),
        ("letter-d", "D"),
    ]
    assert "## \\# {: #letter-other }\n\n**3D imaging**: Pictures in depth.\n{: #term-3d-imaging }" in rest
    assert "**Acne**: Spots.\n{: #term-acne }\n\n**Atrophic scar**: A sunken scar.\n{: #term-atrophic-scar }" in rest
    # Markdown characters in a definition are escaped, so "*under*" is not emphasis.
    assert "**Dermis**: The layer \\*under\\* the epidermis.\n{: #term-dermis }" in rest


def test_claims_by_page_groups_claims_in_navigation_order_after_a_jump_list() -> None:
    m = macros("claim-check")
    text = str(m.claims_by_page())
    assert m.ctx.lists_all_claims
    assert re.findall(r'href="#(claims-[\w-]+)">([^<]+)<', text) == [
        ("claims-index", "Start here (1)"),
        ("claims-risks", "Risks *and* side effects (4)"),
    ]
    assert "\n\n## Risks \\*and\\* side effects {: #claims-risks }\n\n" in text
    assert "Read these claims in context on [Risks \\*and\\* side effects](risks.md).\n\n" in text
    assert re.findall(r'id="claim-([\w-]+)"', text) == ["c-home", "c-one", "c-two", "c-three", "c-four"]


def test_clinical_reviewers_lists_each_reviewer_with_their_pages() -> None:
    assert str(macros("about").clinical_reviewers()) == (
        "These clinicians have reviewed pages of this guide:\n\n"
        "- Dr A\\_b (registration: GMC 1): Risks \\*and\\* side effects, Claim check\n"
    )
    content = tiny_content(pages={"index": page("index", "Start here")})
    assert str(macros("about", content).clinical_reviewers()) == "No doctor or other clinician has reviewed this guide yet."


def test_the_option_grid_has_every_field_for_every_option_with_numbered_references() -> None:
    html = str(macros().options_grid()).strip()
    assert "\n\n" not in html
    assert re.findall(r'<div class="mg-option" id="option-([\w-]+)">', html) == ["peel", "wait"]
    assert html.count("<dt>") == 2 * (len(ANSWER_FIELDS) + 1)
    assert (
        '<sup class="mg-cite"><a href="../references/#ref-beta" aria-label="Reference 2">[2]</a> '
        '<a href="../references/#ref-alpha" aria-label="Reference 1">[1]</a></sup>'
    ) in html
    with pytest.raises(ContentError, match="found no options"):
        macros(content=tiny_content(options=())).options_grid()


def test_report_side_effect_names_the_scheme_only_when_the_country_has_one() -> None:
    with_scheme = str(macros(given=("country", "regulator", "reporting_scheme")).report_side_effect())
    assert with_scheme.startswith('In <span data-mg-clinic="country"></span>, report side effects')
    assert 'to <span data-mg-clinic="reporting_scheme"></span>. You can also complain' in with_scheme
    without = str(macros(given=("country", "regulator")).report_side_effect())
    assert without == (
        'Ask your doctor how to report a side effect in <span data-mg-clinic="country"></span>. '
        'You can also complain to the body that regulates the clinic: <span data-mg-clinic="regulator"></span>.'
    )


def test_the_treatment_record_has_a_header_and_blank_rows() -> None:
    lines = str(macros().treatment_record(rows=2)).split("\n")
    assert lines[0] == "| Date | Clinic | Practitioner | Product name | Batch (lot) number |"
    assert lines[1] == "|---|---|---|---|---|"
    assert lines[2:] == ["| &nbsp; | &nbsp; | &nbsp; | &nbsp; | &nbsp; |"] * 2


def test_templates_see_every_macro_by_its_name() -> None:
    names = macros().template_globals()
    assert set(MACROS) <= set(names)
    assert all(callable(names[name]) for name in MACROS)
    assert names["content_version"] == "1.0.0"
    assert names["editors_contact"] == "editors@example.org"

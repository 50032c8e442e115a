"""Claim checks on topic pages: fact first, at most three open, the rest in a closed list;
the claim check page and the glossary open with jump lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import run

EXTRA_CLAIMS = "".join(
    f"""- id: extra-{n}
  source: 000_test
  quote: "Claim number {n} about the treatment."
  verdict: "misleading"
  explanation: Fact number {n} from the evidence.
  references: [cdc-2005]
  page: side-effects
"""
    for n in range(1, 4)
)
PAGE = "content/pages/side-effects.md"


@pytest.fixture
def four_claims(project: Path) -> Path:
    """The mini project with four claims on its side effects page, one of them in the text."""
    claims = project / "content/claims.yml"
    claims.write_text(claims.read_text(encoding="utf-8") + EXTRA_CLAIMS, encoding="utf-8")
    page = project / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n## Other claims we checked\n\n{{ other_claims() }}\n", encoding="utf-8")
    return project


def rendered(project: Path, name: str) -> str:
    return (project / "build/demo/docs" / name).read_text(encoding="utf-8")


def test_a_claim_check_shows_the_evidence_before_the_claim(four_claims: Path, capsys) -> None:
    assert run(four_claims, "render", capsys=capsys).code == 0
    block = re.search(
        r'<div class="mg-claim mg-claim--false" id="claim-no-risk">.*?</div>', rendered(four_claims, "side-effects.md"), re.S
    )
    assert block, "the claim shown in the text keeps its id"
    text = block.group(0)
    assert text.index("Injections can cause infection") < text.index("Mesotherapy has no risks at all.")
    assert text.index("What the evidence shows:") < text.index("The claim we checked:")


def test_claims_not_shown_in_the_text_are_listed_closed_with_their_ids(four_claims: Path, capsys) -> None:
    assert run(four_claims, "render", capsys=capsys).code == 0
    page = rendered(four_claims, "side-effects.md")
    closed = re.search(
        r'<details class="mg-other-claims">\n<summary>Show 3 more claims we checked</summary>(.*?)</details>', page, re.S
    )
    assert closed, page
    assert re.findall(r'id="claim-([a-z0-9-]+)"', closed.group(1)) == ["extra-1", "extra-2", "extra-3"]
    assert "\n\n" not in closed.group(0), "a blank line would end Markdown's HTML block"


def test_a_fourth_claim_in_the_text_is_refused_at_its_line(four_claims: Path, capsys) -> None:
    page = four_claims / PAGE
    calls = '{{ claim("no-risk") }}\n{{ claim("extra-1") }}\n{{ claim("extra-2") }}\n{{ claim("extra-3") }}'
    text = page.read_text(encoding="utf-8").replace('{{ claim("no-risk") }}', calls)
    page.write_text(text, encoding="utf-8")
    line = text.splitlines().index('{{ claim("extra-3") }}') + 1
    result = run(four_claims, "render", capsys=capsys)
    assert result.code == 1
    assert f"{PAGE}:{line}: claim 'extra-3': a page shows at most 3 claim checks in its text" in result.err, result.err
    assert "Traceback" not in result.err


def test_the_claim_check_page_opens_with_a_jump_list_to_each_topic(four_claims: Path, capsys) -> None:
    assert run(four_claims, "render", capsys=capsys).code == 0
    page = rendered(four_claims, "claim-check.md")
    jump = re.search(r'<nav class="mg-jump" aria-label="Claims by topic">(.*?)</nav>', page, re.S)
    assert jump, page
    assert re.findall(r'href="#([^"]+)">Side effects \(4\)', jump.group(1)) == ["claims-side-effects"]
    assert "## Side effects {: #claims-side-effects }" in page
    assert page.index("<nav") < page.index('id="claim-no-risk"')
    assert len(re.findall(r'id="claim-', page)) == 4


def test_the_glossary_has_an_a_to_z_jump_list(built_real: Path) -> None:
    page = (built_real / "site/demo/glossary/index.html").read_text(encoding="utf-8")
    jump = re.search(r'<nav class="mg-jump" aria-label="Jump to a letter">(.*?)</nav>', page, re.S)
    assert jump, "no jump list on the glossary page"
    letters = re.findall(r'<a href="#letter-([a-z])">([A-Z])</a>', jump.group(1))
    terms = yaml.safe_load((built_real / "content/glossary.yml").read_text(encoding="utf-8"))
    assert [upper for _, upper in letters] == sorted({entry["term"][0].upper() for entry in terms})
    for anchor, upper in letters:
        assert re.search(rf'<h2 id="letter-{anchor}">{upper}', page), upper
        first_term = min((e["term"] for e in terms if e["term"][0].upper() == upper), key=str.lower)
        term_anchor = "term-" + re.sub(r"[^a-z0-9]+", "-", first_term.lower()).strip("-")
        assert page.index(f'id="letter-{anchor}"') < page.index(f'id="{term_anchor}"'), first_term

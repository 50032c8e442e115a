"""Registry integrity: citations used, complete and canonical references, quotes verbatim."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlparse

from mesoguide.checks.references import reference_problems
from mesoguide.errors import Problem
from mesoguide.inputs.content import Content
from mesoguide.inputs.options import option_reference_ids
from mesoguide.render.pagesyntax import parse_body

# Canonical homes of references: identifiers, literature databases, publishers, regulators
# and guideline bodies. Mirrors, proxies and document-sharing sites are not here on purpose.
CANONICAL_HOSTS = frozenset(
    [
        "doi.org",
        "dx.doi.org",
        "pubmed.ncbi.nlm.nih.gov",
        "pmc.ncbi.nlm.nih.gov",
        "www.ncbi.nlm.nih.gov",
        "europepmc.org",
        "clinicaltrials.gov",
        "www.clinicaltrials.gov",
        "www.cochranelibrary.com",
        "www.nice.org.uk",
        "www.gov.uk",
        "www.nhs.uk",
        "www.asa.org.uk",
        "www.legifrance.gouv.fr",
        "www.legislation.gov.uk",
        "eur-lex.europa.eu",
        "www.fda.gov",
        "api.fda.gov",  # openFDA: the regulator's own copy of official product labels
        "www.cdc.gov",
        "www.who.int",
        "www.ema.europa.eu",
        "www.hpra.ie",
        "www.tga.gov.au",
        "yellowcard.mhra.gov.uk",
        "www.aad.org",
        "www.bad.org.uk",
        "link.springer.com",
        "onlinelibrary.wiley.com",
        "journals.lww.com",
        "academic.oup.com",
        "www.sciencedirect.com",
        "www.jaad.org",
        "www.dovepress.com",
        "www.frontiersin.org",
        "www.mdpi.com",
        "www.thieme-connect.de",
        "jamanetwork.com",
        "www.bmj.com",
        "www.thelancet.com",
        "www.nejm.org",
        "jddonline.com",
        "jcadonline.com",
        "jcasonline.com",
        "www.ijdvl.com",
        # Bibliographic records, for articles whose DOI and PMID could not be found.
        "dailymed.nlm.nih.gov",  # the US National Library of Medicine's copies of official drug labels
        "doaj.org",
        "ouci.dntb.gov.ua",
        "repositorio.unifesp.br",
    ]
)
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]*\s+[\"“(]*[A-Z]")


def _ref_line(content: Content, index_of: dict[str, int], ref_id: str, field: str = "id") -> int | None:
    return content.line_maps["references.yml"].line_of((index_of[ref_id], field))


def cited_reference_ids(content: Content) -> set[str]:
    """Every reference id that a page's cite(), a claim or an option of the grid uses."""
    cited = {ref for claim in content.claims for ref in claim.references}
    cited |= option_reference_ids(content.options)
    for page in content.pages.values():
        cited.update(ident for ident, _ in parse_body(page.body).ids("cite"))
    return cited


def registry_problems(content: Content, sources_dir: Path | None) -> list[Problem]:
    refs_path = content.line_maps["references.yml"].path
    claims_map = content.line_maps["claims.yml"]
    index_of = {ref_id: i for i, ref_id in enumerate(content.references)}
    problems: list[Problem] = reference_problems(content)

    cited = cited_reference_ids(content)
    for ref_id, ref in content.references.items():
        if ref_id not in cited:
            problems.append(
                Problem(
                    refs_path,
                    _ref_line(content, index_of, ref_id),
                    f"reference {ref_id!r} is not cited by any page or claim; cite it or remove it",
                )
            )
        host = urlparse(ref.url).hostname or ""
        if host not in CANONICAL_HOSTS:
            problems.append(
                Problem(
                    refs_path,
                    _ref_line(content, index_of, ref_id, "url"),
                    f"reference {ref_id!r}: {host} is not a canonical address; use doi.org, PubMed, PMC, the publisher or the regulator",
                )
            )

    if sources_dir is not None and not sources_dir.is_dir():
        problems.append(
            Problem(
                sources_dir,
                None,
                "the --sources folder does not exist; give the folder that holds the articles (<source id>.txt)",
            )
        )
        sources_dir = None
    claim_index = {claim.id: i for i, claim in enumerate(content.claims)}
    texts: dict[str, str | None] = {}
    for claim in content.claims:
        quote_line = claims_map.line_of((claim_index[claim.id], "quote"))
        if SENTENCE_BREAK.search(claim.quote):
            problems.append(
                Problem(
                    claims_map.path,
                    quote_line,
                    f"claim {claim.id!r}: the quote is more than one sentence; quote one sentence or less",
                )
            )
        if len(re.findall(r"[.!?](?:\s|$)", claim.explanation)) > 2:
            problems.append(
                Problem(
                    claims_map.path,
                    claims_map.line_of((claim_index[claim.id], "explanation")),
                    f"claim {claim.id!r}: the explanation has more than two sentences",
                )
            )
        if sources_dir is None:
            continue
        if claim.source not in texts:
            texts[claim.source] = _source_text(content, claim.source, sources_dir, problems)
        text = texts[claim.source]
        if text is not None and claim.quote not in text:
            problems.append(
                Problem(
                    claims_map.path,
                    quote_line,
                    f"claim {claim.id!r}: the quote is not in {claim.source}.txt word for word (check spelling, quotes and apostrophes)",
                )
            )
    return problems


def _source_text(content: Content, source_id: str, sources_dir: Path, problems: list[Problem]) -> str | None:
    sources_map = content.line_maps["sources.yml"]
    index = list(content.sources).index(source_id)
    path = sources_dir / f"{source_id}.txt"
    if not path.is_file():
        problems.append(Problem(sources_map.path, sources_map.line_of((index, "id")), f"source article {path} not found"))
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != content.sources[source_id].sha256:
        problems.append(
            Problem(
                sources_map.path,
                sources_map.line_of((index, "sha256")),
                f"{path.name} does not match the recorded SHA-256; is it the right file, or did the article change?",
            )
        )
        return None
    return data.decode("utf-8")

"""The gates of ``mesoguide check``: one list, each a ``Gate(name, hint, run)``.

A gate's ``run`` reads a :class:`CheckRun` (the loaded content and what checking each clinic
found) and returns its problems. The runner in ``__init__`` fills the CheckRun, then runs
every gate; no gate can stop another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mesoguide.checks.measures import TextMeasures
from mesoguide.errors import Problem, did_you_mean, display_path
from mesoguide.inputs.content import Content
from mesoguide.inputs.settings import readability as readability_settings
from mesoguide.render.pagesyntax import parse_body


@dataclass
class ClinicResult:
    """What checking one clinic (in a worker process) found, by gate."""

    slug: str
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    """Built HTML by page name; only for the clinic whose readability is measured."""
    external_hosts: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckRun:
    """Everything the gates read."""

    root: Path
    content: Content | None
    """None when content/ could not be loaded; then only the registries and clinics gates report."""
    load_problems: list[Problem]
    today: dt.date
    sources: Path | None = None
    require_review: bool = False
    deployed: str | None = None
    """The live site's address or a manifest.json (``--deployed``)."""
    clinic: str | None = None
    """The clinic named with ``--clinic``, if any."""
    results: list[ClinicResult] = field(default_factory=list)
    tables: dict = field(default_factory=dict)
    """What gates measure for the report's tables (readability rows and summary, waivers)."""
    measures: TextMeasures = field(default_factory=TextMeasures)
    """The run's readability measures, looked up among those kept between runs."""


@dataclass(frozen=True)
class Gate:
    name: str
    hint: str
    run: Callable[[CheckRun], list[Problem]]


def unknown_ids(content: Content) -> list[tuple[Problem, str, int, str]]:
    """Unknown claim and reference ids in pages: (problem, page name, body line, id)."""
    found = []
    known = {"claim": [c.id for c in content.claims], "cite": list(content.references)}
    registry = {"claim": "content/claims.yml", "cite": "content/references.yml"}
    for page in content.pages.values():
        parsed = parse_body(page.body)
        for macro, ids in known.items():
            for ident, line in parsed.ids(macro):
                if ident in ids:
                    continue
                kind = "claim" if macro == "claim" else "reference"
                message = f"unknown {kind} id {ident!r}{did_you_mean(ident, ids)}; {kind}s are listed in {registry[macro]}"
                found.append((Problem(page.source, page.body_line + line - 1, message), page.name, line, ident))
    return found


def _found_per_clinic(run: CheckRun) -> list[Problem]:
    """The clinics and links gates report what each clinic's check found (ClinicResult.problems),
    which the runner adds with the clinic named; they have nothing to add across clinics."""
    return []


def _registries(run: CheckRun) -> list[Problem]:
    from mesoguide.checks.registry import registry_problems

    if run.content is None:
        return run.load_problems
    return registry_problems(run.content, run.sources) + [p for p, *_ in unknown_ids(run.content)]


def _review(run: CheckRun) -> list[Problem]:
    from mesoguide.checks.review import review_problems

    if run.content is None:
        return []
    problems = review_problems(run.content, run.today, run.require_review)
    if run.deployed is not None:
        from mesoguide.checks.deployed import deployed_problems

        problems += deployed_problems(run.content, run.deployed, run.clinic)
    return problems


def _structure(run: CheckRun) -> list[Problem]:
    from mesoguide.checks.structure import structure_problems

    return structure_problems(run.content) if run.content else []


def _wording(run: CheckRun) -> list[Problem]:
    from mesoguide.checks.wording import scan_lines

    problems: list[Problem] = []
    waivers = run.tables.setdefault("waivers", [])
    for page in run.content.pages.values() if run.content else []:
        found, page_waivers = scan_lines(page.source, page.body, first_line=page.body_line)
        problems += found
        waivers += [{"path": display_path(w.path), "line": w.line, "phrase": w.phrase, "reason": w.reason} for w in page_waivers]
    return problems


def _readability(run: CheckRun) -> list[Problem]:
    from mesoguide.checks.readability import body_blocks, medians, score_blocks
    from mesoguide.checks.sentences import glossary_words, locate_sentence, registry_sources, sentence_problems

    measured = next((r for r in run.results if r.pages), None)
    if run.content is None or measured is None:
        return []
    limits, problems = readability_settings(run.root)
    if limits is None:
        return problems
    content, pages = run.content, measured.pages
    names = [name for name in content.pages if name != "references" and name in pages]
    blocks = {name: body_blocks(pages[name]) for name in names}  # each page parsed once for both measures
    scores = [score_blocks(name, blocks[name], limits.max_grade, limits.max_smog, run.measures) for name in names]
    registries, explained = registry_sources(content), glossary_words(content)
    rows = run.tables.setdefault("readability", [])
    for score in scores:
        ok = score.grade <= limits.max_grade and score.smog <= limits.max_smog
        rows.append({"page": score.page, "grade": score.grade, "smog": score.smog, "words": score.words, "passed": ok})
        if not ok:
            hardest = ""
            if score.hardest:
                grade, sentence = score.hardest[0]
                path, line = locate_sentence(content.pages[score.page], registries, sentence)
                where = f"{display_path(path)}:{line}" if line else display_path(path)
                hardest = f'; its hardest sentence (grade {grade}) is at {where}: "{sentence[:80]}"'
            problems.append(
                Problem(
                    content.pages[score.page].source,
                    None,
                    f"reads at grade {score.grade}, SMOG {score.smog} (limits {limits.max_grade}, {limits.max_smog}){hardest}",
                )
            )
    for name in names:
        problems += sentence_problems(content.pages[name], blocks[name], limits, registries, explained, run.measures)
    if scores:
        grade, smog = medians(scores)
        run.tables["readability_summary"] = {
            "clinic": measured.slug,
            "median_grade": grade,
            "median_smog": smog,
            **limits.as_dict(),
        }
        if grade > limits.max_median_grade or smog > limits.max_median_smog:
            problems.append(
                Problem(
                    content.root / "pages",
                    None,
                    f"median grade {grade} and SMOG {smog} across pages exceed {limits.max_median_grade} and {limits.max_median_smog}",
                )
            )
    return problems


GATES_LIST: tuple[Gate, ...] = (
    Gate(
        "readability",
        "split the sentences listed and use everyday words; explain a medical word in content/glossary.yml "
        "(docs/content-policy.md, 'Plain language')",
        _readability,
    ),
    Gate("wording", "reword, or add {## wording-ok: reason ##} on the line if the use is honest", _wording),
    Gate("review", "record the clinical review with `mesoguide review PAGE --reviewer ... --registration ...`", _review),
    Gate(
        "registries",
        "fix the entry in content/*.yml, or the id in the page (ids are listed in content/claims.yml and content/references.yml)",
        _registries,
    ),
    Gate("structure", "see the page shape and the macros pages may use in docs/editor-guide.md", _structure),
    Gate("clinics", "see docs/clinic-guide.md for every profile field", _found_per_clinic),
    Gate("links", "point the link at an existing page and heading", _found_per_clinic),
)
GATES = tuple(gate.name for gate in GATES_LIST)
HINTS = {gate.name: gate.hint for gate in GATES_LIST}

"""The editor's linter: every problem once, at its file and line, in text and JSON alike."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from test_checks import TODAY

from conftest import replace, run
from mesoguide.checks import run_checks
from mesoguide.pipeline import Paths

# The readability gate measures text: see MEASURING_GROUP in tests/conftest.py.
pytestmark = pytest.mark.measures_text

HARD_SENTENCE = (
    "Notwithstanding considerable methodological heterogeneity, contemporaneous investigations characterising "
    "pharmacological administration demonstrate inconsistent histopathological remodelling."
)


def _problem_lines(text: str) -> list[str]:
    block = text.split("\nProblems:\n", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()


def test_one_run_reports_every_problem_once_where_it_is(project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project)
    page = "content/pages/index.md"
    replace(project, page, "The evidence is weak.", 'The evidence is weak.{{ cite("konda-2031") }}')
    replace(project, page, "It was shared by", f"{HARD_SENTENCE} It was shared by")
    replace(project, "content/pages/side-effects.md", "- Infection can happen.", "- Intradermal infection can happen.")
    replace(project, "content/pages/side-effects.md", '{{ claim("no-risk") }}', '{{ claim("no-risks") }}')

    report = run_checks(Paths.at(project), today=dt.date.fromisoformat(TODAY))
    text, data = report.to_text(), json.loads(report.to_json())

    expected = [
        r"content/pages/index.md:16: unknown reference id 'konda-2031' \(did you mean 'konda-2013'\?\)",
        r'content/pages/index.md:11: sentence at grade [\d.]+ \(limit 16\): "Notwithstanding considerable',
        r"content/pages/side-effects.md:13: warning: uncommon word 'intradermal'",
        r"content/pages/side-effects.md:\d+: unknown claim id 'no-risks' \(did you mean 'no-risk'\?\)",
    ]
    lines = _problem_lines(text)
    for pattern in expected:
        assert len([line for line in lines if re.match(pattern, line)]) == 1, (pattern, lines)
    unknown = [p for p in data["problems"] if "unknown" in p["message"]]
    assert {p["gate"] for p in unknown} == {"registries"}
    assert len(lines) == len(set(lines)), "a problem was printed twice"
    # Both clinics were built from the repaired pages, so readability was still measured.
    assert data["clinics"] == ["demo", "harbour-light"] and data["readability"]["pages"]
    assert [p["text"] for p in data["problems"]] == lines
    assert [(g["gate"], g["errors"], g["warnings"]) for g in data["gates"]] == [
        tuple(int(x) if x.isdigit() else x for x in (row.split()[0], row.split()[2], row.split()[3]))
        for row in text.splitlines()[3:10]
    ]


def test_a_missing_sources_folder_is_named(project: Path, capsys, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = run(project, "check", "--today", TODAY, "--clinic", "demo", "--sources", str(missing), capsys=capsys)
    assert result.code == 1
    assert re.search(r"no-such-folder: the --sources folder does not exist", result.out), result.out
    assert "source article" not in result.out and "content/sources.yml" not in result.out


def test_review_keeps_the_front_matter_as_written(project: Path, capsys) -> None:
    page = project / "content/pages/side-effects.md"
    replace(
        project,
        "content/pages/side-effects.md",
        "author: the mesoguide editorial team",
        "author: the mesoguide editorial team  # who wrote it",
    )
    before = page.read_text()
    result = run(
        project,
        "review",
        "content/pages/side-effects.md",
        "--reviewer",
        "Dr Test, GP (fixture)",
        "--registration",
        "GMC 0000000",
        "--date",
        "2026-02-28",
        capsys=capsys,
    )
    assert result.code == 0, result.err
    after = page.read_text()
    assert "author: the mesoguide editorial team  # who wrote it\n" in after
    assert "clinical_reviewer: Dr Test, GP (fixture)\nreviewer_registration: GMC 0000000\nreviewed_content_hash: " in after
    assert "last_reviewed: 2026-02-28\nnext_review: 2027-02-28\n" in after
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1], "the page body must not change"
    status = run(project, "review", "--status", "--date", "2026-03-01", capsys=capsys)
    assert re.search(r"^side-effects\s+reviewed\s+2027-02-28\s+Dr Test, GP \(fixture\) \(GMC 0000000\)$", status.out, re.M)
    assert re.search(r"^index\s+not reviewed\s", status.out, re.M)
    assert re.search(
        r"^side-effects\s+due\s", run(project, "review", "--status", "--date", "2027-01-15", capsys=capsys).out, re.M
    )
    unknown = run(project, "review", "side-efects", "--reviewer", "x", "--registration", "y", capsys=capsys)
    assert unknown.code == 1 and "no page 'side-efects' (did you mean 'side-effects'?)" in unknown.err


def test_the_site_shows_the_reviewer_and_registration(project: Path, capsys) -> None:
    args = ("--reviewer", "Dr Test, GP (fixture)", "--registration", "GMC 0000000", "--date", TODAY)
    assert run(project, "review", "index", *args, capsys=capsys).code == 0
    assert run(project, "build", capsys=capsys).code == 0
    html = (project / "site/demo/index.html").read_text()
    assert "Dr Test, GP (fixture) (registration: GMC 0000000)" in html
    ld = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    reviewed = [d["reviewedBy"] for d in ld if isinstance(d, dict) and "reviewedBy" in d]
    assert reviewed == [{"@type": "Person", "name": "Dr Test, GP (fixture)", "identifier": "GMC 0000000"}]


def test_a_page_that_cannot_be_rendered_is_still_measured(project: Path, capsys) -> None:
    replace(project, "content/pages/index.md", "The evidence is weak.", 'The evidence is weak. {{ cite("konda-2013" }}')
    result = run(project, "check", "--today", TODAY, "--clinic", "demo", "--format", "json", capsys=capsys)
    report = json.loads(result.out)
    assert result.code == 1
    assert [(p["gate"], p["path"], p["line"]) for p in report["problems"] if p["severity"] == "error"] == [
        ("structure", "content/pages/index.md", 16)
    ]
    assert "index" in {row["page"] for row in report["readability"]["pages"]}
    assert next(g for g in report["gates"] if g["gate"] == "readability")["status"] != "not run"


def test_the_about_page_lists_reviewers(project: Path, capsys) -> None:
    from mesoguide.inputs.content import load_content
    from mesoguide.render import ClinicView, Macros, PageContext

    def listed() -> str:
        content = load_content(project / "content")
        return str(Macros(ClinicView(frozenset()), content, PageContext("about", 1)).clinical_reviewers())

    assert listed() == "No doctor or other clinician has reviewed this guide yet."
    args = ("--reviewer", "Dr Test, GP (fixture)", "--registration", "GMC 0000000", "--date", TODAY)
    assert run(project, "review", "index", "side-effects", *args, capsys=capsys).code == 0
    # Markdown-escaped, so the name shows exactly as given.
    assert r"- Dr Test, GP \(fixture\) (registration: GMC 0000000): Start here, Side effects" in listed()


def test_wording_reads_pages_without_their_template_syntax() -> None:
    from mesoguide.checks.wording import scan_lines

    page = Path("content/pages/x.md")
    text = 'It is clinically proven.{{ cite("a-2020") }}\n{## a guaranteed note to editors ##}\nIt is painless.\n'
    problems, _ = scan_lines(page, text, first_line=10)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [(12, "promotional wording 'painless'")]
    clinic, _ = scan_lines(Path("clinics/x/pages/a.md"), "{{ guaranteed }}\n", allow_waivers=False)
    assert [p.line for p in clinic] == [1], "clinic pages are never templates: what they say is shown"


def test_readability_says_not_run_when_nothing_could_be_measured(project: Path, capsys) -> None:
    replace(project, "content/claims.yml", 'verdict: "false"', "verdict: maybe")
    result = run(project, "check", "--today", TODAY, "--clinic", "demo", capsys=capsys)
    assert result.code == 1
    assert re.search(r"^readability\s+not run\s", result.out, re.M), result.out
    assert re.search(r"^registries\s+fail\s", result.out, re.M)
    assert "Readability was not measured" in result.out

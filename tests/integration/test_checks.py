"""mesoguide check: each gate catches its problem with a message that names file, line and fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, replace, run

# The readability gate measures text: see MEASURING_GROUP in tests/conftest.py.
pytestmark = pytest.mark.measures_text

TODAY = "2026-06-01"
SOURCES = str(FIXTURES / "mini-sources")


def check(project: Path, capsys, *extra: str):
    return run(project, "check", "--today", TODAY, "--clinic", "demo", *extra, capsys=capsys)


def test_the_fixture_passes_every_gate(project: Path, capsys) -> None:
    result = run(project, "check", "--today", TODAY, "--sources", SOURCES, capsys=capsys)
    assert result.code == 0, result.out
    assert "All gates pass." in result.out
    for gate in ("readability", "wording", "review", "registries", "structure", "clinics", "links"):
        assert re.search(rf"^{gate}\s+(pass|warn)\s", result.out, re.M), gate


def test_strict_fails_on_warnings_but_not_on_notes(project: Path, capsys) -> None:
    result = run(project, "check", "--today", TODAY, "--strict", "--ci", capsys=capsys)
    # What the engine did is said, at the line of the colour it is about, and passes.
    assert "clinics/harbour-light/clinic.yml:9: note: colour adjusted for contrast: links on the light background" in result.out
    assert "clinics/harbour-light/clinic.yml:10: note: colour adjusted for contrast: accent" in result.out
    assert "warning:" not in result.out and result.code == 0, result.out
    replace(project, "clinics/harbour-light/clinic.yml", '  out_of_hours: "+1 202-555-0199"\n', "")
    result = run(project, "check", "--today", TODAY, "--strict", "--ci", capsys=capsys)
    assert result.code == 1
    assert "warning: no contact.out_of_hours" in result.out
    assert "All gates pass." not in result.out
    assert re.search(r"^No errors, but --strict fails on warnings: clinics \(1\)\.$", result.out, re.M), result.out


def test_clinic_notes_and_warnings_only_for_that_clinic_or_in_ci_mode(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    editor = run(project, "check", "--today", TODAY, capsys=capsys)
    assert "colour adjusted" not in editor.out
    assert re.search(r"^\d+ clinic profile notes and warnings not listed: see them with --clinic SLUG", editor.out, re.M), (
        editor.out
    )
    one = run(project, "check", "--today", TODAY, "--clinic", "harbour-light", capsys=capsys)
    assert "clinics/harbour-light/clinic.yml:9: note: colour adjusted" in one.out
    report = json.loads(run(project, "check", "--today", TODAY, "--ci", "--format", "json", capsys=capsys).out)
    adjusted = [p for p in report["problems"] if "colour adjusted" in p["message"]]
    assert adjusted and all(p["gate"] == "clinics" and len(p["clinics"]) == 1 for p in adjusted)
    assert {p["clinics"][0] for p in adjusted} == {"demo", "harbour-light"}


UNIVERSITY = (
    "Notwithstanding considerable methodological heterogeneity, contemporaneous investigations "
    "characterising intradermal pharmacological administration demonstrate inconsistent histopathological "
    "remodelling, necessitating comprehensive randomised evaluation incorporating standardised "
    "quantitative photographic assessment methodologies."
)

CASES = [
    (
        "university-level-page",
        "content/pages/index.md",
        "The evidence is weak.",
        f"{UNIVERSITY} {UNIVERSITY}",
        r"content/pages/index.md:16: sentence at grade [\d.]+ \(limit 16\): \"Notwithstanding considerable",
    ),
    (
        "painless",
        "content/pages/side-effects.md",
        "- Infection can happen.",
        "- It is painless. Infection can happen.",
        r"content/pages/side-effects.md:13: promotional wording 'painless'; say what the evidence shows instead",
    ),
    (
        "unwaived-honest-use",
        "content/pages/index.md",
        "The evidence is weak.",
        "It offers no permanent results.",
        r"content/pages/index.md:\d+: promotional wording 'permanent results'",
    ),
    (
        "next-review-in-the-past",
        "content/pages/index.md",
        "next_review: 2027-01-15",
        "next_review: 2026-05-01",
        r"content/pages/index.md:7: review overdue since 2026-05-01",
    ),
    (
        "unknown-reference-in-claim",
        "content/claims.yml",
        "references: [cdc-2005]",
        "references: [cdc-2005, nobody-1999]",
        r"content/claims.yml:6: claim 'no-risk': unknown reference 'nobody-1999'",
    ),
    (
        "document-sharing-host",
        "content/references.yml",
        "url: https://pubmed.ncbi.nlm.nih.gov/16280971/",
        "url: https://www.scribd.com/document/123/mmwr",
        r"content/references.yml:\d+: reference 'cdc-2005': www.scribd.com is not a canonical address",
    ),
    (
        "two-sentence-quote",
        "content/claims.yml",
        'quote: "Mesotherapy has no risks at all."',
        'quote: "Mesotherapy has no risks at all. Everyone loves it."',
        r"content/claims.yml:3: claim 'no-risk': the quote is more than one sentence",
    ),
    (
        "broken-anchor",
        "content/pages/index.md",
        "The evidence is weak.",
        "See [risks](side-effects.md#no-such-heading).",
        r"content/pages/index.md: .*side-effects.md#no-such-heading",
    ),
    (
        "missing-key-points",
        "content/pages/side-effects.md",
        '!!! info "Key points"',
        '!!! info "Summary"',
        r'content/pages/side-effects.md:\d+: no "Key points" box',
    ),
    (
        "glossary-term-missing",
        "content/pages/index.md",
        "The evidence is weak.",
        "Some people take isotretinoin.",
        r"content/pages/index.md:\d+: medical term 'isotretinoin' has no entry in content/glossary.yml",
    ),
    (
        "glossary-term-unused",
        "content/glossary.yml",
        "- term: mesotherapy",
        "- term: keloid\n  definition: a raised scar that spreads\n- term: mesotherapy",
        r"content/glossary.yml:3: glossary term 'keloid' is used on no page; remove it",
    ),
    (
        "guaranteed-in-tagline",
        "clinics/demo/clinic.yml",
        "tagline: Skin consultations in central London (a fictional clinic)",
        "tagline: Guaranteed results for every skin",
        r"clinics/demo/clinic.yml:4: promotional wording 'Guaranteed'.*clinic text cannot",
    ),
    (
        "change-me-profile",
        "clinics/demo/clinic.yml",
        "email: hello@demo-clinic.example.org",
        "email: CHANGE-ME",
        r"clinics/demo/clinic.yml:\d+: 'contact.email' still says CHANGE-ME",
    ),
    (
        "missing-help-box",
        "content/pages/side-effects.md",
        '!!! danger "When to get help"',
        '!!! danger "Help"',
        r'content/pages/side-effects.md: no "When to get help" box',
    ),
]


@pytest.mark.parametrize("path,old,new,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_gate_catches_its_problem(project: Path, capsys, path: str, old: str, new: str, pattern: str) -> None:
    replace(project, path, old, new)
    result = check(project, capsys)
    assert result.code == 1, result.out
    assert re.search(pattern, result.out, re.M), result.out


def test_a_glossary_term_counts_as_used_in_any_form_in_page_text_or_a_claim(project: Path) -> None:
    from mesoguide.checks.structure import unused_glossary_problems
    from mesoguide.inputs.content import load_content

    glossary = project / "content/glossary.yml"
    glossary.write_text(
        glossary.read_text()
        + "- term: keloid\n  definition: a raised scar\n  also: [keloids]\n"
        + "- term: mycobacteria\n  definition: germs\n"
        + "- term: granuloma\n  definition: a lump\n"
    )
    replace(project, "content/pages/index.md", "The evidence is weak.", "Some people get keloids. {## granuloma ##}")
    replace(project, "content/claims.yml", "Injections can cause infection.", "Injections can cause mycobacteria infection.")
    unused = [p.message for p in unused_glossary_problems(load_content(project / "content"))]
    assert unused == ["glossary term 'granuloma' is used on no page; remove it, or add the page text that needs it"]


def test_a_reference_may_give_its_design_and_number_of_people() -> None:
    from pydantic import ValidationError

    from mesoguide.inputs.content import Reference

    entry = {"id": "trial-2014", "title": "A trial", "url": "https://doi.org/10.1000/x", "design": "randomised trial"}
    assert Reference.model_validate({**entry, "participants": 147}).participants == 147
    with pytest.raises(ValidationError):
        Reference.model_validate({**entry, "participants": 0})


def test_a_reference_nobody_cites(project: Path, capsys) -> None:
    refs = project / "content/references.yml"
    refs.write_text(
        refs.read_text()
        + "- id: lonely-2020\n  design: government page\n  title: Nobody cites me\n  url: https://doi.org/10.1000/lonely\n  doi: 10.1000/lonely\n"
    )
    result = check(project, capsys)
    assert result.code == 1
    assert re.search(r"content/references.yml:\d+: reference 'lonely-2020' is not cited by any page or claim", result.out)


def test_a_waived_honest_use_passes_and_is_listed(project: Path, capsys) -> None:
    replace(
        project,
        "content/pages/index.md",
        "The evidence is weak.",
        "Acne can cause permanent results on the skin. {## wording-ok: describes scarring, not a promise ##}",
    )
    result = check(project, capsys)
    assert result.code == 0, result.out
    assert re.search(r"content/pages/index.md:\d+: 'permanent results' \(describes scarring, not a promise\)", result.out)


def test_a_quote_not_in_its_source(project: Path, capsys) -> None:
    replace(
        project, "content/claims.yml", 'quote: "Mesotherapy has no risks at all."', 'quote: "Mesotherapy has no risk at all."'
    )
    result = check(project, capsys, "--sources", SOURCES)
    assert result.code == 1
    assert re.search(r"content/claims.yml:3: claim 'no-risk': the quote is not in 000_test.txt word for word", result.out)


def test_a_source_file_with_the_wrong_hash(project: Path, capsys, tmp_path: Path) -> None:
    (tmp_path / "000_test.txt").write_text("Mesotherapy has no risks at all.\n")
    result = check(project, capsys, "--sources", str(tmp_path))
    assert result.code == 1
    assert re.search(r"content/sources.yml:\d+: 000_test.txt does not match the recorded SHA-256", result.out)


def test_a_recorded_review_is_accepted_until_the_page_changes(project: Path, capsys) -> None:
    recorded = run(
        project,
        "review",
        "index",
        "--reviewer",
        "Dr Example Reviewer, dermatologist (test fixture)",
        "--registration",
        "GMC 0000000 (test fixture)",
        "--date",
        TODAY,
        capsys=capsys,
    )
    assert recorded.code == 0, recorded.err
    current = check(project, capsys, "--require-review")
    assert "changed since its clinical review" not in current.out
    assert not re.search(r"content/pages/index.md:\d+: has no clinical review", current.out), current.out
    assert re.search(r"content/pages/side-effects.md:\d+: has no clinical review", current.out)
    replace(project, "content/pages/index.md", "The evidence is weak.", "The evidence is very weak.")
    result = check(project, capsys)
    assert re.search(r"content/pages/index.md:7: warning: changed since its clinical review", result.out), result.out
    assert run(project, "build", capsys=capsys).code == 0
    assert "Changed since review." in (project / "site/demo/index.html").read_text()


def test_a_review_due_soon_warns(project: Path, capsys) -> None:
    result = run(project, "check", "--clinic", "demo", "--today", "2026-12-01", capsys=capsys)
    assert re.search(r"content/pages/index.md:7: warning: review due on 2027-01-15, in 45 days", result.out)


@pytest.mark.usefixtures("own_store")
def test_a_second_check_measures_only_the_text_that_changed(project: Path, capsys, monkeypatch) -> None:
    import textstat

    def report(result) -> dict:
        return {k: v for k, v in json.loads(result.out).items() if k != "seconds"}

    first = report(check(project, capsys, "--format", "json"))
    assert first["readability"], "nothing was measured"
    assert list((project / "build/.cache/readability").glob("measures-*.json"))
    measured: list[str] = []
    for name in ("flesch_kincaid_grade", "smog_index"):
        function = getattr(textstat, name)
        monkeypatch.setattr(textstat, name, lambda text, f=function: measured.append(text) or f(text))
    assert report(check(project, capsys, "--format", "json")) == first
    assert measured == []
    replace(project, "content/pages/index.md", "The evidence is weak.", "The evidence is weak, and the studies were small.")
    changed = report(check(project, capsys, "--format", "json"))
    assert measured and all("the studies were small" in text for text in measured), measured
    assert changed["readability"] != first["readability"]


def test_require_review_refuses_unreviewed_pages(project: Path, capsys) -> None:
    result = check(project, capsys, "--require-review")
    assert result.code == 1
    assert re.search(r"content/pages/index.md:5: has no clinical review; --require-review refuses it", result.out)
    built = run(project, "build", "--require-review", capsys=capsys)
    assert built.code == 1 and "has no clinical review" in built.err


def test_json_report(project: Path, capsys) -> None:
    replace(project, "content/pages/side-effects.md", "- Infection can happen.", "- It is painless. Infection can happen.")
    result = check(project, capsys, "--format", "json")
    report = json.loads(result.out)
    assert result.code == 1 and report["passed"] is False
    assert {g["gate"] for g in report["gates"]} == {
        "readability",
        "wording",
        "review",
        "registries",
        "structure",
        "clinics",
        "links",
    }
    wording = [p for p in report["problems"] if p["gate"] == "wording"]
    assert wording[0]["path"] == "content/pages/side-effects.md" and wording[0]["line"] == 13
    assert {r["page"] for r in report["readability"]["pages"]} >= {"index", "side-effects"}
    assert "doi.org" in report["external_hosts"]


def test_deployed_manifest_older_than_the_content(project: Path, capsys, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"clinic": "demo", "content_version": "0.9.0"}))
    (project / "content/CHANGELOG.md").write_text(
        "# Changes\n\n## 1.0.0 (2026-01-15)\n\n- Added the side effects page.\n\n## 0.9.0 (2025-12-01)\n\n- Draft.\n"
    )
    result = check(project, capsys, "--deployed", str(manifest))
    assert re.search(r"manifest.json: warning: the deployed site shows content 0.9.0, the current content is 1.0.0", result.out)
    assert "1.0.0 (2026-01-15): - Added the side effects page." in result.out
    assert "Draft" not in result.out

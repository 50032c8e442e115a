"""Every mistake a clinic or an editor can make: exit 1, one clear line each, old site intact."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_built, run, tree_digest

PROFILE = "clinics/demo/clinic.yml"


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        target = root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"fixture text {old!r} not found in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write(path: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).write_text(text, encoding="utf-8")

    return apply


def logo_symlink(root: Path) -> None:
    outside = root / "outside.svg"
    shutil.copy(root / "clinics/demo/logo.svg", outside)
    (root / "clinics/demo/logo.svg").unlink()
    os.symlink(outside, root / "clinics/demo/logo.svg")


def png(width: int, height: int, padding: int = 0) -> bytes:
    """A PNG signature and header chunk claiming ``width``×``height`` pixels (enough for the checks)."""
    header = b"\x00\x00\x00\x0dIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + header + b"\x00" * (4 + padding)


def write_bytes(path: str, data: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).write_bytes(data)

    return apply


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for change in changes:
            change(root)

    return apply


PNG_LOGO = edit(PROFILE, "logo: logo.svg", "logo: logo.png")
SCRIPT_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HANDLER_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" onload="alert(1)"/></svg>'

# (id, change, expected line pattern)
CASES = [
    ("malformed-yaml", edit(PROFILE, "name: Demo Skin Clinic", "name: [Demo Skin Clinic"), rf"^{PROFILE}:\d+: invalid YAML"),
    ("empty-profile", write(PROFILE, ""), rf"^{PROFILE}:1: the profile is empty"),
    ("unknown-key", edit(PROFILE, "colors:", "colours:"), rf"^{PROFILE}:\d+: unknown key 'colours'; did you mean 'colors'\?"),
    ("bad-colour", edit(PROFILE, '"#0b6e4f"', '"green-ish"'), rf"^{PROFILE}:\d+: 'colors.primary': 'green-ish' is not a colour"),
    (
        "logo-outside",
        edit(PROFILE, "logo: logo.svg", "logo: ../harbour-light/logo.svg"),
        rf"^{PROFILE}:\d+: 'logo': .* must be a file inside the clinic folder",
    ),
    ("logo-symlink", logo_symlink, rf"^{PROFILE}:\d+: 'logo': 'logo.svg' is a symbolic link"),
    (
        "logo-missing",
        edit(PROFILE, "logo: logo.svg", "logo: missing.svg"),
        rf"^{PROFILE}:\d+: 'logo': file 'missing.svg' not found",
    ),
    ("svg-script", write("clinics/demo/logo.svg", SCRIPT_SVG), rf"^{PROFILE}:\d+: 'logo': element <script> is not allowed"),
    (
        "svg-handler",
        write("clinics/demo/logo.svg", HANDLER_SVG),
        rf"^{PROFILE}:\d+: 'logo': event handler onload= on <rect> is not allowed",
    ),
    (
        "change-me",
        edit(PROFILE, 'phone: "+44 20 7946 0000"', 'phone: "CHANGE-ME"'),
        rf"^{PROFILE}:\d+: 'contact.phone' still says CHANGE-ME",
    ),
    (
        "html-in-clinic-page",
        edit("clinics/demo/pages/prices.md", "You can book", '<img src=x onerror="alert(1)"> You can book'),
        r"^clinics/demo/pages/prices.md:\d+: raw HTML is not allowed in clinic pages",
    ),
    (
        "javascript-link",
        edit("clinics/demo/pages/prices.md", "You can book", "[Book](javascript:alert(1)) You can book"),
        r"^clinics/demo/pages/prices.md:\d+: script links \(javascript:\) are not allowed",
    ),
    (
        "unquoted-colour",
        edit(PROFILE, '"#0b6e4f"', "#9ad1f5"),
        rf"^{PROFILE}:\d+: 'colors.primary' has no value: YAML reads everything after '#' as a comment; put the value in quotes",
    ),
    (
        "number-as-name",
        edit(PROFILE, "name: Demo Skin Clinic", "name: 2024"),
        rf"^{PROFILE}:3: 'name' must be text, not a number",
    ),
    ("text-as-group", edit(PROFILE, "legal:\n", "legal: yes\nx:\n"), rf"^{PROFILE}:\d+: 'legal' must be a group of keys"),
    ("wrong-language", edit(PROFILE, "language: en", "language: fr"), rf"^{PROFILE}:\d+: 'language' must be 'en'"),
    (
        "too-long-name",
        edit(PROFILE, "name: Demo Skin Clinic", "name: " + "D" * 90),
        rf"^{PROFILE}:3: 'name' is too long: 80 characters at most",
    ),
    (
        "logo-over-1-mb",
        both(PNG_LOGO, write_bytes("clinics/demo/logo.png", png(200, 200, padding=1_100_000))),
        rf"^{PROFILE}:\d+: 'logo': the file is 1.1 MB; logos and favicons may be 1 MB at most",
    ),
    (
        "logo-over-2000-px",
        both(PNG_LOGO, write_bytes("clinics/demo/logo.png", png(3000, 120))),
        rf"^{PROFILE}:\d+: 'logo': the image is 3000×120 pixels; logos and favicons may be 2,000 pixels wide and high at most",
    ),
    (
        "favicon-over-2000-px",
        write("clinics/demo/favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4000px" height="10"/>'),
        rf"^{PROFILE}:\d+: 'favicon': the image is 4000×10 pixels",
    ),
    (
        "promotional-clinic-page",
        edit(
            "clinics/demo/pages/prices.md", "You can book", "Our mesotherapy is painless, with guaranteed results. You can book"
        ),
        r"^clinics/demo/pages/prices.md:6: promotional wording 'painless' \(clinic text cannot make the claims the guide flags\); say what the evidence shows instead",
    ),
    (
        "promotional-tagline",
        edit(PROFILE, "tagline: Skin consultations in central London", "tagline: Miracle skin consultations in central London"),
        rf"^{PROFILE}:4: promotional wording 'Miracle' \(clinic text cannot make the claims the guide flags\)",
    ),
    (
        "clinic-page-named-like-a-guide-page",
        write("clinics/demo/pages/side-effects.md", "# What we offer\n\nA consultation first.\n"),
        r"^clinics/demo/pages/side-effects.md: a clinic page may not share its file name with the guide's page 'side-effects'",
    ),
    (
        "clinic-page-titled-like-a-guide-page",
        write("clinics/demo/pages/our-view.md", "# Side effects!\n\nA consultation first.\n"),
        r"^clinics/demo/pages/our-view.md:1: the title 'Side effects!' copies the guide's page 'side-effects'",
    ),
    (
        "unknown-claim",
        edit("content/pages/side-effects.md", '{{ claim("no-risk") }}', '{{ claim("no-risk") }}\n{{ claim("no-such-claim") }}'),
        r"^content/pages/side-effects.md:\d+: unknown claim id 'no-such-claim'",
    ),
    (
        "unknown-reference",
        edit("content/pages/index.md", 'cite("konda-2013")', 'cite("nobody-2020")'),
        r"^content/pages/index.md:\d+: unknown reference id 'nobody-2020'",
    ),
    (
        "undefined-variable",
        edit("content/pages/index.md", "{{ clinic.name }}", "{{ clinic.nmae }}"),
        r"^content/pages/index.md:\d+: .*nmae",
    ),
    (
        "clinic-value-in-heading",
        edit("content/pages/index.md", "# Start here", "# Start here with {{ clinic.name }}"),
        r"^content/pages/index.md:9: a clinic value cannot go in a heading or a link address",
    ),
    (
        "broken-internal-link",
        edit("content/pages/index.md", "The evidence is weak.", "[More](no-such-page.md)"),
        r"^content/pages/index.md: .*no-such-page.md",
    ),
]


@pytest.fixture
def good_site(built_mini: Path, tmp_path: Path) -> Path:
    """The mini project with the demo site a good build made (copied: far cheaper than building)."""
    return copy_built(built_mini, tmp_path / "project")


@pytest.mark.parametrize("change,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_fails_clearly_and_keeps_the_last_good_site(good_site: Path, change, pattern: str, capsys) -> None:
    before = tree_digest(good_site / "site/demo")
    change(good_site)
    result = run(good_site, "build", capsys=capsys)
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert any(re.search(pattern, line) for line in lines), result.err
    assert "Traceback" not in result.err
    assert lines[-1].endswith("nothing was changed."), lines[-1]
    assert tree_digest(good_site / "site/demo") == before
    for raw in ("Input should", "Value error", "validation error", "pydantic"):
        assert raw not in result.err  # no validator's own wording reaches the user


def test_every_problem_is_reported_at_once(good_site: Path, capsys) -> None:
    edit(PROFILE, "colors:", "colours:")(good_site)
    edit(PROFILE, "email: hello@demo-clinic.example.org", "email: not-an-email\n  fax: 123")(good_site)
    result = run(good_site, "build", capsys=capsys)
    assert result.code == 1
    assert "unknown key 'colours'" in result.err
    assert "'contact.email': 'not-an-email' is not an email address" in result.err
    assert "unknown key 'contact.fax'" in result.err


def test_html_in_the_clinic_name_is_escaped_everywhere(good_site: Path, capsys) -> None:
    name = '<script>alert("x")</script> & Co'
    edit(PROFILE, "name: Demo Skin Clinic", f"name: '{name}'")(good_site)
    result = run(good_site, "build", capsys=capsys)
    assert result.code == 0, result.err
    for page in (good_site / "site/demo").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in html, page
    index = (good_site / "site/demo/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", index, re.S).group(1)
    assert "&lt;script&gt;" in title and "&amp; Co" in title
    assert "&lt;script&gt;" in index.split('class="md-header__topic"')[1][:400]


def test_jinja_in_a_clinic_field_is_shown_literally(good_site: Path, capsys) -> None:
    edit(PROFILE, "tagline: Skin consultations in central London (a fictional clinic)", "tagline: '{{ 7 * 7 }} {% raw %}'")(
        good_site
    )
    edit(PROFILE, "name: Demo Skin Clinic", "name: 'Demo {{ 6 * 7 }} Clinic'")(good_site)
    result = run(good_site, "build", capsys=capsys)
    assert result.code == 0, result.err
    index = (good_site / "site/demo/index.html").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }}" in index
    assert "Demo {{ 6 * 7 }} Clinic" in index  # in the page body, rendered from clinic.name
    assert "Demo 42 Clinic" not in index and ">49<" not in index


def test_usage_errors_exit_2(project: Path, capsys) -> None:
    assert run(project, "build", "--jobs", "zero", capsys=capsys).code == 2
    assert run(project, "frobnicate", capsys=capsys).code == 2
    assert run(project, "check", "--today", "yesterday", capsys=capsys).code == 2


def test_missing_clinic_is_a_user_error(project: Path, capsys) -> None:
    result = run(project, "build", "--clinic", "nowhere", capsys=capsys)
    assert result.code == 1
    assert re.search(r"clinics/nowhere/clinic.yml: file not found", result.err)


def test_a_clinic_page_that_is_not_utf8_is_a_message(project: Path, capsys) -> None:
    (project / "clinics/demo/pages/prices.md").write_bytes(b"# Prices\n\nCaf\xe9 prices\n")
    result = run(project, "build", capsys=capsys)
    assert result.code == 1
    assert "clinics/demo/pages/prices.md:3: is not UTF-8 text; save it as UTF-8 in your editor" in result.err
    assert "Traceback" not in result.err


def test_a_key_with_a_line_break_is_reported_on_one_line(project: Path, capsys) -> None:
    profile = project / PROFILE
    profile.write_text(profile.read_text() + '"bad\\nkey": 1\n')
    result = run(project, "build", capsys=capsys)
    assert result.code == 1
    assert re.search(rf"^{PROFILE}:\d+: unknown key 'bad\\nkey'; allowed keys: name, ", result.err, re.M), result.err
    assert len(result.err.strip().splitlines()) == 2

"""The "When to get help" boxes, the country table's urgent lines and support links, and the editors' contact.

Most tests render pages without MkDocs (Renderer.pages and the same fill-in the site's hook
uses), so they stay fast; the built sites are read where the theme is involved.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run
from mesoguide.checks.structure import structure_problems
from mesoguide.handout import handout_html
from mesoguide.inputs.content import Content, load_content
from mesoguide.inputs.countries import COUNTRIES
from mesoguide.inputs.profile import Clinic, load_clinic
from mesoguide.render import Renderer, clinic_values, load_base_config, nav_order

HELP_PAGES = ("procedure", "side-effects", "aftercare")
EDITORS = "corrections@mesoguide.example.org"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO / "content")


def clinic_variant(tmp_path: Path, slug: str, country: str | None = None, out_of_hours: bool = True) -> Clinic:
    """A shipped clinic copied to ``tmp_path``, optionally moved to another country or without out-of-hours contact."""
    folder = tmp_path / slug
    shutil.copytree(REPO / "clinics" / slug, folder)
    profile = folder / "clinic.yml"
    text = profile.read_text()
    if country:
        text = re.sub(r"^country: \w\w$", f"country: {country}", text, flags=re.M)
    if not out_of_hours:
        text = re.sub(r"^  out_of_hours: .*\n", "", text, flags=re.M)
    profile.write_text(text)
    return load_clinic(folder)


_RENDERERS: dict[int, tuple[Content, Renderer]] = {}


def renderer_for(content: Content) -> Renderer:
    """One renderer per content, as one build session has: it converts the guide pages of a
    shape once and fills in each clinic's values."""
    kept = _RENDERERS.get(id(content))
    if kept is None or kept[0] is not content:
        kept = _RENDERERS[id(content)] = (content, Renderer(content, REPO))
    return kept[1]


def page_markdown(clinic: Clinic, content: Content, name: str) -> str:
    """A guide page's Markdown body (no front matter), with the clinic's values in place as the rendered project holds them."""
    pages = renderer_for(content).pages(clinic, nav_order(load_base_config(REPO)))
    return re.sub(r"\A---\n.*?\n---\n", "", pages[f"{name}.md"], count=1, flags=re.S)


def page_text(clinic: Clinic, content: Content, name: str) -> str:
    """The page's words: tags and bold marks removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\*\*", "", page_markdown(clinic, content, name)))


def help_box(markdown: str) -> str:
    """The "When to get help" admonition alone (its indented lines), as words."""
    lines = markdown[markdown.index('!!! danger "When to get help"') :].splitlines()
    box = [lines[0]]
    for line in lines[1:]:
        if line.strip() and not line.startswith("    "):
            break
        box.append(line)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\*\*", "", "\n".join(box)))


def in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize("page", HELP_PAGES)
def test_uk_box_lists_emergency_then_today_then_soon_with_each_number(content: Content, page: str) -> None:
    box = help_box(page_markdown(load_clinic(REPO / "clinics/demo"), content, page))
    assert in_order(
        box,
        "1. Emergency: call 999 now",
        "trouble breathing",
        "swelling of your lips, tongue or throat",
        "sudden change in your eyesight",
        "pale or white and hurts, during or just after an injection",
        "2. Urgent: get help today",
        "a fever",
        "redness that spreads",
        "pus",
        "swelling that feels hot or keeps growing",
        "Your clinic: call Demo Skin Clinic on +44 20 7946 0000",
        "When the clinic is closed: +44 20 7946 0999",
        "If you cannot reach the clinic: call 111",
        "Northern Ireland has no 111 line",
        "3. Soon: see a doctor",
        "weeks later",
        "which product",
        "treatment record",
    ), box


@pytest.mark.parametrize("page", HELP_PAGES)
def test_us_box_has_no_uk_line_and_no_empty_slot(content: Content, page: str) -> None:
    box = help_box(page_markdown(load_clinic(REPO / "clinics/harbour-light"), content, page))
    assert in_order(
        box,
        "1. Emergency: call 911 now",
        "2. Urgent: get help today",
        "Your clinic: call Harbour Light Dermatology on +1 202-555-0147",
        "When the clinic is closed: +1 202-555-0199",
        "3. Soon: see a doctor",
    ), box
    assert "111" not in box and "NHS" not in box


def test_without_out_of_hours_the_country_line_fills_the_slot(content: Content, tmp_path: Path) -> None:
    box = help_box(page_markdown(clinic_variant(tmp_path, "demo", out_of_hours=False), content, "aftercare"))
    assert "When the clinic is closed: call 111. In England it is NHS 111." in box
    assert "If you cannot reach the clinic" not in box  # the line is not offered twice


def test_without_out_of_hours_or_a_country_line_plain_advice_fills_the_slot(content: Content, tmp_path: Path) -> None:
    box = help_box(page_markdown(clinic_variant(tmp_path, "harbour-light", out_of_hours=False), content, "side-effects"))
    assert "When the clinic is closed: call your own doctor. If they are closed too, ask for their out-of-hours service." in box
    assert re.search(r"closed: *\.", box) is None


def test_every_support_link_and_urgent_line_names_its_source() -> None:
    comments = "\n".join(line for line in (REPO / "src/mesoguide/inputs/countries.py").read_text().splitlines() if "#" in line)
    for country in COUNTRIES.values():
        for link in country.support:
            assert link.url.startswith("https://"), link
            host = link.url.removeprefix("https://").removeprefix("www.").split("/")[0]
            assert host in comments, f"{link.url}: no comment names where it was checked"
        if country.urgent_number:
            assert f"{country.urgent_number}:" in comments, country.name


def test_support_page_shows_each_clinics_own_country(content: Content) -> None:
    uk = page_markdown(load_clinic(REPO / "clinics/demo"), content, "support")
    us = page_markdown(load_clinic(REPO / "clinics/harbour-light"), content, "support")
    for address in (
        "www.nhs.uk/conditions/acne",
        "gmc-uk.org",
        "nmc.org.uk",
        "hcpc-uk.org",
        "pharmacyregulation.org",
        "psni.org.uk",
    ):
        assert address in uk and address not in us, address
    assert "Joining is a choice, not the law." in uk  # JCCP and Save Face are voluntary
    for address in ("niams.nih.gov", "fsmb.org", "988lifeline.org"):
        assert address in us and address not in uk, address
    assert "The links are for the United States." in re.sub(r"<[^>]+>", "", us)


def test_a_country_without_rows_gets_plain_advice(content: Content, tmp_path: Path) -> None:
    clinic = clinic_variant(tmp_path, "harbour-light", country="CA")
    markdown = page_markdown(clinic, content, "support")
    assert "support_" not in markdown and "https://" not in markdown
    text = page_text(clinic, content, "support")
    assert "Ask your doctor or pharmacist which health website they trust." in text
    assert "Ask the clinic which body each practitioner is registered with." in text
    assert "Your own doctor can tell you about support near you." in text


def test_is_it_right_for_me_links_to_the_support_page(content: Content) -> None:
    assert "(support.md)" in content.pages["is-it-right-for-me"].body
    assert "support.md" in json.dumps(load_base_config(REPO)["nav"])


def test_the_handout_help_box_lists_the_tiers_in_order(built_real: Path) -> None:
    document = handout_html(
        built_real / "site/demo", load_clinic(built_real / "clinics/demo"), load_content(built_real / "content")
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", document))
    assert in_order(text, "1. Emergency: call 999 now", "2. Urgent: get help today", "call 111", "3. Soon: see a doctor")


def test_structure_gate_refuses_a_box_that_puts_the_clinic_before_the_emergency_number(content: Content) -> None:
    page = content.pages["aftercare"]
    body = page.body.replace("**1. Emergency: call {{ clinic.emergency_number }} now**", "**1. Call us first**")
    body = body.replace("Take your [treatment record]", "Or call {{ clinic.emergency_number }}. Take your [treatment record]")
    broken = dataclasses.replace(content, pages={**content.pages, "aftercare": dataclasses.replace(page, body=body)})
    assert not [p for p in structure_problems(content) if p.path == page.source]
    messages = [p.message for p in structure_problems(broken) if p.path == page.source]
    assert any("emergency number" in m for m in messages), messages


# The editors' contact ---------------------------------------------------------------


def test_editors_contact_is_on_the_about_page_every_box_and_the_json_ld(built_real: Path) -> None:
    for slug in ("demo", "harbour-light"):
        site = built_real / "site" / slug
        about = html.unescape((site / "about/index.html").read_text(encoding="utf-8"))
        section = about[about.index('id="found-an-error"') :]
        assert f"mailto:{EDITORS}" in section.split("</h2>", 2)[1].split("<h2", 1)[0]
        with_about = [p for p in sorted(site.glob("**/index.html")) if 'class="mg-about"' in p.read_text(encoding="utf-8")]
        assert len(with_about) >= 12, with_about  # every guide page carries the block
        for page in with_about:
            text = page.read_text(encoding="utf-8")
            aside = text[text.index('class="mg-about"') :]
            assert f'href="mailto:{EDITORS}"' in aside.split("</aside>")[0], page
            blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]
            pages = [b for b in blocks if isinstance(b, dict) and b.get("@type") == "MedicalWebPage"]
            assert pages and pages[0]["author"]["contactPoint"]["email"] == EDITORS, page


def test_a_clinic_profile_cannot_set_the_editors_contact(project: Path, capsys) -> None:
    profile = project / "clinics/demo/clinic.yml"
    profile.write_text(profile.read_text() + "editors_contact: clinic@demo-clinic.example.org\n")
    result = run(project, "build", capsys=capsys)
    assert result.code == 1
    assert re.search(r"clinics/demo/clinic\.yml:\d+: unknown key 'editors_contact'", result.err), result.err


def test_the_editors_contact_must_be_an_address_and_must_exist(project: Path, capsys) -> None:
    editors = project / "content/editors.yml"
    editors.write_text("email: not an address\n")
    result = run(project, "build", capsys=capsys)
    assert result.code == 1 and re.search(r"content/editors\.yml:1: 'email'", result.err), result.err
    editors.unlink()
    result = run(project, "build", capsys=capsys)
    assert result.code == 1 and "content/editors.yml: file not found; it gives the editors' address" in result.err


def test_clinic_values_cannot_carry_the_editors_contact(tmp_path: Path) -> None:
    """The address comes from the content, never from anything a clinic gives."""
    for slug in ("demo", "harbour-light"):
        assert EDITORS not in json.dumps(clinic_values(clinic_variant(tmp_path / slug, slug)))


def test_country_values_are_shapes_a_shared_build_can_fill_in() -> None:
    """Escaped text or one link around it (prototype.SNIPPET), so clinics of a shape still share one build."""
    from mesoguide.render.country_help import country_values
    from mesoguide.site.prototype import SNIPPET

    for code, country in COUNTRIES.items():
        for name, value in country_values(country).items():
            assert SNIPPET.match(value), (code, name, value)

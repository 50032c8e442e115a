"""The handout is made of the pages the site stage built: the same words, nothing fetched, every asset the site's own.

These tests read the built sites of the real content (the shared ``built_real`` build) and
compose the handout's document without printing it; the browser tests in test_deploy.py
print it with Chromium.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import run, tree_digest
from mesoguide.handout import DROPPED_CLASSES, HANDOUT_PAGES, build_handout_site, handout_html
from mesoguide.inputs.content import Content, load_content
from mesoguide.inputs.profile import load_clinic
from mesoguide.pipeline import Paths

CLINICS = ("demo", "harbour-light")


def plain_text(markup: str) -> str:
    """What a reader sees of some HTML: tags removed, entities read, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


@functools.cache
def content_of(root: Path) -> Content:
    """The content of a built project, loaded once: these tests only read the built trees."""
    return load_content(root / "content")


def handout(root: Path, slug: str, site: Path | None = None) -> str:
    clinic = load_clinic(root / "clinics" / slug)
    return handout_html(site or root / "site" / slug, clinic, content_of(root))


def article_paragraphs(page: str) -> list[str]:
    """The paragraphs of a built page's text, without its claim checks and About block, which paper leaves off."""
    article = page[page.index("<h1") : page.index('<aside class="mg-about"')]
    article = re.sub(r'<sup class="mg-cite">.*?</sup>|<div class="mg-claim .*?</div>', "", article, flags=re.S)
    return [plain_text(p) for p in re.findall(r"<p>(.*?)</p>", article, re.S) if plain_text(p)]


def test_the_handout_builds_the_same_pages_as_mesoguide_build_and_leaves_the_site_alone(built_real: Path, tmp_path: Path) -> None:
    before = tree_digest(built_real / "site/demo")
    site, clinic, content = build_handout_site(built_real / "clinics/demo", Paths.at(built_real), tmp_path)
    assert site.is_relative_to(tmp_path) and clinic.slug == "demo" and content.version
    for name in HANDOUT_PAGES:
        page = f"{name}/index.html"
        assert (site / page).read_bytes() == (built_real / "site/demo" / page).read_bytes(), page
    assert tree_digest(built_real / "site/demo") == before


@pytest.mark.parametrize("slug", CLINICS)
def test_every_paragraph_of_the_built_pages_is_in_the_handout(built_real: Path, slug: str) -> None:
    text = plain_text(handout(built_real, slug))
    for name in HANDOUT_PAGES:
        paragraphs = article_paragraphs((built_real / "site" / slug / name / "index.html").read_text(encoding="utf-8"))
        assert len(paragraphs) >= 3, name
        for paragraph in paragraphs:
            assert paragraph in text, f"{name}: {paragraph!r} is on the site but not in the handout"


@pytest.mark.parametrize("slug", CLINICS)
def test_the_handout_help_box_is_the_one_on_the_built_side_effects_page(built_real: Path, slug: str) -> None:
    side_effects = (built_real / "site" / slug / "side-effects/index.html").read_text(encoding="utf-8")
    box = re.search(r'<div class="admonition danger">.*?</div>', side_effects, re.S)
    assert box and "Emergency" in box.group()
    assert plain_text(box.group()) in plain_text(handout(built_real, slug))


def test_the_handout_prints_what_the_site_stage_wrote_not_the_sources(built_real: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in HANDOUT_PAGES:
        (site / name).mkdir(parents=True)
        shutil.copy2(built_real / "site/demo" / name / "index.html", site / name / "index.html")
    aftercare = site / "aftercare/index.html"
    page = aftercare.read_text(encoding="utf-8")
    sentence = "This sentence exists only in the built page."
    aftercare.write_text(page.replace('<h1 id="aftercare">', f'<p>{sentence}</p>\n<h1 id="aftercare">', 1), encoding="utf-8")
    assert sentence in handout(built_real, "demo", site)
    assert sentence not in handout(built_real, "demo")


@pytest.mark.parametrize("slug", CLINICS)
def test_the_handout_fetches_nothing_and_every_asset_is_the_sites(built_real: Path, slug: str) -> None:
    site = built_real / "site" / slug
    document = handout(built_real, slug)
    addresses = re.findall(r'\s(?:src|href)="([^"]*)"', document)
    assert addresses
    for address in addresses:
        if address.startswith("tel:"):
            continue
        assert not re.match(r"[a-z]+:", address), f"{address} would leave the computer"
        # The document is written to site/_handout/index.html, beside the pages it takes.
        assert (site / "_handout" / address).resolve().is_file(), f"{address} is not in the built site"
    assert re.search(r'<link rel="stylesheet" href="\.\./assets/stylesheets/main\.[0-9a-f]+\.min\.css">', document)
    assert "@media print" in document  # the site's own print rules


def test_the_handout_leaves_off_what_only_the_screen_uses(built_real: Path) -> None:
    document = handout(built_real, "demo")
    built = "".join((built_real / "site/demo" / name / "index.html").read_text(encoding="utf-8") for name in HANDOUT_PAGES)
    # The class names are what the handout goes by: if the site stops writing them, this fails.
    classes_on_site = {name for name in DROPPED_CLASSES if re.search(rf'class="(?:[^"]* )?{name}[ "]', built)}
    assert classes_on_site >= {"mg-print-header", "mg-review-notice", "mg-claim", "mg-cite", "mg-about", "headerlink"}
    pages = document[document.index('<section class="mg-handout__page">') :]  # the handout's own header and notice come first
    for name in classes_on_site:
        assert not re.search(rf'class="(?:[^"]* )?{name}[ "]', pages), name
    assert "What we don't know" in built and "What we don't know" not in document
    assert document.count('class="mg-print-header"') == 1 and document.count('class="mg-review-notice"') == 1
    terms = re.findall(r'<abbr [^>]*class="mg-term-first" data-mg-meaning="([^"]+)"', document)
    assert terms and len(terms) == len(set(terms)), "each glossary word is explained once, at its first use"
    assert document.count('class="mg-option"') >= 13


def test_a_content_without_a_handout_page_is_one_line_per_page(project: Path, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: "/usr/bin/chromium")
    result = run(project, "handout", "--out", str(tmp_path / "x.pdf"), capsys=capsys)
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[:-1] == [
        f"{Path('content/pages') / name}.md: the handout prints this page, but it does not exist" for name in HANDOUT_PAGES
    ]
    assert not (tmp_path / "x.pdf").exists()

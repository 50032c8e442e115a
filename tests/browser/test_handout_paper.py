"""The handout's document in Chromium: only local files load, every image shows, and glossary words are explained on paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from browser_support import chromium_path
from conftest import copy_project
from mesoguide.handout import CHROMIUM_ARGS, DOCUMENT_FOLDER, build_handout_site, handout_html
from mesoguide.pipeline import Paths

pytestmark = pytest.mark.browser


def test_the_handout_loads_only_local_files_and_explains_glossary_words_on_paper(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    project = copy_project(tmp_path / "project", tree="real")
    site, clinic, content = build_handout_site(project / "clinics/demo", Paths.at(project), tmp_path / "work")
    document = site / DOCUMENT_FOLDER / "index.html"
    document.parent.mkdir()
    document.write_text(handout_html(site, clinic, content), encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(document.as_uri(), wait_until="load")
        broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        stylesheets = page.evaluate("() => document.styleSheets.length")
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        browser.close()
    assert len(requested) > 2 and all(url.startswith("file://") for url in requested), requested
    assert broken == [] and stylesheets >= 3
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    meanings = [entry.definition for entry in content.glossary if entry.tooltip]
    printed = [meaning for meaning in meanings if f"({meaning})" in text]
    assert printed, "no glossary word is explained on paper"
    # Explained once, at its first use: a meaning is not printed again on a later page.
    assert all(text.count(f"({meaning})") == 1 for meaning in printed)

"""The theme's page load: what the built pages carry so that a phone does less work before
the reader can use the page (Material's bundle held back for the theme's loader, no full-page
restyles at load)."""

from __future__ import annotations

import re
from pathlib import Path


def pages(built_real: Path) -> list[Path]:
    found = sorted((built_real / "site").glob("*/**/index.html"))
    assert len(found) >= 20
    return found


def test_materials_bundle_is_held_back_for_the_theme_to_start_on_every_page(built_real: Path) -> None:
    # A script of an unknown type is neither fetched nor run: the theme's script adds the real
    # one (at once on a wide screen, on the reader's first touch, key or scroll on a phone).
    for page in pages(built_real):
        html = page.read_text(encoding="utf-8")
        bundles = re.findall(r"<script[^>]*bundle\.[0-9a-f]+\.min\.js[^>]*>", html)
        assert bundles and all('type="mg-later" data-mg-src=' in tag for tag in bundles), (page, bundles)
        assert "function startMaterial()" in html, page


def test_html_classes_are_set_in_the_head_and_the_palette_is_not_materials_component(built_real: Path) -> None:
    for page in pages(built_real):
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        assert 'document.documentElement.className = "js js-focus-visible"' in head, page
        assert 'data-md-component="palette"' not in html, page
        assert "data-mg-palette" in html, page

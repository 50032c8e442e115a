"""The theme's page load: what the built pages carry so that a phone does less work before
the reader can use the page (Material's bundle deferred, no full-page restyles at load)."""

from __future__ import annotations

import re
from pathlib import Path


def pages(built_real: Path) -> list[Path]:
    found = sorted((built_real / "site").glob("*/**/index.html"))
    assert len(found) >= 20
    return found


def test_materials_bundle_is_deferred_on_every_page(built_real: Path) -> None:
    for page in pages(built_real):
        html = page.read_text(encoding="utf-8")
        bundles = re.findall(r"<script[^>]*bundle\.[0-9a-f]+\.min\.js[^>]*>", html)
        assert bundles and all(" defer " in tag for tag in bundles), (page, bundles)


def test_html_classes_are_set_in_the_head_and_the_palette_is_not_materials_component(built_real: Path) -> None:
    for page in pages(built_real):
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        assert 'document.documentElement.className = "js js-focus-visible"' in head, page
        assert 'data-md-component="palette"' not in html, page
        assert "data-mg-palette" in html, page

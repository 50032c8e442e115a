"""Logos and favicons stay light: a heavy logo warns, and the favicon the site links is small."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

from PIL import Image

from conftest import run


def noisy_png(path: Path, size: int) -> None:
    """A PNG that does not compress: about 3 bytes per pixel."""
    pixels = random.Random(1).randbytes(size * size * 3)
    Image.frombytes("RGB", (size, size), pixels).save(path, format="PNG")


def use_png_logo(project: Path, size: int, favicon: bool) -> None:
    noisy_png(project / "clinics/demo/logo.png", size)
    profile = project / "clinics/demo/clinic.yml"
    text = profile.read_text().replace("logo: logo.svg", "logo: logo.png")
    if not favicon:
        text = text.replace("favicon: favicon.svg\n", "")
    profile.write_text(text)


def test_a_heavy_png_logo_warns_and_the_site_links_a_small_favicon_made_from_it(project: Path, capsys) -> None:
    use_png_logo(project, 300, favicon=False)
    assert (project / "clinics/demo/logo.png").stat().st_size > 100_000
    result = run(project, "build", capsys=capsys)
    assert result.code == 0, result.err
    assert re.search(r"^clinics/demo/clinic.yml:6: warning: 'logo': the file is \d+ KB, sent with every page", result.err, re.M)
    site = project / "site/demo"
    favicon = site / "assets/clinic/favicon-64.png"
    with Image.open(io.BytesIO(favicon.read_bytes())) as image:
        assert image.size == (64, 64)
    assert favicon.stat().st_size < 20_000
    assert '<link rel="icon" href="assets/clinic/favicon-64.png">' in (site / "index.html").read_text()


def test_no_favicon_is_a_choice_not_a_warning(project: Path, capsys) -> None:
    profile = project / "clinics/demo/clinic.yml"
    profile.write_text(profile.read_text().replace("favicon: favicon.svg\n", ""))
    result = run(project, "build", capsys=capsys)
    assert result.code == 0 and "warning" not in result.err, result.err
    assert '<link rel="icon" href="assets/clinic/logo.svg">' in (project / "site/demo/index.html").read_text()


def test_material_s_own_names_are_the_only_immutable_assets(built_mini: Path) -> None:
    headers = (built_mini / "site/demo/_headers").read_text()
    immutable = re.findall(r"^(/\S+)\n  Cache-Control: public, max-age=31536000, immutable$", headers, re.M)
    assert immutable and all(re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", path) for path in immutable), immutable
    assert "/assets/*" not in headers and "logo" not in headers

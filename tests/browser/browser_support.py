"""What the browser tests share: the shipped clinics' sites built and served on 127.0.0.1,
Debian's Chromium through Playwright (nothing downloads a browser), and the audits run on
every page: axe-core, requests to other origins, CSP violations and, on a phone, layout."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from conftest import copy_project, run_process
from mesoguide.handout import CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CLINICS = {"demo": ("Demo Skin Clinic", "+44 20 7946 0000"), "harbour-light": ("Harbour Light Dermatology", "+1 202-555-0147")}
# The demo clinic built by Zensical (mesoguide build --engine zensical), when it is installed.
ZENSICAL = "demo-zensical"


def zensical_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("zensical") is not None


def built(slug: str) -> str:
    """``slug``, skipping the test when that site needs an engine that is not installed."""
    if slug == ZENSICAL and not zensical_installed():
        message = "zensical is not installed (pip install --require-hashes -r requirements-engines.lock)"
        if os.environ.get("MESOGUIDE_REQUIRE_ENGINES"):
            pytest.fail(message)
        pytest.skip(message)
    return slug


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = "Chromium not found: install Debian's package (apt-get install chromium) to run the browser tests"
        if os.environ.get("MESOGUIDE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def served_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Path]]]:
    """Both clinics built from the real content (and a low-contrast copy of the demo clinic,
    and the demo clinic built by Zensical when it is installed), each served on 127.0.0.1:
    by slug, its address and its folder."""
    chromium_path()
    root = copy_project(tmp_path_factory.mktemp("browser") / "project", tree="real")
    low = root / "clinics/low-contrast"
    shutil.copytree(root / "clinics/demo", low)
    profile = low / "clinic.yml"
    profile.write_text(
        profile.read_text()
        .replace('"#0b6e4f"', '"#ffff00"')
        .replace('"#c2410c"', '"#00ffff"')
        .replace("Demo Skin Clinic", "Low Contrast Clinic")
    )
    result = run_process(root, "build", "--all")
    assert result.returncode == 0, result.stderr
    slugs = [*CLINICS, "low-contrast"]
    if zensical_installed():
        result = run_process(root, "build", "--clinic", "demo", "--engine", "zensical", "--out", f"site/{ZENSICAL}")
        assert result.returncode == 0, result.stderr
        slugs.append(ZENSICAL)
    servers = {}
    for slug in slugs:
        handler = functools.partial(_Quiet, directory=str(root / "site" / slug))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[slug] = (server, f"http://127.0.0.1:{server.server_address[1]}/", root / "site" / slug)
    yield {slug: (base, folder) for slug, (_, base, folder) in servers.items()}
    for server, _, _ in servers.values():
        server.shutdown()


def chromium() -> Iterator[Browser]:
    """Debian's Chromium, started through Playwright and closed when the caller is done."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def page_urls(base: str, folder: Path) -> list[str]:
    """Every page in the sitemap (the guide and the clinic's own pages), and the 404 page."""
    sitemap = (folder / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    paths = [urlparse(loc).path.lstrip("/") for loc in locs]
    assert len(paths) >= 12
    return [base + p for p in paths] + [base + "404.html"]


class Watcher:
    """Records every request, console message and CSP violation of one page."""

    def __init__(self, page, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.console: list[str] = []
        page.on("request", self._request)
        page.on("console", lambda msg: self.console.append(msg.text))

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.origin) or url.startswith("data:") or url.startswith("blob:")):
            self.foreign.append(url)

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


def axe_violations(page, rules: list[str] | None = None, extra_rules: tuple[str, ...] = ()) -> list[str]:
    """axe-core's violations: the WCAG 2.x A/AA tags (plus ``extra_rules``), or only ``rules``."""
    from axe_playwright_python.sync_playwright import Axe

    if rules:
        options = {"runOnly": {"type": "rule", "values": rules}}
    else:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {r: {"enabled": True} for r in extra_rules}}
    results = Axe().run(page, options=options)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const el of document.querySelectorAll('article p, article li, article td, article dd, .md-footer p')) {
    const style = getComputedStyle(el);
    if (el.offsetParent === null) continue;
    if (parseFloat(style.fontSize) < 16) problems.push(`text under 16px (${style.fontSize}): ${el.textContent.slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('article *, .md-header *, .md-footer *')) {
    const style = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(style.overflowX) && style.textOverflow !== 'ellipsis';
    if (clips && el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
      problems.push(`clipped text: ${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`);
  }
  return problems;
}"""


def audit_every_page(browser, base: str, folder: Path, viewport: dict, extra_rules: tuple[str, ...], layout: bool) -> list[str]:
    """axe, foreign requests and CSP violations (and, on a phone, layout) on every page."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    failures = []
    for url in page_urls(base, folder):
        page = context.new_page()
        watcher = Watcher(page, base.rstrip("/"))
        page.goto(url, wait_until="networkidle")
        name = url.removeprefix(base) or "index"
        failures += [f"{name}: axe {v}" for v in axe_violations(page, extra_rules=extra_rules)]
        if layout:
            failures += [f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        failures += [f"{name}: request to another origin {u}" for u in watcher.foreign]
        failures += [f"{name}: CSP violation {m}" for m in watcher.csp_violations]
        page.close()
    if context.cookies():
        failures.append(f"cookies were set: {context.cookies()}")
    context.close()
    return failures


@contextlib.contextmanager
def phone_page(browser) -> Iterator[Page]:
    """A page in a phone's browser (360 × 740 CSS pixels, touch), closed with its context also when the test fails."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    try:
        yield context.new_page()
    finally:
        context.close()

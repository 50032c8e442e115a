"""Every page of both shipped clinics' sites in a real browser (Chromium through Playwright).

Run alone with ``pytest -m browser``. Debian's chromium package is used as it is; nothing
downloads a browser. Without it these tests skip, unless MESOGUIDE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from browser_support import (
    CLINICS,
    ZENSICAL,
    Watcher,
    audit_every_page,
    axe_violations,
    built,
    chromium,
    page_urls,
    phone_page,
    served_sites,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Path]]]:
    yield from served_sites(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.mark.parametrize("slug", [*CLINICS, ZENSICAL])
def test_every_page_on_a_phone(sites, browser, slug: str) -> None:
    base, folder = sites[built(slug)]
    # aria-dialog-name is a best-practice rule; Material's search dialog failed it.
    failures = audit_every_page(browser, base, folder, {"width": 360, "height": 740}, ("aria-dialog-name", "target-size"), True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("slug", [*CLINICS, ZENSICAL])
def test_every_page_on_a_desktop(sites, browser, slug: str) -> None:
    base, folder = sites[built(slug)]
    failures = audit_every_page(browser, base, folder, {"width": 1280, "height": 900}, ("aria-dialog-name",), False)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("slug", ["demo", ZENSICAL])
def test_keyboard_skip_link_focus_outline_and_search(sites, browser, slug: str) -> None:
    base, _ = sites[built(slug)]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    watcher = Watcher(page, base.rstrip("/"))
    page.goto(base + "side-effects/", wait_until="networkidle")
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({text: document.activeElement.textContent.trim(), cls: document.activeElement.className})")
    assert "md-skip" in first["cls"] and first["text"], first
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    # Material's search box is an input in the header; Zensical's is a button that opens its
    # search dialog (in a shadow root, which Playwright's selectors reach), focused on its input.
    search_box, result = (
        (".md-search__button", "[role=option]") if slug == ZENSICAL else (".md-search__input", ".md-search-result__item")
    )
    for _ in range(40):
        if page.evaluate(f"() => document.activeElement.matches('{search_box}')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the search box cannot be reached with Tab")
    if slug == ZENSICAL:
        page.keyboard.press("Enter")
        page.wait_for_selector("dialog[open] input", timeout=10000)
    page.keyboard.type("infection", delay=40)  # real key presses, as a person types
    page.wait_for_selector(result, timeout=10000)
    assert page.locator(result).count() > 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "h=infection" in url)  # the chosen result opens, highlighted
    assert not watcher.foreign and not watcher.csp_violations, (watcher.foreign, watcher.csp_violations)
    page.close()


@pytest.mark.parametrize("slug", list(CLINICS))
@pytest.mark.parametrize("page_name", ["aftercare", "questions-to-ask", "compare-options", "choosing"])
def test_printed_pages_carry_the_clinic_and_no_navigation(sites, browser, slug: str, page_name: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    base, _ = sites[slug]
    name, phone = CLINICS[slug]
    page = browser.new_page()
    page.goto(f"{base}{page_name}/", wait_until="networkidle")
    page.emulate_media(media="print")
    # An SVG logo prints as drawing, not as an image a PDF reader can list: check it on the page.
    logo = page.evaluate("""() => { const img = document.querySelector('.mg-print-header img');
        return img && img.complete && img.naturalWidth > 0 && getComputedStyle(img.parentElement).display !== 'none'; }""")
    assert logo, "the clinic's logo is not shown in print"
    pdf = tmp_path / f"{page_name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    reader = PdfReader(str(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 2 and abs(height - 842) < 2, (width, height)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert name in text and phone in text
    for chrome in ("Table of contents", "Start here", "Skip to content", "Switch to dark mode"):
        assert chrome not in text, f"navigation text {chrome!r} is printed"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_low_contrast_brand_colours_are_adjusted_until_axe_passes(sites, browser, scheme: str) -> None:
    base, folder = sites["low-contrast"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    failures = []
    for path in ("", "side-effects/", "claim-check/"):
        page.goto(base + path, wait_until="networkidle")
        applied = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert applied == ("slate" if scheme == "dark" else "default"), applied
        failures += axe_violations(page, rules=["color-contrast"])
    context.close()
    assert not failures, failures


def test_the_help_box_starts_with_the_emergency_number_on_a_phone(sites, browser) -> None:
    base, _ = sites["demo"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base + "side-effects/", wait_until="networkidle")
    box = page.locator(".admonition.danger")
    assert box.locator("strong").first.inner_text() == "1. Emergency: call 999 now"
    first_call = box.locator("a[href^='tel:']").first
    assert first_call.get_attribute("href") == "tel:999" and first_call.is_visible()
    context.close()


# Every word of the option grid and of the diagrams' text must fit its box whole: if one did not,
# overflow-wrap would break it mid-word on a 360 px phone.
WORDS_THAT_DO_NOT_FIT = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const problems = [];
  for (const el of document.querySelectorAll('.mg-option dt, .mg-option dd, .mg-option h3, .mg-figure li')) {
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (const word of el.textContent.split(/\\s+/).filter(Boolean)) {
      if (canvas.measureText(word).width > el.clientWidth) problems.push(`${word} (${el.clientWidth}px)`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("path", ["compare-options/", "choosing/", "side-effects/"])
def test_option_grid_and_diagrams_fit_a_phone_in_both_schemes(sites, browser, path: str) -> None:
    base, _ = sites["demo"]
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, color_scheme=scheme)
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        page.evaluate(
            "() => document.querySelectorAll('article details').forEach(d => { d.open = true; })"
        )  # as a reader opens them
        sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert sideways <= 1, f"{path} scrolls sideways by {sideways}px"
        assert not page.evaluate(WORDS_THAT_DO_NOT_FIT), page.evaluate(WORDS_THAT_DO_NOT_FIT)
        cards = page.evaluate("() => [...document.querySelectorAll('.mg-option')].map(c => c.getBoundingClientRect().right)")
        assert all(right <= 360 for right in cards), cards
        images = page.evaluate(
            "() => [...document.querySelectorAll('.mg-figure img')].map(i => [i.complete && i.naturalWidth > 0, i.getBoundingClientRect().right])"
        )
        assert all(loaded and right <= 360 for loaded, right in images), images
        context.close()


def test_a_glossary_word_explains_itself_on_a_tap_and_on_paper(sites, browser, tmp_path: Path) -> None:
    from pypdf import PdfReader

    base, _ = sites["demo"]
    with phone_page(browser) as page:
        page.goto(base + "results/", wait_until="networkidle")
        term = page.locator("article abbr.mg-term-first").first
        meaning = term.get_attribute("title")
        assert meaning and term.get_attribute("tabindex") == "0"
        term.tap()
        page.wait_for_selector(".md-tooltip2--active", timeout=5000)
        assert page.locator(".md-tooltip2--active").inner_text().strip() == meaning
        page.emulate_media(media="print")
        printed = page.evaluate("() => getComputedStyle(document.querySelector('article abbr.mg-term-first'), '::after').content")
        assert meaning in printed, printed
        pdf = tmp_path / "results.pdf"
        page.pdf(path=str(pdf), format="A4")
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)
        assert f"({meaning})" in text


def test_a_link_to_a_claim_in_the_closed_list_opens_it(sites, browser) -> None:
    base, folder = sites["demo"]
    html = (folder / "results/index.html").read_text(encoding="utf-8")
    closed = re.search(r'<details class="mg-other-claims">.*?id="claim-([a-z0-9-]+)"', html, re.S)
    assert closed, "the results page has no closed list of claims"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{base}results/#claim-{closed.group(1)}", wait_until="networkidle")
    state = page.evaluate(
        """id => { const el = document.getElementById(id); const box = el.getBoundingClientRect();
        return [el.closest('details').open, box.top < innerHeight && box.bottom > 0]; }""",
        f"claim-{closed.group(1)}",
    )
    assert state == [True, True], state
    page.close()


def test_closed_boxes_print_in_full_even_without_javascript(sites, browser, tmp_path: Path) -> None:
    from pypdf import PdfReader

    base, folder = sites["demo"]
    cards = len(re.findall(r'class="mg-option"', (folder / "compare-options/index.html").read_text(encoding="utf-8")))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "compare-options/", wait_until="networkidle")
    pdf = tmp_path / "compare.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)
    assert cards >= 13
    assert text.count("What results to expect") == cards
    assert text.count("Rare but serious risks") == cards


FIRST_VIEW_LIMIT = 90 * 1024


def test_every_first_view_is_at_most_90_kb_with_gzip_and_search_loads_only_when_used(sites, browser) -> None:
    import gzip

    base, folder = sites["demo"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    failures, sizes = [], {}
    for url in page_urls(base, folder):
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request, into=requested: into.append(request.url))
        page.goto(url, wait_until="networkidle")
        page.close()
        total = 0
        for address in dict.fromkeys(requested):
            path = folder / urlparse(address).path.lstrip("/")
            path = path / "index.html" if path.is_dir() else path
            total += len(gzip.compress(path.read_bytes(), compresslevel=6))
        name = url.removeprefix(base) or "index"
        sizes[name] = round(total / 1024, 1)
        if total > FIRST_VIEW_LIMIT:
            failures.append(f"{name}: {total / 1024:.1f} KB")
        if any("search_index" in address or "/workers/" in address for address in requested):
            failures.append(f"{name}: the search index or worker loaded before search was used")
    print("\nfirst view, KB with gzip:", sizes)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "aftercare/", wait_until="networkidle")
    page.locator(".md-search__input").focus()
    page.keyboard.type("bruise", delay=40)
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert any("search_index.json" in address for address in requested)
    context.close()
    assert not failures, "\n".join(failures)


def test_the_colour_toggle_switches_and_remembers_the_scheme(sites, browser) -> None:
    base, _ = sites["demo"]
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = context.new_page()
    page.goto(base + "aftercare/", wait_until="networkidle")
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "slate"
    page.locator("[data-mg-palette] label:not([hidden])").click()
    assert page.evaluate(scheme) == "default"
    page.goto(base + "side-effects/", wait_until="networkidle")
    assert page.evaluate(scheme) == "default"  # the reader's choice, over the device's preference
    assert page.locator("[data-mg-palette] label:not([hidden])").get_attribute("title") == "Switch to dark mode"
    context.close()


def test_repeated_glossary_words_keep_their_meaning_and_section_links_their_name(sites, browser) -> None:
    base, _ = sites["demo"]
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(base + "results/", wait_until="load")
    terms = page.evaluate(
        """() => [...document.querySelectorAll('article abbr')].map(a => [a.textContent.toLowerCase(), a.title,
        a.classList.contains('mg-term-first'), a.getAttribute('tabindex')])"""
    )
    firsts = [t for t in terms if t[2]]
    assert len(terms) > len(firsts) > 0
    assert all(title for _, title, _, _ in terms), "a glossary word lost its meaning"
    assert all(tabindex == "0" for _, _, first, tabindex in terms if first)
    assert all(tabindex is None for _, _, first, tabindex in terms if not first)
    links = page.evaluate(
        "() => [...document.querySelectorAll('article a.headerlink')].map(a => [a.title, a.getAttribute('aria-label')])"
    )
    assert links and all(title == "" and label == "Link to this section" for title, label in links), links
    page.close()


def test_the_drawer_shows_its_links_when_opened_on_a_phone(sites, browser) -> None:
    base, _ = sites["demo"]
    with phone_page(browser) as page:
        page.goto(base + "side-effects/", wait_until="networkidle")
        link = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Aftercare").first
        assert not link.is_visible()
        page.locator("label.md-header__button[for=__drawer]").tap()
        link.wait_for(state="visible", timeout=2000)
        link.tap()
        page.wait_for_url("**/aftercare/")


def test_material_waits_for_the_reader_and_its_search_shortcut_works_on_a_fresh_page(sites, browser) -> None:
    base, _ = sites["demo"]
    page = browser.new_page(viewport={"width": 800, "height": 1000})  # a tablet with a keyboard
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "side-effects/", wait_until="networkidle")
    assert not any("/bundle." in address for address in requested), "Material's bundle ran before the reader did anything"
    page.keyboard.press("/")  # the first thing the reader does: Material's search shortcut
    page.wait_for_selector(".md-search__input:focus", timeout=10000)
    page.keyboard.type("infection", delay=40)
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert not errors, errors
    page.close()


def test_the_search_button_focuses_the_search_box_on_a_fresh_phone_page(sites, browser) -> None:
    base, _ = sites["demo"]
    with phone_page(browser) as page:
        page.goto(base + "aftercare/", wait_until="networkidle")
        page.locator("label.md-header__button[for=__search]").tap()
        assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
        page.keyboard.type("bruise", delay=40)
        page.wait_for_selector(".md-search-result__item", timeout=10000)


def test_nothing_moves_when_material_starts(sites, browser) -> None:
    base, folder = sites["demo"]
    tables = (folder / "aftercare/index.html").read_text(encoding="utf-8").count("<table")
    assert tables, "the aftercare page has no table to check"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(base + "aftercare/", wait_until="networkidle")
    boxes = "() => [...document.querySelectorAll('article > *')].map(el => [el.tagName, el.getBoundingClientRect().top])"
    wrapped = "() => [...document.querySelectorAll('article table')].map(t => t.parentElement.parentElement.className)"
    before = page.evaluate(boxes)
    assert page.evaluate(wrapped) == ["md-typeset__scrollwrap"] * tables
    page.mouse.move(5, 300)  # the reader's first move starts Material
    page.wait_for_function("() => document.querySelector('.md-top') && window.document$")
    page.wait_for_timeout(300)
    assert page.evaluate(wrapped) == ["md-typeset__scrollwrap"] * tables  # wrapped once, not again
    assert page.evaluate(boxes) == before
    page.close()

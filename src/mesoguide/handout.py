"""``mesoguide handout``: an A4 PDF to give patients, printed by Chromium.

The handout holds the aftercare steps, the warning signs and when to get help, the
questions to ask, the blank treatment record and the option grid, under the clinic's logo,
name, phone, out-of-hours contact and emergency number. Its pages are the pages the site
stage built for the clinic (``pipeline.build_clinic``, into a temporary folder): the article
of each, without the parts that only make sense on screen (claim boxes, citation marks,
links into the site, the "About this page" block). They go into one document through
``render/templates/handout.html`` (through the engine's own template environment), styled by the site's own stylesheets and their ``@media print``
rules, and Chromium prints it (Playwright's ``page.pdf``, the print path the browser tests
use) from a file:// address, with every other request refused.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup

from mesoguide.errors import Problem, UserError
from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic, load_clinic
from mesoguide.pipeline import Paths, build_clinic
from mesoguide.render.package_templates import package_template
from mesoguide.session import BuildSession

HANDOUT_PAGES = ("aftercare", "questions-to-ask", "compare-options")
"""The guide pages the handout prints, in order: aftercare (with the "When to get help" box
and the treatment record), the questions to ask, and the option grid."""
DROPPED_CLASSES = frozenset(
    {
        "mg-print-header",  # the handout prints its own header once, not one per page
        "mg-review-notice",  # and one review notice for all its pages
        "mg-claim",  # claim checks answer a clinic's advertising; paper keeps the advice
        "mg-cite",  # citation marks point to a references page the paper does not have
        "mg-other-claims",
        "mg-about",  # the page's review record: the handout states its own
        "headerlink",
    }
)
DROPPED_SECTIONS = frozenset({"what-we-dont-know", "other-claims-we-checked"})
"""Sections (by the id of their h2) left off paper, as the handout always has."""
DOCUMENT_FOLDER = "_handout"
"""The handout's document is written beside the pages it takes, at the same depth, so the
pages' relative addresses (images, stylesheets) stay right."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "install Debian's chromium package (apt-get install chromium) and the print extra (pip install -e '.[print]')"
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class _Open:
    """An element open inside the article, and what paper does with it."""

    tag: str
    start: int
    classes: frozenset[str]
    dropped: bool
    unwrapped: bool


@dataclass
class BuiltPage:
    """What the handout takes from one built page."""

    article: str
    """The article's inner HTML, cut for paper."""
    stylesheets: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    logo: str | None = None


class _PageReader(HTMLParser):
    """Reads a built page once and cuts its article for paper, keeping every other byte as the site has it.

    Cuts are recorded as (start, end, replacement) offsets into the page's text rather than
    re-serialised, so what the handout prints is exactly what the site shows.
    """

    def __init__(self, text: str, terms_seen: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.terms_seen = terms_seen
        self.page = BuiltPage("")
        # HTMLParser counts lines by "\n" alone (str.splitlines would also split at U+2028 and others).
        self._line_offsets = [0]
        for line in text.split("\n"):
            self._line_offsets.append(self._line_offsets[-1] + len(line) + 1)
        self._edits: list[tuple[int, int, str]] = []
        self._open: list[_Open] = []
        self._article: tuple[int, int] | None = None
        self._in_article = False
        self._in_style = False
        self._section_from: tuple[int, int] | None = None  # (offset, depth) of a section being left off

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_offsets[line - 1] + column

    def _inside_dropped(self) -> bool:
        return self._section_from is not None or any(element.dropped for element in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if not self._in_article:
            if tag == "article" and self._article is None:
                self._in_article, self._article = True, (end, end)
            elif tag == "link" and "stylesheet" in values.get("rel", "").split():
                self.page.stylesheets.append(values.get("href", ""))
            elif tag == "style":
                self._in_style = True
            return
        classes = frozenset(values.get("class", "").split())
        if tag == "img" and any("mg-print-header" in element.classes for element in self._open):
            self.page.logo = values.get("src")
        if self._section_from is not None and tag in ("h1", "h2") and len(self._open) == self._section_from[1]:
            self._edits.append((self._section_from[0], start, ""))
            self._section_from = None
        if tag == "h2" and values.get("id") in DROPPED_SECTIONS and not self._inside_dropped():
            self._section_from = (start, len(self._open))
        outer_dropped = self._inside_dropped()
        unwrapped = tag == "a" and not values.get("href", "").startswith("tel:")
        if tag not in VOID_ELEMENTS:
            self._open.append(_Open(tag, start, classes, bool(classes & DROPPED_CLASSES), unwrapped))
        if outer_dropped or classes & DROPPED_CLASSES:
            return
        if unwrapped:  # a link into the site or to a source: paper keeps its words
            self._edits.append((start, end, ""))
        elif tag == "abbr" and values.get("title") and values["title"] not in self.terms_seen:
            # The first use of each glossary word prints its meaning (the site's print rule).
            self.terms_seen.add(values["title"])
            marked = {**values, "class": " ".join([*classes, "mg-term-first"]), "data-mg-meaning": values["title"]}
            attributes = "".join(f' {name}="{escape(value)}"' for name, value in marked.items())
            self._edits.append((start, end, f"<abbr{attributes}>"))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.text.index(">", start) + 1
        if not self._in_article:
            self._in_style = self._in_style and tag != "style"
            return
        if tag == "article" and not any(element.tag == "article" for element in self._open):
            if self._section_from is not None:
                self._edits.append((self._section_from[0], start, ""))
                self._section_from = None
            self._in_article = False
            self._article = (self._article[0] if self._article else start, start)
            return
        matching = [i for i, element in enumerate(self._open) if element.tag == tag]
        if not matching:
            return
        element = self._open[matching[-1]]
        del self._open[matching[-1] :]
        if self._section_from is not None and len(self._open) < self._section_from[1]:
            # A left-off section also ends where the element holding its heading ends.
            self._edits.append((self._section_from[0], start, ""))
            self._section_from = None
        if self._inside_dropped():
            return
        if element.dropped:
            self._edits.append((element.start, end, ""))
        elif element.unwrapped:
            self._edits.append((start, end, ""))

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.styles.append(data)

    def read(self, source: Path) -> BuiltPage:
        self.feed(self.text)
        self.close()
        if self._article is None:
            raise UserError([Problem(source, None, "the built page has no <article> element to print")])
        cursor, pieces = self._article[0], []
        for start, end, replacement in sorted(self._edits):
            if start < cursor:  # inside a part already cut
                continue
            pieces += [self.text[cursor:start], replacement]
            cursor = end
        pieces.append(self.text[cursor : self._article[1]])
        self.page.article = "".join(pieces).strip()
        return self.page


def read_built_page(source: Path, terms_seen: set[str]) -> BuiltPage:
    """The article of the built page ``source``, cut for paper; ``terms_seen`` carries the glossary words met on earlier pages."""
    return _PageReader(source.read_text(encoding="utf-8"), terms_seen).read(source)


@dataclass(frozen=True)
class ReviewState:
    """The handout's review state, as the site states it for each page: unreviewed, changed, or who reviewed it."""

    unreviewed: bool
    changed: bool
    reviewers: tuple[str, ...]


def review_state(content: Content) -> ReviewState:
    pages = [content.pages[name] for name in HANDOUT_PAGES]
    unreviewed = any(not page.meta.clinical_reviewer for page in pages)
    changed = any(p.meta.reviewed_content_hash and p.meta.reviewed_content_hash != p.content_hash for p in pages)
    reviewers = (
        () if unreviewed else tuple(sorted({f"{p.meta.clinical_reviewer} on {p.meta.last_reviewed.isoformat()}" for p in pages}))
    )
    return ReviewState(unreviewed, changed, reviewers)


def handout_html(site: Path, clinic: Clinic, content: Content) -> str:
    """The handout as one HTML document, from the clinic's built site ``site``.

    The document belongs at ``site/_handout/index.html``: its addresses are relative, like
    the pages' own.
    """
    terms_seen: set[str] = set()
    pages = [read_built_page(site / name / "index.html", terms_seen) for name in HANDOUT_PAGES]
    profile = clinic.profile
    template = package_template("handout.html")
    return template.render(
        clinic_name=profile.name,
        phone=profile.contact.phone,
        out_of_hours=profile.contact.out_of_hours,
        emergency_number=clinic.emergency_number,
        logo=pages[0].logo,
        # The site's own CSS: Material's stylesheets and the inline mesoguide.css with the clinic's palette.
        stylesheets=pages[0].stylesheets,
        styles=[Markup(css) for css in pages[0].styles],
        articles=[Markup(page.article) for page in pages],
        review=review_state(content),
        version=content.version,
        release_date=content.release_date.isoformat(),
    )


def build_handout_site(folder: Path, paths: Paths, work: Path) -> tuple[Path, Clinic, Content]:
    """The clinic's site built by the normal pipeline, in a build session of its own, into ``work``.

    Nothing under site/ or build/<slug>/ changes; the built prototypes kept in build/.cache/
    are shared with ``mesoguide build``.
    """
    with BuildSession(paths) as session:
        content = session.content
        missing = [name for name in HANDOUT_PAGES if name not in content.pages]
        if missing:
            raise UserError(
                [
                    Problem(
                        paths.content_dir / "pages" / f"{name}.md", None, "the handout prints this page, but it does not exist"
                    )
                    for name in missing
                ]
            )
        built = build_clinic(folder, session, out=work / "site", render_out=work / "project")
    return built.path, load_clinic(folder), content


def _chromium(out: Path) -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise UserError([Problem(out, None, f"Playwright is not installed; {INSTALL_HINT}")]) from None
    chromium = shutil.which("chromium")
    if chromium is None:
        raise UserError([Problem(out, None, f"Chromium is not installed; {INSTALL_HINT}")])
    return chromium


def print_pdf(document: Path, out: Path, chromium: str) -> None:
    """Print the HTML file ``document`` to ``out`` as A4 with Chromium, refusing every request that is not a local file."""
    from playwright.sync_api import Route, sync_playwright

    def local_only(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", local_only)
            page.goto(document.resolve().as_uri(), wait_until="load")
            page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


def write_handout(folder: Path, paths: Paths, out: Path) -> Path:
    """Build the clinic's site, put its handout pages in one document and print it to ``out`` as an A4 PDF."""
    chromium = _chromium(out)
    with tempfile.TemporaryDirectory(prefix="mesoguide-handout-") as work:
        site, clinic, content = build_handout_site(folder, paths, Path(work))
        document = site / DOCUMENT_FOLDER / "index.html"
        document.parent.mkdir()
        document.write_text(handout_html(site, clinic, content), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        print_pdf(document, out, chromium)
    return out

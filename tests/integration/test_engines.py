"""Every engine gives the patient the same page: MkDocs, ProperDocs and Zensical build the
rendered project (build/<slug>/) into the same article text as `mesoguide build`, with
every clinic value in place. An engine that is not installed is skipped with a message,
unless MESOGUIDE_REQUIRE_ENGINES is set (CI installs them)."""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, copy_project, made_once, reads_engine_site, run, run_process
from mesoguide.inputs.profile import load_clinic
from mesoguide.render import clinic_values

ENGINES = ("mkdocs", "properdocs", "zensical")
CLINICS = ("demo", "harbour-light")
EACH_ENGINE_AND_CLINIC = [
    pytest.param(engine, slug, id=f"{slug}-{engine}", marks=reads_engine_site(engine, slug))
    for slug in CLINICS
    for engine in ENGINES
]


def require_engine(engine: str) -> None:
    if importlib.util.find_spec(engine) is None:
        message = f"{engine} is not installed (pip install --require-hashes -r requirements-engines.lock)"
        if os.environ.get("MESOGUIDE_REQUIRE_ENGINES"):
            pytest.fail(message)
        pytest.skip(message)


class ArticleWords(HTMLParser):
    """The words a patient reads in a page's article, in order (scripts and styles aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.depth and tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.words += data.split()


def article_words(page: Path) -> list[str]:
    parser = ArticleWords()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.words


# The same words as ArticleWords, found with regular expressions in a tenth of the time:
# scripts, styles and comments taken out (each closed where html.parser closes it), then the
# article (first <article> tag to last </article>), tags made word breaks, character references
# resolved. reference_words checks on every page of mesoguide's sites, in every run, that both
# read the same words, and test_quick_article_words_reads_what_html_parser_reads on markup
# those pages do not have (yet).
ARTICLE = re.compile(r"<article[\t\n\r\f />].*</article\s*>", re.S | re.I)
HIDDEN = re.compile(r"<(script|style)(?:[\t\n\r\f ][^>]*)?(?<!/)>.*?</\s*\1\s*>|<!--.*?--\s*>", re.S | re.I)
TAG = re.compile(r"</?[a-zA-Z](?:\"[^\"]*\"|'[^']*'|[^'\">])*>")


def quick_article_words(page: Path) -> list[str]:
    article = ARTICLE.search(HIDDEN.sub(" ", page.read_text(encoding="utf-8")))
    return html.unescape(TAG.sub(" ", article[0])).split() if article else []


QUICK_READING_CASES = {
    "text and inline tags": "<p>out</p><article class='a'><h1>Title</h1><p>One <b>two</b>three&amp;four&nbsp;five</p></article>",
    "scripts and styles": "<article><p>a</p><script>var x = '<p>no</p>';</script><style>.x {}</style><p>b</p></article>",
    "script attributes": "<article><script type=\"module\" src='x.js'></script>c<SCRIPT>no</SCRIPT>d</article>",
    "comments": "<article>a<!-- hidden <p>no</p> -->b<!---->c</article>",
    "upper case": "<ARTICLE>Up</ARTICLE>",
    "> in attributes": '<article><a href="x" title="a > b">link</a><img alt=\'c > d\'>e</article>',
    "character references": "<article>&lt;tag&gt; &#39;q&#39; &copy; caf&eacute; &amp</article>",
    "an article tag in a script": "<script>document.write('<article>no</article>')</script><article>yes</article>",
    "no article": "<p>none</p>",
    "nested articles": "<article>a<article>b</article>c</article>",
    "icons": "<article><svg viewBox='0 0 1 1'><path d='M0 0'/></svg>icon <span class=\"twemoji\">x</span></article>",
}


@pytest.mark.parametrize("markup", QUICK_READING_CASES.values(), ids=QUICK_READING_CASES.keys())
def test_quick_article_words_reads_what_html_parser_reads(markup: str, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(f"<!doctype html><html><head><title>t</title></head><body>{markup}</body></html>", encoding="utf-8")
    assert quick_article_words(page) == article_words(page)


def visible_text(page: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"</?(p|li|ul|ol|div|h\d|dt|dd|td|th|tr|br)\b[^>]*>", " ", text)  # block ends separate words
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def value_text(value_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", value_html)).split())


def engine_built(engine_site: Callable[[str, str], Path], engine: str, slug: str) -> Path:
    """The engine's own build of the clinic's rendered project (conftest's engine_site)."""
    require_engine(engine)
    return engine_site(engine, slug)


@pytest.fixture(scope="module")
def reference_words(built_real: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, list[str]]]:
    """``reference_words(slug)``: the article words of every page of the site ``mesoguide build``
    made for ``slug``, by page: read once per test run (shared by the workers), for every engine."""
    kept: dict[str, dict[str, list[str]]] = {}

    def read(slug: str, folder: Path) -> None:
        reference = built_real / "site" / slug
        words = {p.relative_to(reference).as_posix(): article_words(p) for p in sorted(reference.rglob("*.html"))}
        for name, page_words in words.items():
            assert quick_article_words(reference / name) == page_words, f"quick_article_words misreads {slug}/{name}"
        folder.mkdir()
        (folder / "words.json").write_text(json.dumps(words), encoding="utf-8")

    def words(slug: str) -> dict[str, list[str]]:
        if slug not in kept:
            folder = made_once(tmp_path_factory, f"article-words-{slug}", lambda f: read(slug, f))
            kept[slug] = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        return kept[slug]

    return words


@pytest.mark.parametrize(("engine", "slug"), EACH_ENGINE_AND_CLINIC)
def test_each_engine_gives_every_page_the_same_article_text(
    engine_site: Callable[[str, str], Path],
    reference_words: Callable[[str], dict[str, list[str]]],
    built_real: Path,
    engine: str,
    slug: str,
) -> None:
    built = engine_built(engine_site, engine, slug)
    reference = built_real / "site" / slug
    expected = reference_words(slug)
    pages = sorted(p.relative_to(reference) for p in reference.rglob("*.html"))
    assert len(pages) >= 13
    for page in pages:
        assert (built / page).is_file(), f"{engine} did not build {page}"
        read = quick_article_words(built / page)
        assert read == expected[page.as_posix()], f"{engine}: {slug}/{page} reads differently"
    if engine == "mkdocs":  # the site stage rewrites the sitemap for every engine: on MkDocs' own, nothing changes
        assert (built / "sitemap.xml").read_bytes() == (reference / "sitemap.xml").read_bytes()
        assert (built / "sitemap.xml.gz").read_bytes() == (reference / "sitemap.xml.gz").read_bytes()


@pytest.mark.parametrize(("engine", "slug"), EACH_ENGINE_AND_CLINIC)
def test_each_engine_shows_every_clinic_value(
    engine_site: Callable[[str, str], Path], built_real: Path, engine: str, slug: str
) -> None:
    """Every value of clinic_values(), whatever names it holds, reaches the patient on every engine."""
    built = engine_built(engine_site, engine, slug)
    values = {name: value for name, value in clinic_values(load_clinic(built_real / "clinics" / slug)).items() if value}
    assert {"name", "phone", "emergency_number"} <= set(values)
    text = " ".join(visible_text(page) for page in sorted(built.rglob("*.html")))
    for name, value in values.items():
        assert value_text(value) in text, f"{engine}: {slug}'s {name} ({value_text(value)!r}) is on no page"
    for page in ("aftercare", "procedure", "side-effects"):
        html_text = (built / page / "index.html").read_text(encoding="utf-8")
        assert "data-mg-clinic" not in html_text and "MGV0" not in html_text
        help_box = visible_text(built / page / "index.html")
        expected = f"Your clinic: call {value_text(values['name'])} on {value_text(values['phone'])}."
        assert expected in help_box, f"{engine}: {slug}/{page} help box lacks the clinic's phone"
        assert f"call {value_text(values['emergency_number'])}" in help_box


def test_the_rendered_project_needs_no_hook_or_plugin_of_its_own(built_real: Path) -> None:
    for slug in CLINICS:
        project = built_real / "build" / slug
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        assert "hooks:" not in config and not (project / "hooks").exists()
        assert not any("data-mg-clinic" in p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_mesoguide_build_finishes_every_engine_s_site_the_same_way(
    engine: str, built_mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_engine(engine)
    project = shutil.copytree(built_mini, tmp_path / "project", symlinks=True)  # the build writes build/demo
    # In this process (the engine runs in its own, as always): a fresh interpreter would only add its start-up.
    result = run(project, "build", "--clinic", "demo", "--engine", engine, "--out", str(tmp_path / "site"), capsys=capsys)
    assert result.code == 0, result.err
    site = tmp_path / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in index
    for name in ("_headers", "robots.txt", "manifest.json", "sitemap.xml", "sitemap.xml.gz"):
        assert (site / name).is_file(), name
    reference = (built_mini / "site/demo/sitemap.xml").read_text(encoding="utf-8")
    assert (site / "sitemap.xml").read_text(encoding="utf-8") == reference


def test_a_missing_engine_gives_one_line_saying_what_to_install(built_mini: Path, tmp_path: Path) -> None:
    # A module of that name that cannot be found: the engine looks uninstalled.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nclass Hide:\n    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'zensical':\n            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
    )
    env = {"PYTHONPATH": str(blocker)}
    project = shutil.copytree(built_mini, tmp_path / "project", symlinks=True)
    result = run_process(project, "build", "--engine", "zensical", "--out", str(tmp_path / "site"), env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'mesoguide[zensical]'" in lines[0], result.stderr
    assert not (tmp_path / "site").exists()


def test_an_engine_s_warnings_are_reported_against_the_page_to_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_engine("zensical")
    project = copy_project(tmp_path / "project")
    page = project / "content/pages/side-effects.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [this](no-such-page.md).\n", encoding="utf-8")
    # In this process: an exception that escaped the command line would fail the test here.
    result = run(project, "build", "--engine", "zensical", "--out", str(tmp_path / "site"), capsys=capsys)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert re.search(
        r"^content/pages/side-effects\.md: page does not exist \(side-effects\.md, line \d+ of the rendered page\)$",
        result.err,
        re.M,
    ), result.err
    assert not (tmp_path / "site").exists()


def test_the_theme_overrides_call_no_python_methods() -> None:
    """Zensical renders templates with MiniJinja, which has no Python methods: even branches no build reaches must avoid them."""
    calls = re.compile(r"\{[{%][^}]*?(\.\w+\(|\bdict\()")
    allowed = {".t(", ".render("}  # Material's translation function and the nav-item macro: Zensical provides both
    templates = sorted((REPO / "overrides").rglob("*.html"))
    assert templates
    for template in templates:
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            found = calls.search(line)
            assert not found or found[1] in allowed, f"{template.relative_to(REPO)}:{number}: {line.strip()}"

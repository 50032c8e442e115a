"""Every engine gives the patient the same page: MkDocs, ProperDocs and Zensical build the
rendered project (build/<slug>/) into the same article text as `mesoguide build`, with
every clinic value in place. An engine that is not installed is skipped with a message,
unless MESOGUIDE_REQUIRE_ENGINES is set (CI installs them)."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, copy_project, run_process
from mesoguide.inputs.profile import load_clinic
from mesoguide.render import clinic_values

ENGINES = ("mkdocs", "properdocs", "zensical")
# With pytest-xdist, the tests of one engine run on one worker, which builds that engine's sites once.
BY_ENGINE = [pytest.param(engine, marks=pytest.mark.xdist_group(f"engine-{engine}")) for engine in ENGINES]
CLINICS = ("demo", "harbour-light")
STRICT_BUILD = {
    "mkdocs": ["build", "--strict"],
    "properdocs": ["build", "--strict"],
    "zensical": ["build", "--strict", "--clean"],
}


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


def visible_text(page: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"</?(p|li|ul|ol|div|h\d|dt|dd|td|th|tr|br)\b[^>]*>", " ", text)  # block ends separate words
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def value_text(value_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", value_html)).split())


class EngineBuilds:
    """Each engine's own build of each shipped clinic's rendered project, run as its command line
    runs it; made when a test first asks and kept for the module, whatever order tests run in."""

    def __init__(self, built_real: Path, folder: Path) -> None:
        self.built_real, self.folder = built_real, folder
        self.sites: dict[tuple[str, str], Path] = {}

    def site(self, engine: str, slug: str) -> Path:
        require_engine(engine)
        if (engine, slug) not in self.sites:
            # The date mesoguide build stamped on pages (the content's release, or SOURCE_DATE_EPOCH
            # if the environment set one), as MkDocs wrote it into the compressed sitemap's header.
            epoch = int.from_bytes((self.built_real / "site/demo/sitemap.xml.gz").read_bytes()[4:8], "little")
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(epoch))
            project = self.folder / engine / slug
            shutil.copytree(self.built_real / "build" / slug, project, ignore=shutil.ignore_patterns("site"))
            command = [sys.executable, "-m", engine, *STRICT_BUILD[engine], "-f", str(project / "mkdocs.yml")]
            result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300, env=env)
            assert result.returncode == 0, result.stdout + result.stderr
            self.sites[engine, slug] = project / "site"
        return self.sites[engine, slug]


@pytest.fixture(scope="module")
def engine_builds(built_real: Path, tmp_path_factory: pytest.TempPathFactory) -> EngineBuilds:
    return EngineBuilds(built_real, tmp_path_factory.mktemp("engines"))


@pytest.mark.parametrize("engine", BY_ENGINE)
@pytest.mark.parametrize("slug", CLINICS)
def test_each_engine_gives_every_page_the_same_article_text(
    engine_builds: EngineBuilds, built_real: Path, engine: str, slug: str
) -> None:
    built = engine_builds.site(engine, slug)
    reference = built_real / "site" / slug
    pages = sorted(p.relative_to(reference) for p in reference.rglob("*.html"))
    assert len(pages) >= 13
    for page in pages:
        assert (built / page).is_file(), f"{engine} did not build {page}"
        assert article_words(built / page) == article_words(reference / page), f"{engine}: {slug}/{page} reads differently"
    if engine == "mkdocs":  # the site stage rewrites the sitemap for every engine: on MkDocs' own, nothing changes
        assert (built / "sitemap.xml").read_bytes() == (reference / "sitemap.xml").read_bytes()
        assert (built / "sitemap.xml.gz").read_bytes() == (reference / "sitemap.xml.gz").read_bytes()


@pytest.mark.parametrize("engine", BY_ENGINE)
@pytest.mark.parametrize("slug", CLINICS)
def test_each_engine_shows_every_clinic_value(engine_builds: EngineBuilds, built_real: Path, engine: str, slug: str) -> None:
    """Every value of clinic_values(), whatever names it holds, reaches the patient on every engine."""
    built = engine_builds.site(engine, slug)
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
def test_mesoguide_build_finishes_every_engine_s_site_the_same_way(engine: str, built_mini: Path, tmp_path: Path) -> None:
    require_engine(engine)
    project = shutil.copytree(built_mini, tmp_path / "project", symlinks=True)  # the build writes build/demo
    result = run_process(project, "build", "--clinic", "demo", "--engine", engine, "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
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


def test_an_engine_s_warnings_are_reported_against_the_page_to_fix(tmp_path: Path) -> None:
    require_engine("zensical")
    project = copy_project(tmp_path / "project")
    page = project / "content/pages/side-effects.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [this](no-such-page.md).\n", encoding="utf-8")
    result = run_process(project, "build", "--engine", "zensical", "--out", str(tmp_path / "site"))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(
        r"^content/pages/side-effects\.md: page does not exist \(side-effects\.md, line \d+ of the rendered page\)$",
        result.stderr,
        re.M,
    ), result.stderr
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

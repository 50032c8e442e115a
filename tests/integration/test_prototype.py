"""A site filled in from a shared prototype build is byte for byte the site MkDocs builds directly."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_project, tree_digest
from mesoguide.pipeline import Paths, _docs_sources, manifest_for, render_clinic
from mesoguide.session import BuildSession
from mesoguide.site import build_site
from mesoguide.site.prototype import CannotFill, Leaf, Prototype, check_site, fill_site, prototype_of

NASTY_NAME = 'O\'Brien & Sons <b>Skin</b> \\"Clinic\\" — Zoë 🙂 &amp; {{ x }} [link](x) *em*'


def _replace(path: Path, pairs: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert re.search(old, text, re.M), f"{old!r} not in {path}"
        text = re.sub(old, new, text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def nasty_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content with clinics whose values need every kind of escaping."""
    root = copy_project(tmp_path_factory.mktemp("nasty") / "project", tree="real")
    clinics = root / "clinics"
    shutil.copytree(clinics / "demo", clinics / "quotes")
    _replace(
        clinics / "quotes/clinic.yml",
        [
            (r"^name: .*$", f'name: "{NASTY_NAME}"'),
            (r"^tagline: .*$", "tagline: \"Skin & <care> 'quoted' é\""),
            (r"^  out_of_hours: .*$", '  out_of_hours: "Call 111 & say \\"skin\\" <now>"'),
            (r"^  regulator: .*$", "  regulator: \"Care & Quality <Commission> 'UK'\""),
            (r"^site_url: .*$", "site_url: https://example.org/guide/"),
            (r"^    1 Example Street$", "    1 O'Hara & Co Street <b>"),
            (r"^  email: .*$", '  email: "o.brien+skin@example.org"'),
            (
                r"^practitioners: \[\]$",
                'practitioners:\n  - name: "Dr Zoë O\'Neil <MD>"\n    profession: "Doctor & injector"\n'
                "    registration: \"GMC 0000000 'example'\"",
            ),
        ],
    )
    # No out-of-hours number, and a country with no reporting scheme: a different shape.
    _replace(clinics / "harbour-light/clinic.yml", [(r"^country: \w\w$", "country: CA"), (r"^  out_of_hours: .*\n", "")])
    # A value that looks like a marker cannot be told apart from one: built directly.
    shutil.copytree(clinics / "demo", clinics / "lookalike")
    _replace(clinics / "lookalike/clinic.yml", [(r"^name: .*$", 'name: "Clinic MGV0001\'Q"')])
    return root


@pytest.fixture(scope="module")
def nasty_session(nasty_project: Path) -> Iterator[BuildSession]:
    """One build session for the module's builds of the nasty project, as ``build --all`` has
    one for all clinics: the content is loaded, and each guide page rendered and converted,
    once for every clinic (tests/conftest.py keeps the module on one pytest-xdist worker)."""
    with BuildSession(Paths.at(nasty_project)) as session:
        yield session


@pytest.mark.parametrize(("slug", "shared"), [("quotes", True), ("harbour-light", True), ("demo", True), ("lookalike", False)])
def test_a_filled_in_prototype_is_the_site_mkdocs_builds_directly(
    nasty_session: BuildSession, tmp_path: Path, slug: str, shared: bool
) -> None:
    session = nasty_session
    paths, content = session.paths, session.content
    project = render_clinic(paths.clinics_dir / slug, session)
    prototype = prototype_of(project)
    assert prototype is not None
    args = (manifest_for(project.clinic, content), _docs_sources(project, content), session.site)
    filled = build_site(project.config_file, tmp_path / "filled", *args, prototype=prototype)
    direct = build_site(project.config_file, tmp_path / "direct", *args, prototype=None)
    assert filled.from_prototype is shared
    assert not direct.from_prototype
    assert tree_digest(filled.path) == tree_digest(direct.path)
    if slug == "quotes":
        page = (filled.path / "procedure/index.html").read_text(encoding="utf-8")
        assert "O&#39;Brien &amp; Sons &lt;b&gt;Skin&lt;/b&gt;" in page
        assert "Call 111 &amp; say &#34;skin&#34; &lt;now&gt;" in page
        assert "https://example.org/guide/procedure/" in page
        assert "MGV0" not in page and "data-mg-clinic" not in page


def test_clinics_differing_only_in_values_share_a_prototype(nasty_session: BuildSession) -> None:
    session = nasty_session
    paths = session.paths
    keys = {slug: prototype_of(render_clinic(paths.clinics_dir / slug, session)).key for slug in ("demo", "lookalike")}
    assert keys["demo"] == keys["lookalike"]  # only the name differs
    other = prototype_of(render_clinic(paths.clinics_dir / "harbour-light", session)).key
    assert other != keys["demo"]


def _prototype(*values: tuple[str, bool]) -> Prototype:
    return Prototype({}, tuple(Leaf(v, is_html) for v, is_html in values), {}, "key")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>MGV0000'Q</p>", "<p>A & <b></p>"),  # printed as it is
        ("<p>MGV0000&#39;Q</p>", "<p>A &amp; &lt;b&gt;</p>"),  # Jinja's escape
        ("<p>MGV0000&#x27;Q</p>", "<p>A &amp; &lt;b&gt;</p>"),  # html.escape
        ('{"n": "MGV0000\\u0027Q"}', '{"n": "A \\u0026 \\u003cb\\u003e"}'),  # tojson
    ],
)
def test_each_marker_is_filled_in_escaped_as_it_was(text: str, expected: str) -> None:
    site = {"index.html": text.encode()}
    assert fill_site(site, _prototype(("A & <b>", False)))["index.html"].decode() == expected


def test_the_search_index_gets_the_text_a_patient_would_search(tmp_path: Path) -> None:
    site = {"search/search_index.json": b'{"docs":[{"text":"call MGV0000\'Q on MGV0001\'Q"}]}'}
    proto = _prototype(("Jo &amp; Co", True), ('<a href="tel:+1">+1 &lt;2&gt;</a>', True))
    filled = fill_site(site, proto)["search/search_index.json"].decode()
    assert filled == '{"docs":[{"text":"call Jo &amp; Co on +1 &lt;2&gt;"}]}'


@pytest.mark.parametrize(
    "site",
    [
        {"index.html": b"<p>mgv0000'q</p>"},  # a template lowered the marker
        {"index.html": b"<p>MGV0007'Q</p>"},  # a marker with no value
        {"index.html": b"<p>MGV0000&quot;Q</p>"},  # escaped in a way not known
    ],
)
def test_a_marker_that_cannot_be_filled_exactly_is_refused(site: dict[str, bytes]) -> None:
    with pytest.raises(CannotFill):
        fill_site(site, _prototype(("A", False)))


def test_a_prototype_with_markers_in_other_files_is_not_used() -> None:
    with pytest.raises(CannotFill):
        check_site({"assets/app.js": b"var name = 'MGV0000\\'Q';"})
    for changed_case in (b"x = 'mgv0003'", b"X = 'MgV0012'"):  # a script that changed letter case
        with pytest.raises(CannotFill):
            check_site({"assets/app.js": changed_case})
    check_site({"assets/app.js": b"// MGV, mgv-1, m g v0001", "index.html": b"<p>MGV0000'Q</p>"})


def test_a_clinic_value_holding_a_glossary_word_is_built_from_its_own_project(
    nasty_session: BuildSession, tmp_path: Path
) -> None:
    """Markdown's abbr marks up "Collagen" inside the name, which a marker would not show: no shared build."""
    session = nasty_session
    clinics = session.paths.clinics_dir
    shutil.copytree(clinics / "demo", clinics / "glossary-word", dirs_exist_ok=True)
    _replace(clinics / "glossary-word/clinic.yml", [(r"^name: .*$", 'name: "Collagen Skin Clinic"')])
    paths, content = session.paths, session.content
    project = render_clinic(paths.clinics_dir / "glossary-word", session)
    assert not project.shares_builds and prototype_of(project) is None
    assert prototype_of(render_clinic(paths.clinics_dir / "demo", session)) is not None
    site = build_site(
        project.config_file,
        tmp_path / "site",
        manifest_for(project.clinic, content),
        _docs_sources(project, content),
        session.site,
    )
    assert not site.from_prototype
    page = (site.path / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<abbr[^>]*>Collagen</abbr> Skin Clinic", page)

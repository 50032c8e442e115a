"""Branded builds: both fictional clinics, their branding, determinism and atomic swaps."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_built, copy_project, run, run_process, tree_digest
from mesoguide.cli import main
from mesoguide.session import CACHE_VARIABLE
from mesoguide.site.assemble import STALL_VARIABLE

BRANDS = {
    "demo": {"name": "Demo Skin Clinic", "phone": "+44 20 7946 0000", "emergency": "tel:999", "logo": "logo.svg"},
    "harbour-light": {
        "name": "Harbour Light Dermatology",
        "phone": "+1 202-555-0147",
        "emergency": "tel:911",
        "logo": "logo.svg",
    },
}
EXTERNAL_LOAD = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)[^>]+src=\"(?:https?:)?//"
    r"|<link[^>]+rel=\"(?:stylesheet|preconnect|preload|prefetch|dns-prefetch|modulepreload|icon|manifest)\"[^>]+href=\"(?:https?:)?//"
)


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def build_in_process(root: Path, *args: str) -> int:
    """``mesoguide build ARGS`` in this process, with ``root`` as the working folder."""
    before = Path.cwd()
    os.chdir(root)
    try:
        return main(["build", *args])
    finally:
        os.chdir(before)


def store_without_sites(folder: Path, shared_store: Path) -> Path:
    """A store that holds the run's compiled templates and no built site: a build with it
    runs MkDocs for each of its prototypes (compiled templates cannot change a site)."""
    folder.mkdir(parents=True)
    for compiled in shared_store.glob("*.jinja"):
        shutil.copy2(compiled, folder / compiled.name)
    return folder


@pytest.mark.parametrize("tree", ["built_mini", "built_real"])
def test_each_site_carries_only_its_own_brand(tree: str, request) -> None:
    root: Path = request.getfixturevalue(tree)
    for slug, brand in BRANDS.items():
        site = root / "site" / slug
        index = (site / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"<title>[^<]+ - {re.escape(brand['name'])}</title>", index), index[:400]
        assert brand["phone"] in index and brand["emergency"] in index
        assert (site / "assets/clinic" / brand["logo"]).is_file()
        assert "--md-primary-fg-color" in index.split("<style>", 1)[1].split("</style>", 1)[0]
        others = [b for s, b in BRANDS.items() if s != slug]
        for page, html in pages(site).items():
            for other in others:
                assert other["name"] not in html, f"{other['name']} leaks into {slug}/{page}"
                assert other["phone"] not in html, f"{other['phone']} leaks into {slug}/{page}"


def test_the_shipped_clinics_build_without_warnings(built_real: Path) -> None:
    said = (built_real / "build-output.txt").read_text()
    assert re.search(r"Built (\d+) of \1 clinics, .*; 0 failed, 0 warnings\.", said), said
    assert "warning" not in said.replace("0 warnings.", "")


def test_the_real_site_has_all_twelve_pages_and_every_claim(built_real: Path) -> None:
    import yaml

    site = built_real / "site/demo"
    expected = [
        "index",
        "what-is-mesotherapy",
        "is-it-right-for-me",
        "procedure",
        "results",
        "side-effects",
        "aftercare",
        "questions-to-ask",
        "claim-check",
        "glossary",
        "references",
        "about",
    ]
    for name in expected:
        path = site / "index.html" if name == "index" else site / name / "index.html"
        assert path.is_file(), name
    claims = yaml.safe_load((REPO / "content/claims.yml").read_text())
    check_page = (site / "claim-check/index.html").read_text(encoding="utf-8")
    for claim in claims:
        home = (site / claim["page"] / "index.html").read_text(encoding="utf-8")
        assert f'id="claim-{claim["id"]}"' in home, claim["id"]
        assert f'id="claim-{claim["id"]}"' in check_page, claim["id"]
    reviews = re.findall(r'<script type="application/ld\+json">(.*?)</script>', check_page, re.S)
    claim_reviews = [
        r
        for block in reviews
        for r in (json.loads(block) if block.startswith("[") else [json.loads(block)])
        if r.get("@type") == "ClaimReview"
    ]
    assert len(claim_reviews) == len(claims)


def test_clinic_pages_are_labelled_and_kept_apart(built_mini: Path) -> None:
    page = (built_mini / "site/demo/clinic/prices/index.html").read_text(encoding="utf-8")
    assert "The guide's editors did not write or check it." in page
    assert "Demo Skin Clinic wrote this page" in page
    assert not (built_mini / "site/harbour-light/clinic/prices").exists()


@pytest.mark.parametrize("tree", ["built_mini", "built_real"])
def test_no_page_loads_anything_from_another_origin(tree: str, request) -> None:
    root: Path = request.getfixturevalue(tree)
    for slug in BRANDS:
        site_pages = pages(root / "site" / slug)
        assert len(site_pages) >= 4, slug
        for page, html in site_pages.items():
            assert not EXTERNAL_LOAD.search(html), f"{slug}/{page}: {EXTERNAL_LOAD.search(html).group(0)}"
            assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
            assert "Content-Security-Policy" in html
            csp_at = html.index("Content-Security-Policy")
            first_script = html.find("<script")
            assert first_script == -1 or csp_at < first_script, f"CSP after the first script in {page}"


def test_manifest_records_the_content_version(built_mini: Path) -> None:
    manifest = json.loads((built_mini / "site/demo/manifest.json").read_text())
    assert manifest["clinic"] == "demo"
    assert manifest["content_version"] == "1.0.0"
    assert "index.html" in manifest["pages"]


FAKE_CLOCK = """
import datetime as _dt, time as _time
_DAY = 86400
_real_time, _real_time_ns = _time.time, _time.time_ns
_time.time = lambda: _real_time() + _DAY
_time.time_ns = lambda: _real_time_ns() + _DAY * 10**9
class _FakeDateTime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return super().now(tz) + _dt.timedelta(days=1)
    @classmethod
    def utcnow(cls):
        return super().utcnow() + _dt.timedelta(days=1)
    @classmethod
    def today(cls):
        return super().today() + _dt.timedelta(days=1)
class _FakeDate(_dt.date):
    @classmethod
    def today(cls):
        return _dt.date.fromordinal(super().today().toordinal() + 1)
_dt.datetime = _FakeDateTime
_dt.date = _FakeDate
"""


def test_builds_are_byte_identical_across_folders_hash_seeds_and_days(tmp_path: Path, shared_store: Path) -> None:
    root = copy_project(tmp_path / "project")
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "sitecustomize.py").write_text(FAKE_CLOCK)
    # Each build runs MkDocs itself (a stored site would carry the first build's hash seed
    # into the second). The second changes everything at once: a deeper folder of another
    # name, another hash seed and the next day; any one of them changing a byte fails it.
    first = run_process(
        root,
        "build",
        "--out",
        str(tmp_path / "one"),
        env={"PYTHONHASHSEED": "1", CACHE_VARIABLE: str(store_without_sites(tmp_path / "store-one", shared_store))},
    )
    second = run_process(
        root,
        "build",
        "--out",
        str(tmp_path / "deep/er/two"),
        env={
            "PYTHONHASHSEED": "987",
            "PYTHONPATH": f"{clock}:{REPO / 'src'}",
            CACHE_VARIABLE: str(store_without_sites(tmp_path / "store-two", shared_store)),
        },
    )
    for result in (first, second):
        assert result.returncode == 0, result.stderr
    for store in ("store-one", "store-two"):
        assert list((tmp_path / store / "sites").glob("*.zip")), f"{store}: MkDocs did not build the site"
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "deep/er/two")


def test_a_build_that_fails_after_writing_pages_leaves_the_old_site(built_mini: Path, tmp_path: Path, capsys) -> None:
    project = copy_built(built_mini, tmp_path / "project")  # a good build's site (built_mini checks that it built)
    before = tree_digest(project / "site/demo")
    # A broken link only fails MkDocs' strict check after every page has been written.
    page = project / "content/pages/side-effects.md"
    page.write_text(page.read_text() + "\n[Broken](missing.md)\n")
    assert run(project, "build", capsys=capsys).code == 1
    assert tree_digest(project / "site/demo") == before
    assert not [p for p in (project / "site").iterdir() if p.name.startswith(".")]


def test_a_killed_build_leaves_the_old_site(built_mini: Path, capsys, tmp_path: Path) -> None:
    project = copy_built(built_mini, tmp_path / "project")  # a good build's site (built_mini checks that it built)
    before = tree_digest(project / "site/demo")
    stalled = tmp_path / "stalled"
    # The build stops once its new site is complete and the old one not yet replaced: the
    # worst moment to die. Killing it there is deterministic, unlike racing MkDocs.
    env = {**os.environ, STALL_VARIABLE: str(stalled)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mesoguide", "build"], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not stalled.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stalled.exists(), (
        f"the build never reached the swap: {process.stderr.read().decode() if process.poll() is not None else 'timed out'}"
    )
    assert list(Path(stalled.read_text()).glob("*.html")), "the stalled build had written no pages"
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert list((project / "site").glob(".demo.build-*")), "the killed build left no temporary folder to clear"
    assert tree_digest(project / "site/demo") == before
    # The next build clears what the killed one left behind.
    assert run(project, "build", capsys=capsys).code == 0
    assert not list((project / "site").glob(".demo.*"))


def test_render_writes_a_plain_mkdocs_project_that_passes_strict_validation(project: Path, capsys, tmp_path: Path) -> None:
    result = run(project, "render", "--clinic", "harbour-light", capsys=capsys)
    assert result.code == 0, result.err
    config = project / "build/harbour-light/mkdocs.yml"
    assert config.is_file()
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "plain")],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert built.returncode == 0, built.stderr
    assert "Harbour Light Dermatology" in (tmp_path / "plain/index.html").read_text()


def test_build_all_reports_a_summary(project: Path, capsys) -> None:
    result = run(project, "build", "--all", "--jobs", "2", capsys=capsys)
    assert result.code == 0, result.err
    assert re.search(r"Built 2 of 2 clinics, \d+ pages, in [\d.]+ s .*; 0 failed, 0 warnings\.", result.out)
    assert "[2/2]" in result.err
    # Colours the engine adjusted are the engine's business: the shipped clinics build without a word.
    assert "colour adjusted" not in result.err and "warning" not in result.err


def test_build_all_keeps_going_and_names_the_clinic_that_failed(project: Path, capsys) -> None:
    profile = project / "clinics/harbour-light/clinic.yml"
    profile.write_text(profile.read_text().replace("country: US", "country: USA"))
    result = run(project, "build", "--all", capsys=capsys)
    assert result.code == 1
    assert "Built 1 of 2 clinics" in result.out and "1 failed (harbour-light)" in result.out
    assert (project / "site/demo/index.html").is_file()
    assert re.search(r"^clinics/harbour-light/clinic.yml:\d+: 'country': 'USA' is not an ISO", result.err, re.M)
    assert result.err.strip().endswith("nothing was changed.") and "Traceback" not in result.err


def test_warnings_are_printed_hidden_with_quiet_and_refused_with_strict(project: Path, capsys) -> None:
    profile = project / "clinics/demo/clinic.yml"
    text = profile.read_text()
    assert "out_of_hours" in text
    profile.write_text(re.sub(r"\n  out_of_hours: .*", "", text))
    loud = run(project, "build", capsys=capsys)
    assert loud.code == 0
    assert re.search(r"^clinics/demo/clinic.yml:\d+: warning: no contact.out_of_hours", loud.err, re.M)
    assert "1 warnings" in loud.out
    quiet = run(project, "build", "--quiet", capsys=capsys)
    assert quiet.code == 0 and quiet.err == ""
    before = tree_digest(project / "site/demo")
    strict = run(project, "build", "--strict", capsys=capsys)
    assert strict.code == 1
    assert "warning: no contact.out_of_hours" in strict.err and strict.err.strip().endswith("nothing was changed.")
    assert tree_digest(project / "site/demo") == before


@pytest.mark.measures_text  # runs mesoguide check
def test_new_clinic_writes_a_profile_that_build_refuses_until_filled_in(project: Path, capsys) -> None:
    assert run(project, "new-clinic", "riverside", capsys=capsys).code == 0
    assert (project / "clinics/riverside/logo.svg").is_file()
    result = run(project, "build", "--clinic", "riverside", capsys=capsys)
    assert result.code == 1
    assert "'name' still says CHANGE-ME" in result.err
    assert "'contact.phone' still says CHANGE-ME" in result.err
    assert run(project, "new-clinic", "riverside", capsys=capsys).code == 1
    profile = project / "clinics/riverside/clinic.yml"
    filled = profile.read_text().replace('"CHANGE-ME"', '"+44 20 7946 0555"').replace("CHANGE-ME", "riverside")
    profile.write_text(filled.replace("email: riverside", "email: hello@riverside.example.org"))
    assert run(project, "build", "--clinic", "riverside", capsys=capsys).code == 0
    check = run(project, "check", "--clinic", "riverside", "--today", "2026-06-01", capsys=capsys)
    assert "the logo is still the placeholder from new-clinic" in check.out


def test_clinic_can_be_named_by_path_and_by_environment(project: Path, capsys, monkeypatch) -> None:
    out = project / "elsewhere"
    assert run(project, "build", "--clinic", "clinics/harbour-light", "--out", str(out), capsys=capsys).code == 0
    assert "Harbour Light" in (out / "index.html").read_text()
    monkeypatch.setenv("MESOGUIDE_CLINIC", "harbour-light")
    assert run(project, "render", capsys=capsys).code == 0
    assert (project / "build/harbour-light/mkdocs.yml").is_file()


def test_build_refuses_to_replace_a_folder_it_did_not_build(project: Path, capsys, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run(project, "build", "--out", str(precious), capsys=capsys)
    assert result.code == 1 and "holds no site built by mesoguide" in result.err
    assert (precious / "thesis.txt").read_text() == "years of work"
    result = run(project, "build", "--out", ".", capsys=capsys)
    assert result.code == 1 and "contains the project itself" in result.err
    assert (project / "content/pages/index.md").is_file()


FOUR_CLINICS = ("demo", "harbour-light", "third", "fourth")


def four_clinic_project(root: Path) -> Path:
    """The mini project with two more clinics that have the same pages but other branding."""
    copy_project(root)
    for slug, name, colour in (("third", "Third Clinic", "#123456"), ("fourth", "Fourth & Co", "#654321")):
        shutil.copytree(root / "clinics/demo", root / "clinics" / slug)
        profile = root / "clinics" / slug / "clinic.yml"
        profile.write_text(profile.read_text().replace("Demo Skin Clinic", name).replace('"#0b6e4f"', f'"{colour}"'))
    return root


@pytest.fixture(scope="module")
def single_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Each of the four clinics built alone (``build --clinic``), each by a build session of
    its own: the digests every way of building them all must match."""
    folder = tmp_path_factory.mktemp("single")
    root = four_clinic_project(folder / "project")
    digests = {}
    for slug in FOUR_CLINICS:
        assert build_in_process(root, "--clinic", slug, "--out", str(folder / "one" / slug)) == 0, slug
        digests[slug] = tree_digest(folder / "one" / slug)
    return digests


@pytest.mark.xdist_group("single-builds")  # both share the single builds: one worker makes them once
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_all_shares_work_but_gives_the_same_bytes_as_single_builds(
    tmp_path: Path,
    jobs: str,
    single_builds: dict[str, dict[str, str]],
    shared_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = four_clinic_project(tmp_path / "project")
    # No built site kept from before: this build makes its prototypes itself. Clinics with the
    # same pages but other branding share one prototype build; with two processes, one of
    # them finds the other building it and comes back to that clinic later.
    own = store_without_sites(tmp_path / "store", shared_store)
    monkeypatch.setenv(CACHE_VARIABLE, str(own))
    together = run(root, "build", "--all", "--jobs", jobs, "--out", str(tmp_path / "all"), capsys=capsys)
    assert together.code == 0, together.err
    assert "Built 4 of 4 clinics" in together.out
    # Two shapes (demo's, with a page of its own, and harbour-light's): two MkDocs builds for four clinics.
    assert len(list((own / "sites").glob("*.zip"))) == 2
    for slug in FOUR_CLINICS:
        assert tree_digest(tmp_path / "all" / slug) == single_builds[slug], slug


def test_an_english_site_ships_no_search_language_files(built_real: Path) -> None:
    # Material's search worker loads them only for languages other than English.
    site = built_real / "site/demo"
    assert (site / "assets/javascripts/workers").is_dir()
    assert not (site / "assets/javascripts/lunr").exists()
    worker = next((site / "assets/javascripts/workers").glob("search.*.min.js")).read_text(encoding="utf-8")
    assert '!=="en"&&' in worker  # the language check this relies on is still in Material's worker

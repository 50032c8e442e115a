"""Work kept between builds (compiled templates and built sites under build/.cache/) never makes a build wrong."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import run, run_process, tree_digest
from mesoguide.render.jinjacache import SharedBytecodeCache, environment_fingerprint
from mesoguide.site import store

# Every test here is about the project's own store under build/.cache/.
pytestmark = pytest.mark.usefixtures("own_store")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_kind_of_change_shows_up_and_cached_builds_match_fresh_ones(
    built_mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first build: `build --all` of the mini project in a fresh process, as built_mini is made.
    root = shutil.copytree(built_mini, tmp_path / "project", symlinks=True)
    assert any((root / "build/.cache").iterdir()), "the first build should have stored compiled templates"

    _edit(
        root / "overrides/partials/copyright.html",
        "offers mesotherapy and cannot",
        "offers mesotherapy (TEMPLATE-EDIT) and cannot",
    )
    _edit(root / "content/pages/index.md", "This guide is about mesotherapy.", "This guide is about mesotherapy (PAGE-EDIT).")
    _edit(root / "content/claims.yml", "Some infections needed months", "REGISTRY-EDIT some infections needed months")
    _edit(root / "clinics/demo/clinic.yml", "name: Demo Skin Clinic", "name: Renamed Skin Clinic")
    _edit(root / "clinics/demo/logo.svg", "<title>Demo Skin Clinic", "<title>LOGO-EDIT")
    # The second build, with what the first one stored, in this process (no memory of the first).
    second = run(root, "build", "--all", capsys=capsys)
    assert second.code == 0, second.err

    demo = root / "site/demo"
    footer_page = (demo / "index.html").read_text(encoding="utf-8")
    assert "TEMPLATE-EDIT" in footer_page
    assert "PAGE-EDIT" in footer_page
    assert "Renamed Skin Clinic" in footer_page and "shared by Demo Skin Clinic" not in footer_page
    assert "REGISTRY-EDIT" in (demo / "claim-check/index.html").read_text(encoding="utf-8")
    assert "LOGO-EDIT" in (demo / "assets/clinic/logo.svg").read_text(encoding="utf-8")

    # The same inputs built with no stored work at all, in a fresh process, give the same bytes.
    shutil.rmtree(root / "build")
    fresh = run_process(root, "build", "--all", "--out", str(tmp_path / "fresh"))
    assert fresh.returncode == 0, fresh.stderr
    for slug in ("demo", "harbour-light"):
        assert tree_digest(root / "site" / slug) == tree_digest(tmp_path / "fresh" / slug), slug


def _render(env: jinja2.Environment, source: str) -> str:
    env.loader = jinja2.DictLoader({"page.html": source})
    return env.get_template("page.html").render(value="<b>")


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_stored_template_is_used_only_by_an_environment_that_would_compile_it_the_same(tmp_path: Path, on_disk: bool) -> None:
    cache = SharedBytecodeCache(tmp_path / "cache" if on_disk else None, by_file_name=False)
    escaping = jinja2.Environment(autoescape=True, bytecode_cache=cache)
    plain = jinja2.Environment(autoescape=False, bytecode_cache=cache)
    sandboxed = ImmutableSandboxedEnvironment(autoescape=True, bytecode_cache=cache)
    assert _render(escaping, "{{ value }}") == "&lt;b&gt;"
    assert _render(plain, "{{ value }}") == "<b>"  # compiled without escaping, not taken from the cache
    assert _render(sandboxed, "{{ value }}") == "&lt;b&gt;"
    assert len({environment_fingerprint(e, "page.html") for e in (escaping, plain, sandboxed)}) == 3
    # An edited source is compiled afresh even though the name and settings are the same.
    assert _render(jinja2.Environment(autoescape=True, bytecode_cache=cache), "[{{ value }}]") == "[&lt;b&gt;]"


def test_stored_templates_are_kept_apart_by_jinja_version(monkeypatch: pytest.MonkeyPatch) -> None:
    env = jinja2.Environment()
    before = environment_fingerprint(env, "page.html")
    monkeypatch.setattr(jinja2, "__version__", "0.0-other")
    assert environment_fingerprint(env, "page.html") != before


def test_an_unreadable_cache_folder_only_costs_a_compile(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    cache = SharedBytecodeCache(blocker / "cache", by_file_name=False)
    assert _render(jinja2.Environment(bytecode_cache=cache), "{{ value }}!") == "<b>!"


def test_a_stored_site_is_used_only_for_the_same_prototype_date_and_software(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "packages/mg_fake_theme"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "main.html").write_text("<p>theme</p>")
    monkeypatch.syspath_prepend(str(tmp_path / "packages"))
    monkeypatch.setattr(store, "PACKAGES", (*store.PACKAGES, "mg_fake_theme"))
    software = store.software_fingerprint()
    key = store.site_key("prototype", "1700000000", software)
    assert store.site_key("other prototype", "1700000000", software) != key
    assert store.site_key("prototype", "1800000000", software) != key
    (package / "main.html").write_text("<p>theme, edited in place</p>")
    assert store.site_key("prototype", "1700000000", store.software_fingerprint()) != key


def test_the_software_fingerprint_covers_every_file_of_a_package_but_dot_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "packages/mg_fake_theme"
    (package / "partials/deep").mkdir(parents=True)
    (package / ".icons").mkdir()
    (package / "__init__.py").write_text("")
    (package / "partials/deep/footer.html").write_text("<footer></footer>")
    (package / ".icons/logo.svg").write_text("<svg/>")
    monkeypatch.syspath_prepend(str(tmp_path / "packages"))
    monkeypatch.setattr(store, "PACKAGES", (*store.PACKAGES, "mg_fake_theme"))
    seen = [store.software_fingerprint()]
    (package / ".icons/logo.svg").write_text("<svg>edited</svg>")
    assert store.software_fingerprint() == seen[-1]  # a dot folder (Material's 14,000 icons) is left out
    (package / "partials/deep/footer.html").write_text("<footer>edited</footer>")
    seen.append(store.software_fingerprint())
    (package / "partials/header.html").write_text("<header></header>")
    seen.append(store.software_fingerprint())
    (package / "partials/deep/footer.html").rename(package / "partials/deep/footer2.html")
    seen.append(store.software_fingerprint())
    assert len(set(seen)) == 4, "an edited, an added or a renamed file in a subfolder went unnoticed"


def test_the_store_keeps_the_newest_sites_and_ignores_damaged_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "sites"
    for number in range(3):
        store.save(folder, f"key{number}", {"index.html": f"site {number}".encode()})
        os.utime(folder / f"key{number}.zip", ns=(number * 10**9, number * 10**9))
    # Room for two of these archives: saving a fourth drops the two least recently used.
    monkeypatch.setattr(store, "KEPT_BYTES", int((folder / "key0.zip").stat().st_size * 2.5))
    store.save(folder, "key3", {"index.html": b"site 3"})
    assert sorted(p.name for p in folder.glob("*.zip")) == ["key2.zip", "key3.zip"]
    assert store.load(folder, "key3") == {"index.html": b"site 3"}
    (folder / "key2.zip").write_bytes(b"not a zip file")
    assert store.load(folder, "key2") is None
    assert store.load(folder, "missing") is None


def test_a_damaged_store_only_costs_a_build(built_mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = shutil.copytree(built_mini, tmp_path / "project", symlinks=True)
    before = tree_digest(root / "site/demo")
    stored_sites = list((root / "build/.cache/sites").glob("*.zip"))
    assert stored_sites, "the build should have stored its prototype's site"
    for stored in stored_sites:
        stored.write_bytes(stored.read_bytes()[:1000])
    again = run(root, "build", "--clinic", "demo", capsys=capsys)
    assert again.code == 0, again.err
    assert tree_digest(root / "site/demo") == before


def test_a_prototype_being_built_elsewhere_is_reported_busy_or_waited_for(tmp_path: Path) -> None:
    folder = tmp_path / "sites"
    with store.building(folder, "key", wait=True) as taken:
        assert taken
        with store.building(folder, "key", wait=False) as second:
            assert not second
        with store.building(folder, "other key", wait=False) as other:
            assert other
    with store.building(folder, "key", wait=False) as after:
        assert after

"""The MkDocs speed-ups change nothing a patient gets: a stock ``mkdocs build`` of the rendered
project gives the same site, apart from exactly what the site stage adds to every site; so
does a build with the speed-ups off."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, reads_engine_site, tree_digest
from mesoguide.pipeline import build_clinic
from mesoguide.session import BuildSession, Paths
from mesoguide.site.search_languages import LUNR_LANGUAGES
from mesoguide.site.security import add_security_meta
from mesoguide.site.speedups import SWITCH, SpeedupCache, enabled, installed

ADDED_BY_THE_SITE_STAGE = {"_headers", "robots.txt", "manifest.json"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def stock_demo(engine_site: Callable[[str, str], Path]) -> Path:
    """``mkdocs build`` of the demo clinic's rendered project in a fresh process: nothing of mesoguide's loaded."""
    site = engine_site("mkdocs", "demo")
    project = site.parent
    assert "hooks:" not in (project / "mkdocs.yml").read_text(encoding="utf-8")  # a plain project: nothing of ours runs
    return site


@reads_engine_site("mkdocs", "demo")
def test_the_speeded_up_build_is_a_stock_mkdocs_build_plus_the_site_stage_s_additions(built_real: Path, stock_demo: Path) -> None:
    ours, stock = _files(built_real / "site/demo"), _files(stock_demo)
    languages = {name for name in stock if name.startswith(LUNR_LANGUAGES)}
    assert len(languages) > 10, "stock Material ships its search-language files; the site stage leaves them out"
    assert set(ours) == (set(stock) - languages) | ADDED_BY_THE_SITE_STAGE
    pages = sorted(name for name in stock if name.endswith(".html"))
    assert len(pages) >= 13
    for name in pages:
        # The only change to a page: the CSP (with the hashes of the page's own scripts) and referrer meta.
        assert ours[name].decode("utf-8") == add_security_meta(stock[name].decode("utf-8")), name
    for name in sorted(set(stock) - languages):
        if not name.endswith(".html"):
            # The search index, the sitemap (rewritten by the site stage in MkDocs' layout), every asset.
            assert ours[name] == stock[name], name


@pytest.mark.usefixtures("own_store")
def test_speedups_off_build_the_same_site_as_speedups_on(tmp_path: Path) -> None:
    paths = Paths.at(copy_project(tmp_path / "project"))
    sites = {}
    for speedups in (True, False):
        shutil.rmtree(paths.cache_dir, ignore_errors=True)  # no stored prototype: MkDocs builds each time
        with BuildSession(paths, speedups=speedups) as session:
            built = build_clinic(paths.clinics_dir / "demo", session, tmp_path / f"site-{speedups}")
            kept = session.site.speedups
            assert (kept is not None and len(kept.rendered) > 0) if speedups else kept is None
        sites[speedups] = tree_digest(built.path)
    assert sites[True] == sites[False]


def test_the_speedups_are_in_place_only_during_a_build_and_can_be_switched_off() -> None:
    from mkdocs.structure.pages import Page
    from mkdocs.utils import meta

    original_render, original_get_data = Page.render, meta.get_data
    with installed(SpeedupCache()):
        assert Page.render is not original_render and meta.get_data is not original_get_data
        with pytest.raises(RuntimeError), installed(SpeedupCache()):
            pass  # installing twice at once is refused
    assert Page.render is original_render and meta.get_data is original_get_data
    with pytest.raises(KeyError), installed(SpeedupCache()):
        raise KeyError("a build that fails")
    assert Page.render is original_render and meta.get_data is original_get_data
    with installed(None):
        assert Page.render is original_render
    assert enabled({}) and not enabled({SWITCH: "0"}) and not enabled({SWITCH: "off"})
    assert BuildSession(Paths.at(Path(".")), environ={SWITCH: "0"}).speedups is False

"""A clinic's site from its prototype's build (or MkDocs directly), finished and swapped into place."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from mesoguide.errors import Problem, UserError, display_path
from mesoguide.site import store
from mesoguide.site.deploy import swap_into_place, write_deploy_files
from mesoguide.site.engine import mkdocs_build
from mesoguide.site.engines import DEFAULT_ENGINE, build_with
from mesoguide.site.prototype import CannotFill, Prototype, check_site, fill_site
from mesoguide.site.security import finish_site
from mesoguide.site.sitemap import SITEMAP, sitemap_files

# Read once: the build sets SOURCE_DATE_EPOCH itself and must not mistake that for the user's.
USER_SOURCE_DATE_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")


def _source_date_epoch(release_date: str) -> str:
    """Dates in the site come from the content's release, unless SOURCE_DATE_EPOCH is set."""
    if USER_SOURCE_DATE_EPOCH:
        return USER_SOURCE_DATE_EPOCH
    day = dt.datetime.combine(dt.date.fromisoformat(release_date), dt.time(), tzinfo=dt.UTC)
    return str(int(day.timestamp()))


def _remove_leftovers(dest: Path) -> None:
    """Temporary folders of builds that were killed midway."""
    if dest.parent.is_dir():
        for leftover in dest.parent.glob(f".{dest.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)


@dataclass(frozen=True)
class BuiltSite:
    """What one build produced."""

    slug: str
    path: Path
    pages: int
    seconds: float
    warnings: tuple[Problem, ...] = ()
    """Things the clinic should fix that did not stop the build (adjusted colours …)."""
    from_prototype: bool = False
    """True when the site was filled in from a build shared with clinics of the same shape."""


def _check_destination(dest: Path, config_file: Path) -> None:
    """Refuse to replace a folder that is not a site this tool built (``--out .`` would be a disaster)."""
    if config_file.resolve().is_relative_to(dest.resolve()):
        raise UserError(
            [Problem(dest, None, "the output folder contains the project itself; choose a folder such as site/<slug>")]
        )
    if dest.is_dir() and any(dest.iterdir()) and not (dest / "manifest.json").is_file():
        raise UserError(
            [
                Problem(
                    dest,
                    None,
                    "not replaced: it is not empty and holds no site built by mesoguide (no manifest.json); choose a new or empty folder",
                )
            ]
        )
    if dest.exists() and not dest.is_dir():
        raise UserError([Problem(dest, None, "not replaced: it is a file, not a folder")])


def _read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write_tree(files: dict[str, bytes], folder: Path) -> None:
    made: set[Path] = set()
    for name, data in files.items():
        path = folder / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)


# Prototype sites this process has built or loaded, by store key; None where one cannot be
# filled. Only the last few are kept: clinics of one shape are usually built together.
_PROTOTYPE_SITES: OrderedDict[str, dict[str, bytes] | None] = OrderedDict()
PROTOTYPES_KEPT = 4


class PrototypeBusy(Exception):
    """Another process is building this prototype right now (raised only when asked not to wait)."""


def _prototype_site(
    proto: Prototype,
    config_file: Path,
    docs_sources: dict[str, Path],
    cache_dir: Path | None,
    scratch: Path,
    wait: bool = True,
) -> dict[str, bytes] | None:
    """The built site of ``proto`` (kept from earlier, or built now), or None if it cannot be filled.

    Builds of one prototype by parallel processes are serialised by a lock in the store;
    with ``wait=False`` a process that finds the lock taken raises PrototypeBusy instead of
    waiting, so that it can build another clinic meanwhile.
    """
    key = store.site_key(proto.key, os.environ["SOURCE_DATE_EPOCH"])
    if key in _PROTOTYPE_SITES:
        _PROTOTYPE_SITES.move_to_end(key)
        return _PROTOTYPE_SITES[key]
    kept_in = cache_dir / "sites" if cache_dir else None
    with store.building(kept_in, key, wait) as taken:
        if not taken:
            raise PrototypeBusy(key)
        site = store.load(kept_in, key)  # perhaps built by another process while this one waited
        if site is None:
            folder = Path(tempfile.mkdtemp(prefix=".prototype-", dir=scratch))
            try:
                _write_tree(proto.files, folder)
                mkdocs_build(folder / "mkdocs.yml", folder / "site", docs_sources, cache_dir, report_as=config_file)
                site = _read_tree(folder / "site")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            try:
                check_site(site)
                store.save(kept_in, key, site)
            except CannotFill:
                site = None
    _PROTOTYPE_SITES[key] = site
    while len(_PROTOTYPE_SITES) > PROTOTYPES_KEPT:
        _PROTOTYPE_SITES.popitem(last=False)
    return site


STALL_VARIABLE = "MESOGUIDE_TEST_STALL_BEFORE_SWAP"


def _stall_for_tests(site_dir: Path) -> None:
    """Let a test kill the build at a known point: the new site written, the old one not yet replaced.

    Set only by the test suite; the variable names a file this writes once the temporary site
    is complete, after which the process waits to be killed (for at most a minute).
    """
    signal_file = os.environ.get(STALL_VARIABLE)
    if not signal_file:
        return
    # Written whole, then renamed: the test polls for the file and must never read it half-written.
    partial = Path(signal_file + ".partial")
    partial.write_text(str(site_dir), encoding="utf-8")
    os.replace(partial, signal_file)
    time.sleep(60)


def build_site(
    config_file: Path,
    dest: Path,
    manifest: dict,
    docs_sources: dict[str, Path],
    cache_dir: Path | None = None,
    prototype: Prototype | None = None,
    wait_for_prototype: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> BuiltSite:
    """Build the project at ``config_file`` into ``dest`` atomically; compiled templates go to ``cache_dir``.

    With a ``prototype`` of the project (MkDocs only), the site is the prototype's build
    filled in with the clinic's values (one MkDocs build serves every clinic of that shape);
    when that cannot be done exactly, or with another ``engine``, the engine builds the
    project itself. The same post-processing finishes the site either way.
    """
    started = time.perf_counter()
    dest = Path(dest).absolute()
    _check_destination(dest, config_file)
    _remove_leftovers(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
    try:
        os.environ["SOURCE_DATE_EPOCH"] = _source_date_epoch(manifest["release_date"])
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        site_dir = work / "site"
        site = None
        if prototype is not None and engine == DEFAULT_ENGINE:
            built = _prototype_site(prototype, config_file, docs_sources, cache_dir, work, wait_for_prototype)
            try:
                site = None if built is None else fill_site(built, prototype)
            except CannotFill:
                site = None
        if site is None:
            build_with(engine, config_file, site_dir, docs_sources, cache_dir)
            names = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
            pages = {name: (site_dir / name).read_text(encoding="utf-8") for name in names if name.endswith(".html")}
            engine_sitemap = {SITEMAP: (site_dir / SITEMAP).read_bytes()} if (site_dir / SITEMAP).is_file() else {}
            sitemap = sitemap_files(engine_sitemap, epoch)
            finished, deploy = finish_site(pages, manifest, sorted(set(names) | set(sitemap)))
            _write_tree({**finished, **sitemap}, site_dir)
        else:
            pages = {name: data.decode("utf-8") for name, data in site.items() if name.endswith(".html")}
            sitemap = sitemap_files(site, epoch)
            finished, deploy = finish_site(pages, manifest, sorted(set(site) | set(sitemap)))
            _write_tree({**site, **finished, **sitemap}, site_dir)
        _stall_for_tests(site_dir)
        swap_into_place(site_dir, dest)
        write_deploy_files(dest, deploy)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuiltSite(manifest["clinic"], dest, len(pages), time.perf_counter() - started, from_prototype=site is not None)


def describe(site: BuiltSite) -> str:
    return f"{site.slug}: {site.pages} pages in {display_path(site.path)}/ ({site.seconds:.1f} s)"

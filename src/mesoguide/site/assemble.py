"""A clinic's site from its prototype's build (or MkDocs directly), finished and swapped into place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mesoguide.errors import Problem, UserError, display_path
from mesoguide.site import store
from mesoguide.site.deploy import swap_into_place, write_deploy_files
from mesoguide.site.engine import mkdocs_build
from mesoguide.site.engines import DEFAULT_ENGINE, build_with
from mesoguide.site.prototype import CannotFill, Prototype, check_site, fill_site
from mesoguide.site.search_languages import unused_language_files
from mesoguide.site.security import finish_site
from mesoguide.site.sitemap import sitemap_files
from mesoguide.site.speedups import SpeedupCache

PROTOTYPES_KEPT = 4
"""Built prototype sites a session keeps in memory: clinics of one shape are usually built together."""


def build_date(release_date: dt.date, environ: Mapping[str, str] = os.environ) -> int:
    """The date a site carries (SOURCE_DATE_EPOCH): the user's SOURCE_DATE_EPOCH if set, else the content's release."""
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise UserError([Problem("SOURCE_DATE_EPOCH", None, f"{given!r} is not a whole number of seconds since 1970")])
        return int(given)
    return int(dt.datetime.combine(release_date, dt.time(), tzinfo=dt.UTC).timestamp())


@dataclass
class SiteWork:
    """What the site stage uses from the build that owns it: the date, where work is kept, and its memory.

    One object per build session: two sessions in one process share nothing but the files
    under ``cache_dir``, which are keyed by everything a build reads.
    """

    source_date_epoch: int
    """The date the site carries, computed once by the session."""
    cache_dir: Path | None = None
    """Compiled templates and built prototype sites kept between runs (None: nothing kept)."""
    speedups: SpeedupCache | None = None
    """The MkDocs speed-ups' work (None: MkDocs as installed)."""
    prototype_sites: OrderedDict[str, dict[str, bytes] | None] = field(default_factory=OrderedDict)
    """Prototype sites this session built or loaded, by store key; None where one cannot be filled."""
    _software: str | None = field(default=None, init=False, repr=False)

    @property
    def software(self) -> str:
        """The installed software's fingerprint (part of every store key), computed once per session: it walks MkDocs' and Material's files."""
        if self._software is None:
            self._software = store.software_fingerprint()
        return self._software

    def close(self) -> None:
        self.prototype_sites.clear()
        if self.speedups is not None:
            self.speedups.clear()


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


class PrototypeBusy(Exception):
    """Another process is building this prototype right now (raised only when asked not to wait)."""


def _prototype_site(
    proto: Prototype,
    config_file: Path,
    docs_sources: dict[str, Path],
    work: SiteWork,
    scratch: Path,
    wait: bool = True,
) -> dict[str, bytes] | None:
    """The built site of ``proto`` (kept from earlier, or built now), or None if it cannot be filled.

    Builds of one prototype by parallel processes are serialised by a lock in the store;
    with ``wait=False`` a process that finds the lock taken raises PrototypeBusy instead of
    waiting, so that it can build another clinic meanwhile.
    """
    key = store.site_key(proto.key, str(work.source_date_epoch), work.software)
    if key in work.prototype_sites:
        work.prototype_sites.move_to_end(key)
        return work.prototype_sites[key]
    kept_in = work.cache_dir / "sites" if work.cache_dir else None
    with store.building(kept_in, key, wait) as taken:
        if not taken:
            raise PrototypeBusy(key)
        site = store.load(kept_in, key)  # perhaps built by another process while this one waited
        if site is None:
            folder = Path(tempfile.mkdtemp(prefix=".prototype-", dir=scratch))
            try:
                _write_tree(proto.files, folder)
                mkdocs_build(
                    folder / "mkdocs.yml",
                    folder / "site",
                    docs_sources,
                    work.source_date_epoch,
                    work.speedups,
                    report_as=config_file,
                )
                site = _read_tree(folder / "site")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            try:
                check_site(site)
                store.save(kept_in, key, site)
            except CannotFill:
                site = None
    work.prototype_sites[key] = site
    while len(work.prototype_sites) > PROTOTYPES_KEPT:
        work.prototype_sites.popitem(last=False)
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


def _finish(site: dict[str, bytes], site_dir: Path, manifest: dict, work: SiteWork, written: bool) -> tuple[int, dict]:
    """The post-processing every site gets, whichever way it was built; returns its page count and deploy files.

    Search-language files it never loads are left out; every page gets its security meta;
    the sitemap, headers files and manifest are written. ``written``: ``site`` is already in
    ``site_dir`` (the engine wrote it there), so only what changes is written.
    """
    unused = unused_language_files(site)
    site = {name: data for name, data in site.items() if name not in unused}
    pages = {name: data.decode("utf-8") for name, data in site.items() if name.endswith(".html")}
    sitemap = sitemap_files(site, work.source_date_epoch)
    finished, deploy = finish_site(pages, manifest, sorted(set(site) | set(sitemap)))
    if written:
        for name in sorted(unused):
            (site_dir / name).unlink()
        for folder in sorted({(site_dir / name).parent for name in unused}, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # emptied by the files left out
        _write_tree({**finished, **sitemap}, site_dir)
    else:
        _write_tree({**site, **finished, **sitemap}, site_dir)
    return len(pages), deploy


def build_site(
    config_file: Path,
    dest: Path,
    manifest: dict,
    docs_sources: dict[str, Path],
    work: SiteWork,
    prototype: Prototype | None = None,
    wait_for_prototype: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> BuiltSite:
    """Build the project at ``config_file`` into ``dest`` atomically, with the session's ``work``.

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
    scratch = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
    try:
        site_dir = scratch / "site"
        site = None
        if prototype is not None and engine == DEFAULT_ENGINE:
            built = _prototype_site(prototype, config_file, docs_sources, work, scratch, wait_for_prototype)
            try:
                site = None if built is None else fill_site(built, prototype)
            except CannotFill:
                site = None
        from_prototype = site is not None
        if site is None:
            build_with(engine, config_file, site_dir, docs_sources, work.source_date_epoch, work.speedups)
            site = _read_tree(site_dir)
        pages, deploy = _finish(site, site_dir, manifest, work, written=not from_prototype)
        _stall_for_tests(site_dir)
        swap_into_place(site_dir, dest)
        write_deploy_files(dest, deploy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return BuiltSite(manifest["clinic"], dest, pages, time.perf_counter() - started, from_prototype=from_prototype)


def describe(site: BuiltSite) -> str:
    return f"{site.slug}: {site.pages} pages in {display_path(site.path)}/ ({site.seconds:.1f} s)"

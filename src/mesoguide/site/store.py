"""Built prototype sites kept between runs, under ``build/.cache/sites/``.

A prototype's site (see prototype) is a function of three things: the prototype's files,
the date the build stamps on pages (SOURCE_DATE_EPOCH), and the software that builds it.
The store's key holds all three. The software part names Python's version, the installed
versions of MkDocs, Material, Python-Markdown, PyMdown Extensions, Jinja, MarkupSafe, PyYAML
and mesoguide, the install record of each, and the size and modification time of every
file in their packages (dot folders such as Material's 14,000 icons aside), so an upgrade,
a reinstall or an edited template or extension all give new keys. Only builds that passed
MkDocs' strict validation are stored. The most recently used are kept, up to 256 MB.

A base mkdocs.yml that starts using another theme, plugin or Markdown extension package
must add that package to DISTRIBUTIONS and PACKAGES below, or its upgrades go unnoticed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock, parallel processes may build the same prototype twice
    fcntl = None  # type: ignore[assignment]

DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "MarkupSafe", "PyYAML", "mesoguide")
PACKAGES = ("mkdocs", "material", "markdown", "pymdownx", "jinja2", "markupsafe", "yaml", "mesoguide")
KEPT_BYTES = 256 * 2**20
"""The store keeps the most recently used sites up to this size (about 100 sites of 2.4 MB)."""


def _package_files(package: str, digest: hashlib._Hash) -> None:
    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        lines: list[str] = []
        _folder_files(location, "", lines)
        digest.update("".join(lines).encode())


def _folder_files(folder: str, prefix: str, lines: list[str]) -> None:
    """``path|size|mtime`` of each file below ``folder``, in the order ``os.walk`` gives (a folder's
    files by name, then its subfolders by name; symbolic links to folders not followed), with
    one system call per file instead of os.walk's two: every build computes this."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    subfolders = []
    for entry in entries:
        if entry.is_dir():
            if not entry.is_symlink() and not entry.name.startswith(".") and entry.name != "__pycache__":
                subfolders.append(entry)
            continue
        stat = entry.stat()
        lines.append(f"{prefix}{entry.name}|{stat.st_size}|{stat.st_mtime_ns}\n")
    for entry in subfolders:
        _folder_files(entry.path, f"{prefix}{entry.name}/", lines)


def software_fingerprint() -> str:
    """What the installed software contributes to a build, as a hex digest (see module doc)."""
    digest = hashlib.sha256(sys.version.encode())
    for name in DISTRIBUTIONS:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
            continue
        digest.update(f"{name}={dist.version}\n".encode())
        digest.update(hashlib.sha256((dist.read_text("RECORD") or "").encode()).digest())
    for package in PACKAGES:
        _package_files(package, digest)
    return digest.hexdigest()


def site_key(prototype_key: str, source_date_epoch: str, software: str) -> str:
    """The store key of a built prototype: its project, its date and the software (``software_fingerprint()``) that built it."""
    return hashlib.sha256(f"{prototype_key}|{source_date_epoch}|{software}".encode()).hexdigest()


def load(folder: Path | None, key: str) -> dict[str, bytes] | None:
    """The stored site for ``key``, or None."""
    if folder is None:
        return None
    path = folder / f"{key}.zip"
    try:
        with zipfile.ZipFile(path) as archive:
            site = {name: archive.read(name) for name in archive.namelist()}
        os.utime(path)  # most recently used: kept longest
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    return site


def save(folder: Path | None, key: str, site: dict[str, bytes]) -> None:
    """Store ``site`` under ``key``; a disk that is full or read-only only costs the next run a build."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{key}.{os.getpid()}.tmp"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            for name in sorted(site):
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), site[name])
        os.replace(partial, folder / f"{key}.zip")
        stored = sorted(((p.stat(), p) for p in folder.glob("*.zip")), key=lambda sp: sp[0].st_mtime_ns, reverse=True)
        total = 0
        for number, (stat, path) in enumerate(stored):
            total += stat.st_size
            if number and total > KEPT_BYTES:
                path.unlink(missing_ok=True)
                path.with_suffix(".lock").unlink(missing_ok=True)
    except OSError:
        pass


@contextlib.contextmanager
def building(folder: Path | None, key: str, wait: bool) -> Iterator[bool]:
    """Hold the lock for building ``key``; yields False if ``wait`` is False and it is taken."""
    if folder is None or fcntl is None:
        yield True
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / f"{key}.lock", "a+b")  # noqa: SIM115 (held across the yield)
    except OSError:
        yield True
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)

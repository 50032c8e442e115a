"""Shared fixtures: small project trees in temporary folders, and ways to run the CLI."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

# Names the engine reads from the environment, spelled out here so that importing this file
# loads nothing of the engine: pytest-xdist's controller imports it and runs no test, and
# the workers it starts wait for it (tests/unit/test_conftest_names.py keeps them in step).
CACHE_VARIABLE = "MESOGUIDE_CACHE_DIR"
SPEEDUPS_SWITCH = "MESOGUIDE_SPEEDUPS"

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_project(dest: Path, tree: str = "mini") -> Path:
    """A project in ``dest``: the fixture tree ``tree`` (or the real one) with the real overrides/."""
    if tree == "real":
        dest.mkdir(parents=True, exist_ok=True)
        for name in ("mkdocs.yml", "content", "clinics", "overrides"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / name)
    else:
        shutil.copytree(FIXTURES / tree, dest, dirs_exist_ok=True)
        shutil.copytree(REPO / "overrides", dest / "overrides")
    return dest


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> Result:
    """Run ``mesoguide ARGS`` in-process with ``project`` as the working folder."""
    from mesoguide.cli import main

    before = Path.cwd()
    os.chdir(project)
    try:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        os.chdir(before)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_process(
    project: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    environ: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run ``mesoguide ARGS`` in a fresh Python process, in ``environ`` (by default this
    process's environment) with ``env`` added."""
    full_env = dict(os.environ if environ is None else environ, NO_MKDOCS_2_WARNING="1")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mesoguide", *args], cwd=project, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def replace(project: Path, path: str, old: str, new: str) -> None:
    """Replace the first ``old`` in the project's file ``path`` with ``new``; fails if ``old`` is not there."""
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


MEMORY_FOLDER = Path("/dev/shm")
"""A folder in memory (tmpfs) that Linux offers every user, like /tmp."""
MEMORY_FOLDER_MIN_FREE = 2 * 2**30
"""Free space it must have to take the run's scratch files (at most a few hundred MB)."""
FULL_COLLECTION_EVERY = 100
"""Python's garbage collector walks every object in a full collection, by default at most every
10 collections of the middle generation; in the test processes, at most every 100 of them."""


def pytest_configure(config: pytest.Config) -> None:
    _scratch_in_memory(config)
    _fewer_full_collections()
    _no_collections_at_exit()


def _fewer_full_collections() -> None:
    """A worker keeps large data for the whole run (textstat's pronouncing dictionary alone is
    some 260,000 lists), and each full collection walks all of it again: 10 or 11 of them per
    worker took 1.5 to 2.1 s of a run, against 0.3 to 0.6 s with this setting. All it changes
    is that garbage cycles old enough to reach the oldest generation wait longer to be freed."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Imported modules and collected tests live for the whole run: frozen, full garbage
    collections skip them (a worker's took 0.46 to 0.65 s of a run, now 0.14 to 0.46 s)."""
    gc.freeze()


def _no_collections_at_exit() -> None:
    """Python's shutdown walks a worker's hundreds of thousands of objects in several garbage
    collections: the run waited 2.3 to 2.5 s for the workers to exit, 0.8 to 0.9 s with them
    frozen at exit (reference counting still frees them), after pytest's last collections."""
    atexit.register(gc.freeze)


def _scratch_in_memory(config: pytest.Config) -> None:
    """Scratch files in memory when the machine offers it and the user has not chosen a place.

    The tests write more than 15,000 small files (projects, rendered projects, built
    sites). On the disk of the 2-core machine the suite is timed on, creating a file costs
    about a millisecond of system time (2,000 empty files: 1.9 s), in memory 0.04 ms; so the
    run keeps them in /dev/shm: pytest's temporary folders and every temporary folder the
    builds make, in this process, the xdist workers and the processes the tests start (they
    inherit TMPDIR). A TMPDIR or --basetemp the user set is left alone (``TMPDIR=/tmp`` runs
    the suite on disk), and so is a machine without /dev/shm or with little room in it (a
    container's default 64 MB)."""
    if os.environ.get("TMPDIR") or config.option.basetemp or not _memory_folder_usable():
        return
    os.environ["TMPDIR"] = str(MEMORY_FOLDER)
    tempfile.tempdir = None  # tempfile and pytest read TMPDIR again


def _memory_folder_usable() -> bool:
    if not (MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)):
        return False
    stats = os.statvfs(MEMORY_FOLDER)
    return stats.f_bavail * stats.f_frsize >= MEMORY_FOLDER_MIN_FREE


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: with pytest-xdist, the one above each worker's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder of compiled templates, built prototype sites and readability measures for
    every build of the run (``MESOGUIDE_CACHE_DIR``), as on a machine that has built before: a
    test's fresh copy of a project does not compile Material's templates or build the same
    prototype again. Entries are keyed by what they were made from, so no test gets another's
    site. Tests of the store itself use the project's own ``build/.cache/`` (the ``own_store``
    fixture)."""
    folder = run_folder(tmp_path_factory) / "shared-store"
    folder.mkdir(exist_ok=True)
    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = before


@pytest.fixture
def own_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds in this test keep their work in the project's own ``build/.cache/``, starting empty."""
    monkeypatch.delenv(CACHE_VARIABLE)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``make(folder)`` writes, made once per test run under ``name``.

    With pytest-xdist, the first worker to ask makes it in the run's shared temporary folder
    while the others wait on a lock, then every worker reads the same folder. Tests must only
    read it (copy it to change anything).
    """
    shared = run_folder(tmp_path_factory) / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    root, done = shared / "project", shared / "done"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a worker that failed here left behind
            make(root)
            done.touch()
    return root


def built_once(tmp_path_factory: pytest.TempPathFactory, tree: str, environ: Mapping[str, str] | None = None) -> Path:
    """``tree`` copied and built with ``mesoguide build --all`` in a fresh process, once per test
    run (see made_once); what the build printed is in build-output.txt."""
    return made_once(tmp_path_factory, tree, lambda root: _build_tree(root, tree, environ))


def _build_tree(root: Path, tree: str, environ: Mapping[str, str] | None) -> Path:
    copy_project(root, tree=tree)
    # The mini project is built as a user builds it, with its own build/.cache/ (tests of the
    # store copy that tree). The real one keeps its work in the run's shared store, where the
    # tests that build the real content again find its prototypes. One process each: the test
    # workers keep the cores busy, and a pool of two compiles Material's templates in both
    # processes (the real content: 3.6 CPU-seconds instead of 5.2; test_build.py builds with
    # a pool and compares the bytes with single builds).
    env = {CACHE_VARIABLE: ""} if tree == "mini" else None
    result = run_process(root, "build", "--all", "--jobs", "1", env=env, environ=environ)
    assert result.returncode == 0, result.stderr
    (root / "build-output.txt").write_text(result.stdout + result.stderr)  # for tests of what the build said
    return root


def copy_built(built: Path, dest: Path, sites: tuple[str, ...] = ("demo",)) -> Path:
    """A built tree's project and the sites named, copied to ``dest`` (far cheaper than a build).

    Its rendered projects and stored work under build/ stay behind: builds in the copy keep
    theirs in the run's shared store, and tests of the store copy the whole tree instead.
    """

    def not_needed(folder: str, names: list[str]) -> set[str]:
        if Path(folder) == built:
            return {"build", "build-output.txt"} & set(names)
        if Path(folder) == built / "site":
            return set(names) - set(sites)
        return set()

    shutil.copytree(built, dest, symlinks=True, ignore=not_needed)
    for slug in sites:
        assert (dest / "site" / slug / "manifest.json").is_file(), slug
    return dest


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with both clinics built once, for tests that only read sites."""
    return built_once(tmp_path_factory, "mini")


@pytest.fixture(scope="session")
def built_real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content and shipped clinics, built once, for tests that only read them."""
    return built_once(tmp_path_factory, "real")


BUILT_TREES = {"built_mini": "mini", "built_real": "real"}  # the fixtures above, and their trees


@pytest.fixture(scope="session", autouse=True)
def built_trees_started(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_store: Path
) -> Iterator[None]:
    """Start building, at the run's first test, the trees above that its tests will read.

    Made when a test first asked, each build left a core idle: one worker waited for its
    ``mesoguide build`` process, the other for the lock (2.5 s for the real content, 1.5 s for
    the mini project). Threads do what the fixture does (``made_once``, in the environment the
    run started with); if a build fails, the fixture builds again and reports the error."""
    environ = dict(os.environ)  # tests change os.environ while the threads run
    wanted = {
        tree for fixture, tree in BUILT_TREES.items() if any(fixture in item.fixturenames for item in request.session.items)
    }
    threads = [
        threading.Thread(target=_build_quietly, args=(tmp_path_factory, tree, environ), name=f"built-{tree}", daemon=True)
        for tree in sorted(wanted)
    ]
    for thread in threads:
        thread.start()
    yield
    for thread in threads:
        thread.join()


def _build_quietly(tmp_path_factory: pytest.TempPathFactory, tree: str, environ: Mapping[str, str]) -> None:
    with contextlib.suppress(Exception):  # the fixture builds it again and reports the error
        built_once(tmp_path_factory, tree, environ)


# How each engine's command line builds a project in strict mode.
ENGINE_BUILD = {
    "mkdocs": ["build", "--strict"],
    "properdocs": ["build", "--strict"],
    "zensical": ["build", "--strict", "--clean"],
}


@pytest.fixture(scope="session")
def engine_site(built_real: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """``engine_site(engine, slug)``: the site that ``python -m ENGINE build --strict`` writes for
    the shipped clinic ``slug``'s rendered project (built_real's build/<slug>/, copied), in a
    fresh process, dated as ``mesoguide build`` dated it. Each is built once per test run and
    shared by every worker: the engine tests read all of them, and the speed-up tests compare
    MkDocs' build of the demo clinic, a stock ``mkdocs build``, with mesoguide's."""

    def build(engine: str, slug: str, project: Path) -> None:
        shutil.copytree(built_real / "build" / slug, project, ignore=shutil.ignore_patterns("site"))
        # The date mesoguide build stamped on pages (the content's release, or SOURCE_DATE_EPOCH
        # if the environment set one), as MkDocs wrote it into the compressed sitemap's header.
        epoch = int.from_bytes((built_real / "site" / slug / "sitemap.xml.gz").read_bytes()[4:8], "little")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(epoch))
        env.pop(SPEEDUPS_SWITCH, None)  # nothing of mesoguide's runs in these builds
        command = [sys.executable, "-m", engine, *ENGINE_BUILD[engine], "-f", str(project / "mkdocs.yml")]
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

    def site(engine: str, slug: str) -> Path:
        return made_once(tmp_path_factory, f"{engine}-{slug}", lambda project: build(engine, slug, project)) / "site"

    return site


def reads_engine_site(engine: str, slug: str) -> pytest.MarkDecorator:
    """The mark of a test that reads ``engine_site(engine, slug)``: with pytest-xdist, the tests
    that read one engine's site run on the worker that builds it, instead of waiting for it."""
    return pytest.mark.xdist_group(f"engine-site-{engine}-{slug}")


# Modules whose tests share an expensive module-scoped fixture: each runs on one worker, which
# makes it once. Not test_browser.py: spread over the workers (each building its sites and
# starting Chromium), `pytest -m browser` took 272 s, against 387 s on one worker.
ONE_WORKER_MODULES = ("test_nginx.py", "test_prototype.py")

# measures_text tests share a worker, the only one to load textstat's dictionary (1.5-2 s).
MEASURING_GROUP = "measures-text"


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m "not browser"`` (the README's command for everything but the browser), the
    browser modules are not even imported: every test there is marked browser (see below), so
    none could be selected, and importing them (Playwright, pypdf) costs each worker time."""
    if config.getoption("markexpr").strip() == "not browser" and collection_path.resolve() == BROWSER_TESTS:
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the layout honest: browser tests live in tests/browser/ and nowhere else, so that
    `pytest tests/browser` and `pytest -m browser` select the same tests. Group the tests that
    must share a worker (``--dist loadgroup``)."""
    misplaced = [
        item.nodeid
        for item in items
        if (item.get_closest_marker("browser") is not None) != (BROWSER_TESTS in Path(str(item.path)).resolve().parents)
    ]
    if misplaced:
        raise pytest.UsageError("tests marked browser must live in tests/browser/, and only they: " + ", ".join(misplaced))
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        if item.path.name in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        elif item.get_closest_marker("measures_text") is not None:
            item.add_marker(pytest.mark.xdist_group(MEASURING_GROUP))

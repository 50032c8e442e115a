"""Shared fixtures: small project trees in temporary folders, and ways to run the CLI."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mesoguide.cli import main
from mesoguide.session import CACHE_VARIABLE

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
    project: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``mesoguide ARGS`` in a fresh Python process."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
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


@pytest.fixture(scope="session", autouse=True)
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder of compiled templates and built prototype sites for every build of the run
    (``MESOGUIDE_CACHE_DIR``), as on a machine that has built before: a test's fresh copy of a
    project does not compile Material's templates or build the same prototype again. Entries
    are keyed by what they were made from, so no test gets another's site. Tests of the store
    itself use the project's own ``build/.cache/`` (the ``own_store`` fixture)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if worker else base) / "shared-store"
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


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, tree: str) -> Path:
    """``tree`` copied and built with ``mesoguide build --all`` in a fresh process, once per test run.

    With pytest-xdist, the first worker to ask builds it in the run's shared temporary folder
    while the others wait on a lock, then every worker reads the same tree. Tests must only
    read it (copy it to change anything); what the build printed is in build-output.txt.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return _build_tree(tmp_path_factory.mktemp(name) / "project", tree)
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root, done = shared / "project", shared / "done"
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a worker that failed here left behind
            _build_tree(root, tree)
            done.touch()
    return root


def _build_tree(root: Path, tree: str) -> Path:
    copy_project(root, tree=tree)
    # The mini project is built as a user builds it, with its own build/.cache/ (tests of the
    # store copy that tree). The real one keeps its work in the run's shared store, where the
    # tests that build the real content again find its prototypes.
    result = run_process(root, "build", "--all", env={CACHE_VARIABLE: ""} if tree == "mini" else None)
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
    return built_once(tmp_path_factory, "mini", "mini")


@pytest.fixture(scope="session")
def built_real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content and shipped clinics, built once, for tests that only read them."""
    return built_once(tmp_path_factory, "real", "real")


# Modules whose tests share an expensive module-scoped fixture (a build, a server, a browser):
# with pytest-xdist each runs on one worker, so that the fixture is made once.
ONE_WORKER_MODULES = ("test_browser.py", "test_nginx.py")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the layout honest: browser tests live in tests/browser/ and nowhere else, so that
    `pytest tests/browser` and `pytest -m browser` select the same tests. Group the tests that
    must share a worker (``--dist loadgroup``)."""
    browser = Path(__file__).resolve().parent / "browser"
    misplaced = [
        item.nodeid
        for item in items
        if (item.get_closest_marker("browser") is not None) != (browser in Path(str(item.path)).resolve().parents)
    ]
    if misplaced:
        raise pytest.UsageError("tests marked browser must live in tests/browser/, and only they: " + ", ".join(misplaced))
    for item in items:
        if item.path.name in ONE_WORKER_MODULES and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.path.name))

"""Shared fixtures: small project trees in temporary folders, and ways to run the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mesoguide.cli import main

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


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with both clinics built once, for tests that only read sites."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_process(root, "build", "--all")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def built_real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content and shipped clinics, built once."""
    root = copy_project(tmp_path_factory.mktemp("real") / "project", tree="real")
    result = run_process(root, "build", "--all")
    assert result.returncode == 0, result.stderr
    (root / "build-output.txt").write_text(result.stdout + result.stderr)  # for tests of what the build said
    return root


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the layout honest: browser tests live in tests/browser/ and nowhere else, so that
    `pytest tests/browser` and `pytest -m browser` select the same tests."""
    browser = Path(__file__).resolve().parent / "browser"
    misplaced = [
        item.nodeid
        for item in items
        if (item.get_closest_marker("browser") is not None) != (browser in Path(str(item.path)).resolve().parents)
    ]
    if misplaced:
        raise pytest.UsageError("tests marked browser must live in tests/browser/, and only they: " + ", ".join(misplaced))

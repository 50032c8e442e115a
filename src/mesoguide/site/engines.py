"""The generators that can build a rendered project: MkDocs, ProperDocs and Zensical.

MkDocs runs in this process, with the speed-ups (see speedups.py) and the prototypes (see
prototype.py). ProperDocs and Zensical are optional extras; each runs as
its own command line does, in a child process, on a copy of the project (Zensical has no
option for the output folder and keeps its configuration in module globals). Whatever the
engine writes, the site stage then adds the same security policy, headers and manifest.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mesoguide.errors import Problem, UserError
from mesoguide.site.engine import mkdocs_build, warning_problem
from mesoguide.site.speedups import SpeedupCache

DEFAULT_ENGINE = "mkdocs"
ENGINES = ("mkdocs", "properdocs", "zensical")
# The module each engine installs, and the command-line arguments of a strict build.
MODULES = {"mkdocs": "mkdocs", "properdocs": "properdocs", "zensical": "zensical"}
STRICT_BUILD = {"properdocs": ["build", "--strict"], "zensical": ["build", "--strict", "--clean"]}
# ProperDocs logs "WARNING -  Doc file 'x.md' …" as MkDocs does; Zensical prints "Warning: what"
# and, a line or two later, "[ x.md:LINE:COLUMN ]" in a box drawn around the source line.
LOG_LINE = re.compile(r"^\s*(?:WARNING|ERROR)\s+-\s+(.*)$")
REPORT_LINE = re.compile(r"^\s*(?:Warning|Error):\s+(.*)$")
REPORT_PLACE = re.compile(r"\[\s*(\S+?):(\d+):\d+\s*\]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMEOUT_SECONDS = 600


def missing_engine(engine: str) -> str | None:
    """One line saying how to install ``engine``, or None when it is installed."""
    try:
        if importlib.util.find_spec(MODULES[engine]) is not None:
            return None
    except ImportError:
        pass  # a broken or blocked install counts as none
    return (
        f"the {engine} engine is not installed; install it with "
        f"pip install 'mesoguide[{engine}]' (or, pinned: pip install --require-hashes -r requirements-engines.lock)"
    )


def _copy_project(project: Path, dest: Path) -> None:
    """The rendered project without a site an earlier preview left in it."""
    shutil.copytree(project, dest, ignore=lambda folder, names: ["site"] if Path(folder) == project else [])


def _problems(output: str, config_file: Path, docs_sources: dict[str, Path]) -> list[Problem]:
    """The engine's warnings and errors, each pointed at the file an editor would fix."""
    problems: list[Problem] = []
    lines = ANSI.sub("", output).splitlines()
    for number, line in enumerate(lines):
        if logged := LOG_LINE.match(line):
            problems.append(warning_problem(logged[1].strip(), config_file, docs_sources))
        elif reported := REPORT_LINE.match(line):
            place = next((p for p in map(REPORT_PLACE.search, lines[number + 1 : number + 4]) if p), None)
            if place is None:
                problems.append(Problem(config_file, None, reported[1].strip()))
                continue
            rendered = place[1]
            source = docs_sources.get(rendered)
            where = f"{rendered}, line {place[2]} of the rendered page"
            problems.append(Problem(source or config_file, None, f"{reported[1].strip()} ({where})"))
    return problems


def build_with(
    engine: str,
    config_file: Path,
    site_dir: Path,
    docs_sources: dict[str, Path],
    source_date_epoch: int,
    speedups: SpeedupCache | None = None,
) -> None:
    """Build the project at ``config_file`` into ``site_dir`` with ``engine``, dated ``source_date_epoch``.

    The engine's warnings and errors become problems. ``speedups`` apply to MkDocs only.
    """
    if engine == "mkdocs":
        mkdocs_build(config_file, site_dir, docs_sources, source_date_epoch, speedups)
        return
    hint = missing_engine(engine)
    if hint:
        raise UserError([Problem(config_file, None, hint)])
    with tempfile.TemporaryDirectory(prefix=f".{engine}-", dir=site_dir.parent) as scratch:
        project = Path(scratch) / "project"
        _copy_project(config_file.parent, project)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(source_date_epoch))
        command = [sys.executable, "-m", MODULES[engine], *STRICT_BUILD[engine], "-f", str(project / config_file.name)]
        try:
            result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise UserError([Problem(config_file, None, f"{engine} did not finish within {TIMEOUT_SECONDS} s")]) from None
        output = result.stdout + result.stderr
        problems = _problems(output, config_file, docs_sources)
        if result.returncode != 0 or problems:
            last = output.strip().splitlines()[-1:] or [f"{engine} build failed"]
            raise UserError(problems or [Problem(config_file, None, f"{engine}: {last[0]}")])
        shutil.move(project / "site", site_dir)

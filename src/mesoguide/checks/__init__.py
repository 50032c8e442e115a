"""``mesoguide check``: every quality gate over the content and every clinic, all at once.

Gates: readability, wording, review, registries, structure, clinics and links. Each clinic
is rendered and built into a temporary folder with MkDocs' strict validation (links and
anchors); the demo clinic's built pages are measured for readability.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import sys
import tempfile
import time
import tomllib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..content import Content, load_content
from ..errors import Problem, UserError, display_path
from ..pipeline import Paths, build_clinic, default_jobs
from ..profile import Clinic, clinic_line_map, list_clinics, load_clinic, profile_warnings
from .model import Report
from .readability import medians, score_page
from .registry import registry_problems
from .review import review_problems
from .structure import structure_problems
from .wording import scan_lines

READABILITY_CLINIC = "demo"
READABILITY_KEYS = ("max_grade", "max_smog", "max_median_grade", "max_median_smog")
EXTERNAL_LINK = re.compile(r'<a [^>]*href="(https?://[^"]+)"')


@dataclass
class ClinicResult:
    """What checking one clinic in a worker found."""

    slug: str
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    """Built HTML by page name; only for the clinic whose readability is measured."""
    external_hosts: Counter = field(default_factory=Counter)


def _page_name(relative: str) -> str:
    name = relative.removesuffix("index.html").strip("/")
    return name or "index"


def check_clinic(folder: Path, paths: Paths, keep_pages: bool) -> ClinicResult:
    """Profile checks, then a strict build into a temporary folder (links and anchors)."""
    result = ClinicResult(folder.name)
    try:
        clinic = load_clinic(folder)
    except UserError as exc:
        result.problems += [("clinics", p) for p in exc.problems]
        return result
    result.problems += [("clinics", p) for p in profile_warnings(clinic)]
    result.problems += [("wording", p) for p in clinic_wording(clinic)]
    with tempfile.TemporaryDirectory(prefix="mesoguide-check-") as tmp:
        try:
            site = build_clinic(folder, paths, out=Path(tmp) / "site", render_out=Path(tmp) / "build", clinic_wording=False)
        except UserError as exc:
            result.problems += [("links", p) for p in exc.problems]
            return result
        for page in sorted(site.path.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            result.external_hosts.update(urlparse(u).hostname for u in EXTERNAL_LINK.findall(html))
            if keep_pages:
                result.pages[_page_name(page.relative_to(site.path).as_posix())] = html
    return result


def profile_problems(folder: Path) -> list[Problem]:
    """The profile checks alone, for when the content cannot be built."""
    try:
        return profile_warnings(load_clinic(folder))
    except UserError as exc:
        return exc.problems


def clinic_wording(clinic: Clinic) -> list[Problem]:
    """Clinic text cannot make the claims its own guide flags."""
    problems = []
    if clinic.profile.tagline:
        found, _ = scan_lines(clinic.profile_path, clinic.profile.tagline, allow_waivers=False)
        problems += [Problem(p.path, clinic_line_map(clinic).line_of(("tagline",)), p.message) for p in found]
    for page in clinic.pages:
        found, _ = scan_lines(page.source, page.text, allow_waivers=False)
        problems += found
    return problems


def _readability_limits(root: Path) -> tuple[dict[str, float] | None, list[Problem]]:
    path = root / "pyproject.toml"
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))["tool"]["mesoguide"]["readability"]
        return {key: float(config[key]) for key in READABILITY_KEYS}, []
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        return None, [
            Problem(
                path,
                None,
                f"readability limits not found ({exc}); add [tool.mesoguide.readability] with {', '.join(READABILITY_KEYS)}",
            )
        ]


def readability_gate(content: Content, pages: dict[str, str], report: Report, root: Path, clinic: str) -> list[Problem]:
    limits, problems = _readability_limits(root)
    if limits is None:
        return problems
    scores = [
        score_page(name, pages[name], limits["max_grade"], limits["max_smog"])
        for name in content.pages
        if name != "references" and name in pages
    ]
    for score in scores:
        ok = score.grade <= limits["max_grade"] and score.smog <= limits["max_smog"]
        report.readability.append(
            {"page": score.page, "grade": score.grade, "smog": score.smog, "words": score.words, "passed": ok}
        )
        if not ok:
            hardest = "; ".join(f'"{s}" (grade {g})' for g, s in score.hardest)
            problems.append(
                Problem(
                    content.pages[score.page].source,
                    None,
                    f"reads at grade {score.grade}, SMOG {score.smog} (limits {limits['max_grade']}, {limits['max_smog']}); hardest sentences: {hardest}",
                )
            )
    if scores:
        grade, smog = medians(scores)
        report.readability_summary = {"clinic": clinic, "median_grade": grade, "median_smog": smog, **limits}
        if grade > limits["max_median_grade"] or smog > limits["max_median_smog"]:
            problems.append(
                Problem(
                    content.root / "pages",
                    None,
                    f"median grade {grade} and SMOG {smog} across pages exceed {limits['max_median_grade']} and {limits['max_median_smog']}",
                )
            )
    return problems


def content_wording(content: Content, report: Report) -> list[Problem]:
    problems = []
    for page in content.pages.values():
        found, waivers = scan_lines(page.source, page.body, first_line=page.body_line)
        problems += found
        report.waivers += [
            {"path": display_path(w.path), "line": w.line, "phrase": w.phrase, "reason": w.reason} for w in waivers
        ]
    return problems


def _check_in_worker(args: tuple[str, str, str, bool]) -> ClinicResult:
    folder, root, clinics_dir, keep = args
    return check_clinic(Path(folder), Paths.at(Path(root), Path(clinics_dir)), keep)


def run_checks(
    paths: Paths,
    clinic: Path | None = None,
    today: dt.date | None = None,
    sources: Path | None = None,
    require_review: bool = False,
    deployed: str | None = None,
) -> Report:
    """Run every gate; never raises for problems in the user's files."""
    started = time.perf_counter()
    today = today or dt.date.today()
    report = Report()
    try:
        folders = [clinic] if clinic else list_clinics(paths.clinics_dir)
    except UserError as exc:
        report.add("clinics", exc.problems)
        folders = []
    try:
        content = load_content(paths.content_dir)
    except UserError as exc:
        # Without valid content nothing can be built; the profiles can still be checked.
        report.add("registries", exc.problems)
        for folder in folders:
            report.clinics.append(folder.name)
            report.add("clinics", profile_problems(folder))
        report.seconds = time.perf_counter() - started
        return report
    report.add("registries", registry_problems(content, sources))
    report.add("review", review_problems(content, today, require_review))
    report.add("structure", structure_problems(content))
    report.add("wording", content_wording(content, report))
    readability_folder = next((f for f in folders if f.name == READABILITY_CLINIC), folders[0] if folders else None)
    jobs = [(str(f), str(paths.root), str(paths.clinics_dir), f == readability_folder) for f in folders]
    if len(jobs) > 1:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        with ProcessPoolExecutor(min(len(jobs), default_jobs()), mp_context=multiprocessing.get_context(method)) as pool:
            results = list(pool.map(_check_in_worker, jobs))
    else:
        results = [_check_in_worker(job) for job in jobs]
    for result in results:
        report.clinics.append(result.slug)
        for gate, problem in result.problems:
            report.add(gate, [problem])
        report.external_hosts.update(result.external_hosts)
        if result.pages:
            report.add("readability", readability_gate(content, result.pages, report, paths.root, result.slug))
    if deployed is not None:
        from .deployed import deployed_problems

        report.add("review", deployed_problems(content, deployed, clinic.name if clinic else None))
    report.seconds = time.perf_counter() - started
    return report

"""``mesoguide check``: every gate over the content and every clinic, every problem once.

The runner loads the content, repairs a copy in which unknown claim and reference ids are left
out (the registries gate reports them), renders and builds each clinic from that copy in a
worker with MkDocs' strict validation, and then runs every gate of :data:`gates.GATES_LIST`.
A problem that stops a clinic's build does not stop the gates: what could be measured is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from mesoguide.checks.gates import GATES_LIST, CheckRun, ClinicResult, unknown_ids
from mesoguide.checks.measures import TextMeasures
from mesoguide.checks.model import Report
from mesoguide.checks.wording import scan_lines
from mesoguide.errors import Problem, UserError
from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic, clinic_line_map, list_clinics, load_clinic, profile_warnings
from mesoguide.pipeline import _docs_sources, default_jobs, manifest_for, render_clinic
from mesoguide.render.pagesyntax import plain_lines, replace_calls
from mesoguide.session import BuildSession, Paths, worker_pool, worker_session
from mesoguide.site import build_site, prototype_of

READABILITY_CLINIC = "demo"
EXTERNAL_LINK = re.compile(r'<a [^>]*href="(https?://[^"]+)"')


def _page_name(relative: str) -> str:
    name = relative.removesuffix("index.html").strip("/")
    return name or "index"


def check_clinic(folder: Path, session: BuildSession, content: Content, keep_pages: bool) -> ClinicResult:
    """Profile checks, then render (page problems) and a strict build into a temporary folder (links)."""
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
            project = render_clinic(folder, session, content, out=Path(tmp) / "build", clinic_wording=False)
        except UserError as exc:
            # A clinic page that copies a guide page is the clinic's problem; the rest are the pages'.
            result.problems += [("clinics" if p.path.is_relative_to(folder) else "structure", p) for p in exc.problems]
            # Build the other pages, and these as their plain text, so every gate still measures.
            try:
                project = render_clinic(
                    folder, session, _as_plain_text(content, exc.problems), out=Path(tmp) / "build", clinic_wording=False
                )
            except UserError:
                return result
        try:
            site = build_site(
                project.config_file,
                Path(tmp) / "site",
                manifest_for(project.clinic, content),
                _docs_sources(project, content),
                session.site,
                prototype_of(project),
            )
        except UserError as exc:
            result.problems += [("links", p) for p in exc.problems]
            return result
        hosts: Counter = Counter()
        for page in sorted(site.path.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            hosts.update(urlparse(u).hostname for u in EXTERNAL_LINK.findall(html))
            if keep_pages:
                result.pages[_page_name(page.relative_to(site.path).as_posix())] = html
        result.external_hosts = dict(hosts)
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


def repaired(content: Content) -> Content:
    """A copy of the content without the macro calls that name unknown ids, so every page can be built."""
    bad: dict[str, set[tuple[int, str, str]]] = {}
    for problem, page_name, line, ident in unknown_ids(content):
        # A mistyped claim id stands for a claim the page means to show: show the page's
        # remaining claims there, so the typo is reported once, not again as "not shown".
        replacement = "{{ other_claims() }}" if "unknown claim id" in problem.message else ""
        bad.setdefault(page_name, set()).add((line, ident, replacement))
    if not bad:
        return content
    pages = {
        name: dataclasses.replace(page, body=replace_calls(page.body, bad[name])) if name in bad else page
        for name, page in content.pages.items()
    }
    return dataclasses.replace(content, pages=pages)


def _as_plain_text(content: Content, problems: list[Problem]) -> Content:
    """The content with each page that could not be rendered reduced to its text (template syntax removed)."""
    broken = {p.path for p in problems}
    pages = {
        name: dataclasses.replace(page, body="\n".join(plain_lines(page.body)) + "\n\n{{ other_claims() }}\n")
        if page.source in broken
        else page
        for name, page in content.pages.items()
    }
    return dataclasses.replace(content, pages=pages)


def _check_in_worker(args: tuple[str, bool]) -> ClinicResult:
    folder, keep = args
    session = worker_session()
    # Forked, the session holds the repaired content already (repairing it again changes nothing); spawned, it loads its own.
    session.use_content(repaired(session.content))
    return check_clinic(Path(folder), session, session.content, keep)


def _check_clinics(folders: list[Path], session: BuildSession) -> list[ClinicResult]:
    """Each clinic checked against the session's (repaired) content; in worker processes when there are several."""
    measured = next((f for f in folders if f.name == READABILITY_CLINIC), folders[0] if folders else None)
    jobs = [(str(f), f == measured) for f in folders]
    if len(jobs) <= 1:
        return [check_clinic(Path(j[0]), session, session.content, j[1]) for j in jobs]
    with worker_pool(min(len(jobs), default_jobs()), session) as pool:
        return list(pool.map(_check_in_worker, jobs))


def run_checks(
    paths: Paths,
    clinic: Path | None = None,
    today: dt.date | None = None,
    sources: Path | None = None,
    require_review: bool = False,
    deployed: str | None = None,
    clinic_warnings: bool = True,
    session: BuildSession | None = None,
) -> Report:
    """Run every gate; never raises for problems in the user's files.

    ``clinic_warnings=False`` leaves clinic profile warnings out of the report (they are
    counted): an editor checking the guide is not the one who fixes a clinic's colours.
    Clinics are built in ``session`` (by default, one of this run's own).
    """
    if session is None:
        with BuildSession(paths) as own:
            return run_checks(paths, clinic, today, sources, require_review, deployed, clinic_warnings, own)
    started = time.perf_counter()
    report = Report()
    try:
        folders = [clinic] if clinic else list_clinics(paths.clinics_dir)
    except UserError as exc:
        report.add("clinics", exc.problems)
        folders = []
    run = CheckRun(
        paths.root,
        None,
        [],
        today or dt.date.today(),
        sources,
        require_review,
        deployed,
        clinic.name if clinic else None,
        measures=TextMeasures(session.cache_dir),
    )
    try:
        run.content = session.content
    except UserError as exc:
        # Without valid content nothing can be built; the profiles can still be checked.
        run.load_problems = exc.problems
        run.results = [ClinicResult(f.name, [("clinics", p) for p in profile_problems(f)]) for f in folders]
    else:
        # Clinics are built from a copy without the macro calls that name unknown ids (the registries gate reports them).
        session.use_content(repaired(run.content))
        run.results = _check_clinics(folders, session)
    for gate in GATES_LIST:
        report.add(gate.name, gate.run(run))
    run.measures.save()
    for result in run.results:
        report.clinics.append(result.slug)
        for gate, problem in result.problems:
            if gate == "clinics" and problem.severity != "error" and not clinic_warnings:
                report.hidden_clinic_warnings += 1
                continue
            report.add(gate, [problem], clinic=result.slug)
        for host, count in result.external_hosts.items():
            report.external_hosts[host] = report.external_hosts.get(host, 0) + count
    report.readability = run.tables.get("readability", [])
    report.readability_summary = run.tables.get("readability_summary", {})
    report.waivers = run.tables.get("waivers", [])
    report.readability_measured = bool(report.readability) or not folders
    report.finish()
    report.seconds = time.perf_counter() - started
    return report

"""The stages wired together: profile → content → render → site, for one clinic or many,
within one build session (session.py) that holds what the builds share.

``build_all`` runs clinics in worker processes: MkDocs keeps global state (its logger's
warning counter, cached plugin instances), so builds must not share a process at the same
time. Each worker builds its clinics one after another.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from mesoguide.errors import Problem, UserError, raise_if_any
from mesoguide.inputs.clinic_text import clinic_page_clashes, clinic_wording_problems
from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic, load_clinic, profile_warnings
from mesoguide.render import RenderedProject
from mesoguide.session import BuildSession, Paths, worker_pool, worker_session
from mesoguide.site import DEFAULT_ENGINE, BuiltSite, PrototypeBusy, build_site, prototype_of

__all__ = ["BuildReport", "Paths", "build_all", "build_clinic", "default_jobs", "manifest_for", "render_clinic"]


def render_clinic(
    folder: Path, session: BuildSession, content: Content | None = None, out: Path | None = None, clinic_wording: bool = True
) -> RenderedProject:
    """Profile, content and render stages for one clinic (``content``: the session's unless given).

    The session's renderer renders the clinic, so that many calls convert each guide page
    once for all the clinics they render. The clinic's own text is refused when it copies a
    guide page's name or title, or (with ``clinic_wording``) when it uses promotional
    wording; ``check`` reports that wording in its own gate instead.
    """
    clinic = load_clinic(folder)
    content = content or session.content
    problems = clinic_page_clashes(clinic, content)
    if clinic_wording:
        problems += clinic_wording_problems(clinic)
    raise_if_any(problems)
    return session.render(clinic, content, out or session.paths.build_dir / clinic.slug)


def _docs_sources(project: RenderedProject, content: Content) -> dict[str, Path]:
    """Rendered file name → the file an editor or clinic would fix."""
    sources = {f"{name}.md": page.source for name, page in content.pages.items()}
    sources.update({f"clinic/{p.name}.md": p.source for p in project.clinic.pages})
    return sources


def manifest_for(clinic: Clinic, content: Content) -> dict:
    return {
        "clinic": clinic.slug,
        "content_version": content.version,
        "release_date": content.release_date.isoformat(),
        "site_url": clinic.profile.site_url,
    }


def build_clinic(
    folder: Path,
    session: BuildSession,
    out: Path | None = None,
    render_out: Path | None = None,
    wait_for_prototype: bool = True,
    strict: bool = False,
    clinic_wording: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> BuiltSite:
    """Every stage for one clinic; the site lands in ``out`` (default ``site/<slug>/``), built by ``engine``.

    With ``wait_for_prototype=False``, raises PrototypeBusy when another process is building
    the clinic's prototype (build_all then builds other clinics first). With ``strict``,
    warnings are refused like errors, before anything is built.
    """
    content = session.content
    project = render_clinic(folder, session, content, out=render_out, clinic_wording=clinic_wording)
    warnings = tuple(w for w in profile_warnings(project.clinic) if w.severity == "warning")
    if strict and warnings:
        raise UserError(list(warnings))
    dest = out or session.paths.root / "site" / project.clinic.slug
    site = build_site(
        project.config_file,
        dest,
        manifest_for(project.clinic, content),
        _docs_sources(project, content),
        session.site,
        prototype_of(project) if engine == DEFAULT_ENGINE else None,
        wait_for_prototype,
        engine,
    )
    return replace(site, warnings=warnings)


@dataclass
class BuildReport:
    """Outcome of ``build --all``."""

    built: list[BuiltSite] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _build_one(folder: str, out: str, first_try: bool, strict: bool, engine: str) -> BuiltSite:
    """One clinic, in a worker process, with the session the worker serves."""
    out_dir = Path(out) / Path(folder).name
    return build_clinic(Path(folder), worker_session(), out_dir, wait_for_prototype=not first_try, strict=strict, engine=engine)


def build_all(
    folders: list[Path],
    session: BuildSession,
    out: Path,
    jobs: int,
    progress: Callable[[str], None] = lambda _: None,
    strict: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> BuildReport:
    """Build every clinic in ``folders`` into ``out/<slug>/`` with ``jobs`` processes and ``engine`` (``strict``: warnings fail a clinic)."""
    started = time.perf_counter()
    _ = session.content  # fail once, early, on problems shared by all clinics; forked workers inherit it
    report = _build_in_pool(folders, session, out, jobs, progress, strict, engine)
    report.seconds = time.perf_counter() - started
    return report


def _build_in_pool(
    folders: list[Path],
    session: BuildSession,
    out: Path,
    jobs: int,
    progress: Callable[[str], None],
    strict: bool,
    engine: str,
) -> BuildReport:
    report = BuildReport()
    with worker_pool(jobs, session) as pool:

        def submit(folder: Path, first_try: bool) -> Future:
            return pool.submit(_build_one, str(folder), str(out), first_try, strict, engine)

        pending = {submit(f, True): f for f in folders}
        done = 0
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                folder = pending.pop(future)
                try:
                    site = future.result()
                except PrototypeBusy:
                    # Another worker is building this clinic's prototype: come back to it
                    # after the clinics already queued, and then wait for that build.
                    pending[submit(folder, False)] = folder
                    continue
                except UserError as exc:
                    done += 1
                    report.failed.append(folder.name)
                    report.problems += exc.problems
                    progress(f"[{done}/{len(folders)}] {folder.name}: failed ({len(exc.problems)} problems)")
                    continue
                done += 1
                report.built.append(site)
                progress(f"[{done}/{len(folders)}] {folder.name}: {site.pages} pages ({site.seconds:.1f} s)")
    report.built.sort(key=lambda s: s.slug)
    return report


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

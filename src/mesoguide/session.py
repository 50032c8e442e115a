"""One build session: what one command (build, build --all, check, serve) keeps in memory.

The command line makes a :class:`BuildSession` for the command and closes it when the
command ends; the stages get what they need from it. It holds the loaded content, the
render stage's :class:`~mesoguide.render.Renderer` for it (compiled page templates, guide
pages per clinic shape) and the site stage's work (the build date, the MkDocs speed-ups'
caches, the prototype sites built in memory). Nothing of it lives in a module: two sessions
in one process, for two projects, share nothing but files kept between runs, in each
project's own ``build/.cache/`` or in one folder that ``MESOGUIDE_CACHE_DIR`` names (keyed by
what each file was made from, so never mixed up).

Worker processes of ``build --all`` and ``check`` get the session from :func:`worker_pool`:
forked, they inherit it with its loaded content; spawned (macOS, Windows), they get a copy
without it and load the content themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesoguide.site.speedups import enabled as speedups_enabled

CACHE_VARIABLE = "MESOGUIDE_CACHE_DIR"
"""Environment variable: a folder for compiled templates, built prototype sites and readability
measures instead of ``build/.cache/``, for example one that several checkouts (or a CI cache)
share. Everything in it is keyed by what it was made from, so projects that share it never get
each other's work."""

if TYPE_CHECKING:
    from mesoguide.inputs.content import Content
    from mesoguide.inputs.profile import Clinic
    from mesoguide.render import RenderedProject, Renderer
    from mesoguide.site import SiteWork


@dataclass(frozen=True)
class Paths:
    """Where a project's inputs and outputs live."""

    root: Path
    """Folder with mkdocs.yml, content/ and overrides/."""
    clinics_dir: Path
    build_dir: Path
    """Rendered projects go to ``build_dir/<slug>/``."""

    @classmethod
    def at(cls, root: Path, clinics_dir: Path | None = None) -> Paths:
        return cls(root, clinics_dir or root / "clinics", root / "build")

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def cache_dir(self) -> Path:
        """The project's own folder for work kept between runs (the session may use another: BuildSession.cache_dir)."""
        return self.build_dir / ".cache"


class BuildSession:
    """What one command's builds share, owned by that command; use it in a ``with`` block."""

    def __init__(self, paths: Paths, speedups: bool | None = None, environ: Mapping[str, str] = os.environ) -> None:
        self.paths = paths
        self.speedups = speedups_enabled(environ) if speedups is None else speedups
        """Whether MkDocs builds use the speed-ups (site/speedups.py; MESOGUIDE_SPEEDUPS=0 turns them off)."""
        self.user_source_date_epoch = environ.get("SOURCE_DATE_EPOCH", "")
        """The user's SOURCE_DATE_EPOCH, read once when the command starts."""
        shared_cache = environ.get(CACHE_VARIABLE, "").strip()
        self.cache_dir = Path(shared_cache).resolve() if shared_cache else paths.cache_dir
        """Where work is kept between runs: ``build/.cache/``, or the folder $MESOGUIDE_CACHE_DIR names."""
        self._content: Content | None = None
        self._renderer: Renderer | None = None
        self._site: SiteWork | None = None

    def __enter__(self) -> BuildSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def content(self) -> Content:
        """The project's content, loaded once per session (problems in it raise UserError)."""
        if self._content is None:
            from mesoguide.inputs.content import load_content

            self._content = load_content(self.paths.content_dir)
        return self._content

    @property
    def content_loaded(self) -> bool:
        """Whether the session holds loaded content (a copy sent to a spawned worker does not)."""
        return self._content is not None

    def forget_content(self) -> None:
        """Load the content afresh at its next use (the preview does this after every change)."""
        self._content = None
        self._drop_renderer()

    def use_content(self, content: Content) -> None:
        """Build from ``content`` (loaded or changed by the caller) from now on."""
        if content is not self._content:
            self._content = content
            self._drop_renderer()

    def _drop_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
        self._renderer = None

    @property
    def site(self) -> SiteWork:
        """The site stage's work for this session, dated by the content's release (or SOURCE_DATE_EPOCH)."""
        if self._site is None:
            from mesoguide.site import SiteWork, SpeedupCache, build_date

            self._site = SiteWork(
                build_date(self.content.release_date, {"SOURCE_DATE_EPOCH": self.user_source_date_epoch}),
                self.cache_dir,
                SpeedupCache(self.cache_dir) if self.speedups else None,
            )
        return self._site

    def renderer(self, content: Content) -> Renderer:
        """The render stage for ``content``.

        The session's content has one renderer, which keeps what every clinic shares (each
        guide page is converted once per clinic shape); other content (``check`` builds a
        page it cannot render as plain text) gets a renderer of its own.
        """
        from mesoguide.render import Renderer

        if content is not self._content:
            return Renderer(content, self.paths.root, self.cache_dir)
        if self._renderer is None:
            self._renderer = Renderer(content, self.paths.root, self.cache_dir)
        return self._renderer

    def render(self, clinic: Clinic, content: Content, out: Path) -> RenderedProject:
        """The render stage for one clinic into ``out``, through :meth:`renderer`."""
        return self.renderer(content).render(clinic, out)

    def close(self) -> None:
        """Forget everything kept in memory (files under build/.cache/ stay)."""
        if self._site is not None:
            self._site.close()
        self._site = None
        self._drop_renderer()
        self._content = None

    def __getstate__(self) -> dict[str, Any]:
        # Sent to a spawned worker: the settings, not what was loaded or kept (a worker loads its own).
        return {**self.__dict__, "_content": None, "_renderer": None, "_site": None}


# The session a worker process serves. Set once, by the pool's initializer, inside worker
# processes only: the process that owns the session never writes or reads it, so builds in
# that process share nothing through it. (A task cannot carry the session without copying
# its content; the initializer's arguments are what a forked worker inherits uncopied.)
_WORKER_SESSION: list[BuildSession] = []


def _serve_in_this_worker(session: BuildSession) -> None:
    _WORKER_SESSION[:] = [session]


def worker_session() -> BuildSession:
    """In a worker made by :func:`worker_pool`, the session it serves."""
    if not _WORKER_SESSION:
        raise RuntimeError("worker_session() outside a worker process of worker_pool()")
    return _WORKER_SESSION[0]


def worker_pool(jobs: int, session: BuildSession) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes that each serve ``session`` (tasks call :func:`worker_session`).

    On Linux the workers are forked: they inherit the imported modules and the session with
    its loaded content, and nothing is copied. Elsewhere fork is unsafe, so they are spawned
    and get a copy of the session without its content (see BuildSession.__getstate__).
    """
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(
        max_workers=max(1, jobs),
        mp_context=multiprocessing.get_context(method),
        initializer=_serve_in_this_worker,
        initargs=(session,),
    )

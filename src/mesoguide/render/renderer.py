"""The render stage as an object the caller owns: one loaded Content, rendered for any number of clinics.

A :class:`Renderer` compiles the content's page templates once and keeps the guide pages it
rendered for each clinic shape, so rendering many clinics (``build --all``, ``check``) from
one renderer converts each page once per shape. It holds nothing another renderer sees:
two renderers with different content share no state. ``close()``, or leaving a ``with``
block, drops what it kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic
from mesoguide.render.json_ld import Mark, as_is
from mesoguide.render.pages import GuidePages
from mesoguide.render.project import assemble_project, glossary_meets_values, sync_tree


@dataclass(frozen=True)
class RenderedProject:
    """A clinic's project on disk, and the same project with other values for the site stage's shared builds."""

    clinic: Clinic
    path: Path
    config_file: Path
    files_with: Callable[[Mark], dict[str, bytes]]
    """The project's files with every clinic value passed through the given function."""
    clinic_files: tuple[str, ...] = ()
    """Project paths of the clinic's own files (logo, favicon)."""
    shares_builds: bool = True
    """False when markers for the values would not be converted as the values are (see glossary_meets_values)."""


class Renderer:
    """Renders clinics' projects from one Content and the project at ``project_root``.

    ``cache_dir`` keeps compiled page templates between runs (see jinjacache); None keeps
    them in memory only.
    """

    def __init__(self, content: Content, project_root: Path, cache_dir: Path | None = None) -> None:
        self.content = content
        self.project_root = project_root
        self.cache_dir = cache_dir
        self._guide: GuidePages | None = None

    @property
    def guide_pages(self) -> GuidePages:
        """The content's compiled pages and the pages rendered so far; made on first use, again after close()."""
        if self._guide is None:
            self._guide = GuidePages(self.content, self.cache_dir)
        return self._guide

    def pages(self, clinic: Clinic, page_order: tuple[str, ...] = (), mark: Mark = as_is) -> dict[str, str]:
        """Every guide page for ``clinic`` as Markdown with front matter, by file name (see GuidePages.for_clinic)."""
        return self.guide_pages.for_clinic(clinic, page_order, mark)

    def project_files(self, clinic: Clinic, mark: Mark = as_is) -> dict[str, bytes]:
        """Every file of ``clinic``'s project, in memory, clinic values passed through ``mark``; raises UserError."""
        return assemble_project(clinic, self.guide_pages, self.project_root, mark)[0]

    def render(self, clinic: Clinic, out: Path) -> RenderedProject:
        """Render ``clinic``'s project into ``out`` (normally ``build/<slug>/``)."""
        files, clinic_files = assemble_project(clinic, self.guide_pages, self.project_root)
        sync_tree(files, out)

        def files_with(mark: Mark) -> dict[str, bytes]:
            return self.project_files(clinic, mark)

        shares_builds = not glossary_meets_values(clinic, self.content)
        return RenderedProject(clinic, out, out / "mkdocs.yml", files_with, clinic_files, shares_builds)

    def close(self) -> None:
        """Drop the compiled templates and rendered pages; a later call makes them afresh."""
        self._guide = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None) -> None:
        self.close()


def render(clinic: Clinic, content: Content, out: Path, project_root: Path, cache_dir: Path | None = None) -> RenderedProject:
    """Render one clinic's project into ``out`` with a renderer of its own (nothing kept for later calls)."""
    return Renderer(content, project_root, cache_dir).render(clinic, out)


def project_files(clinic: Clinic, content: Content, project_root: Path, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of one clinic's project, in memory, from a renderer of its own; raises UserError."""
    return Renderer(content, project_root, cache_dir).project_files(clinic)

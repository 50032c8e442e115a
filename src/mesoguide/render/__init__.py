"""Stage 3, render: a :class:`Clinic` and the :class:`Content` → a plain MkDocs project.

The modules, one job each:

- ``values``: the clinic's values as HTML, and the placeholders page templates see instead;
- ``macros``: the functions page templates call, their markup in ``templates/``;
- ``pages``: the page templates' sandbox and the guide pages per clinic shape;
- ``project``: mkdocs.yml, the palette CSS and the project's files;
- ``renderer``: :class:`Renderer`, which the caller owns, and the project on disk.

``pagesyntax`` is the one parser of the page template language, which the checks share.
Other stages import from here.
"""

from __future__ import annotations

from mesoguide.render.macros import ContentError, Macros, PageContext, reference_design
from mesoguide.render.pages import CLINIC_PAGES_DIR, dump_yaml
from mesoguide.render.project import PROJECT_HEADER, load_base_config, nav_order, sync_tree
from mesoguide.render.renderer import RenderedProject, Renderer, project_files, render
from mesoguide.render.values import ClinicView, clinic_values, phone_href

__all__ = [
    "CLINIC_PAGES_DIR",
    "PROJECT_HEADER",
    "ClinicView",
    "ContentError",
    "Macros",
    "PageContext",
    "RenderedProject",
    "Renderer",
    "clinic_values",
    "dump_yaml",
    "load_base_config",
    "nav_order",
    "phone_href",
    "project_files",
    "reference_design",
    "render",
    "sync_tree",
]

"""Stage 4, site: the only package that imports MkDocs.

A clinic's site is its prototype's MkDocs build (kept from an earlier build of any clinic
of the same shape, or built now in a temporary folder) filled in with the clinic's values,
or, when that cannot be exact, MkDocs' build of the clinic's own project. The HTML gets a
Content Security Policy with the hashes of the theme's inline scripts; headers files,
robots.txt and manifest.json are added; the finished site is swapped into place. A build
that fails, or is killed, leaves the previous site as it was.

- ``assemble``: the build of one clinic's site, the swap, the output-folder checks;
- ``engine``: MkDocs itself (strict build, dev server);
- ``speedups``: the only code that changes MkDocs' and Material's code, around each build, switchable;
- ``engines``: the choice of MkDocs, ProperDocs or Zensical;
- ``prototype``: one MkDocs build shared by clinics of the same shape, filled in per clinic;
- ``search_languages``: Material's search-language files an English site never loads, left out;
- ``security``: CSP, headers files, robots.txt, manifest;
- ``store``: built prototype sites kept between runs.
"""

from mesoguide.site.assemble import BuiltSite, PrototypeBusy, SiteWork, build_date, build_site, describe
from mesoguide.site.engine import serve
from mesoguide.site.engines import DEFAULT_ENGINE, ENGINES, missing_engine
from mesoguide.site.prototype import prototype_of
from mesoguide.site.speedups import SpeedupCache

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "BuiltSite",
    "PrototypeBusy",
    "SiteWork",
    "SpeedupCache",
    "build_date",
    "build_site",
    "describe",
    "missing_engine",
    "prototype_of",
    "serve",
]

"""What a clinic writes may not borrow the guide's authority: checked by every build.

The clinic's tagline and its own pages are scanned with the wording gate's rules (the same
phrases and messages as ``mesoguide check``): a clinic runs ``build``, and a site that
says "painless" or "guaranteed results" under the guide's name must not come out of it.
A clinic page may also not take a guide page's file name or title, so that patients never
mistake the clinic's own text for the reviewed guide.
"""

from __future__ import annotations

import re

from mesoguide.errors import Problem
from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic, clinic_line_map


def clinic_wording_problems(clinic: Clinic) -> list[Problem]:
    """Promotional wording in the tagline and the clinic's pages, worded as the wording gate words it."""
    from mesoguide.checks.wording import scan_lines  # the checks package imports the pipeline, which imports this module

    problems = []
    if clinic.profile.tagline:
        found, _ = scan_lines(clinic.profile_path, clinic.profile.tagline, allow_waivers=False)
        line = clinic_line_map(clinic).line_of(("tagline",))
        problems += [Problem(p.path, line, p.message) for p in found]
    for page in clinic.pages:
        found, _ = scan_lines(page.source, page.text, allow_waivers=False)
        problems += found
    return problems


def _plain(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def clinic_page_clashes(clinic: Clinic, content: Content) -> list[Problem]:
    """Clinic pages named or titled like one of the guide's pages."""
    titles = {_plain(page.meta.title): name for name, page in content.pages.items()}
    problems = []
    for page in clinic.pages:
        if page.name in content.pages:
            problems.append(
                Problem(
                    page.source,
                    None,
                    f"a clinic page may not share its file name with the guide's page '{page.name}'; rename the file",
                )
            )
        copied = titles.get(_plain(page.title))
        if copied is not None:
            line = next((n for n, text in enumerate(page.text.splitlines(), start=1) if text.startswith("#")), 1)
            problems.append(
                Problem(
                    page.source,
                    line,
                    f"the title '{page.title}' copies the guide's page '{copied}'; give the clinic's page a title of its own",
                )
            )
    return problems

"""Guide pages as Markdown: the page templates' sandbox, one page's render, and the pages per clinic shape.

Each guide page is a Jinja2 template rendered in a sandbox with ``StrictUndefined`` and
autoescaping. Clinic values reach pages only through :class:`ClinicView`, as placeholders
that are then replaced with the values escaped for Markdown and HTML (see page_values);
clinic text is never itself compiled as a template. :class:`GuidePages` renders the pages
once for each set of given values (a clinic's shape) and keeps them for the clinics that
follow.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from mesoguide.errors import Problem, raise_if_any
from mesoguide.inputs.content import Content, Page
from mesoguide.inputs.profile import Clinic
from mesoguide.render import page_values, pagesyntax
from mesoguide.render.jinjacache import SharedBytecodeCache
from mesoguide.render.json_ld import Mark, as_is, page_json_ld
from mesoguide.render.macros import ContentError, Macros, PageContext
from mesoguide.render.package_templates import package_template
from mesoguide.render.values import CLINIC_VALUE, ClinicView, Shape, publisher, shape_of, values_in_place

CLINIC_PAGES_DIR = "clinic"


def dump_yaml(data: Any) -> str:
    """YAML in the order given, with libyaml's emitter (the pure-Python one is ten times slower)."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


def page_environment(pages: dict[str, Page], cache_dir: Path | None) -> ImmutableSandboxedEnvironment:
    """The sandbox the guide pages are compiled in, each page a template by its name."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        page = pages.get(name)
        return (page.body, str(page.source), lambda: True) if page else None

    return ImmutableSandboxedEnvironment(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        **pagesyntax.SYNTAX,
        bytecode_cache=SharedBytecodeCache(cache_dir, by_file_name=True),
    )


def render_page(
    page: Page, view: ClinicView, content: Content, env: ImmutableSandboxedEnvironment, page_order: tuple[str, ...] = ()
) -> tuple[str, PageContext]:
    """Render one page's body; raises ContentError, TemplateError or SecurityError."""
    ctx = PageContext(page=page.name, depth=0 if page.name == "index" else 1, page_order=page_order)
    body = env.get_template(page.name).render(Macros(view, content, ctx).template_globals())
    return body, ctx


def _error_line(exc: BaseException, page: Page) -> int | None:
    """The template line an exception came from, mapped to the page file's line."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return page.body_line + exc.lineno - 1
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == str(page.source) and frame.lineno:
            return page.body_line + frame.lineno - 1
    return None


def _misplaced_clinic_values(page: Page) -> list[Problem]:
    """A heading's anchor or a link address would then differ from clinic to clinic, and clinics could not share pages."""
    return [
        Problem(
            page.source,
            page.body_line + line - 1,
            "a clinic value cannot go in a heading or a link address (clinics share each page's conversion); "
            "put it in the text below",
        )
        for line in pagesyntax.clinic_values_in_headings_or_links(page.body)
    ]


def reviewed_by(reviewer: str | None, registration: str | None) -> dict[str, str] | None:
    """schema.org ``reviewedBy`` for the page's JSON-LD; the registration as its identifier."""
    if not reviewer:
        return None
    person = {"@type": "Person", "name": reviewer}
    if registration:
        person["identifier"] = registration
    return person


def front_matter(page: Page) -> str:
    """The start of the page's front matter (no closing line): the part that depends on the content alone."""
    meta = page.meta
    data = {
        "title": meta.title,
        "description": meta.description,
        "author": meta.author,
        "clinical_reviewer": meta.clinical_reviewer,
        "reviewer_registration": meta.reviewer_registration,
        "reviewed_by": reviewed_by(meta.clinical_reviewer, meta.reviewer_registration),
        "last_reviewed": meta.last_reviewed.isoformat(),
        "next_review": meta.next_review.isoformat(),
        "changed_since_review": page.changed_since_review,
        "guide_page": True,
    }
    if not meta.searchable:
        # Every patient downloads the search index on first view; repeated text only adds weight.
        data["search"] = {"exclude": True}
    return "---\n" + dump_yaml(data)


@dataclass(frozen=True)
class RenderedPage:
    """A guide page rendered with placeholders: what clinics that gave the same values share."""

    front_matter: str
    """Front matter without its closing line; the page's structured data follows it."""
    body: str
    lists_all_claims: bool


def render_guide_pages(
    view: ClinicView, content: Content, env: ImmutableSandboxedEnvironment, page_order: tuple[str, ...]
) -> dict[str, RenderedPage]:
    """Every guide page rendered for one clinic shape; raises UserError listing every page's problems."""
    problems: list[Problem] = []
    rendered: dict[str, RenderedPage] = {}
    shown_on: dict[str, list[str]] = {}
    for page in content.pages.values():
        problems += _misplaced_clinic_values(page)
        try:
            body, ctx = render_page(page, view, content, env, page_order)
        except (ContentError, TemplateError, SecurityError, UndefinedError) as exc:
            message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
            if isinstance(exc, UndefinedError):
                message = f"{message} (page templates may use clinic.*, claim(), cite() and the list macros)"
            problems.append(Problem(page.source, _error_line(exc, page), message))
            continue
        shown_on[page.name] = ctx.claims_shown
        rendered[page.name] = RenderedPage(front_matter(page), body.rstrip("\n") + "\n", ctx.lists_all_claims)
    for claim in content.claims:
        if claim.page in shown_on and claim.id not in shown_on[claim.page]:
            page = content.pages[claim.page]
            problems.append(
                Problem(
                    page.source,
                    None,
                    f'claim {claim.id!r} belongs on this page but is not shown; add {{{{ claim("{claim.id}") }}}}',
                )
            )
    raise_if_any(problems)
    return rendered


class GuidePages:
    """One Content's guide pages: compiled once, rendered once per clinic shape and navigation order.

    Owned by a Renderer; nothing here outlives it or is seen by another.
    """

    def __init__(self, content: Content, cache_dir: Path | None = None) -> None:
        self.content = content
        self.environment = page_environment(content.pages, cache_dir)
        self._rendered: dict[tuple[Shape, tuple[str, ...]], dict[str, RenderedPage]] = {}

    def for_clinic(self, clinic: Clinic, page_order: tuple[str, ...] = (), mark: Mark = as_is) -> dict[str, str]:
        """Every guide page for ``clinic``, as Markdown with front matter, by file name.

        Every clinic value is in place, passed through ``mark`` (the site stage's prototypes
        pass markers; see site/prototype.py).
        """
        shape = shape_of(clinic)
        key = (shape, page_order)
        if key not in self._rendered:
            self._rendered[key] = render_guide_pages(ClinicView(shape), self.content, self.environment, page_order)
        values = values_in_place(clinic, mark)
        names = publisher(clinic, mark)
        pages = {}
        for name, rendered in self._rendered[key].items():
            data = {"json_ld": page_json_ld(self.content.pages[name], self.content, names, rendered.lists_all_claims)}
            body = page_values.put_in_place(rendered.body, values)
            pages[f"{name}.md"] = rendered.front_matter + dump_yaml(data) + "---\n" + body
        return pages


def render_clinic_pages(clinic: Clinic, mark: Mark = as_is) -> dict[str, str]:
    """The clinic's own pages, each with a visible label; never passed through Jinja."""
    label_html = package_template("clinic-label.html").render(name=Markup(CLINIC_VALUE.format("name")))
    label = page_values.put_in_place(label_html, values_in_place(clinic, mark))
    out = {}
    for page in clinic.pages:
        front = dump_yaml({"clinic_page": True})
        out[f"{CLINIC_PAGES_DIR}/{page.name}.md"] = f"---\n{front}---\n{label}\n\n{page.text.rstrip()}\n"
    return out

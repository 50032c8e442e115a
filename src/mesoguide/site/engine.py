"""MkDocs itself: a strict build of one project, its development server, and the work that
builds of one process share (see docs/architecture.md, "Work shared between clinics")."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mesoguide.errors import Problem, UserError

if TYPE_CHECKING:
    from mesoguide.render.jinjacache import SharedBytecodeCache


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def warning_problem(message: str, config_file: Path, docs_sources: dict[str, Path]) -> Problem:
    """Point an MkDocs warning at the source file an editor would fix."""
    for rendered, source in docs_sources.items():
        if f"'{rendered}'" in message or message.startswith(f"Doc file '{rendered}'"):
            return Problem(source, None, message)
    return Problem(config_file, None, message)


def _install_template_cache(cache_dir: Path | None) -> None:
    """Give every Jinja environment MkDocs makes the shared cache of compiled templates.

    MkDocs makes a new environment for every build and would compile Material's templates
    again each time; with the cache they are compiled once per machine (see jinjacache).
    The environments also stop checking template files for changes on every include: an
    environment lives for one build, and the next build makes a new one.
    """
    global _BYTECODE
    from mkdocs.theme import Theme

    from mesoguide.render.jinjacache import SharedBytecodeCache

    if _BYTECODE is None:
        _BYTECODE = SharedBytecodeCache(cache_dir, by_file_name=False)
        original = Theme.get_env
        cache = _BYTECODE

        def get_env(theme: Theme):
            env = original(theme)
            env.bytecode_cache = cache
            env.auto_reload = False
            return env

        Theme.get_env = get_env  # type: ignore[method-assign]
    _BYTECODE.directory = cache_dir


_BYTECODE: SharedBytecodeCache | None = None
_THEME_LISTINGS: dict[tuple[str, tuple[str, ...]], list[str]] = {}


def _list_theme_dir(directory: str, excluded: tuple[str, ...]) -> list[str]:
    """Static files of one theme folder, as MkDocs' add_files_from_theme would find them."""
    import fnmatch

    found = []
    for base, dirs, names in os.walk(directory, followlinks=True):
        # Every file under a dot folder matches '.*' or '*/.*'; Material's 14,000 icons live
        # in .icons/, so not descending there is what makes the listing fast.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            relative = os.path.relpath(os.path.join(base, name), directory).replace(os.sep, "/")
            if not any(fnmatch.fnmatch(relative.lower(), pattern) for pattern in excluded):
                found.append(relative)
    return found


LUNR_LANGUAGES = "assets/javascripts/lunr/"


def _search_languages(config) -> list[str] | None:
    """The languages Material's search plugin indexes (set from the theme's by its on_config)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return list(plugin.config.lang or [])
    return None


def _cached_theme_files(self, env, config) -> None:
    """MkDocs' Files.add_files_from_theme, with the installed theme's listing kept per process.

    MkDocs walks Material's whole template folder (about 14,500 files, mostly icons) on every
    build. The installed package cannot change during a run, so its listing is kept; the
    clinic's own overrides folder is listed afresh every time. Search language files that an
    English-only site never loads are left out.
    """
    from mkdocs import utils
    from mkdocs.structure.files import File

    excluded = (
        ".*",
        "*/.*",
        "*.py",
        "*.pyc",
        "*.html",
        "*readme*",
        "mkdocs_theme.yml",
        "locales/*",
        *(f"*{x}" for x in utils.markdown_extensions),
        *config.theme.static_templates,
    )
    names: set[str] = set()
    for directory in config.theme.dirs:
        key = (directory, excluded)
        if "site-packages" in Path(directory).parts or "dist-packages" in Path(directory).parts:
            if key not in _THEME_LISTINGS:
                _THEME_LISTINGS[key] = _list_theme_dir(directory, excluded)
            names.update(_THEME_LISTINGS[key])
        else:
            names.update(_list_theme_dir(directory, excluded))
    if _search_languages(config) == ["en"]:
        # Material's search worker loads these stemmers and word splitters only for languages
        # other than English; 34 files no English-only site ever requests.
        names = {name for name in names if not name.startswith(LUNR_LANGUAGES)}
    for path in sorted(names):
        if self.get_file_from_path(path) is None:
            for directory in config.theme.dirs:
                if os.path.isfile(os.path.join(directory, path)):
                    self.append(File(path, directory, config.site_dir, config.use_directory_urls))
                    break


# Markdown → HTML of pages whose source is the same for several builds of one process (guide
# pages hold placeholders, not clinic values). The key holds everything the conversion reads:
# the page's path and text, the Markdown extensions and their settings, the link validation
# settings, and every document's path and URL (relative links are resolved against them).
_RENDERED: dict[tuple, tuple] = {}
# The fingerprint of the build in progress, with its Files object (held, so that no later
# build's Files can be mistaken for it by a reused id).
_FINGERPRINT: tuple[object, str] | None = None


def _build_fingerprint(config, files) -> str:
    global _FINGERPRINT
    if _FINGERPRINT is None or _FINGERPRINT[0] is not files:
        markdown_setup = json.dumps(
            [config["markdown_extensions"], config["mdx_configs"], repr(config["validation"])], sort_keys=True, default=repr
        )
        documents = sorted((f.src_uri, f.url) for f in files.documentation_pages())
        digest = hashlib.sha256(json.dumps([markdown_setup, documents, config["use_directory_urls"]]).encode()).hexdigest()
        _FINGERPRINT = (files, digest)
    return _FINGERPRINT[1]


def _shared_page_render(original):
    """Wrap MkDocs' Page.render so identical pages are converted once per process.

    Only a conversion that logged no warning is kept: MkDocs' strict mode counts warnings,
    and a page reused from the cache must never skip one.
    """
    import copy

    def render(page, config, files) -> None:
        key = (page.file.src_uri, page.markdown, _build_fingerprint(config, files))
        cached = _RENDERED.get(key)
        if cached is not None:
            content, toc, title, anchors, links = cached
            page.content, page.toc, page._title_from_render = content, copy.deepcopy(toc), title
            page.present_anchor_ids = set(anchors)
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            return
        counter = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(counter)
        try:
            original(page, config, files)
        finally:
            logger.removeHandler(counter)
        if counter.messages:
            return
        links = getattr(page, "links_to_anchors", None)
        _RENDERED[key] = (
            page.content,
            copy.deepcopy(page.toc),
            page._title_from_render,
            frozenset(page.present_anchor_ids or ()),
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        )

    return render


# Front matter parsed by MkDocs, by the page's whole source text (parsing is a pure function
# of it); callers get a deep copy, so a plugin changing page.meta cannot change the cache.
_FRONT_MATTER: dict[str, tuple[str, dict]] = {}


def _shared_front_matter(original):
    import copy

    def get_data(doc: str) -> tuple[str, dict]:
        if doc not in _FRONT_MATTER:
            _FRONT_MATTER[doc] = original(doc)
        text, data = _FRONT_MATTER[doc]
        return text, copy.deepcopy(data)

    return get_data


# Material's search plugin parses every page's HTML into sections; the parse depends only on
# the HTML, and most pages' HTML is the same for every clinic.
_SEARCH_SECTIONS: dict[str, list] = {}


def _shared_search_entries(self, page) -> None:
    """Material's SearchIndex.add_entry_from_context, with the HTML parse kept per process."""
    import copy

    from material.plugins.search.plugin import Parser

    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    if page.content not in _SEARCH_SECTIONS:
        parser = Parser()
        parser.feed(page.content)
        parser.close()
        _SEARCH_SECTIONS[page.content] = parser.data
    for section in _SEARCH_SECTIONS[page.content]:
        if not section.is_excluded():
            # create_entry_for_section assigns section.title; it must not reach the cache.
            self.create_entry_for_section(copy.copy(section), page.toc, page.url, page)


_PATCHED = False


def _share_work_between_builds(cache_dir: Path | None) -> None:
    """Install, once per process, the caches described above around MkDocs and Material."""
    global _PATCHED
    _install_template_cache(cache_dir)
    if _PATCHED:
        return
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils import meta

    Files.add_files_from_theme = _cached_theme_files  # type: ignore[method-assign]
    Page.render = _shared_page_render(Page.render)  # type: ignore[method-assign]
    meta.get_data = _shared_front_matter(meta.get_data)
    SearchIndex.add_entry_from_context = _shared_search_entries  # type: ignore[method-assign]
    _PATCHED = True


def _load_config(config_file: Path, site_dir: Path):
    """MkDocs' load_config, reading the file with libyaml when it uses no MkDocs YAML tags.

    MkDocs parses its configuration with the pure-Python YAML loader so that it can support
    ``!ENV`` and ``!relative``; the rendered mkdocs.yml uses neither, and with its glossary
    it is large enough for that parse to be a noticeable part of every build.
    """
    import yaml
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort

    try:
        data = yaml.load(config_file.read_bytes(), Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        data = None  # a tag only MkDocs knows, or a real error MkDocs will report in its own words
    if not isinstance(data, dict) or "INHERIT" in data:
        return load_config(str(config_file), site_dir=str(site_dir), strict=True)
    config = MkDocsConfig(config_file_path=str(config_file))
    config.load_dict({**data, "site_dir": str(site_dir), "strict": True})
    errors, warnings = config.validate()
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise Abort("Aborted with a configuration error!")
    if warnings:
        raise Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    return config


def mkdocs_build(
    config_file: Path,
    site_dir: Path,
    docs_sources: dict[str, Path],
    cache_dir: Path | None = None,
    report_as: Path | None = None,
) -> None:
    """Build one rendered project with MkDocs in strict mode; warnings become problems.

    Problems that name no page are reported against ``report_as`` (default: ``config_file``).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _share_work_between_builds(cache_dir)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = _load_config(config_file, site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, MkDocsException, SystemExit) as exc:
        messages = handler.messages or [str(exc) or "MkDocs build failed"]
        raise UserError([warning_problem(m, report_as or config_file, docs_sources) for m in messages]) from None
    finally:
        logger.removeHandler(handler)


def serve(config_file: Path, host: str, port: int) -> None:
    """MkDocs' development server with live reload on the rendered project (no CSP: it injects a script)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=f"{host}:{port}", strict=False)

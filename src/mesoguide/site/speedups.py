"""MkDocs speed-ups: the one module that changes MkDocs' and Material's code, and only while a build runs.

A build of many clinics repeats work whose result cannot differ between them, and so does
the preview's rebuild after each edit. Around each MkDocs build (and while the preview's
server runs), :func:`installed` replaces five functions of MkDocs and Material with ones that
keep that work in a :class:`SpeedupCache`, and puts the originals back when the build ends,
also when it fails. The caller owns the cache (the build session does): two sessions share
nothing, and nothing outlives the session. Setting ``MESOGUIDE_SPEEDUPS=0`` turns them off;
the site is the same either way (``tests/integration/test_speedups.py`` compares both with a
stock ``mkdocs build``).

What is kept, and why it cannot change a site:

- compiled Jinja templates of the theme (``Theme.get_env``): keyed by the template's source,
  the environment's settings and the software's versions (see render/jinjacache.py);
- the installed theme's file listing (``Files.add_files_from_theme``): an installed package
  cannot change during a run; the project's own overrides folder is listed afresh each time;
- the HTML of pages whose Markdown is the same (``Page.render``): keyed by the page's path
  and text, the Markdown extensions and their settings, the link validation settings and
  every document's path and URL (relative links are resolved against them); only
  conversions that logged no warning, so strict mode never misses one;
- parsed front matter (``meta.get_data``): a pure function of the page's text; callers get
  a deep copy, so a plugin changing ``page.meta`` cannot change the cache;
- the search plugin's sections of a page (``SearchIndex.add_entry_from_context``): a pure
  function of the page's HTML.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mesoguide.render.jinjacache import SharedBytecodeCache

SWITCH = "MESOGUIDE_SPEEDUPS"
"""Environment variable: ``0`` (or ``off``, ``false``, ``no``) builds with MkDocs as it is installed."""
INSTALLED_MARK = "__mesoguide_speedup__"


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the speed-ups are on (the default) in an environment."""
    return environ.get(SWITCH, "1").strip().lower() not in ("0", "off", "false", "no")


@dataclass
class SpeedupCache:
    """The work the speed-ups keep between MkDocs builds of one build session."""

    cache_dir: Path | None = None
    """Where compiled templates are also kept on disk between runs (None: in memory only)."""
    theme_listings: dict[tuple[str, tuple[str, ...]], list[str]] = field(default_factory=dict)
    """Static files of an installed theme folder, by folder and exclusion patterns."""
    rendered: dict[tuple[str, str, str], tuple] = field(default_factory=dict)
    """A page's converted HTML, table of contents, title, anchors and links, by page, text and build fingerprint."""
    front_matter: dict[str, tuple[str, dict]] = field(default_factory=dict)
    """MkDocs' parse of a page's front matter, by the page's whole text."""
    search_sections: dict[str, list] = field(default_factory=dict)
    """Material's search sections of a page, by the page's HTML."""
    fingerprint: tuple[object, str] | None = None
    """The build in progress's ``Files`` object and the digest of what a page's conversion reads."""
    bytecode: SharedBytecodeCache | None = None
    """Compiled theme templates (made on first use, so that a cache never used costs nothing)."""

    def templates(self) -> SharedBytecodeCache:
        if self.bytecode is None:
            self.bytecode = SharedBytecodeCache(self.cache_dir, by_file_name=False)
        self.bytecode.directory = self.cache_dir
        return self.bytecode

    def clear(self) -> None:
        """Forget everything kept (the session calls this when it closes)."""
        self.theme_listings.clear()
        self.rendered.clear()
        self.front_matter.clear()
        self.search_sections.clear()
        self.fingerprint = None
        self.bytecode = None

    def build_fingerprint(self, config: Any, files: Any) -> str:
        """What a page's conversion reads besides its own text, as a digest, computed once per build."""
        if self.fingerprint is None or self.fingerprint[0] is not files:
            markdown_setup = json.dumps(
                [config["markdown_extensions"], config["mdx_configs"], repr(config["validation"])], sort_keys=True, default=repr
            )
            documents = sorted((f.src_uri, f.url) for f in files.documentation_pages())
            digest = hashlib.sha256(json.dumps([markdown_setup, documents, config["use_directory_urls"]]).encode()).hexdigest()
            # The Files object is held, so that no later build's Files can be mistaken for it by a reused id.
            self.fingerprint = (files, digest)
        return self.fingerprint[1]


class _Warnings(logging.Handler):
    """Counts what MkDocs logs at warning level or above while one page converts."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _template_cache(original: Callable, cache: SpeedupCache) -> Callable:
    def get_env(theme: Any) -> Any:
        env = original(theme)
        env.bytecode_cache = cache.templates()
        # An environment lives for one build; the next build makes a new one.
        env.auto_reload = False
        return env

    return get_env


def _list_theme_dir(directory: str, excluded: tuple[str, ...]) -> list[str]:
    """Static files of one theme folder, as MkDocs' add_files_from_theme would find them."""
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


def _theme_files(cache: SpeedupCache) -> Callable:
    """MkDocs 1.6.1's Files.add_files_from_theme, with an installed theme's listing kept."""
    from mkdocs import utils
    from mkdocs.structure.files import File

    def add_files_from_theme(files: Any, env: Any, config: Any) -> None:
        # The same patterns as MkDocs' own filter, in the same order.
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
            if "site-packages" in Path(directory).parts or "dist-packages" in Path(directory).parts:
                key = (directory, excluded)
                if key not in cache.theme_listings:
                    cache.theme_listings[key] = _list_theme_dir(directory, excluded)
                names.update(cache.theme_listings[key])
            else:
                names.update(_list_theme_dir(directory, excluded))
        for path in sorted(names):
            if files.get_file_from_path(path) is None:
                for directory in config.theme.dirs:
                    if os.path.isfile(os.path.join(directory, path)):
                        files.append(File(path, directory, config.site_dir, config.use_directory_urls))
                        break

    return add_files_from_theme


def _page_render(original: Callable, cache: SpeedupCache) -> Callable:
    """Page.render, converting identical pages once per session."""

    def render(page: Any, config: Any, files: Any) -> None:
        key = (page.file.src_uri, page.markdown, cache.build_fingerprint(config, files))
        kept = cache.rendered.get(key)
        if kept is not None:
            content, toc, title, anchors, links = kept
            page.content, page.toc = content, copy.deepcopy(toc)
            # MkDocs keeps the title its Markdown extension found (the first heading) in this
            # private attribute, and the public ``title`` property combines it lazily with
            # the navigation's title and the front matter's; no public setter restores only
            # that part, so a page taken from the cache must set it as render() does.
            page._title_from_render = title
            page.present_anchor_ids = set(anchors)
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            return
        warnings = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(warnings)
        try:
            original(page, config, files)
        finally:
            logger.removeHandler(warnings)
        if warnings.count:
            return  # strict mode counts warnings: a page that logged one is converted again next time
        links = getattr(page, "links_to_anchors", None)
        cache.rendered[key] = (
            page.content,
            copy.deepcopy(page.toc),
            page._title_from_render,  # see above: the part of the title that render() found
            frozenset(page.present_anchor_ids or ()),
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        )

    return render


def _front_matter(original: Callable, cache: SpeedupCache) -> Callable:
    def get_data(doc: str) -> tuple[str, dict]:
        if doc not in cache.front_matter:
            cache.front_matter[doc] = original(doc)
        text, data = cache.front_matter[doc]
        return text, copy.deepcopy(data)

    return get_data


def _search_entries(cache: SpeedupCache) -> Callable:
    """Material 9.8's SearchIndex.add_entry_from_context, with each page's parse kept."""
    from material.plugins.search.plugin import Parser

    def add_entry_from_context(index: Any, page: Any) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        if page.content not in cache.search_sections:
            parser = Parser()
            parser.feed(page.content)
            parser.close()
            cache.search_sections[page.content] = parser.data
        for section in cache.search_sections[page.content]:
            if not section.is_excluded():
                # create_entry_for_section assigns section.title; it must not reach the cache.
                index.create_entry_for_section(copy.copy(section), page.toc, page.url, page)

    return add_entry_from_context


def _marked(function: Callable) -> Callable:
    setattr(function, INSTALLED_MARK, True)
    return function


@contextlib.contextmanager
def installed(cache: SpeedupCache | None) -> Iterator[None]:
    """The speed-ups in place for the duration of one build (none when ``cache`` is None).

    The originals are restored when the block ends, however it ends. Builds in one process
    run one after another (MkDocs keeps global state), so the speed-ups are never installed
    twice at once; trying is a programming error.
    """
    if cache is None:
        yield
        return
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.theme import Theme
    from mkdocs.utils import meta

    if getattr(Page.render, INSTALLED_MARK, False):
        raise RuntimeError("the MkDocs speed-ups are already installed")
    originals: list[tuple[Any, str, Any]] = [
        (Theme, "get_env", Theme.get_env),
        (Files, "add_files_from_theme", Files.add_files_from_theme),
        (Page, "render", Page.render),
        (meta, "get_data", meta.get_data),
        (SearchIndex, "add_entry_from_context", SearchIndex.add_entry_from_context),
    ]
    replacements = [
        _template_cache(Theme.get_env, cache),
        _theme_files(cache),
        _page_render(Page.render, cache),
        _front_matter(meta.get_data, cache),
        _search_entries(cache),
    ]
    try:
        for (owner, name, _), replacement in zip(originals, replacements, strict=True):
            setattr(owner, name, _marked(replacement))
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)

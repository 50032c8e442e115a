"""One MkDocs build for every clinic of the same shape, filled in with each clinic's values.

The site stage's own business: the rendered project has every clinic value in place and
builds on any engine without this. Most of a clinic's site does not depend on the clinic:
the guide pages, the theme, the navigation. What does (name, contacts, regulator, colours,
site address) enters the project where the render stage puts a clinic value, and the
render stage can write the project with any text in those places (``files_with``). The
*prototype* of a clinic's project has a marker in each of those places instead of the
value, and empty bytes for the logo and favicon. Clinics whose prototypes are
byte-identical (same pages of their own, same optional fields given, same language and
logo type) share one MkDocs build of it; each clinic's site is that build with its markers
replaced by its values.

A marker ends up in the built site escaped the way the template printed it, and its
apostrophe shows which way that was: ``'`` printed as is, ``&#39;`` escaped by Jinja,
``&#x27;`` by Python's html.escape, ``\\u0027`` inside JSON from Jinja's ``tojson``. The
value is escaped the same way, so the result is the page MkDocs would have built from the
real values (tests compare both, with values full of quotes, ampersands and brackets).
Anything else, such as a marker a template changed or a file type this module does not
fill, raises :class:`CannotFill` and the site stage builds that clinic directly instead.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:
    from mesoguide.render import RenderedProject

MARKER = "MGV{:04d}'Q"
FILLED_MARKER = re.compile(r"MGV(\d{4})('|&#39;|&#x27;|\\u0027)Q")
ANY_MARKER = re.compile(rb"mgv\d{4}", re.IGNORECASE)
FILLED_TYPES = (".html", ".xml", ".json")
SEARCH_INDEX = "search/search_index.json"
SITEMAP = "sitemap.xml"
# The HTML that clinic_values() produces: escaped text, or one link around escaped text.
SNIPPET = re.compile(r'\A(?:<a href="[^"<>]*">)?[^<>]*(?:</a>)?\Z')


class CannotFill(Exception):
    """The prototype's output cannot be filled in exactly; build this clinic directly."""


@dataclass(frozen=True)
class Leaf:
    """One clinic value that a marker stands for."""

    value: str
    is_html: bool
    """True for values that are already HTML (printed as they are); False for plain text."""


@dataclass(frozen=True)
class Prototype:
    """A clinic's rendered project with markers, and what filling it in needs."""

    files: dict[str, bytes]
    """The project (mkdocs.yml, docs/, overrides/) with markers for clinic values."""
    leaves: tuple[Leaf, ...]
    """The clinic's values, by marker number."""
    clinic_assets: dict[str, bytes]
    """Site path → bytes of the clinic's own files (logo, favicon), placeholders in ``files``."""
    key: str
    """SHA-256 of ``files``: clinics with the same key share one build."""


def derive_prototype(project: RenderedProject) -> Prototype:
    """The prototype of a rendered project: its files with a marker for every clinic value."""
    if not project.shares_builds:
        raise CannotFill("a clinic value would be converted differently from its marker")
    leaves: list[Leaf] = []

    def mark(value: str, is_html: bool) -> str:
        leaves.append(Leaf(value, is_html))
        return MARKER.format(len(leaves) - 1)

    proto_files = project.files_with(mark)
    if len(leaves) > 9999:
        raise CannotFill("more clinic values than markers")
    clinic_assets = {}
    for path in project.clinic_files:
        clinic_assets[path.removeprefix("docs/")] = proto_files[path]
        proto_files[path] = b""
    digest = hashlib.sha256()
    for name in sorted(proto_files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(proto_files[name]).digest())
    return Prototype(proto_files, tuple(leaves), clinic_assets, digest.hexdigest())


def prototype_of(project: RenderedProject) -> Prototype | None:
    """The project's prototype, or None when its site must be built from the project itself."""
    try:
        return derive_prototype(project)
    except CannotFill:
        return None


def _html_text(leaf: Leaf) -> str:
    """The text Material's search parser reads from the leaf as it appears in a page."""
    if not leaf.is_html:
        return leaf.value.replace("\n", " ")
    if not SNIPPET.match(leaf.value):
        raise CannotFill("a clinic value's HTML is not the kind the search index can be filled with")
    return html.unescape(re.sub(r"<[^>]*>", "", leaf.value)).replace("\n", " ")


def _json_string(value: str) -> str:
    return json.dumps(value)[1:-1]


def _tojson_string(value: str) -> str:
    """As Jinja's ``tojson`` writes a string inside JSON."""
    encoded = _json_string(value)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _fill_text(text: str, leaves: tuple[Leaf, ...], in_search_index: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        number, form = int(match[1]), match[2]
        if number >= len(leaves):
            raise CannotFill(f"unknown marker {match[0]}")
        leaf = leaves[number]
        if in_search_index:
            if form != "'":
                raise CannotFill("a marker in the search index was escaped")
            return _json_string(html.escape(_html_text(leaf), quote=False))
        if form == "'":
            return leaf.value
        if form == "&#39;":
            return str(escape(leaf.value))
        if form == "&#x27;":
            return html.escape(leaf.value)
        return _tojson_string(leaf.value)

    filled = FILLED_MARKER.sub(replace, text)
    if ANY_MARKER.search(filled.encode()):
        raise CannotFill("a marker was changed by a template")
    return filled


def _gzip(data: bytes, like: bytes) -> bytes:
    """Compress ``data`` as MkDocs compressed the prototype's sitemap (``like``)."""
    mtime = int.from_bytes(like[4:8], "little")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=SITEMAP + ".gz", mode="wb", mtime=mtime) as out:
        out.write(data)
    return buffer.getvalue()


def _holds_marker(data: bytes) -> bool:
    """Whether ``data`` holds a marker, in any letter case. Looked for with a case-insensitive
    pattern alone, a site's 1.6 MB of scripts and styles took 16 ms; its letters looked for
    first in a lower-case copy, 3 ms (most of them have none). Not for the pages fill_site
    fills: nearly all hold a marker, which the pattern finds early, and the copy is waste."""
    return b"mgv" in data.lower() and ANY_MARKER.search(data) is not None


def check_site(site: dict[str, bytes]) -> None:
    """Raise CannotFill if the prototype's site holds markers this module cannot fill."""
    for path, data in site.items():
        if not path.endswith(FILLED_TYPES) and _holds_marker(data):
            raise CannotFill(f"a marker in {path}")
    gz = site.get(SITEMAP + ".gz")
    if gz is not None and _gzip(site[SITEMAP], gz) != gz:
        raise CannotFill("the sitemap is not compressed the way this module compresses it")


def fill_site(site: dict[str, bytes], prototype: Prototype) -> dict[str, bytes]:
    """The clinic's site: the prototype's built ``site`` (checked by check_site) with its values."""
    filled = {}
    for path, data in site.items():
        if path.endswith(FILLED_TYPES) and ANY_MARKER.search(data):
            data = _fill_text(data.decode("utf-8"), prototype.leaves, path == SEARCH_INDEX).encode("utf-8")
        filled[path] = data
    if SITEMAP + ".gz" in site:
        filled[SITEMAP + ".gz"] = _gzip(filled[SITEMAP], site[SITEMAP + ".gz"])
    for path, data in prototype.clinic_assets.items():
        if path not in filled:
            raise CannotFill(f"the clinic's file {path} is not in the site")
        filled[path] = data
    return filled

"""Safe clinic logos: SVG parsed with defusedxml against an allow-list; PNG by signature.

An SVG is a program as much as a picture: it can carry scripts, event handlers, links
and references to other origins. A clinic logo appears on every page of a health site,
so only drawing elements and presentation attributes are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ALLOWED_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "lineargradient",
        "radialgradient",
        "stop",
        "clippath",
        "mask",
        "symbol",
        "use",
    ]
)
ALLOWED_ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "width",
        "height",
        "viewbox",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "text-anchor",
        "dominant-baseline",
        "letter-spacing",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientunits",
        "gradienttransform",
        "clip-path",
        "clip-rule",
        "mask",
        "preserveaspectratio",
        "role",
        "aria-label",
        "aria-hidden",
        "focusable",
        "version",
        "href",
        "xml:space",
    ]
)
# Only same-document references (#id) may appear in href and url(...).
LOCAL_REFERENCE = re.compile(r"^#[A-Za-z_][\w.-]*$")
URL_FUNCTION = re.compile(r"url\(\s*['\"]?([^)'\"]*)", re.IGNORECASE)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def svg_problems(data: bytes) -> list[str]:
    """Every reason ``data`` is not a safe SVG logo; empty when it is safe."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        return [f"SVG uses a forbidden XML feature ({type(exc).__name__}); remove DTDs and entities"]
    except SafeET.ParseError as exc:
        return [f"SVG is not well-formed XML: {exc}"]
    problems: list[str] = []
    if _local_name(root.tag) != "svg":
        problems.append(f"root element is <{_local_name(root.tag)}>, expected <svg>")
    for element in root.iter():
        name = _local_name(element.tag)
        if name not in ALLOWED_ELEMENTS:
            problems.append(
                f"element <{name}> is not allowed in a logo (scripts, links, images, styles and foreign content are refused)"
            )
        for attribute, value in element.attrib.items():
            attr = "href" if attribute == XLINK_HREF else _local_name(attribute)
            if attribute.startswith("{http://www.w3.org/XML/1998/namespace}"):
                attr = "xml:" + _local_name(attribute)
            if attr.startswith("on"):
                problems.append(f"event handler {attr}= on <{name}> is not allowed")
            elif attr not in ALLOWED_ATTRIBUTES:
                problems.append(f"attribute {attr}= on <{name}> is not allowed")
            elif attr == "href" and not LOCAL_REFERENCE.match(value.strip()):
                problems.append(f"href {value!r} on <{name}> points outside the logo; only #id references are allowed")
            for reference in URL_FUNCTION.findall(value):
                if not LOCAL_REFERENCE.match(reference.strip()):
                    problems.append(f"url({reference}) in {attr}= on <{name}> points outside the logo")
    return problems


MAX_IMAGE_BYTES = 1_000_000
"""A logo or favicon larger than this is refused: it would be sent with every page view."""
LARGE_IMAGE_BYTES = 100_000
"""Larger than this draws a warning: the header shows the logo at 40 pixels."""
MAX_IMAGE_PIXELS = 2_000
"""Widest or tallest image accepted, in pixels."""
SVG_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header chunk, without decoding the image."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _svg_size(data: bytes) -> tuple[float, float] | None:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeET.ParseError):
        return None
    sizes = [SVG_LENGTH.match(root.attrib.get(name, "")) for name in ("width", "height")]
    if not all(sizes):
        return None
    return float(sizes[0].group(1)), float(sizes[1].group(1))  # type: ignore[union-attr]


def image_problems(path: Path) -> list[str]:
    """Every reason the file at ``path`` cannot serve as a logo or favicon."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return [
            f"the file is {size / 1_000_000:.1f} MB; logos and favicons may be 1 MB at most "
            "(export it at about 200 pixels, or as SVG, and it will be a few kilobytes)"
        ]
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        problems = svg_problems(data)
        dimensions = None if problems else _svg_size(data)
    elif suffix == ".png":
        if not data.startswith(PNG_SIGNATURE):
            return ["file ends in .png but is not a PNG image"]
        problems, dimensions = [], png_size(data)
        if dimensions is None:
            return ["the PNG image has no valid header; export it again"]
    else:
        return [f"{suffix or 'a file without extension'} is not supported; use an SVG or PNG file"]
    if dimensions and max(dimensions) > MAX_IMAGE_PIXELS:
        width, height = (round(d) for d in dimensions)
        problems.append(
            f"the image is {width}×{height} pixels; logos and favicons may be {MAX_IMAGE_PIXELS:,} pixels wide and high at most"
        )
    return problems


def image_warnings(path: Path) -> list[str]:
    """Things about an accepted logo or favicon that slow pages down."""
    size = path.stat().st_size
    if size > LARGE_IMAGE_BYTES:
        return [
            f"the file is {size // 1000} KB, sent with every page; under {LARGE_IMAGE_BYTES // 1000} KB keeps pages fast on phones"
        ]
    return []

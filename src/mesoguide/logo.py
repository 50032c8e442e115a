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

SVG_NS = "{http://www.w3.org/2000/svg}"
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


def image_problems(path: Path) -> list[str]:
    """Every reason the file at ``path`` cannot serve as a logo or favicon."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return svg_problems(data)
    if suffix == ".png":
        return [] if data.startswith(PNG_SIGNATURE) else ["file ends in .png but is not a PNG image"]
    return [f"{suffix or 'a file without extension'} is not supported; use an SVG or PNG file"]

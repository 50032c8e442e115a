"""The SVG allow-list for clinic logos: drawing is allowed; scripts, handlers, outside references,
XML tricks and oversized images are refused, each with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesoguide.inputs.logo import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_ELEMENTS,
    LARGE_IMAGE_BYTES,
    MAX_IMAGE_BYTES,
    PNG_SIGNATURE,
    image_problems,
    image_warnings,
    png_size,
    svg_problems,
)

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 40"{attrs}>{body}</svg>'


def svg(body: str = "", attrs: str = "") -> bytes:
    return SVG.format(body=body, attrs=attrs).encode()


def png_header(width: int, height: int) -> bytes:
    return (
        PNG_SIGNATURE + b"\x00\x00\x00\x0dIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06\x00\x00\x00"
    )


def test_a_logo_made_of_every_drawing_feature_is_accepted() -> None:
    logo = svg(
        '<title>Clinic</title><desc>Logo</desc><defs><linearGradient id="g" gradientUnits="userSpaceOnUse">'
        '<stop offset="0" stop-color="#0b6e4f"/></linearGradient><clipPath id="c"><rect width="40" height="40"/></clipPath>'
        '<symbol id="s"><circle cx="5" cy="5" r="4"/></symbol></defs>'
        '<g clip-path="url(#c)" fill="url(\'#g\')" transform="rotate(10)"><path d="M0 0L40 40" stroke="#000" stroke-width="2"/>'
        '<ellipse cx="20" cy="20" rx="5" ry="3"/><polygon points="0,0 4,4 0,4"/><polyline points="1,1 2,2"/>'
        '<line x1="0" y1="0" x2="1" y2="1"/><text x="2" y="30" font-family="sans-serif" xml:space="preserve">'
        '<tspan font-weight="bold">Skin</tspan></text><use href="#s"/><use xlink:href="#s"/></g>',
        attrs=' role="img" aria-label="Demo Skin Clinic"',
    )
    assert svg_problems(logo) == []


@pytest.mark.parametrize("element", sorted(ALLOWED_ELEMENTS - {"svg"}))
def test_each_allowed_element_passes(element: str) -> None:
    assert svg_problems(svg(f"<{element}/>")) == []


@pytest.mark.parametrize(
    "body,element",
    [
        ("<script>alert(1)</script>", "script"),
        ('<a href="#x"><rect/></a>', "a"),
        ('<image href="#x"/>', "image"),
        ("<style>rect{fill:red}</style>", "style"),
        ("<foreignObject><p>hi</p></foreignObject>", "foreignobject"),
        ('<animate attributeName="x"/>', "animate"),
        ('<set attributeName="fill" to="red"/>', "set"),
        ('<iframe src="x"/>', "iframe"),
    ],
)
def test_scripts_links_images_styles_and_foreign_content_are_refused(body: str, element: str) -> None:
    problems = svg_problems(svg(body))
    refusal = f"element <{element}> is not allowed in a logo (scripts, links, images, styles and foreign content are refused)"
    assert problems[0] == refusal, problems
    # Whatever else is wrong inside is listed too, each once, and only refusals are listed.
    assert len(set(problems)) == len(problems) and all("not allowed" in p for p in problems), problems


@pytest.mark.parametrize("handler", ["onload", "onclick", "onmouseover", "ONLOAD", "onbegin"])
def test_event_handlers_are_refused_on_any_element(handler: str) -> None:
    assert svg_problems(svg(f'<rect {handler}="alert(1)"/>')) == [f"event handler {handler.lower()}= on <rect> is not allowed"]
    assert svg_problems(svg(attrs=f' {handler}="alert(1)"')) == [f"event handler {handler.lower()}= on <svg> is not allowed"]


@pytest.mark.parametrize("attribute", ["style", "filter", "data-x", "cursor", "src"])
def test_attributes_outside_the_list_are_refused(attribute: str) -> None:
    assert attribute not in ALLOWED_ATTRIBUTES
    assert svg_problems(svg(f'<rect {attribute}="x"/>')) == [f"attribute {attribute}= on <rect> is not allowed"]


@pytest.mark.parametrize(
    "reference", ["https://evil.example/x.svg#a", "//evil.example/a", "data:image/svg+xml,%3Csvg/%3E", "x.svg#a"]
)
def test_references_outside_the_logo_are_refused(reference: str) -> None:
    assert svg_problems(svg(f'<use href="{reference}"/>')) == [
        f"href {reference!r} on <use> points outside the logo; only #id references are allowed"
    ]
    assert svg_problems(svg(f'<use xlink:href="{reference}"/>')) == [
        f"href {reference!r} on <use> points outside the logo; only #id references are allowed"
    ]


@pytest.mark.parametrize("value", ["url(https://evil.example/f)", "url(&quot;//evil.example/f&quot;)", "URL(x.svg#g)"])
def test_url_functions_pointing_elsewhere_are_refused(value: str) -> None:
    problems = svg_problems(svg(f"<rect fill='{value}'/>"))
    assert len(problems) == 1 and problems[0].endswith("in fill= on <rect> points outside the logo"), problems


def test_every_problem_is_listed_not_only_the_first() -> None:
    problems = svg_problems(svg('<script/><rect onclick="x" style="y"/><use href="https://a.example/"/>'))
    assert len(problems) == 4, problems


@pytest.mark.parametrize(
    "data,start",
    [
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>', "SVG uses a forbidden XML feature"),
        (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "SVG uses a forbidden XML feature"),
        (
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>',
            "SVG uses a forbidden XML feature (DTDForbidden); remove DTDs and entities",
        ),
        (b"<svg><rect></svg>", "SVG is not well-formed XML: "),
        (b"", "SVG is not well-formed XML: "),
    ],
    ids=["entity", "external-entity", "doctype", "unclosed", "empty"],
)
def test_xml_tricks_and_broken_files_are_one_message(data: bytes, start: str) -> None:
    problems = svg_problems(data)
    assert len(problems) == 1 and problems[0].startswith(start), problems


def test_the_root_must_be_svg() -> None:
    assert svg_problems(b'<g xmlns="http://www.w3.org/2000/svg"><rect/></g>') == ["root element is <g>, expected <svg>"]


def test_png_size_is_read_from_the_header() -> None:
    assert png_size(png_header(300, 120)) == (300, 120)
    assert png_size(PNG_SIGNATURE + b"\x00" * 30) is None


def test_image_files_are_checked_by_size_signature_and_dimensions(tmp_path: Path) -> None:
    def problems(name: str, data: bytes) -> list[str]:
        path = tmp_path / name
        path.write_bytes(data)
        return image_problems(path)

    assert problems("logo.svg", svg('<rect width="4" height="4"/>', attrs=' width="200" height="80"')) == []
    assert problems("big.svg", svg(attrs=' width="2400px" height="10"')) == [
        "the image is 2400×10 pixels; logos and favicons may be 2,000 pixels wide and high at most"
    ]
    assert problems("logo.png", png_header(2000, 2000)) == []
    assert problems("tall.png", png_header(10, 2001)) == [
        "the image is 10×2001 pixels; logos and favicons may be 2,000 pixels wide and high at most"
    ]
    assert problems("fake.png", svg()) == ["file ends in .png but is not a PNG image"]
    assert problems("broken.png", PNG_SIGNATURE + b"nothing") == ["the PNG image has no valid header; export it again"]
    assert problems("logo.gif", b"GIF89a") == [".gif is not supported; use an SVG or PNG file"]
    huge = problems("huge.svg", svg("<!--" + "x" * MAX_IMAGE_BYTES + "-->"))
    assert len(huge) == 1 and huge[0].startswith("the file is 1.0 MB; logos and favicons may be 1 MB at most"), huge


def test_a_large_but_allowed_image_warns(tmp_path: Path) -> None:
    light, heavy = tmp_path / "light.svg", tmp_path / "heavy.svg"
    light.write_bytes(svg())
    heavy.write_bytes(svg("<!--" + "x" * LARGE_IMAGE_BYTES + "-->"))
    assert image_warnings(light) == []
    assert image_problems(heavy) == []
    assert image_warnings(heavy) == ["the file is 100 KB, sent with every page; under 100 KB keeps pages fast on phones"]

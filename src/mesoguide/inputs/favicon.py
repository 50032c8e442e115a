"""The favicon a site links: the clinic's own, or one made from its logo, and always small.

Browsers fetch the favicon for every tab and bookmark; a 5 MB logo used as the favicon is
5 MB per visitor. An SVG is used as it is (it scales, and the profile stage has already
checked it and capped its size). A PNG larger than :data:`FAVICON_PIXELS` is scaled down
with Pillow to a square of that size, with transparent margins if it is not square.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from mesoguide.inputs.logo import png_size
from mesoguide.inputs.profile import Clinic

FAVICON_PIXELS = 64
GENERATED_NAME = "favicon-64.png"


def _scaled_png(path: Path) -> bytes:
    """``path`` as a FAVICON_PIXELS square PNG."""
    with Image.open(path) as image:
        image = image.convert("RGBA")
        image.thumbnail((FAVICON_PIXELS, FAVICON_PIXELS), Image.Resampling.LANCZOS)
        square = Image.new("RGBA", (FAVICON_PIXELS, FAVICON_PIXELS), (0, 0, 0, 0))
        square.paste(image, ((FAVICON_PIXELS - image.width) // 2, (FAVICON_PIXELS - image.height) // 2))
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue()


def site_favicon(clinic: Clinic) -> tuple[str, bytes]:
    """The favicon's file name under ``assets/clinic/`` and its bytes."""
    source: Path = clinic.favicon or clinic.logo
    data = source.read_bytes()
    if source.suffix.lower() == ".svg":
        return source.name, data
    dimensions = png_size(data)
    if dimensions is not None and max(dimensions) <= FAVICON_PIXELS:
        return source.name, data
    name = GENERATED_NAME if clinic.logo.name != GENERATED_NAME else "site-" + GENERATED_NAME
    return name, _scaled_png(source)

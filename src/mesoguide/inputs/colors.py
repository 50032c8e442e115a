"""Brand colours as hints: shades for Material's light and dark schemes that pass WCAG AA.

A clinic gives a primary and an accent colour. Material paints the header in the primary
colour with white (or black) text, and links and highlights in the primary and accent
colours on a white page (``default`` scheme) and on a dark slate page (``slate`` scheme).
Each of those pairs must reach a contrast of 4.5:1 (WCAG 2.2 success criterion 1.4.3), so
each role gets the brand colour moved along its own lightness axis, keeping its hue, just
far enough to pass. :class:`Palette` records which roles had to move.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
BLACK = "#000000"
# Material's slate background: hsl(var(--md-hue) = 225, 15%, 14%).
SLATE_BACKGROUND = "#1e2129"
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def normalise(colour: str) -> str:
    """``#ABC`` → ``#aabbcc``; the caller has checked :data:`HEX_COLOUR`."""
    digits = colour[1:].lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits


def _rgb(colour: str) -> tuple[float, float, float]:
    value = normalise(colour)
    return tuple(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _with_lightness(colour: str, lightness: float) -> str:
    h, _, s = colorsys.rgb_to_hls(*_rgb(colour))
    return _hex(colorsys.hls_to_rgb(h, lightness, s))


def shade_against(colour: str, background: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """The shade of ``colour`` nearest to it that reaches ``minimum`` contrast on ``background``.

    Lightness moves away from the background's (darker on light pages, lighter on dark
    pages) in small steps; hue and saturation stay, so the brand stays recognisable.
    """
    colour = normalise(colour)
    if contrast(colour, background) >= minimum:
        return colour
    _, start, _ = colorsys.rgb_to_hls(*_rgb(colour))
    darker = relative_luminance(background) > 0.18
    step = -0.005 if darker else 0.005
    lightness = start
    while 0.0 <= lightness <= 1.0:
        candidate = _with_lightness(colour, lightness)
        if contrast(candidate, background) >= minimum:
            return candidate
        lightness += step
    return BLACK if darker else WHITE


@dataclass(frozen=True)
class Palette:
    """The colours one clinic's site uses, each checked against the background it sits on."""

    primary: str
    """Header and navigation background (light and dark scheme)."""
    on_primary: str
    """Header text on :attr:`primary`."""
    link_light: str
    """Link colour on the white page."""
    link_dark: str
    """Link colour on the slate page."""
    accent_light: str
    """Accent (hover, focus) on the white page."""
    accent_dark: str
    """Accent on the slate page."""
    adjusted: tuple[str, ...]
    """Human-readable notes on every role whose colour had to move from the brand hint."""

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Every foreground/background pair the theme draws, by name."""
        return {
            "header text on primary": (self.on_primary, self.primary),
            "links on the light background": (self.link_light, WHITE),
            "links on the dark background": (self.link_dark, SLATE_BACKGROUND),
            "accent on the light background": (self.accent_light, WHITE),
            "accent on the dark background": (self.accent_dark, SLATE_BACKGROUND),
        }


def derive_palette(primary_hint: str, accent_hint: str) -> Palette:
    """Derive every shade the theme needs from two brand colours."""
    primary_hint, accent_hint = normalise(primary_hint), normalise(accent_hint)
    # Header text: whichever of white or black needs the smaller change to the brand colour.
    on_white = shade_against(primary_hint, WHITE)
    on_black = shade_against(primary_hint, BLACK)
    if on_black == primary_hint and on_white != primary_hint:
        primary, on_primary = primary_hint, BLACK
    else:
        primary, on_primary = on_white, WHITE
    roles = {
        "primary (header background)": (primary_hint, primary),
        "links on the light background": (primary_hint, shade_against(primary_hint, WHITE)),
        "links on the dark background": (primary_hint, shade_against(primary_hint, SLATE_BACKGROUND)),
        "accent on the light background": (accent_hint, shade_against(accent_hint, WHITE)),
        "accent on the dark background": (accent_hint, shade_against(accent_hint, SLATE_BACKGROUND)),
    }
    adjusted = tuple(
        f"{role}: {hint} changed to {shade} to reach {AA_NORMAL_TEXT}:1 contrast"
        for role, (hint, shade) in roles.items()
        if hint != shade
    )
    return Palette(
        primary=primary,
        on_primary=on_primary,
        link_light=roles["links on the light background"][1],
        link_dark=roles["links on the dark background"][1],
        accent_light=roles["accent on the light background"][1],
        accent_dark=roles["accent on the dark background"][1],
        adjusted=adjusted,
    )

"""Palette maths: WCAG contrast, derived shades, and both schemes reaching the promised 4.5:1."""

from __future__ import annotations

import colorsys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesoguide.inputs.colors import (
    AA_NORMAL_TEXT,
    BLACK,
    SLATE_BACKGROUND,
    WHITE,
    contrast,
    derive_palette,
    normalise,
    relative_luminance,
    shade_against,
)

hex_colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
short_hex_colours = st.integers(0, 0xFFF).map(lambda n: f"#{n:03X}")


def hls(colour: str) -> tuple[float, float, float]:
    value = normalise(colour)
    return colorsys.rgb_to_hls(*(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)))


def test_short_and_upper_case_colours_are_written_out_in_lower_case() -> None:
    assert normalise("#ABC") == "#aabbcc"
    assert normalise("#0B6E4F") == "#0b6e4f"


# Values from the WCAG 2.x definition: luminance 0 and 1 at the ends, 21:1 between them;
# the grey #777 is the well-known 4.48:1 on white that just fails AA.
@pytest.mark.parametrize(
    "colour,luminance",
    [(BLACK, 0.0), (WHITE, 1.0), ("#ff0000", 0.2126), ("#00ff00", 0.7152), ("#0000ff", 0.0722), ("#808080", 0.2158605)],
)
def test_relative_luminance_follows_the_wcag_formula(colour: str, luminance: float) -> None:
    assert relative_luminance(colour) == pytest.approx(luminance, abs=1e-6)


@pytest.mark.parametrize(
    "a,b,ratio",
    [(BLACK, WHITE, 21.0), (WHITE, WHITE, 1.0), ("#777777", WHITE, 4.478), ("#767676", WHITE, 4.542), ("#0000ff", WHITE, 8.592)],
)
def test_contrast_matches_known_ratios(a: str, b: str, ratio: float) -> None:
    assert contrast(a, b) == pytest.approx(ratio, abs=0.001)


@settings(deadline=None)  # a busy machine must not turn a slow example into a failure
@given(hex_colours, hex_colours)
def test_contrast_is_symmetric_and_between_1_and_21(a: str, b: str) -> None:
    assert contrast(a, b) == contrast(b, a)
    assert 1.0 <= contrast(a, b) <= 21.0 + 1e-9


def test_a_colour_that_already_passes_is_kept_as_it_is() -> None:
    assert contrast("#0b6e4f", WHITE) >= AA_NORMAL_TEXT
    assert shade_against("#0B6E4F", WHITE) == "#0b6e4f"


def nearest_passing_lightness(colour: str, background: str) -> float:
    """The lightness nearest the colour's own that passes, found here by a fine search of its own."""
    hue, start, saturation = hls(colour)
    darker = relative_luminance(background) > 0.18
    for step in range(1001):
        lightness = start - step / 1000 if darker else start + step / 1000
        rgb = colorsys.hls_to_rgb(hue, min(1.0, max(0.0, lightness)), saturation)
        if contrast("#" + "".join(f"{round(c * 255):02x}" for c in rgb), background) >= AA_NORMAL_TEXT:
            return lightness
    raise AssertionError("no shade passes")


@pytest.mark.parametrize(
    "colour,background",
    [("#66ccff", WHITE), ("#ffd54f", WHITE), ("#ff7043", WHITE), ("#0b3d91", SLATE_BACKGROUND), ("#6a1b9a", SLATE_BACKGROUND)],
)
def test_a_failing_colour_moves_just_far_enough_and_no_further(colour: str, background: str) -> None:
    shade = shade_against(colour, background)
    assert contrast(shade, background) >= AA_NORMAL_TEXT
    # The code moves in steps of 0.005 lightness; rounding to 8-bit channels adds a little.
    assert abs(hls(shade)[1] - nearest_passing_lightness(colour, background)) <= 0.0065, shade
    moved_darker = hls(shade)[1] < hls(colour)[1]
    assert moved_darker == (background == WHITE)


def test_a_dark_colour_is_lightened_on_the_slate_page() -> None:
    shade = shade_against("#0b3d91", SLATE_BACKGROUND)
    assert contrast(shade, SLATE_BACKGROUND) >= AA_NORMAL_TEXT
    assert hls(shade)[1] > hls("#0b3d91")[1]


@settings(max_examples=60, deadline=None)
@given(hex_colours, st.sampled_from([WHITE, BLACK, SLATE_BACKGROUND]))
def test_every_shade_reaches_the_minimum_and_keeps_its_hue_and_saturation(colour: str, background: str) -> None:
    shade = shade_against(colour, background)
    assert contrast(shade, background) >= AA_NORMAL_TEXT
    hue, _, saturation = hls(colour)
    shade_hue, shade_lightness, shade_saturation = hls(shade)
    # Rounding to 8-bit channels moves hue a little; near black or white hue means nothing.
    if saturation > 0.2 and 0.15 < shade_lightness < 0.85:
        assert min(abs(shade_hue - hue), 1 - abs(shade_hue - hue)) < 0.03, (colour, shade)
        assert abs(shade_saturation - saturation) < 0.08, (colour, shade)


@settings(max_examples=40, deadline=None)
@given(st.one_of(hex_colours, short_hex_colours), st.one_of(hex_colours, short_hex_colours))
def test_both_schemes_reach_the_promised_contrast_for_any_brand_colours(primary: str, accent: str) -> None:
    palette = derive_palette(primary, accent)
    for name, (foreground, background) in palette.pairs().items():
        assert contrast(foreground, background) >= AA_NORMAL_TEXT, f"{name}: {foreground} on {background}"
    assert palette.on_primary in (WHITE, BLACK)
    moved = [shade != normalise(primary) for shade in (palette.primary, palette.link_light, palette.link_dark)]
    moved += [shade != normalise(accent) for shade in (palette.accent_light, palette.accent_dark)]
    assert len(palette.adjusted) == sum(moved)


def test_a_brand_colour_that_passes_everywhere_is_not_reported() -> None:
    # Mid grey-blue: 4.5:1 on white and on slate at once is impossible, so pick each scheme's own.
    palette = derive_palette("#0b6e4f", "#0b6e4f")
    assert palette.primary == palette.link_light == "#0b6e4f"
    assert palette.on_primary == WHITE
    assert [note.split(":")[0] for note in palette.adjusted] == ["links on the dark background", "accent on the dark background"]
    assert palette.link_dark != "#0b6e4f" and contrast(palette.link_dark, SLATE_BACKGROUND) >= AA_NORMAL_TEXT


def test_a_light_primary_keeps_its_colour_in_the_header_with_black_text() -> None:
    palette = derive_palette("#ffd54f", "#ffd54f")
    assert palette.primary == "#ffd54f" and palette.on_primary == BLACK
    assert "primary (header background)" not in " ".join(palette.adjusted)
    # Yellow is unreadable as link text on white: that role alone is darkened.
    assert palette.link_light != "#ffd54f" and contrast(palette.link_light, WHITE) >= AA_NORMAL_TEXT
    assert any(note.startswith("links on the light background: #ffd54f changed to ") for note in palette.adjusted)

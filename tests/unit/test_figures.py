"""The diagrams are one set of files for every clinic: none may name one country's services,
and each says what its text version says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mesoguide.render.figures import FIGURES

IMAGES = Path(__file__).resolve().parents[2] / "overrides/assets/images"
# Names and numbers that hold in one country only (the help box next to a diagram gives the
# clinic's own); a diagram that showed them would be wrong on every other clinic's site.
ONE_COUNTRY = re.compile(r"\b(NHS|UK|111|999|911|112|000|England|Scotland|Wales|poison control)\b", re.I)


def svg_words(key: str) -> str:
    svg = (IMAGES / FIGURES[key].file).read_text(encoding="utf-8")
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_no_diagram_names_one_countrys_services(key: str) -> None:
    figure = FIGURES[key]
    for words in (svg_words(key), " ".join(figure.text_version), figure.name, figure.caption):
        assert not ONE_COUNTRY.search(words), words


def test_who_to_call_says_in_words_whom_the_picture_names() -> None:
    picture = " ".join(svg_words("who-to-call").split())
    words = " ".join(FIGURES["who-to-call"].text_version)
    for contact in ("emergency number", "clinic", "out-of-hours contact", "urgent health line where you live", "doctor"):
        assert contact in picture and contact in words, contact

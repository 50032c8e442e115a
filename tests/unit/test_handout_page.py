"""What the handout takes from one built page: its article, cut for paper, every other byte as the site wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesoguide.errors import UserError
from mesoguide.handout import read_built_page

PAGE = """<!doctype html>
<html><head>
<link rel="stylesheet" href="../assets/stylesheets/main.css">
<link rel="icon" href="../favicon.svg">
<style>.md-typeset { color: red; }</style>
</head><body><nav><a href="../other/">Start here</a></nav>
<article class="md-content__inner md-typeset">
  <div class="mg-print-header"><img src="../assets/clinic/logo.svg" alt=""><p>Clinic</p></div>
  <p class="mg-review-notice" role="note">Not yet reviewed.</p>
<h1 id="care">Care<a class="headerlink" href="#care">&para;</a></h1>
<p>Keep it <em>clean</em>.<sup class="mg-cite"><a href="../references/#r1">3</a></sup> See <a href="../side-effects/">side effects</a>.</p>
<div class="mg-claim mg-claim--supported" id="claim-x"><div><p>Nested</p></div><p>Claim text</p></div>
<p>Write the <abbr title="A code on the label.">batch number</abbr> and the <abbr title="A code on the label.">batch number</abbr> again.</p>
<h2 id="what-we-dont-know">What we don't know</h2>
<ul><li>Nobody tested it.</li></ul>
<h2 id="when-to-get-help">When to get help</h2>
<div class="admonition danger"><p>Call <a href="tel:999">999</a> &amp; wait.</p></div>
<aside class="mg-about"><h2 id="mg-about-title">About this page</h2></aside>
</article>
<footer><a href="https://example.org/">Elsewhere</a></footer>
</body></html>
"""


def read(tmp_path: Path, text: str = PAGE, seen: set[str] | None = None):
    source = tmp_path / "index.html"
    source.write_text(text, encoding="utf-8")
    return read_built_page(source, set() if seen is None else seen)


def test_the_article_keeps_the_sites_words_and_markup(tmp_path: Path) -> None:
    article = read(tmp_path).article
    assert article.startswith('<h1 id="care">Care</h1>')
    assert "<p>Keep it <em>clean</em>. See side effects.</p>" in article
    assert '<div class="admonition danger"><p>Call <a href="tel:999">999</a> &amp; wait.</p></div>' in article


def test_what_paper_cannot_use_is_left_off(tmp_path: Path) -> None:
    article = read(tmp_path).article
    for gone in ("mg-print-header", "mg-review-notice", "headerlink", "mg-cite", "mg-claim", "Nested", "Claim text"):
        assert gone not in article, gone
    assert "What we don't know" not in article and "Nobody tested it." not in article
    assert "About this page" not in article and "Start here" not in article and "Elsewhere" not in article
    assert "href=" not in article.replace('href="tel:999"', "")


def test_a_left_off_section_ends_at_the_next_heading_or_the_article(tmp_path: Path) -> None:
    last = PAGE.replace('<h2 id="when-to-get-help">When to get help</h2>\n', "")
    article = read(tmp_path, last).article
    assert "Nobody tested it." not in article and "About this page" not in article
    assert "batch number" in article


def test_a_left_off_section_inside_a_box_ends_with_the_box(tmp_path: Path) -> None:
    boxed = PAGE.replace(
        '<h2 id="what-we-dont-know">What we don\'t know</h2>\n<ul><li>Nobody tested it.</li></ul>',
        '<div class="box"><h2 id="what-we-dont-know">What we don\'t know</h2><ul><li>Nobody tested it.</li></ul></div><p>After the box.</p>',
    )
    article = read(tmp_path, boxed).article
    assert '<div class="box"></div><p>After the box.</p>' in article and "Nobody tested it." not in article


def test_the_first_use_of_each_glossary_word_carries_its_meaning_for_paper(tmp_path: Path) -> None:
    seen: set[str] = set()
    article = read(tmp_path, seen=seen).article
    assert article.count('class="mg-term-first" data-mg-meaning="A code on the label."') == 1
    assert article.count('<abbr title="A code on the label.">batch number</abbr>') == 1
    assert seen == {"A code on the label."}
    again = read(tmp_path, seen=seen).article  # a later page of the same handout
    assert "mg-term-first" not in again


def test_unusual_line_breaks_before_the_article_do_not_shift_the_cut(tmp_path: Path) -> None:
    page = PAGE.replace("<nav>", "<nav><p>a\u2028b\x0cc\rd\r\ne</p>")
    assert read(tmp_path, page).article == read(tmp_path).article


def test_the_stylesheets_and_logo_are_the_sites(tmp_path: Path) -> None:
    page = read(tmp_path)
    assert page.stylesheets == ["../assets/stylesheets/main.css"]
    assert page.styles == [".md-typeset { color: red; }"]
    assert page.logo == "../assets/clinic/logo.svg"


def test_a_page_without_an_article_is_one_line_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        read(tmp_path, "<html><body><p>No article</p></body></html>")
    assert str(caught.value).endswith("index.html: the built page has no <article> element to print")

"""What the readability gate measures: the body text of the article, as the module documents it.

Measured: paragraphs, list items, definitions, admonition text and a claim's explanation.
Left out: quoted claims, verdicts, sources, tables, code, headings, footnote marks, the
reference list, the "About this page" block, the review notice, clinic labels, and anything
outside the article (navigation, header, footer).
"""

from __future__ import annotations

import pytest

from mesoguide.checks.readability import body_blocks, hardest_sentences, medians, score_blocks, sentences

# The readability gate measures text: see MEASURING_GROUP in tests/conftest.py.
pytestmark = pytest.mark.measures_text

# A claim box as the claim template writes it (the class names are what the extractor keys on).
CLAIM_BOX = """
<div class="mg-claim mg-claim--weak" id="claim-fades-scars">
<p class="mg-claim__explanation"><span class="mg-claim__label">What the evidence shows:</span> Two small trials saw scars fade a little.</p>
<p class="mg-claim__verdict"><span class="mg-claim__label">The claim we checked:</span> <strong class="mg-claim__badge">Weak evidence</strong></p>
<blockquote class="mg-claim__quote"><p>“Mesotherapy erases every scar permanently.”</p></blockquote>
<p class="mg-claim__source">Said in a clinic leaflet.</p>
<p class="mg-claim__refs">Sources: <a href="#ref-1">Smith 2020</a></p>
</div>
"""


def article(body: str, around: str = "") -> str:
    return f"<html><body>{around}<article class='md-content__inner'>{body}</article>{around}</body></html>"


def test_paragraphs_list_items_and_definitions_are_measured_one_block_each() -> None:
    html = article(
        "<p>Mesotherapy uses small needles.</p><ul><li>It can sting.</li><li>It can bruise.</li></ul><dl><dt>Term</dt><dd>A short meaning.</dd></dl>"
    )
    assert body_blocks(html) == ["Mesotherapy uses small needles.", "It can sting.", "It can bruise.", "A short meaning."]


def test_a_block_without_end_punctuation_becomes_a_sentence_of_its_own() -> None:
    html = article("<p>You will need:</p><ul><li>a clean face;</li><li>a list of your medicines</li><li>Ask first!</li></ul>")
    assert body_blocks(html) == ["You will need.", "a clean face.", "a list of your medicines.", "Ask first!"]


def test_inline_markup_joins_its_text_and_spaces_collapse() -> None:
    html = article("<p>Call <a href='tel:999'><strong>999</strong></a>   at\n once if you <em>feel</em> faint.</p>")
    assert body_blocks(html) == ["Call 999 at once if you feel faint."]


def test_only_the_claim_explanation_of_a_claim_box_is_measured() -> None:
    assert body_blocks(article(CLAIM_BOX)) == ["Two small trials saw scars fade a little."]


@pytest.mark.parametrize(
    "left_out",
    [
        "<table><tr><td><p>Hard tabular words.</p></td></tr></table>",
        "<pre><code>print('code is not prose')</code></pre>",
        "<p><code>mesoguide build --all</code></p>",
        "<h2>A heading is not a sentence</h2>",
        "<nav><ul><li>Navigation item</li></ul></nav>",
        "<ol class='mg-refs'><li>Smith J. Intradermal therapy. J Derm. 2020.</li></ol>",
        "<aside class='mg-about'><p>Clinic offers this treatment and shares this guide.</p></aside>",
        "<p class='mg-review-notice'>Not yet clinically reviewed.</p>",
        "<p class='mg-clinic-label'><strong>From the clinic:</strong> text</p>",
        "<div class='mg-print-header'><p>Printed header.</p></div>",
        "<script>var x = 'Not text.';</script>",
        "<style>p { color: red }</style>",
        "<form><p>Search this site.</p></form>",
        "<header><p>Header words.</p></header>",
        "<footer><p>Footer words.</p></footer>",
    ],
    ids=[
        "table",
        "pre",
        "code",
        "heading",
        "nav",
        "references",
        "about",
        "review-notice",
        "clinic-label",
        "print-header",
        "script",
        "style",
        "form",
        "header",
        "footer",
    ],
)
def test_parts_the_policy_leaves_out_are_not_measured(left_out: str) -> None:
    assert body_blocks(article(f"<p>Kept.</p>{left_out}<p>Also kept.</p>")) == ["Kept.", "Also kept."]


def test_footnote_marks_and_heading_anchors_are_dropped_from_a_sentence() -> None:
    html = article(
        '<p>Most people heal in a week.<sup id="fnref:1"><a href="#fn:1">1</a></sup></p><p>Text<a class="headerlink" href="#x">¶</a></p>'
    )
    assert body_blocks(html) == ["Most people heal in a week.", "Text."]


def test_admonition_text_is_measured_but_not_its_title() -> None:
    html = article(
        '<div class="admonition warning"><p class="admonition-title">Get help</p><p>Call your clinic if it swells.</p></div>'
    )
    assert body_blocks(html) == ["Call your clinic if it swells."]


def test_text_outside_the_article_is_not_measured() -> None:
    html = article("<p>Inside.</p>", around="<p>Outside the article.</p><ul><li>Menu entry</li></ul>")
    assert body_blocks(html) == ["Inside."]


def test_a_nested_list_gives_each_item_its_own_text() -> None:
    html = article("<ul><li>Before the visit<ul><li>Stop retinoids.</li></ul></li><li>After.</li></ul>")
    assert body_blocks(html) == ["Before the visit.", "Stop retinoids.", "After."]


def test_empty_blocks_such_as_a_checklist_box_are_skipped() -> None:
    html = article(
        '<ul class="task-list"><li><input type="checkbox" disabled></li><li><input type="checkbox"> Bring photos.</li></ul>'
    )
    assert body_blocks(html) == ["Bring photos."]


def test_void_elements_do_not_break_the_block_they_sit_in() -> None:
    html = article('<p>One line<br>and the next, with an image <img src="a.png" alt="x"> inside.</p><p>Next.</p>')
    assert body_blocks(html) == ["One lineand the next, with an image inside.", "Next."]


def test_sentences_split_on_end_marks_before_a_capital_and_on_line_breaks() -> None:
    assert sentences("It heals. It may sting! Does it hurt? yes, a little.\nNew block") == [
        "It heals.",
        "It may sting!",
        "Does it hurt? yes, a little.",
        "New block",
    ]


def test_the_score_is_of_the_measured_text_only() -> None:
    plain = "<p>The skin heals in a week. Most people feel fine.</p>"
    hard = "<pre><code>Intradermal pharmacotherapeutic microinjections notwithstanding contraindications.</code></pre>"
    alone, with_code = (
        score_blocks("p", body_blocks(article(plain))),
        score_blocks(
            "p", body_blocks(article(plain + hard + CLAIM_BOX.replace("Two small trials saw scars fade a little.", "")))
        ),
    )
    assert (alone.grade, alone.smog, alone.words) == (with_code.grade, with_code.smog, with_code.words)
    assert alone.words == 10 and alone.hardest == ()


def test_the_hardest_sentences_are_listed_only_for_a_page_over_the_limit() -> None:
    text = (
        "<p>The skin heals in a week. Intradermal pharmacotherapeutic microinjections necessitate considerable deliberation.</p>"
    )
    failing = score_blocks("p", body_blocks(article(text)), max_grade=5)
    assert failing.grade > 5
    assert failing.hardest[0][1] == "Intradermal pharmacotherapeutic microinjections necessitate considerable deliberation."
    assert score_blocks("p", body_blocks(article(text))).hardest == ()
    assert hardest_sentences("Go now. Short one here. " * 2) == ()  # three words or fewer are not graded alone


def test_medians_are_per_page_scores() -> None:
    scores = [
        score_blocks(name, body_blocks(article(f"<p>{text}</p>")))
        for name, text in (
            ("a", "Go now."),
            ("b", "We can help you with this today."),
            ("c", "Considerable deliberation is necessary beforehand."),
        )
    ]
    assert medians(scores) == (scores[1].grade, scores[1].smog)

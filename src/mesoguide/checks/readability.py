"""Readability gate: Flesch-Kincaid grade and SMOG on the body text of each built page.

The body text is what docs/content-policy.md ("Plain language") defines: paragraphs, list items, admonition text
and claim explanations. Quoted claims, tables, code, headings, the reference list and the
"About this page" block are left out. A list item without end punctuation counts as a
sentence of its own. textstat is pinned at 0.7.8: newer releases download a word list.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from html.parser import HTMLParser

import textstat

from mesoguide.checks.measures import TextMeasures

BLOCKS = {"p", "li", "dd"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED_TAGS = {
    "table",
    "pre",
    "code",
    "script",
    "style",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",
    "header",
    "footer",
    "form",
}
SKIPPED_CLASSES = {
    "mg-claim__quote",
    "mg-claim__verdict",
    "mg-claim__source",
    "mg-claim__refs",
    "mg-claim__label",
    "mg-about",
    "mg-review-notice",
    "mg-refs",
    "mg-clinic-label",
    "mg-print-header",
    "admonition-title",
    "headerlink",
}
SENTENCE_END = re.compile(r"[.!?]$")
SENTENCE_SPLIT = re.compile(r"\n|(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


class _BodyText(HTMLParser):
    """Collects the text of body blocks inside the article, skipping left-out parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.in_article = 0
        self.blocks: list[list[str]] = []
        self.block_depth: list[int] = []

    def _skipped(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article":
            self.in_article += 1
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        self.stack.append((tag, skipped))
        if tag in BLOCKS and self.in_article and not self._skipped():
            self.blocks.append([])
            self.block_depth.append(len(self.stack))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if self.block_depth and len(self.stack) < self.block_depth[-1]:
                self.block_depth.pop()
            if open_tag == "article":
                self.in_article -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.block_depth and not self._skipped() and len(self.stack) >= self.block_depth[-1]:
            self.blocks[-1].append(data)


def body_blocks(page_html: str) -> list[str]:
    """The measured text of a page, one string per paragraph or list item.

    Each block ends a sentence: a list item ending in ';' or nothing, or a paragraph
    that introduces a list with ':', counts as a sentence of its own.
    """
    parser = _BodyText()
    parser.feed(page_html)
    blocks = []
    for parts in parser.blocks:
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        # A checklist item's box renders no text; what is left may be empty.
        if not text:
            continue
        if not SENTENCE_END.search(text):
            text = text.rstrip(":;,") + "."
        blocks.append(text)
    return blocks


@dataclass(frozen=True)
class Score:
    """Readability of one page."""

    page: str
    grade: float
    smog: float
    words: int
    hardest: tuple[tuple[float, str], ...] = field(default=())
    """The hardest sentences, by Flesch-Kincaid grade, for pages that fail."""


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_SPLIT.split(text) if s.strip()]


def hardest_sentences(text: str, count: int = 3, measures: TextMeasures | None = None) -> tuple[tuple[float, str], ...]:
    """The ``count`` sentences with the highest Flesch-Kincaid grade."""
    measures = measures or TextMeasures()
    ranked = sorted(((measures.grade(s), s) for s in sentences(text) if len(s.split()) > 3), reverse=True)
    return tuple((round(g, 1), s) for g, s in ranked[:count])


def score_blocks(
    page: str,
    blocks: list[str],
    max_grade: float = float("inf"),
    max_smog: float = float("inf"),
    measures: TextMeasures | None = None,
) -> Score:
    """Scores of one page from its measured text (``body_blocks`` of the built page); the
    hardest sentences only for a page over the limits (they are slow).

    ``measures``: where the run's measures are looked up and kept (by default, none are kept).
    """
    measures = measures or TextMeasures()
    text = "\n".join(blocks)
    grade = round(measures.grade(text), 1)
    smog = round(measures.smog(text), 1)
    failing = grade > max_grade or smog > max_smog
    return Score(page, grade, smog, textstat.lexicon_count(text), hardest_sentences(text, measures=measures) if failing else ())


def medians(scores: list[Score]) -> tuple[float, float]:
    return (
        round(statistics.median(s.grade for s in scores), 1),
        round(statistics.median(s.smog for s in scores), 1),
    )

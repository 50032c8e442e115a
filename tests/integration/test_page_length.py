"""How much a phone reader meets before opening anything: words outside closed boxes, claim checks shown.

A topic page shows at most 1,100 words in its article before the reader opens a closed
``<details>`` (summaries count, their contents do not), and at most three claim checks open.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

MAX_VISIBLE_WORDS = 1100
MAX_OPEN_CLAIM_CHECKS = 3
# Reference pages are read by looking things up, not from top to bottom.
REFERENCE_PAGES = {"claim-check", "glossary", "references"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_READ = {"mg-print-header", "headerlink", "mg-cite"}
"""Shown only on paper, permalink marks, and reference numbers."""
WORD = re.compile(r"[^\W_]")


class VisibleText(HTMLParser):
    """The article's text that shows before anything is opened, and the claim checks among it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, a closed <details>)
        self.in_article = 0
        self.words = 0
        self.open_claims: list[str] = []
        self.text: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        in_closed_details = bool(self.stack) and self.stack[-1][2]
        hidden = bool(classes & NOT_READ) or (in_closed_details and tag != "summary")
        if tag == "article":
            self.in_article += 1
        if self.in_article and not self._hidden() and not hidden and "mg-claim" in classes:
            self.open_claims.append(values.get("id") or "")
        self.stack.append((tag, hidden, tag == "details" and "open" not in values))
        self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            name, _, _ = self.stack.pop()
            if name == "article":
                self.in_article -= 1
            if name == tag:
                break
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self.in_article and not self._hidden():
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self.words = sum(1 for token in "".join(self.text).split() if WORD.search(token))


def visible(page_html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(page_html)
    parser.close()
    return parser


def topic_pages(site: Path) -> dict[str, Path]:
    pages = {p.parent.name: p for p in site.glob("*/index.html") if p.parent.name not in REFERENCE_PAGES | {"search"}}
    pages["index"] = site / "index.html"
    return pages


def test_the_counter_skips_closed_boxes_but_counts_their_summaries() -> None:
    page = (
        "<article><p>one two <sup class='mg-cite'>[1]</sup></p><details><summary>three four</summary><p>hidden words</p>"
        "<div class='mg-claim' id='claim-a'>x</div></details><details open><p>five</p></details>"
        "<div class='mg-claim' id='claim-b'><p>six</p></div></article><p>outside</p>"
    )
    result = visible(page)
    assert result.words == 6
    assert result.open_claims == ["claim-b"]


def test_no_topic_page_shows_more_than_1100_words_or_three_claim_checks_before_opening(built_real: Path) -> None:
    site = built_real / "site/demo"
    figures = {name: visible(path.read_text(encoding="utf-8")) for name, path in sorted(topic_pages(site).items())}
    assert len(figures) >= 11
    print("\nwords before opening anything, and open claim checks:")
    for name, result in figures.items():
        print(f"  {name:24} {result.words:5} words, {len(result.open_claims)} claim checks open")
    too_long = {name: r.words for name, r in figures.items() if r.words > MAX_VISIBLE_WORDS}
    too_many = {name: r.open_claims for name, r in figures.items() if len(r.open_claims) > MAX_OPEN_CLAIM_CHECKS}
    assert not too_long, f"pages over {MAX_VISIBLE_WORDS} words before opening: {too_long}"
    assert not too_many, f"pages with more than {MAX_OPEN_CLAIM_CHECKS} open claim checks: {too_many}"


@pytest.mark.parametrize("page", ["what-is-mesotherapy", "is-it-right-for-me", "results", "side-effects"])
def test_every_claim_keeps_its_anchor_on_its_page_and_on_the_claim_check_page(built_real: Path, page: str) -> None:
    site = built_real / "site/demo"
    on_page = set(re.findall(r'id="claim-([a-z0-9-]+)"', (site / page / "index.html").read_text(encoding="utf-8")))
    on_check = set(re.findall(r'id="claim-([a-z0-9-]+)"', (site / "claim-check/index.html").read_text(encoding="utf-8")))
    assert len(on_page) > MAX_OPEN_CLAIM_CHECKS
    assert on_page <= on_check

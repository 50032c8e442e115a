"""Sentence-level readability: hard sentences and uncommon words, each at its file and line.

The text measured is the built page's body text (the same as the page figures); each finding
is traced back to the line of the page source, or of claims.yml for a claim's explanation, by
matching its words. Uncommon means rarer than a Zipf frequency in wordfreq's English list
(shipped inside the package: nothing downloads), and neither in the glossary nor allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import textstat
from wordfreq import zipf_frequency

from ..content import Content, Page
from ..errors import Problem
from ..pagesyntax import plain_lines
from ..settings import Readability
from .readability import body_blocks, sentences

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")
TOKEN = re.compile(r"[a-z0-9]+")
MARKDOWN_NOISE = re.compile(r"\]\([^)]*\)|\{:[^}]*\}|<[^>]+>|https?://\S+")
MATCH_WORDS = 4
"""Consecutive words that must match to place a sentence on a line."""


@dataclass
class SourceText:
    """A file's words in order, each with its line, for finding where built text came from."""

    path: Path
    tokens: list[str]
    lines: list[int]

    @classmethod
    def of_lines(cls, path: Path, lines: list[str], first_line: int) -> SourceText:
        tokens, numbers = [], []
        for offset, line in enumerate(lines):
            for token in TOKEN.findall(MARKDOWN_NOISE.sub(" ", line).lower()):
                tokens.append(token)
                numbers.append(first_line + offset)
        return cls(path, tokens, numbers)

    def line_of(self, words: list[str]) -> int | None:
        """Line where ``words`` (lower-case tokens) first occur in a row, or where a part of them does."""
        if not words:
            return None
        size = min(MATCH_WORDS, len(words))
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            for i in range(len(self.tokens) - size + 1):
                if self.tokens[i : i + size] == window:
                    return self.lines[i]
        return None


def page_source(page: Page) -> SourceText:
    return SourceText.of_lines(page.source, plain_lines(page.body), page.body_line)


def claims_source(content: Content) -> SourceText:
    path = content.line_maps["claims.yml"].path
    return SourceText.of_lines(path, path.read_text(encoding="utf-8").splitlines(), 1)


def _locate(words: list[str], sources: list[SourceText]) -> tuple[Path, int | None]:
    for source in sources:
        line = source.line_of(words)
        if line is not None:
            return source.path, line
    return sources[0].path, None


def locate_sentence(content: Content, page_name: str, sentence: str) -> tuple[Path, int | None]:
    """The file and line a sentence of a built page came from."""
    return _locate(TOKEN.findall(sentence.lower()), [page_source(content.pages[page_name]), claims_source(content)])


def glossary_words(content: Content) -> set[str]:
    """Every word of every glossary term and its other forms: those words are explained."""
    return {w.lower() for e in content.glossary for form in (e.term, *e.also) for w in WORD.findall(form)}


def _is_uncommon(word: str, explained: set[str], limits: Readability) -> bool:
    lower = word.lower().replace("’", "'")
    forms = {lower, lower.removesuffix("'s"), lower.removesuffix("s"), lower.removesuffix("es")}
    if forms & explained or forms & limits.allowed_words:
        return False
    return max(zipf_frequency(form, "en") for form in forms if form) < limits.min_word_zipf


def _candidate_words(sentence: str) -> list[str]:
    """Words that could be uncommon: not numbers, not names (capitalised inside a sentence), not acronyms."""
    words = []
    for index, word in enumerate(WORD.findall(sentence)):
        if word.isupper() and len(word) > 1:
            continue
        if index > 0 and word[0].isupper():
            continue
        words.extend(part for part in word.split("-") if part)
    return words


def sentence_problems(content: Content, page_name: str, page_html: str, limits: Readability) -> list[Problem]:
    """Sentences above the grade limit and unexplained uncommon words on one built page."""
    page = content.pages[page_name]
    sources = [page_source(page), claims_source(content)]
    explained = glossary_words(content)
    problems: list[Problem] = []
    reported_words: set[str] = set()
    for sentence in (s for block in body_blocks(page_html) for s in sentences(block)):
        tokens = TOKEN.findall(sentence.lower())
        grade = textstat.flesch_kincaid_grade(sentence) if len(sentence.split()) >= limits.min_sentence_words else 0.0
        if grade > limits.max_sentence_grade:
            path, line = _locate(tokens, sources)
            shown = sentence if len(sentence) <= 90 else sentence[:87] + "..."
            failing = grade > limits.failing_sentence_grade
            limit = limits.failing_sentence_grade if failing else limits.max_sentence_grade
            problems.append(
                Problem(
                    path,
                    line,
                    f'sentence at grade {grade:.1f} (limit {limit:g}): "{shown}"; split it and use everyday words',
                    "error" if failing else "warning",
                )
            )
        for word in _candidate_words(sentence):
            key = word.lower()
            if key in reported_words or not _is_uncommon(word, explained, limits):
                continue
            reported_words.add(key)
            path, line = _locate([key], sources)
            problems.append(
                Problem(
                    path,
                    line,
                    f"uncommon word '{key}': explain it in content/glossary.yml, use an everyday word, "
                    "or add it to allowed_words in [tool.mesoguide.readability]",
                    "warning",
                )
            )
    return problems

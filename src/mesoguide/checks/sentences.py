"""Sentence-level readability: hard sentences and uncommon words, each at its file and line.

The text measured is the built page's body text (the same as the page figures); each finding
is traced back to the line of the page source, or of claims.yml for a claim's explanation, by
matching its words. Uncommon means rarer than a Zipf frequency in wordfreq's English list
(shipped inside the package: nothing downloads), and neither in the glossary nor allowed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from wordfreq import get_frequency_dict

from mesoguide.checks.measures import TextMeasures
from mesoguide.checks.readability import sentences
from mesoguide.errors import Problem
from mesoguide.inputs.content import Content, Page
from mesoguide.inputs.settings import Readability
from mesoguide.render.pagesyntax import plain_lines

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
    _first_line: dict[tuple[str, ...], int] = field(default_factory=dict)
    """First line of each run of 1 and of MATCH_WORDS words, built on first use."""

    @classmethod
    def of_lines(cls, path: Path, lines: list[str], first_line: int) -> SourceText:
        tokens, numbers = [], []
        for offset, line in enumerate(lines):
            for token in TOKEN.findall(MARKDOWN_NOISE.sub(" ", line).lower()):
                tokens.append(token)
                numbers.append(first_line + offset)
        return cls(path, tokens, numbers)

    def line_of(self, window: list[str]) -> int | None:
        """Line where the lower-case tokens of ``window`` (1 or MATCH_WORDS of them, or the whole text) first occur."""
        if not self._first_line:
            for size in {1, MATCH_WORDS}:
                for i in range(len(self.tokens) - size + 1):
                    self._first_line.setdefault(tuple(self.tokens[i : i + size]), self.lines[i])
        key = tuple(window)
        if key in self._first_line or len(key) in (1, MATCH_WORDS):
            return self._first_line.get(key)
        size = len(key)  # a sentence shorter than MATCH_WORDS words
        return next((self.lines[i] for i in range(len(self.tokens) - size + 1) if tuple(self.tokens[i : i + size]) == key), None)


def page_source(page: Page) -> SourceText:
    return SourceText.of_lines(page.source, plain_lines(page.body), page.body_line)


REGISTRIES_SHOWN_ON_PAGES = ("claims.yml", "options.yml", "glossary.yml")
"""Registries whose text pages show (claim explanations, the option grid, the glossary)."""


def registry_sources(content: Content) -> list[SourceText]:
    """The words of each registry whose text pages show, searched after the page itself."""
    sources = []
    for name in REGISTRIES_SHOWN_ON_PAGES:
        path = content.root / name
        if path.is_file():
            sources.append(SourceText.of_lines(path, path.read_text(encoding="utf-8").splitlines(), 1))
    return sources


def _locate(words: list[str], sources: list[SourceText]) -> tuple[Path, int | None]:
    """The source that holds most of the sentence's runs of words, and the line of the first.

    Votes rather than a first hit: a claim's explanation shown on a page is found in
    claims.yml, not at a page line that shares a few of its words, and a sentence whose
    start a macro wrote (an "as of" date) is still found by its other words.
    """
    size = min(MATCH_WORDS, len(words))
    votes = [0] * len(sources)
    first: list[int | None] = [None] * len(sources)
    for start in range(len(words) - size + 1) if words else ():
        window = words[start : start + size]
        for index, source in enumerate(sources):
            line = source.line_of(window)
            if line is not None:
                votes[index] += 1
                first[index] = line if first[index] is None else first[index]
    best = max(range(len(sources)), key=lambda i: votes[i])
    return sources[best].path, first[best]


def locate_sentence(page: Page, registries: list[SourceText], sentence: str) -> tuple[Path, int | None]:
    """The file and line a sentence of a built page came from: the page, or a registry it shows."""
    return _locate(TOKEN.findall(sentence.lower()), [page_source(page), *registries])


def glossary_words(content: Content) -> set[str]:
    """Every word of every glossary term and its other forms: those words are explained."""
    return {w.lower() for e in content.glossary for form in (e.term, *e.also) for w in WORD.findall(form)}


def _is_uncommon(word: str, explained: set[str], limits: Readability, frequencies: dict[str, float]) -> bool:
    lower = word.lower().replace("’", "'")
    forms = {lower, lower.removesuffix("'s"), lower.removesuffix("s"), lower.removesuffix("es")}
    if forms & explained or forms & limits.allowed_words:
        return False
    # Zipf is log10 of the frequency per billion words; wordfreq's own zipf_frequency()
    # tokenises each word first, which the check does not need and which is slow.
    highest = max(frequencies.get(form, 0.0) for form in forms)
    return highest == 0.0 or math.log10(highest) + 9 < limits.min_word_zipf


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


def sentence_problems(
    page: Page,
    blocks: list[str],
    limits: Readability,
    registries: list[SourceText],
    explained: set[str],
    measures: TextMeasures | None = None,
) -> list[Problem]:
    """Sentences above the grade limit and unexplained uncommon words on one built page.

    ``blocks`` is the page's measured text (``body_blocks`` of the built page); ``registries``
    the registries whose text pages show (see registry_sources); ``explained`` the words the
    glossary explains; ``measures`` where the run's readability measures are looked up and
    kept (by default, none are kept).
    """
    measures = measures or TextMeasures()
    sources = [page_source(page), *registries]
    frequencies = get_frequency_dict("en")  # loaded once per process by wordfreq
    problems: list[Problem] = []
    reported_words: set[str] = set()
    for sentence in (s for block in blocks for s in sentences(block)):
        tokens = TOKEN.findall(sentence.lower())
        grade = measures.grade(sentence) if len(sentence.split()) >= limits.min_sentence_words else 0.0
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
            if key in reported_words or not _is_uncommon(word, explained, limits, frequencies):
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

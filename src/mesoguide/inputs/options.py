"""The option grid: every choice a person with acne or acne scars has, in the same fields.

``content/options.yml`` lists the options. Each option has the same questions answered
(what it is, results, risks, time off, sessions, where it is given, who pays), each answer
with its references, so no option can be described in less detail than another: the model
refuses an option that lacks a field, and the checks here refuse unknown reference ids and
answers without references. The render stage draws the grid from one template
(``render/templates/options_grid.html``), so every option gets the same layout.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from mesoguide.errors import Problem
from mesoguide.inputs.countries import COUNTRIES
from mesoguide.inputs.schema import StrictModel
from mesoguide.inputs.yamlfile import LineMap

UNREFERENCED = ("Not known", "None")
"""An answer may have no references only if it starts with one of these: the evidence is missing, or there is nothing to cite."""


class Answer(StrictModel):
    """One cell of the grid: a short plain answer and the references it rests on."""

    text: str = Field(
        min_length=1,
        description='Plain words; start with "Not known" where the evidence is missing, "None" where there is nothing.',
    )
    refs: list[str] = Field(default_factory=list, description="Reference ids from references.yml.")


class Funding(StrictModel):
    """Whether a country's public health service usually pays, with its references."""

    country: str = Field(description="ISO 3166-1 alpha-2 code from the country table, e.g. GB.")
    text: str = Field(min_length=1)
    refs: list[str] = Field(default_factory=list)


class Option(StrictModel):
    """One choice, with every question of the grid answered."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    treats: Literal["acne", "scars", "acne and scars"] = Field(description="What the option is used for.")
    what: Answer = Field(description="What it is and how it works.")
    results: Answer = Field(description="What results to expect, with numbers and study sizes where known.")
    common_risks: Answer
    serious_risks: Answer
    downtime: Answer = Field(description="Time off normal life.")
    sessions: Answer
    where: Answer = Field(description="Where it is usually given and by whom.")
    funding: list[Funding] = Field(min_length=1, description="Public funding, by country; other countries read 'ask'.")

    @field_validator("funding")
    @classmethod
    def _known_countries(cls, value: list[Funding]) -> list[Funding]:
        for entry in value:
            if entry.country not in COUNTRIES:
                raise ValueError(f"unknown country {entry.country!r}; use a code from the country table ({', '.join(COUNTRIES)})")
        return value


ANSWER_FIELDS: tuple[tuple[str, str], ...] = (
    ("what", "What it is and how it works"),
    ("results", "What results to expect"),
    ("common_risks", "Common side effects"),
    ("serious_risks", "Rare but serious risks"),
    ("downtime", "Time off"),
    ("sessions", "How many sessions or how long"),
    ("where", "Where it is given"),
)
"""The grid's questions in the order every option shows them; funding comes last."""
FUNDING_LABEL = "Does the public health service pay?"


def option_problems(options: list[tuple[int, Option]], line_map: LineMap, reference_ids: set[str]) -> list[Problem]:
    """Duplicate ids, unknown reference ids and answers without references, each at its line."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, option in options:
        if option.id in seen:
            problems.append(Problem(line_map.path, line_map.line_of((index, "id")), f"duplicate id {option.id!r}"))
        seen.add(option.id)
        cells: list[tuple[tuple[str | int, ...], str, list[str]]] = [
            ((name,), getattr(option, name).text, getattr(option, name).refs) for name, _ in ANSWER_FIELDS
        ]
        cells += [(("funding", i), entry.text, entry.refs) for i, entry in enumerate(option.funding)]
        for path, text, refs in cells:
            where = ".".join(str(p) for p in path)
            for ref in refs:
                if ref not in reference_ids:
                    line = line_map.line_of((index, *path, "refs")) or line_map.line_of((index, *path))
                    problems.append(
                        Problem(
                            line_map.path,
                            line,
                            f"option {option.id!r}, {where}: unknown reference {ref!r}; add it to references.yml",
                        )
                    )
            if not refs and not text.startswith(UNREFERENCED):
                problems.append(
                    Problem(
                        line_map.path,
                        line_map.line_of((index, *path)),
                        f"option {option.id!r}, {where}: give the references this answer rests on, "
                        f'or start it with "{UNREFERENCED[0]}"',
                    )
                )
    return problems


def option_reference_ids(options: tuple[Option, ...]) -> set[str]:
    """Every reference id the grid cites."""
    ids: set[str] = set()
    for option in options:
        ids.update(ref for name, _ in ANSWER_FIELDS for ref in getattr(option, name).refs)
        ids.update(ref for entry in option.funding for ref in entry.refs)
    return ids

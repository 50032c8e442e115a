"""The bibliography entry model: what kind of source it is and how many people it studied."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mesoguide.inputs.content import Reference

BASE = {"id": "example-2020", "title": "An example", "url": "https://doi.org/10.1000/example"}


def test_design_and_participants_are_kept() -> None:
    ref = Reference.model_validate({**BASE, "design": "outbreak report", "participants": 17})
    assert ref.design == "outbreak report"
    assert ref.participants == 17


def test_participants_may_be_left_out_for_sources_that_are_not_studies() -> None:
    ref = Reference.model_validate({**BASE, "design": "law"})
    assert ref.participants is None


def test_every_entry_says_what_kind_of_source_it_is() -> None:
    with pytest.raises(ValidationError):
        Reference.model_validate(BASE)


@pytest.mark.parametrize(
    "bad", [{"participants": 0}, {"participants": "many"}, {"design": ""}, {"design": "expert opinion blog"}]
)
def test_nonsense_values_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Reference.model_validate({**BASE, "design": "review", **bad})

"""Shared pieces for the typed models: strict base model and readable validation errors."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import Problem
from .yamlfile import LineMap


class StrictModel(BaseModel):
    """A model that refuses unknown keys and never coerces between types silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``Contact``, ``list[Practitioner]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], location: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model found at ``location``; integers index lists."""
    current: type[BaseModel] | None = model
    for part in location:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        current = _model_in(field.annotation) if field else None
    return list(current.model_fields) if current else []


def _describe(location: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in location) or "(top level)"


def validation_problems(
    exc: ValidationError, line_map: LineMap, model: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with the line and a "did you mean" hint."""
    problems = []
    for error in exc.errors():
        location = tuple(error["loc"])
        line = line_map.line_of(prefix + location)
        field = _describe(location)
        if error["type"] == "extra_forbidden":
            known = _fields_at(model, location[:-1])
            hint = difflib.get_close_matches(str(location[-1]), known, n=1, cutoff=0.6)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; allowed keys: {', '.join(known)}"
            message = f"unknown key '{field}'{suggestion}"
        elif error["type"] == "missing":
            message = f"'{field}' is required"
        else:
            reason = error["msg"]
            if reason.startswith("Value error, "):
                reason = reason[len("Value error, ") :]
            message = f"'{field}': {reason}"
        problems.append(Problem(line_map.path, line, message))
    return problems

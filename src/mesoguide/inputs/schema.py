"""Shared pieces for the typed models: strict base model and readable validation errors."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mesoguide.errors import Problem
from mesoguide.inputs.yamlfile import LineMap


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


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    return "text"


def _comment_swallowed(line_map: LineMap, line: int | None) -> bool:
    """True when the value's line holds an unquoted '#', which YAML reads as the start of a comment."""
    text = line_map.text_of(line)
    return text is not None and bool(re.search(r":\s+#", text))


def _message(error: Any, field: str, line_map: LineMap, line: int | None) -> str:
    """One pydantic error in the project's words; no validator text reaches the user."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind in ("string_type", "model_type", "dict_type", "list_type") and value is None:
        if _comment_swallowed(line_map, line):
            return f"'{field}' has no value: YAML reads everything after '#' as a comment; put the value in quotes, for example \"#0b6e4f\""
        return f"'{field}' has no value; write one after the colon, or remove the line if the field is optional"
    if kind == "string_type":
        hint = "; put it in quotes" if not isinstance(value, list | dict) else ""
        return f"'{field}' must be text, not {_kind(value)}{hint}"
    if kind == "string_too_short":
        return (
            f"'{field}' is empty" if ctx.get("min_length", 1) <= 1 else f"'{field}' needs at least {ctx['min_length']} characters"
        )
    if kind == "string_too_long":
        return f"'{field}' is too long: {ctx.get('max_length')} characters at most"
    if kind == "literal_error":
        return f"'{field}' must be {ctx.get('expected', 'one of the listed values')}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{field}' must be a group of keys (indented 'key: value' lines), not {_kind(value)}"
    if kind == "list_type":
        return f"'{field}' must be a list (one '- ' line per item), not {_kind(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{field}' must be a whole number"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' must be true or false"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"'{field}' must be a date written YYYY-MM-DD, for example 2026-11-01"
    if kind in ("value_error", "assertion_error"):
        reason = error["msg"].split(", ", 1)[1] if ", " in error["msg"] else error["msg"]
        return f"'{field}': {reason}"
    return f"'{field}' has a value that is not accepted here; see the guide for what this field holds"


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
            message = _message(error, field, line_map, line)
        problems.append(Problem(line_map.path, line, message))
    return problems

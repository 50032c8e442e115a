"""The test run loads the pytest plugins it names in pyproject.toml (autoloading is off), and
pytest leaves Hypothesis' own modules as they are: rewriting their asserts cost every worker
about 1.5 CPU-seconds of each run."""

from __future__ import annotations

import importlib

import pytest


def test_the_named_plugins_are_loaded(pytestconfig: pytest.Config) -> None:
    for name in ("xdist", "hypothesispytest"):
        assert pytestconfig.pluginmanager.has_plugin(name), f"{name} is not loaded: see addopts in pyproject.toml"


def test_hypothesis_is_imported_as_installed() -> None:
    loader = type(importlib.import_module("hypothesis.core").__loader__).__name__
    assert loader != "AssertionRewritingHook", "pytest rewrote Hypothesis' asserts: see addopts in pyproject.toml"

"""The environment variables tests/conftest.py sets are the ones the engine reads."""

from __future__ import annotations

import conftest
from mesoguide.session import CACHE_VARIABLE
from mesoguide.site.speedups import SWITCH


def test_conftest_spells_the_engine_s_variables_as_the_engine_does() -> None:
    assert conftest.CACHE_VARIABLE == CACHE_VARIABLE
    assert conftest.SPEEDUPS_SWITCH == SWITCH

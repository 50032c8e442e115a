"""The suite's xdist_group marks take effect: tests that share an expensive fixture (a module's
server, a build) run on one pytest-xdist worker, which makes it once. A worker tags a grouped
test with its group (``@group`` after its id) and the controller schedules by that tag; with
pytest 9.2 and pytest-xdist 3.8 the tag was silently lost (pytest-dev/pytest-xdist#1386)."""

from __future__ import annotations

import pytest

GROUP = "group-check"


@pytest.mark.xdist_group(GROUP)
def test_a_grouped_test_carries_its_group_on_a_worker(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("not on a pytest-xdist worker with --dist loadgroup: nothing is grouped")
    assert request.node.nodeid.endswith(f"@{GROUP}"), (
        f"pytest-xdist ignores xdist_group marks with pytest {pytest.__version__}: install the versions in requirements-dev.lock"
    )

"""Random changes to the demo profile and a clinic page never crash the build.

Hypothesis mutates values (types, lengths, unicode), keys and the YAML text itself, and
the clinic page's Markdown. Every run must end either with exit 0, a site and at most
warnings, or with exit 1 and every problem counted; print only ``path[:line]: message``
lines, never a traceback; take under five seconds of CPU; and leave the last good site
exactly as it was whenever it fails. Derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run, tree_digest

PROFILE = "clinics/demo/clinic.yml"
PAGE = "clinics/demo/pages/prices.md"
MESSAGE = re.compile(r"^(clinics|content|mkdocs\.yml|overrides|site|build)[^:\n]*(:\d+)?: \S")
LAST = re.compile(r"^(?P<count>\d+) problems? found; nothing was changed\.$")
WARNING = re.compile(r"^[^:]+(:\d+)?: (warning|note): ")

values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
YAML_SNIPPETS = [
    ":",
    "- ",
    "[",
    "{",
    "&a ",
    "*a",
    "#",
    "!!python/object:os.system ",
    '"',
    "'",
    "\t",
    "? ",
    "|\n",
    "\x00",
    "\ufeff",
]
PAGE_SNIPPETS = [
    "<script>x</script>",
    "painless",
    "{{ clinic.name }}",
    "[a](javascript:x)",
    "# ",
    "\n# Side effects\n",
    "{: .x}",
    "\x00",
    "😀" * 50,
]


@st.composite
def profile_change(draw: st.DrawFn, data: dict) -> tuple[str, object]:
    kind = draw(st.sampled_from(["value", "drop", "extra", "text"]))
    if kind == "text":
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        at = draw(st.integers(0, len(text)))
        return "text", text[:at] + draw(st.sampled_from(YAML_SNIPPETS)) + text[at:]
    changed = yaml.safe_load(yaml.safe_dump(data))
    keys = [(k,) for k in changed] + [(k, sub) for k, v in changed.items() if isinstance(v, dict) for sub in v]
    path = draw(st.sampled_from(keys))
    holder = changed if len(path) == 1 else changed[path[0]]
    if kind == "drop":
        holder.pop(path[-1])
    elif kind == "extra":
        holder[draw(st.text(min_size=1, max_size=12))] = draw(values)
    else:
        holder[path[-1]] = draw(values)
    return "data", changed


@st.composite
def page_change(draw: st.DrawFn, text: str) -> str | bytes:
    kind = draw(st.sampled_from(["keep", "insert", "replace", "bytes"]))
    if kind == "keep":
        return text
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        snippet = draw(st.one_of(st.sampled_from(PAGE_SNIPPETS), st.text(max_size=200)))
        return text[:at] + snippet + text[at:]
    if kind == "replace":
        return draw(st.text(max_size=500))
    return draw(st.binary(max_size=200))


@pytest.fixture(scope="module")
def fuzzed(built_mini: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built mini project: the last good site, and the kept prototype that later builds reuse."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(built_mini, root, symlinks=True)
    return root


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_random_profiles_and_pages_end_in_a_message_or_a_site(fuzzed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    originals = {name: (fuzzed / name).read_text(encoding="utf-8") for name in (PROFILE, PAGE)}
    data = yaml.safe_load(originals[PROFILE])

    @settings(
        max_examples=10,
        deadline=None,  # measured in CPU time below
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(profile=profile_change(data), page=page_change(originals[PAGE]))
    def one(profile: tuple[str, object], page: str | bytes) -> None:
        kind, value = profile
        text = value if kind == "text" else yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
        (fuzzed / PROFILE).write_text(str(text), encoding="utf-8")
        if isinstance(page, bytes):
            (fuzzed / PAGE).write_bytes(page)
        else:
            (fuzzed / PAGE).write_text(page, encoding="utf-8")
        site = fuzzed / "site/demo"
        before = tree_digest(site) if site.exists() else {}
        started, cpu_started = time.perf_counter(), time.process_time()
        result = run(fuzzed, "build", capsys=capsys)
        # Five seconds of work at most; the wall-clock bound only catches a hang, as a busy
        # machine stretches wall time without changing the work a build does.
        assert time.process_time() - cpu_started < 5
        assert time.perf_counter() - started < 60
        assert "Traceback" not in result.err and "Input should" not in result.err  # no validator's own words
        lines = result.err.strip().splitlines()
        last = LAST.match(lines[-1]) if lines else None
        if last:  # refused: one line per problem, counted on the last line, and the old site kept
            assert result.code == 1, result.err
            assert int(last.group("count")) == len(lines) - 1 >= 1, result.err
            assert all(MESSAGE.match(line) for line in lines[:-1]), result.err
            assert (tree_digest(site) if site.exists() else {}) == before
        else:  # built: at most warnings, and the site is there
            assert result.code == 0, result.err
            assert all(MESSAGE.match(line) and WARNING.search(line) for line in lines), result.err
            assert (site / "index.html").is_file()

    one()

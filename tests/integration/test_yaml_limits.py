"""Every YAML file a build reads refuses alias bombs and deep nesting at once, at the right line."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import run

# Nine lines that expand to 9**8 (43 million) strings once anything walks the aliases.
ALIAS_BOMB = "\n".join(
    ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 9)]
)
DEEP = "key: " + "[" * 5000 + "]" * 5000
BOMB_IN_LIST = "- " + ALIAS_BOMB.replace("\n", "\n  ")


@pytest.mark.parametrize(
    "path,make,expected",
    [
        ("clinics/demo/clinic.yml", lambda text: ALIAS_BOMB + "\n" + text, r"clinics/demo/clinic.yml:1: YAML anchors"),
        ("clinics/demo/clinic.yml", lambda text: DEEP + "\n" + text, r"clinics/demo/clinic.yml:1: nested more than"),
        ("content/claims.yml", lambda text: BOMB_IN_LIST + "\n" + text, r"content/claims.yml:1: YAML anchors"),
        (
            "content/pages/index.md",
            lambda text: text.replace("---\n", "---\n" + DEEP + "\n", 1),
            r"content/pages/index.md:2: nested",
        ),
        ("mkdocs.yml", lambda text: ALIAS_BOMB + "\n" + text, r"mkdocs.yml:1: YAML anchors"),
    ],
    ids=["profile-alias-bomb", "profile-deep", "claims-alias-bomb", "front-matter-deep", "mkdocs-alias-bomb"],
)
def test_every_yaml_the_build_reads_refuses_them(project: Path, capsys, path: str, make, expected: str) -> None:
    target = project / path
    target.write_text(make(target.read_text(encoding="utf-8")), encoding="utf-8")
    started = time.perf_counter()
    result = run(project, "build", capsys=capsys)
    assert time.perf_counter() - started < 5
    assert result.code == 1
    assert re.search(rf"^{expected}", result.err, re.M), result.err
    assert "Traceback" not in result.err

"""The project's documents refer only to files the repository has."""

from __future__ import annotations

import re

from conftest import REPO

# Paths inside the repository as the documents write them: in backticks or as link targets.
PATH = re.compile(r"(?:`|\]\()((?:\.github|\.ci|docs|content|src|tests|scripts|overrides)/[\w./-]+?)[`)#]")
ROOT_FILES = re.compile(r"`((?:README|LICENSE)(?:\.md)?|mkdocs\.yml|pyproject\.toml|requirements\.lock)`")


def test_every_file_a_document_names_exists() -> None:
    missing = []
    for document in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = document.read_text(encoding="utf-8")
        for match in [*PATH.finditer(text), *ROOT_FILES.finditer(text)]:
            name = match.group(1).rstrip("/.")
            if "*" in name or "<" in name or "NUMBER" in name:
                continue
            if not (REPO / name).exists():
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{document.relative_to(REPO)}:{line}: {name}")
    assert not missing, "\n".join(missing)


def test_the_editor_guide_needs_no_python_one_liner() -> None:
    guide = (REPO / "docs/editor-guide.md").read_text(encoding="utf-8")
    assert "python -c" not in guide and "mesoguide review" in guide
    assert "Plain language" in (REPO / "docs/content-policy.md").read_text(encoding="utf-8")

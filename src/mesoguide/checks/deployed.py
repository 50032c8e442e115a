"""``check --deployed manifest.json``: is a deployed copy older than the current content?"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..content import Content
from ..errors import Problem

ENTRY = re.compile(r"^##\s+(\d+\.\d+\.\d+)\s+\((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def changelog_since(content: Content, deployed_version: str) -> list[str]:
    """CHANGELOG entries newer than ``deployed_version``, newest first, as 'version (date): text'."""
    text = (content.root / "CHANGELOG.md").read_text(encoding="utf-8")
    matches = list(ENTRY.finditer(text))
    entries = []
    for i, match in enumerate(matches):
        if _version(match.group(1)) <= _version(deployed_version):
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = " ".join(text[match.end() : end].split())
        entries.append(f"{match.group(1)} ({match.group(2)}): {body}")
    return entries


def deployed_problems(content: Content, manifest_path: Path) -> list[Problem]:
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        deployed = str(manifest["content_version"])
        _version(deployed)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(manifest_path, None, f"cannot read the deployed manifest: {exc}")]
    if _version(deployed) >= _version(content.version):
        return []
    changes = changelog_since(content, deployed)
    listed = " | ".join(changes) if changes else "see content/CHANGELOG.md"
    return [
        Problem(
            manifest_path,
            None,
            f"the deployed site shows content {deployed}, the current content is {content.version}; rebuild and redeploy. Changes: {listed}",
            "warning",
        )
    ]

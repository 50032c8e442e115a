"""``check --deployed URL|PATH``: is the clinic's live copy older than the current content?

Given an address, the manifest is read from the live site itself (``<URL>/manifest.json``):
the only network request the project makes, and only when asked. Given a path, the
manifest file is read (a copy kept from the last deployment, or the deployed folder).
The advice is for the clinic: what to rebuild, redeploy and reprint, and what changed for
patients in between; when the copy is current, it says so.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

from mesoguide.errors import Problem
from mesoguide.inputs.changelog import entries_since
from mesoguide.inputs.content import Content

MAX_MANIFEST_BYTES = 1_000_000
TIMEOUT_SECONDS = 10


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def manifest_location(deployed: str) -> str | Path:
    """The manifest's address or file for what the user gave: a site address, a folder or a file."""
    if re.match(r"^https?://", deployed, re.IGNORECASE):
        return deployed if deployed.endswith("manifest.json") else deployed.rstrip("/") + "/manifest.json"
    path = Path(deployed)
    return path / "manifest.json" if path.is_dir() else path


def _read(location: str | Path) -> bytes:
    if isinstance(location, Path):
        return location.read_bytes()
    request = urllib.request.Request(location, headers={"User-Agent": "mesoguide check --deployed"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # http(s) only: see manifest_location
        data = response.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError("the manifest is larger than 1 MB; this is not a manifest mesoguide wrote")
    return data


def _reason(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {exc.reason}; is the site deployed there, with manifest.json?"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot reach the site ({exc.reason})"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} seconds"
    return str(exc) or type(exc).__name__


def deployed_problems(content: Content, deployed: str | Path, clinic: str | None = None) -> list[Problem]:
    """Advice for the clinic on its deployed copy; a note when it is current."""
    location = manifest_location(str(deployed))
    try:
        manifest = json.loads(_read(location).decode("utf-8"))
        live = str(manifest["content_version"])
        _version(live)
        slug = str(manifest.get("clinic", ""))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(location, None, f"cannot read the deployed manifest: {_reason(exc)}")]
    if clinic and slug and slug != clinic:
        return [Problem(location, None, f"this is the site of clinic '{slug}', not '{clinic}'; check the address")]
    name = slug or clinic or "<slug>"
    if _version(live) == _version(content.version):
        return [
            Problem(location, None, f"the deployed site shows content {live}, the current version; nothing to update", "note")
        ]
    if _version(live) > _version(content.version):
        return [
            Problem(
                location,
                None,
                f"the deployed site shows content {live}, newer than this copy's {content.version}; run 'git pull' before building",
                "warning",
            )
        ]
    changes = [f"{e.version} ({e.date_text}): {e.text}" for e in entries_since(content.root / "CHANGELOG.md", live)]
    listed = " | ".join(changes) if changes else "see content/CHANGELOG.md"
    return [
        Problem(
            location,
            None,
            f"the deployed site shows content {live}, the current content is {content.version}. "
            f"To update: run 'mesoguide build --clinic {name}', copy site/{name}/ to your server again, "
            f"and reprint handouts ('mesoguide handout --clinic {name}'). What changed for patients: {listed}",
            "warning",
        )
    ]

"""Stage 4, site: the only module that imports MkDocs.

Builds a rendered project with MkDocs' Python API into a temporary folder next to the
destination, post-processes the HTML (Content Security Policy with the hashes of the
theme's inline scripts, referrer policy, ``manifest.json``) and swaps the finished site
into place. A build that fails, or is killed, leaves the previous site as it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, UserError, display_path

CSP_BASE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")
# Read once: the build sets SOURCE_DATE_EPOCH itself and must not mistake that for the user's.
USER_SOURCE_DATE_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def script_hashes(page_html: str) -> list[str]:
    """CSP source expressions for every inline script that the browser would run."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(page_html):
        attrs = match.group("attrs")
        if "src=" in attrs or any(t in attrs for t in DATA_SCRIPT_TYPES):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(set(hashes))


def add_security_meta(page_html: str) -> str:
    """Insert the CSP and referrer policy right after ``<meta charset>``, before any script."""
    sources = " ".join(["'self'", *script_hashes(page_html)])
    policy = f"{CSP_BASE}; script-src {sources}"
    tags = (
        f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">'
        '\n    <meta name="referrer" content="no-referrer">'
    )
    charset = re.search(r"<meta charset=[^>]*>", page_html)
    if charset is None:
        raise ValueError("page has no <meta charset>; cannot place the security policy before scripts")
    return page_html[: charset.end()] + tags + page_html[charset.end() :]


def post_process(site_dir: Path, manifest: dict) -> None:
    """Security meta on every HTML page, and a manifest of what was built."""
    page_hashes = {}
    for page in sorted(site_dir.rglob("*.html")):
        text = add_security_meta(page.read_text(encoding="utf-8"))
        page.write_text(text, encoding="utf-8")
        page_hashes[page.relative_to(site_dir).as_posix()] = hashlib.sha256(text.encode()).hexdigest()
    manifest = dict(manifest, pages=page_hashes)
    (site_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _source_date_epoch(release_date: str) -> str:
    """Dates in the site come from the content's release, unless SOURCE_DATE_EPOCH is set."""
    if USER_SOURCE_DATE_EPOCH:
        return USER_SOURCE_DATE_EPOCH
    day = dt.datetime.combine(dt.date.fromisoformat(release_date), dt.time(), tzinfo=dt.timezone.utc)
    return str(int(day.timestamp()))


def _warning_problem(message: str, config_file: Path, docs_sources: dict[str, Path]) -> Problem:
    """Point an MkDocs warning at the source file an editor would fix."""
    for rendered, source in docs_sources.items():
        if f"'{rendered}'" in message or message.startswith(f"Doc file '{rendered}'"):
            return Problem(source, None, message)
    return Problem(config_file, None, message)


def mkdocs_build(config_file: Path, site_dir: Path, docs_sources: dict[str, Path]) -> None:
    """Build one rendered project with MkDocs in strict mode; warnings become problems."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, MkDocsException, SystemExit) as exc:
        messages = handler.messages or [str(exc) or "MkDocs build failed"]
        raise UserError([_warning_problem(m, config_file, docs_sources) for m in messages]) from None
    finally:
        logger.removeHandler(handler)


def _swap_into_place(built: Path, dest: Path) -> None:
    """Replace ``dest`` with ``built``; the old site stays whole until the new one is complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.replace(dest, old)
    os.replace(built, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(dest: Path) -> None:
    """Temporary folders of builds that were killed midway."""
    if dest.parent.is_dir():
        for leftover in dest.parent.glob(f".{dest.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)


@dataclass(frozen=True)
class BuiltSite:
    """What one build produced."""

    slug: str
    path: Path
    pages: int
    seconds: float


def build_site(config_file: Path, dest: Path, manifest: dict, docs_sources: dict[str, Path]) -> BuiltSite:
    """Build the project at ``config_file`` into ``dest`` atomically."""
    started = time.perf_counter()
    dest = Path(dest).absolute()
    _remove_leftovers(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
    try:
        os.environ["SOURCE_DATE_EPOCH"] = _source_date_epoch(manifest["release_date"])
        site_dir = work / "site"
        mkdocs_build(config_file, site_dir, docs_sources)
        post_process(site_dir, manifest)
        _swap_into_place(site_dir, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages = sum(1 for _ in dest.rglob("*.html"))
    return BuiltSite(manifest["clinic"], dest, pages, time.perf_counter() - started)


def describe(site: BuiltSite) -> str:
    return f"{site.slug}: {site.pages} pages in {display_path(site.path)}/ ({site.seconds:.1f} s)"


def serve(config_file: Path, host: str, port: int) -> None:
    """MkDocs' development server with live reload on the rendered project (no CSP: it injects a script)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=f"{host}:{port}", strict=False)

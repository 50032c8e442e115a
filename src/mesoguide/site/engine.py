"""MkDocs itself: a strict build of one project, with or without the speed-ups (speedups.py),
and its development server."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from mesoguide.errors import Problem, UserError
from mesoguide.site.speedups import SpeedupCache, installed


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def warning_problem(message: str, config_file: Path, docs_sources: dict[str, Path]) -> Problem:
    """Point an MkDocs warning at the source file an editor would fix."""
    for rendered, source in docs_sources.items():
        if f"'{rendered}'" in message or message.startswith(f"Doc file '{rendered}'"):
            return Problem(source, None, message)
    return Problem(config_file, None, message)


def _load_config(config_file: Path, site_dir: Path):
    """MkDocs' load_config, reading the file with libyaml when it uses no MkDocs YAML tags.

    MkDocs parses its configuration with the pure-Python YAML loader so that it can support
    ``!ENV`` and ``!relative``; the rendered mkdocs.yml uses neither, and with its glossary
    it is large enough for that parse to be a noticeable part of every build.
    """
    import yaml
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort

    try:
        data = yaml.load(config_file.read_bytes(), Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        data = None  # a tag only MkDocs knows, or a real error MkDocs will report in its own words
    if not isinstance(data, dict) or "INHERIT" in data:
        return load_config(str(config_file), site_dir=str(site_dir), strict=True)
    config = MkDocsConfig(config_file_path=str(config_file))
    config.load_dict({**data, "site_dir": str(site_dir), "strict": True})
    errors, warnings = config.validate()
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise Abort("Aborted with a configuration error!")
    if warnings:
        raise Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    return config


@contextlib.contextmanager
def build_date_set(source_date_epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH in this process's environment for one MkDocs build, restored after it.

    MkDocs reads the date it stamps on the sitemap from the environment and offers no other way in.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def mkdocs_build(
    config_file: Path,
    site_dir: Path,
    docs_sources: dict[str, Path],
    source_date_epoch: int,
    speedups: SpeedupCache | None = None,
    report_as: Path | None = None,
) -> None:
    """Build one rendered project with MkDocs in strict mode, dated ``source_date_epoch``; warnings become problems.

    With ``speedups``, the speed-ups are installed for this build alone and keep their work
    there. Problems that name no page are reported against ``report_as`` (default: ``config_file``).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with build_date_set(source_date_epoch), installed(speedups):
            config = _load_config(config_file, site_dir)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except (Abort, MkDocsException, SystemExit) as exc:
        messages = handler.messages or [str(exc) or "MkDocs build failed"]
        raise UserError([warning_problem(m, report_as or config_file, docs_sources) for m in messages]) from None
    finally:
        logger.removeHandler(handler)


def serve(config_file: Path, host: str, port: int, speedups: SpeedupCache | None = None) -> None:
    """MkDocs' development server with live reload on the rendered project (no CSP: it injects a script).

    With ``speedups``, they are in place while the server runs, so each rebuild after an edit
    reuses the compiled theme and the pages whose text did not change.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with installed(speedups):
        mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=f"{host}:{port}", strict=False)

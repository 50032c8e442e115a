"""Compiled Jinja templates kept between builds, in memory and under ``build/.cache/``.

Compiling templates is most of what a small build spends: Material's theme alone is about
fifty templates. Jinja can store compiled templates ("bytecode") and load them instead, and
checks the checksum of each template's source before using a stored copy, so an edited
template is always compiled afresh.

Jinja's own caches assume one environment per cache. The compiled code also depends on the
environment's settings (delimiters, autoescaping, sandboxing, extensions) and on the Jinja
and Python versions, so those are part of every key here: a stored copy is only used by an
environment that would have compiled exactly the same code.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache


def environment_fingerprint(env: jinja2.Environment, name: str) -> str:
    """Everything besides the source that decides the code Jinja compiles for ``name``."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    settings = (
        jinja2.__version__,
        sys.version_info[:2],
        f"{type(env).__module__}.{type(env).__qualname__}",
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        bool(autoescape),
        getattr(env.finalize, "__qualname__", None),
        sorted(env.extensions),
        sorted(getattr(env, "intercepted_binops", ())),
        sorted(getattr(env, "intercepted_unops", ())),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates by environment settings, template name and, optionally, file name.

    ``by_file_name=False`` suits a theme that every clinic's project holds a copy of: the
    same template at another path is the same template (its checksum guards the source).
    Stored copies live in memory for the process and, when ``directory`` is given, on disk
    for later runs; files are written to a temporary name and renamed, so parallel builds
    never read half a file.
    """

    def __init__(self, directory: Path | None, by_file_name: bool) -> None:
        self.directory = directory
        self.by_file_name = by_file_name
        self.memory: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        parts = [environment_fingerprint(environment, name), name]
        if self.by_file_name and filename is not None:
            parts.append(filename)
        key = hashlib.sha256("|".join(parts).encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        path = self._path(bucket.key)
        if data is None and path is not None:
            try:
                data = path.read_bytes()
            except OSError:
                return
        if data is not None:
            bucket.bytecode_from_string(data)  # resets the bucket if the checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        path = self._path(bucket.key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError:
            pass  # a read-only or full disk only costs the next run a compile

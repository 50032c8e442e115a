"""``mesoguide serve``: re-render on every change, let MkDocs' server rebuild and reload.

Our watcher follows the inputs (content/, the clinic's folder, overrides/, mkdocs.yml)
and re-renders into build/<slug>/; only files whose bytes changed are written, so MkDocs'
own watcher on that project rebuilds just once per save and the browser reloads.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import yaml
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from mesoguide.errors import Problem, UserError, display_path
from mesoguide.pipeline import render_clinic
from mesoguide.render import PROJECT_HEADER, dump_yaml
from mesoguide.session import BuildSession
from mesoguide.site import serve as serve_site

DEBOUNCE_SECONDS = 0.1


class PortBusy(Exception):
    """The preview cannot listen where asked; the message says what to do, in one line."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def stopped_by_terminate_as_by_ctrl_c() -> Iterator[None]:
    """While the preview runs, SIGTERM (an editor's stop button, a process manager) stops it
    as Ctrl-C does: MkDocs' server then shuts down and deletes the site it built in a
    temporary folder, which Python's default for SIGTERM (exit at once) leaves behind."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; there, SIGTERM keeps its default
        return
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _free_port_after(host: str, port: int) -> int | None:
    """A port above ``port`` that nothing listens on, to suggest."""
    for candidate in range(port + 1, min(port + 20, 65535) + 1):
        if _listen_problem(host, candidate) is None:
            return candidate
    return None


def _listen_problem(host: str, port: int) -> str | None:
    """Why the preview server could not listen on ``host:port``, or None when it can."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # The preview server sets SO_REUSEADDR too: a port left in TIME_WAIT is free for it.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OverflowError:
        return f"port {port} does not exist; ports go up to 65535"
    except socket.gaierror:
        return f"cannot serve on host {host!r}: no such address; use --host 127.0.0.1"
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return "in use"
        return f"cannot listen on {host}:{port} ({exc.strerror}); choose another with --port"
    return None


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortBusy` with one line of advice when ``host:port`` cannot be used."""
    problem = _listen_problem(host, port)
    if problem == "in use":
        free = _free_port_after(host, port)
        example = f", for example: mesoguide serve --port {free}" if free else ""
        raise PortBusy(f"port {port} on {host} is already in use (another preview?); choose another with --port{example}")
    if problem:
        raise PortBusy(problem)


class _Rerender(FileSystemEventHandler):
    def __init__(self, rerender, ignored: tuple[Path, ...]) -> None:
        self.rerender = rerender
        self.ignored = ignored
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = Path(str(event.src_path)).resolve()
        if event.event_type in ("opened", "closed_no_write") or "__pycache__" in path.parts:
            return
        if any(path.is_relative_to(ignored) for ignored in self.ignored):
            return
        with self.lock:
            if self.timer:
                self.timer.cancel()
            # Editors save in bursts (temp file, rename, chmod): render once per burst.
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self.rerender)
            self.timer.daemon = True
            self.timer.start()


def show_problems(config_file: Path, problems: list[Problem]) -> None:
    """List ``problems`` in the preview: the last good project's configuration carries them.

    MkDocs' server rebuilds when its configuration changes, and the theme shows
    ``extra.preview_errors`` above every page; the next good render writes the configuration
    without them, and the list goes away.
    """
    text = config_file.read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.CSafeLoader)
    config.setdefault("extra", {})["preview_errors"] = [problem.format() for problem in problems]
    config_file.write_text(PROJECT_HEADER + dump_yaml(config), encoding="utf-8")


def serve(folder: Path, session: BuildSession, host: str, port: int) -> None:
    """Render once (problems are fatal), then watch and serve until interrupted."""
    check_port(host, port)  # before rendering: a busy port is the quickest thing to report
    paths = session.paths
    project = render_clinic(folder, session)

    def rerender() -> None:
        try:
            session.forget_content()  # a change to the content is what a re-render is for
            render_clinic(folder, session)
            print(f"mesoguide: re-rendered {project.clinic.slug}", file=sys.stderr)
        except UserError as exc:
            for problem in exc.problems:
                print(problem.format(), file=sys.stderr)
            show_problems(project.config_file, exc.problems)
            print("mesoguide: the preview lists these problems over the last good render until they are fixed", file=sys.stderr)

    # Our own output must not trigger a render: ignore every top-level entry that holds none
    # of the watched inputs (build/, site/, .git/ …); in the root itself only mkdocs.yml counts.
    watched = [paths.content_dir.resolve(), folder.resolve(), (paths.root / "overrides").resolve()]
    ignored = tuple(
        entry.resolve()
        for entry in paths.root.iterdir()
        if entry.name != "mkdocs.yml" and not any(w.is_relative_to(entry.resolve()) for w in watched)
    )
    handler = _Rerender(rerender, ignored)
    observer = Observer()
    for watched in (paths.content_dir, folder, paths.root / "overrides"):
        if watched.is_dir():
            observer.schedule(handler, str(watched), recursive=True)
    observer.schedule(handler, str(paths.root), recursive=False)  # mkdocs.yml
    observer.start()
    print(
        f"mesoguide: previewing {project.clinic.slug} from {display_path(project.path)}/ on http://{host}:{port}/",
        file=sys.stderr,
    )
    try:
        with stopped_by_terminate_as_by_ctrl_c():
            serve_site(project.config_file, host, port, session.site.speedups)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise PortBusy(f"port {port} on {host} was taken while the preview started; choose another with --port") from None
    finally:
        observer.stop()
        observer.join()

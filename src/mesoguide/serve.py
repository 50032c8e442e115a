"""``mesoguide serve``: re-render on every change, let MkDocs' server rebuild and reload.

Our watcher follows the inputs (content/, the clinic's folder, overrides/, mkdocs.yml)
and re-renders into build/<slug>/; only files whose bytes changed are written, so MkDocs'
own watcher on that project rebuilds just once per save and the browser reloads.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .errors import UserError, display_path
from .pipeline import Paths, render_clinic
from .site import serve as serve_site

DEBOUNCE_SECONDS = 0.1


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


def serve(folder: Path, paths: Paths, host: str, port: int) -> None:
    """Render once (problems are fatal), then watch and serve until interrupted."""
    project = render_clinic(folder, paths)

    def rerender() -> None:
        try:
            render_clinic(folder, paths)
            print(f"mesoguide: re-rendered {project.clinic.slug}", file=sys.stderr)
        except UserError as exc:
            for problem in exc.problems:
                print(problem.format(), file=sys.stderr)
            print("mesoguide: the preview shows the last good render until these are fixed", file=sys.stderr)

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
        serve_site(project.config_file, host, port)
    finally:
        observer.stop()
        observer.join()

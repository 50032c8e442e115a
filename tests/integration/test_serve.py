"""mesoguide serve: a saved change reaches the preview, with MkDocs' live reload script; problems show in the browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from mesoguide.session import CACHE_VARIABLE

# Material templates a page build compiles (base, main, partials): far more than the render
# stage's own compiled page templates, which the preview keeps either way.
MATERIAL_TEMPLATES = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, needle: str, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if needle in fetch(url):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def wait_for_absence(url: str, needle: str, timeout: float) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        page = fetch(url)
        if page and needle not in page:
            return True
        time.sleep(0.05)
    return False


def test_a_saved_page_shows_up_in_the_preview(project: Path, tmp_path: Path) -> None:
    port = free_port()
    scratch = tmp_path / "scratch"  # the preview's temporary folders, to see that it removes them
    scratch.mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(scratch))
    env.pop(CACHE_VARIABLE, None)  # the project's own build/.cache/, to see what the preview keeps
    server = subprocess.Popen(
        [sys.executable, "-m", "mesoguide", "serve", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(url, "Demo Skin Clinic", 60) is not None, "the preview did not start"
        page = fetch(url)
        assert "livereload" in page, "MkDocs' live reload script is missing"
        assert "Content-Security-Policy" not in page, "the preview must not carry the CSP: it would block live reload"
        source = project / "content/pages/index.md"
        source.write_text(source.read_text().replace("The evidence is weak.", "The evidence is weak (edited)."))
        seconds = wait_for(url, "The evidence is weak (edited).", 30)
        assert seconds is not None, "the change never reached the preview"
        print(f"change visible after {seconds:.2f} s")
        # MkDocs rebuilt the preview with the speed-ups in place: Material's compiled templates
        # are kept with the few compiled page templates of the render stage.
        compiled = len(list((project / "build/.cache").glob("*.jinja")))
        print(f"{compiled} compiled templates kept")
        assert compiled >= MATERIAL_TEMPLATES, f"only {compiled} compiled templates kept: the preview built without the speed-ups"
        clinic = project / "clinics/demo/clinic.yml"
        clinic.write_text(clinic.read_text().replace("name: Demo Skin Clinic", "name: Demo Skin Clinic Renamed"))
        assert wait_for(url, "Demo Skin Clinic Renamed", 30) is not None, "a profile change never reached the preview"
        good = source.read_text()
        source.write_text(good.replace('{{ cite("konda-2013") }}', '{{ cite("konda-2031") }}'))
        problem = "content/pages/index.md:15: unknown reference id &#39;konda-2031&#39;"
        assert wait_for(url, problem, 30) is not None, "the preview does not show the problem"
        assert "The evidence is weak (edited)." in fetch(url), "the last good page should stay under the list"
        source.write_text(good)
        assert wait_for_absence(url, "mg-preview-errors", 30), "the problem list stayed after the fix"
        # Stopped as an editor's stop button or a process manager stops it: the server shuts
        # down and deletes the site MkDocs built in a temporary folder.
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=10) == 0, server.stderr.read() if server.stderr else ""
        left = sorted(p.name for p in scratch.iterdir())
        assert not left, f"the stopped preview left {left} in its temporary folder"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_a_busy_port_is_one_line_that_suggests_another(project: Path, capsys) -> None:
    from conftest import run

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = run(project, "serve", "--port", str(port), capsys=capsys)
    assert time.monotonic() - started < 10  # at once: before anything is rendered
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert re.fullmatch(
        rf"mesoguide serve: port {port} on 127.0.0.1 is already in use \(another preview\?\); "
        r"choose another with --port, for example: mesoguide serve --port \d+",
        lines[0],
    )

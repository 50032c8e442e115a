"""check --deployed: the live site's manifest, fetched from a local server, against the content."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
from mesoguide.checks.deployed import deployed_problems
from mesoguide.inputs.content import load_content


@pytest.fixture
def live_site(built_mini: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The built demo site served on 127.0.0.1, from a copy the test may change."""
    site = tmp_path / "www"
    shutil.copytree(built_mini / "site/demo", site)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the serving loop's next poll: 0.5 s by default, at the end of every test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


def set_version(site: Path, version: str) -> None:
    manifest = json.loads((site / "manifest.json").read_text())
    (site / "manifest.json").write_text(json.dumps(dict(manifest, content_version=version)))


@pytest.mark.measures_text  # runs mesoguide check
def test_a_current_live_site_is_said_to_be_current(live_site, built_mini: Path, project: Path, capsys) -> None:
    url, _ = live_site
    result = run(project, "check", "--clinic", "demo", "--today", "2026-06-01", "--deployed", url, capsys=capsys)
    version = (project / "content/VERSION").read_text().strip()
    assert (
        f"{url}manifest.json: note: the deployed site shows content {version}, the current version; nothing to update"
        in result.out
    )


def test_an_old_live_site_gets_the_clinic_s_steps_and_the_changes(live_site, built_mini: Path) -> None:
    url, site = live_site
    content = load_content(built_mini / "content")
    set_version(site, "0.0.1")
    [problem] = deployed_problems(content, url, "demo")
    assert problem.severity == "warning" and problem.path == url + "manifest.json"
    assert f"the deployed site shows content 0.0.1, the current content is {content.version}" in problem.message
    for step in ("mesoguide build --clinic demo", "copy site/demo/ to your server again", "mesoguide handout --clinic demo"):
        assert step in problem.message
    assert f"What changed for patients: {content.version} (" in problem.message


def test_the_wrong_clinic_and_an_unreachable_site_are_one_line_each(live_site, built_mini: Path) -> None:
    url, site = live_site
    content = load_content(built_mini / "content")
    [wrong] = deployed_problems(content, url, "harbour-light")
    assert wrong.message == "this is the site of clinic 'demo', not 'harbour-light'; check the address"
    (site / "manifest.json").unlink()
    [missing] = deployed_problems(content, url, "demo")
    assert missing.severity == "error" and "the server answered 404" in missing.message
    [down] = deployed_problems(content, "http://127.0.0.1:9/", "demo")
    assert down.message.startswith("cannot read the deployed manifest: cannot reach the site")


def test_a_folder_or_a_file_works_too(built_mini: Path) -> None:
    content = load_content(built_mini / "content")
    for given in (built_mini / "site/demo", built_mini / "site/demo/manifest.json"):
        [note] = deployed_problems(content, str(given), "demo")
        assert note.severity == "note" and "nothing to update" in note.message

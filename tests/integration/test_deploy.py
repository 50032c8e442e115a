"""Deployment files, the GitHub workflow, the handout, and the project's own lint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run


def test_each_site_has_headers_robots_and_sitemap_for_its_own_url(built_mini: Path) -> None:
    for slug, host in (("demo", "guide.demo-clinic.example.org"), ("harbour-light", "guide.harbour-light.example.com")):
        site = built_mini / "site" / slug
        headers = (site / "_headers").read_text()
        assert "Content-Security-Policy: default-src 'self'" in headers
        for name in ("Referrer-Policy: no-referrer", "Strict-Transport-Security", "X-Content-Type-Options: nosniff"):
            assert name in headers
        assert "max-age=31536000, immutable" in headers
        # Every inline script hash of every page is allowed by the header policy.
        page_hashes = set(re.findall(r"'sha256-[^']+'", "".join(p.read_text() for p in site.rglob("*.html"))))
        assert page_hashes and page_hashes <= set(re.findall(r"'sha256-[^']+'", headers))
        nginx = (built_mini / "site" / f"{slug}.deploy" / "nginx.conf").read_text()
        assert f"server_name {host};" in nginx and "add_header Content-Security-Policy" in nginx
        assert (site / "robots.txt").read_text().endswith(f"Sitemap: https://{host}/sitemap.xml\n")
        assert f"<loc>https://{host}/" in (site / "sitemap.xml").read_text()


def test_the_workflow_validates_against_the_github_workflow_schema() -> None:
    check = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert check, "check-jsonschema is a test dependency"
    result = subprocess.run(
        [check, "--builtin-schema", "vendor.github-workflows", str(REPO / ".github/workflows/site.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_runs_the_same_commands_as_ci() -> None:
    workflow = (REPO / ".github/workflows/site.yml").read_text()
    ci = (REPO / ".ci/run").read_text()
    test_command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert test_command in workflow
    assert ".venv/bin/mesoguide check" in workflow and ".venv/bin/mesoguide check" in ci


def test_pull_requests_get_every_clinic_built_and_quotes_verified_where_possible() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML reads the key `on` as true
    build = workflow["jobs"]["build"]
    assert "if" not in build, "the sites must be built for pull requests too"
    steps = build["steps"]
    assert any(s.get("run") == ".venv/bin/mesoguide build --all" for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site/" and "sites-pr-" in upload["with"]["name"]
    gates = next(s for s in workflow["jobs"]["test"]["steps"] if s.get("name") == "Quality gates")
    assert "--sources .sources" in gates["run"]
    assert workflow["jobs"]["pages"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def test_the_pre_commit_hooks_are_all_local() -> None:
    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {hook["id"] for hook in config["repos"][0]["hooks"]} == {"ruff", "ruff-format", "mesoguide-check"}


def test_the_code_passes_ruff() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff is a test dependency"
    lint = subprocess.run([ruff, "check", "src", "tests", "scripts"], cwd=REPO, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run([ruff, "format", "--check", "src", "tests", "scripts"], cwd=REPO, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout


def test_the_handout_says_what_to_install_without_chromium(project: Path, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    result = run(project, "handout", "--out", str(tmp_path / "x.pdf"), capsys=capsys)
    assert result.code == 1
    assert "apt-get install chromium" in result.err and "Traceback" not in result.err


def test_only_the_site_engine_and_its_speedups_import_mkdocs() -> None:
    import ast

    package = Path(__file__).resolve().parents[2] / "src/mesoguide"
    importers = set()
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(n.split(".")[0] in ("mkdocs", "material") for n in names):
                importers.add(module.relative_to(package).as_posix())
    assert importers == {"site/engine.py", "site/speedups.py"}


def test_the_handout_states_its_review_state_and_content_version(built_real: Path) -> None:
    from mesoguide.handout import HANDOUT_PAGES, handout_html
    from mesoguide.inputs.content import load_content
    from mesoguide.inputs.profile import load_clinic

    content = load_content(built_real / "content")
    document = handout_html(built_real / "site/demo", load_clinic(built_real / "clinics/demo"), content)
    unreviewed = any(not content.pages[name].meta.clinical_reviewer for name in HANDOUT_PAGES)
    assert ("<strong>Not yet clinically reviewed.</strong>" in document) == unreviewed
    assert f"Content version {content.version} of {content.release_date.isoformat()}." in document


def test_a_clinic_installs_the_runtime_lock_and_a_developer_adds_the_dev_lock() -> None:
    def pinned(name: str) -> set[str]:
        return set(re.findall(r"^([a-z0-9-]+)==", (REPO / name).read_text(), re.M))

    runtime, dev = pinned("requirements.lock"), pinned("requirements-dev.lock")
    assert {"mkdocs", "playwright", "pillow"} <= runtime  # build and print
    assert not {"pytest", "ruff", "hypothesis", "pypdf", "check-jsonschema"} & runtime
    assert {"pytest", "ruff", "hypothesis"} <= dev and not runtime & dev
    for name in ("requirements.lock", "requirements-dev.lock"):
        for block in re.split(r"\n(?=[a-z0-9-]+==)", (REPO / name).read_text()):
            if re.match(r"[a-z0-9-]+==", block):
                assert "--hash=sha256:" in block, block.splitlines()[0]
    readme = (REPO / "README.md").read_text()
    assert "pip install --require-hashes -r requirements.lock -r requirements-dev.lock" in readme

"""A build session owns what builds share: two projects built in one process share nothing,
the build date never stays in the environment, and worker processes get the session."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, run
from mesoguide.session import CACHE_VARIABLE, BuildSession, Paths, worker_pool, worker_session


def with_compiled_templates(project: Path, shared_store: Path) -> None:
    """The run's compiled templates in the project's own store, and no built site: what the
    test is about (built prototypes, names) starts empty, without compiling Material again."""
    own = project / "build/.cache"
    own.mkdir(parents=True)
    for compiled in shared_store.glob("*.jinja"):
        shutil.copy2(compiled, own / compiled.name)


@pytest.mark.usefixtures("own_store")
def test_two_projects_built_in_one_process_each_get_their_own_store_and_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shared_store: Path
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = copy_project(tmp_path / "first")
    with_compiled_templates(first, shared_store)
    assert run(first, "build", capsys=capsys).code == 0
    # The same pages (so the same prototype) with another clinic name.
    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("build", "site"))
    profile = second / "clinics/demo/clinic.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Demo Skin Clinic", "Second Skin Clinic"), encoding="utf-8")
    with_compiled_templates(second, shared_store)
    assert run(second, "build", capsys=capsys).code == 0
    assert list((second / "build/.cache/sites").glob("*.zip")), "the second project's built prototype was not stored"
    index = (second / "site/demo/index.html").read_text(encoding="utf-8")
    assert "Second Skin Clinic" in index and "Demo Skin Clinic" not in index
    assert "Second Skin Clinic" not in (first / "site/demo/index.html").read_text(encoding="utf-8")
    # The date each build gave MkDocs was set for that build alone.
    assert "SOURCE_DATE_EPOCH" not in os.environ


def _root_of_worker_session(_: int) -> str:
    session = worker_session()
    return f"{session.paths.root}|{session.content_loaded}|{id(session.content)}"


def test_workers_serve_the_session_with_its_content_and_a_copy_leaves_the_content_out(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with BuildSession(Paths.at(project)) as session:
        assert session.content.pages
        with worker_pool(2, session) as pool:
            # Forked on Linux: the workers have the content the session loaded, not a copy of their own.
            assert set(pool.map(_root_of_worker_session, range(4))) == {f"{project}|True|{id(session.content)}"}
        copied = pickle.loads(pickle.dumps(session))  # what a spawned worker gets
        assert copied.paths == session.paths and not copied.content_loaded
    assert not session.content_loaded  # closed: nothing kept
    with pytest.raises(RuntimeError):
        worker_session()  # the process that owns a session never serves one


def test_a_build_date_that_is_not_a_number_is_one_line_not_a_traceback(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run(project, "build", capsys=capsys)
    assert result.code == 1
    assert "SOURCE_DATE_EPOCH: 'yesterday' is not a whole number of seconds since 1970" in result.err
    assert "Traceback" not in result.err


def test_a_session_renders_every_clinic_of_its_content_with_one_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mesoguide.pipeline import render_clinic
    from mesoguide.render import pages

    conversions: list[str] = []
    real = pages.render_guide_pages

    def counted(view, content, env, page_order):  # type: ignore[no-untyped-def]
        conversions.append(content.version)
        return real(view, content, env, page_order)

    monkeypatch.setattr(pages, "render_guide_pages", counted)
    root = copy_project(tmp_path / "project")
    shutil.copytree(root / "clinics/demo", root / "clinics/twin")  # the same shape as demo
    profile = root / "clinics/twin/clinic.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Demo Skin Clinic", "Twin Skin Clinic"), encoding="utf-8")
    with BuildSession(Paths.at(root)) as session:
        for slug in ("demo", "twin"):
            render_clinic(root / "clinics" / slug, session, out=tmp_path / "build" / slug)
        assert len(conversions) == 1  # the guide pages of one shape, converted once for both clinics
        session.forget_content()  # a change to the content: rendered afresh
        render_clinic(root / "clinics/demo", session, out=tmp_path / "build/demo")
    assert len(conversions) == 2
    assert "Twin Skin Clinic" in (tmp_path / "build/twin/docs/index.md").read_text(encoding="utf-8")


def test_projects_that_share_a_cache_folder_reuse_each_other_s_prototype_and_keep_their_own_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv(CACHE_VARIABLE, str(shared))
    first = copy_project(tmp_path / "first")
    assert run(first, "build", capsys=capsys).code == 0
    stored = sorted(shared.glob("sites/*.zip"))
    assert stored, "the prototype was not stored in the shared folder"
    assert not (first / "build/.cache").exists(), "the project kept a store of its own"
    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("build", "site"))
    profile = second / "clinics/demo/clinic.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Demo Skin Clinic", "Second Skin Clinic"), encoding="utf-8")

    def no_mkdocs(*args: object, **kwargs: object) -> None:
        raise AssertionError("MkDocs ran although the same prototype was in the shared folder")

    monkeypatch.setattr("mesoguide.site.assemble.mkdocs_build", no_mkdocs)
    assert run(second, "build", capsys=capsys).code == 0
    assert sorted(shared.glob("sites/*.zip")) == stored
    index = (second / "site/demo/index.html").read_text(encoding="utf-8")
    assert "Second Skin Clinic" in index and "Demo Skin Clinic" not in index

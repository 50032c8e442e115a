"""The Renderer: its caller owns what it keeps; renderers, and calls of render(), share nothing."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from conftest import copy_project
from mesoguide.inputs.content import Content, load_content
from mesoguide.inputs.profile import load_clinic
from mesoguide.render import Renderer, pages, render


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    # A second clinic that gave the same values as demo (so the same shape), under another name.
    shutil.copytree(root / "clinics" / "demo", root / "clinics" / "twin")
    profile = root / "clinics" / "twin" / "clinic.yml"
    profile.write_text(profile.read_text().replace("name: Demo Skin Clinic", "name: Twin Skin Clinic"))
    return root


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each conversion of the guide pages for a clinic shape, by the content's version."""
    calls: list[str] = []
    real = pages.render_guide_pages

    def counted(view, content: Content, env, page_order):  # type: ignore[no-untyped-def]
        calls.append(content.version)
        return real(view, content, env, page_order)

    monkeypatch.setattr(pages, "render_guide_pages", counted)
    return calls


def with_index_text(content: Content, text: str, version: str) -> Content:
    index = content.pages["index"]
    changed = {**content.pages, "index": dataclasses.replace(index, body=index.body + f"\n{text}\n")}
    return dataclasses.replace(content, pages=changed, version=version)


def test_clinics_of_one_shape_share_the_renderer_s_pages_until_it_is_closed(root: Path, renders: list[str]) -> None:
    content = load_content(root / "content")
    demo, twin = load_clinic(root / "clinics" / "demo"), load_clinic(root / "clinics" / "twin")
    with Renderer(content, root) as renderer:
        first = renderer.render(demo, root / "build" / "demo")
        renderer.render(twin, root / "build" / "twin")
        assert renders == [content.version]  # converted once for both clinics
        assert "Twin Skin Clinic" in (root / "build/twin/docs/index.md").read_text()
        assert "Twin Skin Clinic" not in (root / "build/demo/docs/index.md").read_text()
        renderer.close()
        assert renderer.project_files(demo) == first.files_with(lambda value, is_html: value)
        assert renders == [content.version] * 2  # closing dropped the pages; they were made afresh


def test_two_renderers_with_different_content_share_nothing(root: Path, renders: list[str]) -> None:
    loaded = load_content(root / "content")
    old, new = with_index_text(loaded, "Old words.", "1.0.0"), with_index_text(loaded, "New words.", "2.0.0")
    demo = load_clinic(root / "clinics" / "demo")
    old_renderer, new_renderer = Renderer(old, root), Renderer(new, root)
    for _ in range(2):  # alternately, so neither can take the other's pages
        assert "Old words." in old_renderer.project_files(demo)["docs/index.md"].decode()
        assert "New words." in new_renderer.project_files(demo)["docs/index.md"].decode()
    assert renders == ["1.0.0", "2.0.0"]
    assert old_renderer.guide_pages.environment is not new_renderer.guide_pages.environment


def test_render_keeps_nothing_between_calls(root: Path, renders: list[str]) -> None:
    """The module-level render() makes a renderer of its own each time: no hidden state."""
    content = load_content(root / "content")
    demo = load_clinic(root / "clinics" / "demo")
    render(demo, content, root / "build" / "demo", root)
    render(demo, content, root / "build" / "demo", root)
    assert renders == [content.version] * 2

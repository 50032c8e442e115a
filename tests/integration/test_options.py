"""The option grid: content/options.yml is validated like the other registries and rendered
with every option answering every question; the diagrams come with their words."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run
from mesoguide.errors import UserError
from mesoguide.inputs.content import load_content
from mesoguide.inputs.options import ANSWER_FIELDS, FUNDING_LABEL
from mesoguide.render.figures import FIGURES

GOOD_OPTION = """\
- id: wait
  name: No treatment
  treats: scars
  what:
    text: You leave it alone.
    refs: [konda-2013]
  results:
    text: Not known.
  common_risks:
    text: Not known.
  serious_risks:
    text: Not known.
  downtime:
    text: None.
  sessions:
    text: None.
  where:
    text: At home.
    refs: [cdc-2005]
  funding:
    - country: GB
      text: None to pay.
"""


def write_options(project: Path, text: str) -> Path:
    path = project / "content/options.yml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(project: Path) -> list[str]:
    with pytest.raises(UserError) as caught:
        load_content(project / "content")
    return [problem.format() for problem in caught.value.problems]


def test_a_valid_option_loads(project: Path) -> None:
    write_options(project, GOOD_OPTION)
    content = load_content(project / "content")
    assert [option.id for option in content.options] == ["wait"]


def test_an_unknown_reference_is_reported_at_its_line(project: Path) -> None:
    write_options(project, GOOD_OPTION.replace("refs: [cdc-2005]", "refs: [no-such-study]"))
    problems = problems_of(project)
    assert any(
        re.search(r"content/options\.yml:19: option 'wait', where: unknown reference 'no-such-study'", p) for p in problems
    ), problems


def test_an_option_missing_a_field_is_refused(project: Path) -> None:
    write_options(project, GOOD_OPTION.replace("  sessions:\n    text: None.\n", ""))
    problems = problems_of(project)
    assert any(re.search(r"content/options\.yml:1: 'sessions' is required", p) for p in problems), problems


def test_an_answer_without_references_must_say_not_known(project: Path) -> None:
    write_options(project, GOOD_OPTION.replace("text: You leave it alone.\n    refs: [konda-2013]", "text: You leave it alone."))
    problems = problems_of(project)
    assert any(
        re.search(r"content/options\.yml:4: option 'wait', what: give the references .* \"Not known\"", p) for p in problems
    ), problems


def test_an_unknown_country_and_a_duplicate_id_are_both_reported(project: Path) -> None:
    twice = GOOD_OPTION + GOOD_OPTION + GOOD_OPTION.replace("id: wait", "id: other").replace("country: GB", "country: XX")
    write_options(project, twice)
    problems = problems_of(project)
    assert any(re.search(r"options\.yml:\d+: 'funding': unknown country 'XX'", p) for p in problems), problems
    assert any(re.search(r"options\.yml:\d+: duplicate id 'wait'", p) for p in problems), problems


@pytest.mark.measures_text  # runs mesoguide check
def test_check_reports_option_problems_as_path_line_messages(project: Path, capsys) -> None:
    write_options(project, GOOD_OPTION.replace("refs: [cdc-2005]", "refs: [no-such-study]"))
    result = run(project, "check", capsys=capsys)
    assert result.code == 1
    assert "content/options.yml:19: option 'wait', where: unknown reference 'no-such-study'" in result.out + result.err
    assert "Traceback" not in result.out + result.err


def test_the_real_registry_gives_every_option_every_answer() -> None:
    content = load_content(REPO / "content")
    raw = yaml.safe_load((REPO / "content/options.yml").read_text(encoding="utf-8"))
    assert len(content.options) == len(raw) >= 13
    names = {option.id for option in content.options}
    assert {"no-treatment", "isotretinoin", "fractional-laser", "fillers", "mesotherapy"} <= names
    for option in content.options:
        for field, _ in ANSWER_FIELDS:
            assert getattr(option, field).text.strip(), (option.id, field)
        assert option.funding


def test_the_compare_page_shows_every_option_with_every_field(built_real: Path) -> None:
    page = (built_real / "site/demo/compare-options/index.html").read_text(encoding="utf-8")
    content = load_content(REPO / "content")
    cards = re.findall(r'<div class="mg-option" id="option-([a-z0-9-]+)">(.*?)</dl>', page, re.S)
    assert [card_id for card_id, _ in cards] == [option.id for option in content.options]
    labels = [label for _, label in ANSWER_FIELDS] + [FUNDING_LABEL]
    for card_id, card in cards:
        assert re.findall(r"<dt>(.*?)</dt>", card) == labels, card_id
        assert card.count("<dd>") == len(labels), card_id
    # The same layout for every option: each part of a card appears once per option, none extra.
    for part in ("mg-option", "mg-option__name", "mg-option__treats", "mg-option__fields", "mg-option__funding"):
        assert page.count(f'class="{part}"') == len(cards), part


def test_every_figure_is_placed_small_and_described(built_real: Path) -> None:
    site = built_real / "site/demo"
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("index.html"))
    for key, figure in FIGURES.items():
        svg = site / "assets/images" / figure.file
        assert svg.is_file(), key
        assert len(gzip.compress(svg.read_bytes(), 9)) < 15 * 1024, key
        assert "<title>" in svg.read_text(encoding="utf-8"), key
        match = re.search(rf'<figure class="mg-figure" id="figure-{key}">(.*?)</figure>', pages, re.S)
        assert match, f"figure {key} is on no page"
        body = match.group(1)
        assert f'alt="{figure.name}"' in body and "<figcaption>" in body
        assert f'aria-describedby="figure-{key}-text"' in body and f'id="figure-{key}-text"' in body
        assert body.count("<li>") == len(figure.text_version)


def test_an_unknown_figure_is_reported_at_the_page_line(project: Path, capsys) -> None:
    page = project / "content/pages/side-effects.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ figure("no-such-picture") }}\n', encoding="utf-8")
    result = run(project, "build", capsys=capsys)
    assert result.code == 1
    assert re.search(r"side-effects\.md:\d+: unknown figure 'no-such-picture'", result.out + result.err), result.err

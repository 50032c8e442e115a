"""Page structure: key points, when-to-get-help boxes, and glossary coverage of medical words."""

from __future__ import annotations

import re

from mesoguide.errors import Problem
from mesoguide.inputs.content import Content
from mesoguide.render.pagesyntax import plain_lines

KEY_POINTS = re.compile(r'^!!!\s+\w+\s+"Key points"', re.MULTILINE)
GET_HELP = re.compile(r'^!!!\s+\w+\s+"When to get help"', re.MULTILINE)
HELP_PAGES = ("procedure", "side-effects", "aftercare")
# Medical words a patient may not know; a page that uses one needs it in the glossary.
MEDICAL_TERMS = (
    "abscess",
    "antibiotic",
    "atrophic",
    "autoimmune",
    "azelaic acid",
    "benzoyl peroxide",
    "botulinum toxin",
    "collagen",
    "corticosteroid",
    "dermatologist",
    "dermis",
    "doxycycline",
    "epidermis",
    "fractional laser",
    "granuloma",
    "hyaluronic acid",
    "inflammation",
    "isotretinoin",
    "keloid",
    "lidocaine",
    "mesoderm",
    "microneedling",
    "mycobacterial",
    "mycobacteria",
    "necrosis",
    "placebo",
    "platelet-rich plasma",
    "polynucleotides",
    "radiofrequency",
    "retinoid",
    "sebum",
    "subcision",
    "subcutaneous",
    "systematic review",
    "TCA CROSS",
    "punch excision",
    "chemical peel",
    "blood thinner",
    "numbing cream",
    "batch number",
)


REGISTRIES_NOT_SHOWN_AS_TEXT = {"glossary.yml", "references.yml", "sources.yml", "claims.yml"}
"""Registries whose text is not page text: the glossary itself, the bibliography, the
source articles' metadata; claims are read through the model (quote and explanation)."""


def _word_pattern(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", re.IGNORECASE)


def _text_patients_read(content: Content) -> str:
    """Everything that reaches a page as words: page bodies without template tags, each
    claim's quote and explanation, and other registries shown on pages (such as a table of
    options), which are read as plain text so that a new one counts without a change here."""
    parts = ["\n".join(plain_lines(page.body)) for page in content.pages.values()]
    parts += [f"{claim.quote}\n{claim.explanation}" for claim in content.claims]
    for path in sorted(content.root.glob("*.yml")):
        if path.name not in REGISTRIES_NOT_SHOWN_AS_TEXT:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def unused_glossary_problems(content: Content) -> list[Problem]:
    """A glossary term that no page uses (in any of its forms) is noise in the glossary."""
    text = _text_patients_read(content)
    line_map = content.line_maps.get("glossary.yml")
    problems = []
    for index, entry in enumerate(content.glossary):
        if not any(_word_pattern(form).search(text) for form in (entry.term, *entry.also)):
            problems.append(
                Problem(
                    line_map.path if line_map else content.root / "glossary.yml",
                    line_map.line_of((index, "term")) if line_map else None,
                    f"glossary term '{entry.term}' is used on no page; remove it, or add the page text that needs it",
                )
            )
    return problems


def _first_line(page_text: str, pattern: re.Pattern[str]) -> int | None:
    for number, line in enumerate(page_text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def _emergency_first(body: str) -> bool:
    """The box names the emergency number before the clinic's contacts: most urgent first."""
    box = body[GET_HELP.search(body).start() :]  # type: ignore[union-attr]
    emergency = re.search(r"\{\{-?\s*clinic\.emergency_number\s*-?\}\}", box)
    return bool(emergency) and emergency.start() < box.index("get_help_contacts()")  # type: ignore[union-attr]


def structure_problems(content: Content) -> list[Problem]:
    glossary_forms = {form.lower() for e in content.glossary for form in (e.term, *e.also)}
    problems = []
    for page in content.pages.values():
        if not page.meta.generated and not KEY_POINTS.search(page.body):
            problems.append(
                Problem(page.source, page.body_line, 'no "Key points" box; add !!! info "Key points" with 3 to 5 bullets')
            )
        if page.name in HELP_PAGES:
            if not GET_HELP.search(page.body):
                problems.append(
                    Problem(
                        page.source,
                        None,
                        'no "When to get help" box; add !!! danger "When to get help" with {{ get_help_contacts() }}',
                    )
                )
            elif "get_help_contacts()" not in page.body:
                problems.append(
                    Problem(
                        page.source,
                        None,
                        'the "When to get help" box must use {{ get_help_contacts() }} for the clinic\'s numbers',
                    )
                )
            elif not _emergency_first(page.body):
                problems.append(
                    Problem(
                        page.source,
                        None,
                        'the "When to get help" box must list the most urgent signs first, with the emergency number '
                        "({{ clinic.emergency_number }}), before {{ get_help_contacts() }}",
                    )
                )
        text = "\n".join(plain_lines(page.body))
        for term in MEDICAL_TERMS:
            pattern = _word_pattern(term)
            if pattern.search(text) and not any(f.startswith(term.lower()) for f in glossary_forms):
                line = _first_line(text, pattern)
                problems.append(
                    Problem(
                        page.source,
                        page.body_line + line - 1 if line else None,
                        f"medical term '{term}' has no entry in content/glossary.yml; add a plain definition",
                    )
                )
    return problems + unused_glossary_problems(content)

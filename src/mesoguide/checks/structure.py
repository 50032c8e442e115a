"""Page structure: key points, when-to-get-help boxes, and glossary coverage of medical words."""

from __future__ import annotations

import re

from ..content import Content
from ..errors import Problem
from ..pagesyntax import plain_lines

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


def _first_line(page_text: str, pattern: re.Pattern[str]) -> int | None:
    for number, line in enumerate(page_text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


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
        text = "\n".join(plain_lines(page.body))
        for term in MEDICAL_TERMS:
            pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
            if pattern.search(text) and not any(f.startswith(term.lower()) for f in glossary_forms):
                line = _first_line(text, pattern)
                problems.append(
                    Problem(
                        page.source,
                        page.body_line + line - 1 if line else None,
                        f"medical term '{term}' has no entry in content/glossary.yml; add a plain definition",
                    )
                )
    return problems

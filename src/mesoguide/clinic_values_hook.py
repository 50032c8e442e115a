"""MkDocs hook, copied into every rendered project as hooks/clinic_values.py.

Page templates write a placeholder wherever a clinic value goes, so that a page's Markdown
is the same for every clinic. After Markdown has been converted, this puts in the clinic's
values, which mesoguide render stored in ``extra.clinic_values`` already escaped as HTML.
It runs before the search index is made, so search finds the values too. mesoguide itself
uses the same placeholder and fill_in() (render, handout), so the three cannot drift apart.
"""

PLACEHOLDER = '<span data-mg-clinic="{}"></span>'


def fill_in(html: str, values: dict) -> str:
    """``html`` with every placeholder replaced by the clinic's value of that name."""
    for name, value in values.items():
        html = html.replace(PLACEHOLDER.format(name), value)
    return html


def on_page_content(html, page, config, files):
    return fill_in(html, config.extra.get("clinic_values") or {})

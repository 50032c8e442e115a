"""MkDocs hook, copied into every rendered project as hooks/clinic_values.py.

Page templates write a placeholder wherever a clinic value goes, so that a page's Markdown
is the same for every clinic. After Markdown has been converted, this puts in the clinic's
values, which mesoguide render stored in ``extra.clinic_values`` already escaped as HTML.
It runs before the search index is made, so search finds the values too.
"""

PLACEHOLDER = '<span data-mg-clinic="{}"></span>'


def on_page_content(html, page, config, files):
    for name, value in (config.extra.get("clinic_values") or {}).items():
        html = html.replace(PLACEHOLDER.format(name), value)
    return html

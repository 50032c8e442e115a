"""``mesoguide handout``: an A4 PDF to give patients, printed by Chromium.

The handout holds the aftercare steps, the warning signs and when to get help, the
questions to ask and the blank treatment record, under the clinic's logo, name, phone,
out-of-hours contact and emergency number. It is made from the same rendered pages as the
site, without navigation, claim boxes or citation marks, and printed with Chromium's print
path (Playwright's ``page.pdf``), the one the browser tests use.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from pathlib import Path

import markdown
import yaml

from mesoguide.errors import Problem, UserError
from mesoguide.inputs.content import Content
from mesoguide.inputs.profile import Clinic
from mesoguide.render import project_files

HANDOUT_PAGES = ("aftercare", "questions-to-ask", "compare-options")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "install Debian's chromium package (apt-get install chromium) and the print extra (pip install -e '.[print]')"
CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font: 11pt/1.45 system-ui, sans-serif; color: #000; }
header { display: flex; gap: 12px; align-items: center; border-bottom: 2px solid #000; padding-bottom: 8px; }
header img { width: 48px; height: 48px; }
header p { margin: 0; }
h1 { font-size: 18pt; margin: 14px 0 4px; }
h2 { font-size: 13pt; margin: 14px 0 4px; break-after: avoid; }
.admonition { border: 2px solid #000; padding: 4px 10px; margin: 10px 0; break-inside: avoid; }
.admonition.danger { border-width: 3px; }
.admonition-title { font-weight: 700; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 6px; text-align: left; vertical-align: top; }
td { height: 22px; }
.mg-checklist ul { list-style: none; padding-left: 0; }
.mg-checklist li::before { content: "\\2610  "; }
.page-break { break-before: page; }
.review-notice { border: 2px dashed #000; padding: 4px 10px; margin: 10px 0; }
.mg-options { column-count: 2; column-gap: 8px; }
.mg-option { border: 1px solid #000; padding: 0 6px; margin: 0 0 6px; break-inside: avoid; font-size: 8.5pt; line-height: 1.3; }
.mg-option h3 { margin: 4px 0; } .mg-option dt { font-weight: 700; } .mg-option dd { margin: 0 0 2px; }
.mg-figure { break-inside: avoid; } .mg-figure img { width: 100%; max-width: 12cm; height: auto; }
details::details-content { content-visibility: visible; display: block; }
.mg-option__more > summary { display: none; } summary { list-style: none; font-weight: 700; }
footer { margin-top: 16px; font-size: 9pt; border-top: 1px solid #000; padding-top: 6px; }
"""
DROP = (
    re.compile(r'<div class="mg-claim[^"]*" id="claim-[^"]*">.*?</div>', re.S),
    re.compile(r'<sup class="mg-cite">.*?</sup>', re.S),
)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
SITE_IMAGE = re.compile(r'src="(?:\.\./)*assets/images/([\w-]+\.svg)"')


def _inline_images(html_text: str, project_root: Path) -> str:
    """Diagrams as data: addresses, since the printed document may fetch nothing."""
    images = project_root / "overrides" / "assets" / "images"

    def data_uri(match: re.Match[str]) -> str:
        return 'src="data:image/svg+xml;base64,' + base64.b64encode((images / match.group(1)).read_bytes()).decode() + '"'

    return SITE_IMAGE.sub(data_uri, html_text)


def _page_markdown(files: dict[str, bytes], name: str) -> str:
    text = FRONT_MATTER.sub("", files[f"docs/{name}.md"].decode("utf-8"))
    for pattern in DROP:
        text = pattern.sub("", text)
    # Links point into the site, which a sheet of paper does not have.
    text = re.sub(r"\[([^\]]+)\]\((?!tel:)[^)]*\)", r"\1", text)
    return re.sub(r"^## (Other claims we checked|What we don't know).*?(?=^## |\Z)", "", text, flags=re.S | re.M)


def review_notice(content: Content) -> str:
    """The handout's review state, as the site states it for each page: unreviewed, changed, or who reviewed it."""
    pages = [content.pages[name] for name in HANDOUT_PAGES]
    if any(not page.meta.clinical_reviewer for page in pages):
        return (
            "<strong>Not yet clinically reviewed.</strong> No clinician has checked this handout yet. "
            "It was written by the mesoguide editorial team from published evidence."
        )
    changed = [p for p in pages if p.meta.reviewed_content_hash and p.meta.reviewed_content_hash != p.content_hash]
    if changed:
        return "<strong>Changed since review.</strong> Part of this handout was edited after its clinical review."
    reviewers = sorted({f"{p.meta.clinical_reviewer} on {p.meta.last_reviewed.isoformat()}" for p in pages})
    return "Clinically reviewed by " + html.escape("; ".join(reviewers)) + "."


def handout_html(clinic: Clinic, content: Content, project_root: Path) -> str:
    """The handout as one self-contained HTML document (the logo is inlined)."""
    files = project_files(clinic, content, project_root)
    config = yaml.safe_load(files["mkdocs.yml"].decode("utf-8").split("\n", 1)[1])
    extensions, configs = [], {}
    for ext in config["markdown_extensions"]:
        name = ext if isinstance(ext, str) else next(iter(ext))
        extensions.append(name)
        if not isinstance(ext, str):
            configs[name] = dict(ext[name] or {})
    configs["toc"] = {**configs.get("toc", {}), "permalink": False}  # no ¶ marks on paper
    body = []
    for i, name in enumerate(HANDOUT_PAGES):
        md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        section = _inline_images(md.convert(_page_markdown(files, name)), project_root)
        body.append(f'<section class="{"page-break" if i else ""}">{section}</section>')
    p = clinic.profile
    kind = "image/svg+xml" if clinic.logo.suffix.lower() == ".svg" else "image/png"
    logo = f"data:{kind};base64," + base64.b64encode(clinic.logo.read_bytes()).decode()
    out_of_hours = f" · Out of hours: {html.escape(p.contact.out_of_hours)}" if p.contact.out_of_hours else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(p.name)}: after your mesotherapy session</title><style>{CSS}</style></head><body>"
        f'<header><img src="{logo}" alt=""><p><strong>{html.escape(p.name)}</strong><br>'
        f"Phone: {html.escape(p.contact.phone)}{out_of_hours} · Emergency: {html.escape(clinic.emergency_number)}</p></header>"
        f'<p class="review-notice" role="note">{review_notice(content)} Content version {html.escape(content.version)} '
        f"of {content.release_date.isoformat()}.</p>"
        + "".join(body)
        + f"<footer>From the mesotherapy guide, version {html.escape(content.version)}, written by the mesoguide editorial team. "
        f"{html.escape(p.name)} offers this treatment and cannot change the medical content. "
        "This handout does not replace advice from a doctor.</footer></body></html>"
    )


def write_handout(clinic: Clinic, content: Content, project_root: Path, out: Path) -> Path:
    """Print the handout to ``out`` as an A4 PDF with Chromium."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UserError([Problem(out, None, f"Playwright is not installed; {INSTALL_HINT}")]) from None
    if chromium is None:
        raise UserError([Problem(out, None, f"Chromium is not installed; {INSTALL_HINT}")])
    document = handout_html(clinic, content, project_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Nothing may be fetched: the document is self-contained, so block every request.
            page.route("**/*", lambda route: route.abort())
            page.set_content(document, wait_until="load")
            page.pdf(path=str(out), format="A4", print_background=True)
        finally:
            browser.close()
    return out

"""The printed handout: an A4 PDF, printed by Chromium, with the clinic's contacts and the warning signs."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from browser_support import chromium_path
from conftest import copy_project, run

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "slug,name,phone,emergency",
    [
        ("demo", "Demo Skin Clinic", "+44 20 7946 0000", "999"),
        ("harbour-light", "Harbour Light Dermatology", "+1 202-555-0147", "911"),
    ],
)
def test_the_handout_is_an_a4_pdf_with_the_clinic_and_the_warning_signs(tmp_path, capsys, slug, name, phone, emergency) -> None:
    chromium_path()
    project = copy_project(tmp_path / "project", tree="real")
    out = tmp_path / f"{slug}.pdf"
    result = run(project, "handout", "--clinic", slug, "--out", str(out), capsys=capsys)
    assert result.code == 0, result.err
    reader = PdfReader(str(out))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2
    text = " ".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    assert name in text and phone in text and f"Emergency: {emergency}" in text
    assert "When to get help" in text and "fever" in text
    assert f"call {name} on {phone}" in text  # the help box's own contacts, not only the header
    assert "Batch (lot) number" in text and "Questions to ask your clinic" in text
    assert "Start here" not in text and "Claim check" not in text
    # Every option card prints in full, although its answers are in a closed box on screen.
    assert text.count("What results to expect") == text.count("Does the public health service pay?") >= 13

"""CSP hashing: each inline script the browser runs is allowed by its own SHA-256, nothing else is."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from mesoguide.site.security import CSP_BASE, add_security_meta, headers_file, script_hashes, site_policy

SCRIPT = '__md_scope=new URL(".",location),__md_get=(e,_=localStorage)=>JSON.parse(_.getItem(e))'


def expected_hash(body: str) -> str:
    """The source expression CSP Level 3 defines, computed here without the code under test."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def page(*scripts: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!doctype html><html><head>{head}<title>t</title></head><body>{''.join(scripts)}</body></html>"


def csp_of(page_html: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page_html)
    assert len(found) == 1, found
    return found[0]


def test_an_inline_script_is_allowed_by_the_hash_of_its_exact_text() -> None:
    assert script_hashes(page(f"<script>{SCRIPT}</script>")) == [expected_hash(SCRIPT)]


def test_a_known_script_has_its_known_hash() -> None:
    # The hash of "alert('Hello, world.');" from the CSP Level 3 specification's example.
    assert script_hashes(page("<script>alert('Hello, world.');</script>")) == [
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    ]


@pytest.mark.parametrize("changed", [SCRIPT + ";", " " + SCRIPT, SCRIPT.replace("location", "Location"), SCRIPT + "\n"])
def test_any_change_to_a_script_changes_its_hash(changed: str) -> None:
    assert script_hashes(page(f"<script>{changed}</script>")) == [expected_hash(changed)]
    assert expected_hash(changed) != expected_hash(SCRIPT)


def test_non_ascii_text_is_hashed_as_utf_8() -> None:
    body = 'document.title="Soins de la peau – é"'
    assert script_hashes(page(f"<script>{body}</script>")) == [expected_hash(body)]


def test_multi_line_scripts_with_attributes_are_hashed_by_their_body() -> None:
    body = "\n  var a = 1;\n  var b = a + 1;\n"
    assert script_hashes(page(f'<script id="x" type="module">{body}</script>')) == [expected_hash(body)]


def test_loaded_and_data_scripts_need_no_hash() -> None:
    html = page(
        '<script src="assets/javascripts/bundle.js"></script>',
        '<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>',
        '<script type="application/json" id="__config">{"base": "."}</script>',
    )
    assert script_hashes(html) == []
    assert csp_of(add_security_meta(html)) == f"{CSP_BASE}; script-src 'self'"


def test_several_scripts_give_sorted_unique_hashes() -> None:
    html = page("<script>b()</script>", "<script>a()</script>", "<script>b()</script>")
    assert script_hashes(html) == sorted({expected_hash("a()"), expected_hash("b()")})


def test_the_meta_holds_the_base_policy_self_and_each_hash_and_comes_before_any_script() -> None:
    html = page("<script>second()</script>", head='<meta charset="utf-8"><script>first()</script>')
    secured = add_security_meta(html)
    policy = csp_of(secured)
    assert policy == f"{CSP_BASE}; script-src 'self' {' '.join(sorted([expected_hash('first()'), expected_hash('second()')]))}"
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in policy.split("; ")
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1] and "'unsafe-eval'" not in policy
    assert '<meta name="referrer" content="no-referrer">' in secured
    meta_at = secured.index("Content-Security-Policy")
    assert secured.index('<meta charset="utf-8">') < meta_at < secured.index("<script")
    # Nothing else on the page changes.
    assert re.sub(r'\n    <meta http-equiv="Content-Security-Policy"[^>]*>\n    <meta name="referrer"[^>]*>', "", secured) == html


def test_a_page_without_meta_charset_is_refused_rather_than_left_open() -> None:
    with pytest.raises(ValueError, match="no <meta charset>"):
        add_security_meta(page("<script>a()</script>", head=""))


def test_the_header_policy_joins_every_page_s_hashes_and_forbids_framing() -> None:
    one = csp_of(add_security_meta(page("<script>a()</script>")))
    two = csp_of(add_security_meta(page("<script>b()</script>", "<script>a()</script>")))
    policy = site_policy([one, two])
    assert (
        policy
        == f"{CSP_BASE}; script-src 'self' {' '.join(sorted([expected_hash('a()'), expected_hash('b()')]))}; frame-ancestors 'none'"
    )
    headers = headers_file(policy, ["assets/javascripts/bundle.1a2b3c4d.min.js"])
    assert headers.startswith(f"/*\n  Content-Security-Policy: {policy}\n")
    assert "/assets/javascripts/bundle.1a2b3c4d.min.js\n  Cache-Control: public, max-age=31536000, immutable\n" in headers

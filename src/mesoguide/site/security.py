"""What a finished site says about its own security: CSP meta with the hashes of the theme's
inline scripts, referrer policy, headers for static hosts, robots.txt and manifest.json."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import urlparse

CSP_BASE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")


def script_hashes(page_html: str) -> list[str]:
    """CSP source expressions for every inline script that the browser would run."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(page_html):
        attrs = match.group("attrs")
        if "src=" in attrs or any(t in attrs for t in DATA_SCRIPT_TYPES):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(set(hashes))


def add_security_meta(page_html: str) -> str:
    """Insert the CSP and referrer policy right after ``<meta charset>``, before any script."""
    sources = " ".join(["'self'", *script_hashes(page_html)])
    policy = f"{CSP_BASE}; script-src {sources}"
    tags = (
        f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">\n    <meta name="referrer" content="no-referrer">'
    )
    charset = re.search(r"<meta charset=[^>]*>", page_html)
    if charset is None:
        raise ValueError("page has no <meta charset>; cannot place the security policy before scripts")
    return page_html[: charset.end()] + tags + page_html[charset.end() :]


# Headers a static host should send with every response, beside the pages' own CSP meta.
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
}


def site_policy(page_policies: list[str]) -> str:
    """One CSP for the HTTP header: every page's script hashes together."""
    hashes = sorted({h for policy in page_policies for h in re.findall(r"'sha256-[^']+'", policy)})
    sources = " ".join(["'self'", *hashes])
    return f"{CSP_BASE}; script-src {sources}; frame-ancestors 'none'"


def headers_file(policy: str, hashed_assets: list[str]) -> str:
    """Netlify / Cloudflare Pages ``_headers``; only files named by their content's hash are immutable."""
    lines = ["/*", f"  Content-Security-Policy: {policy}"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    for name in hashed_assets:
        lines += [f"/{name}", "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n"


def finish_site(pages: dict[str, str], manifest: dict, file_names: list[str]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Security meta on every page (``pages``: HTML by site path); headers file, robots.txt and
    a manifest of the build. Returns every file to write into the site, by site path, and the
    server configuration to write beside it (``file_names``: every file the site holds)."""
    from mesoguide.site.deploy import HASHED_ASSET, nginx_conf

    out: dict[str, bytes] = {}
    page_hashes, policies = {}, []
    for name in sorted(pages):
        data = add_security_meta(pages[name]).encode("utf-8")
        out[name] = data
        policies.append(re.search(rb'http-equiv="Content-Security-Policy" content="([^"]*)"', data).group(1).decode())
        page_hashes[name] = hashlib.sha256(data).hexdigest()
    policy = site_policy(policies)
    site_url = manifest["site_url"]
    out["_headers"] = headers_file(policy, sorted(n for n in file_names if HASHED_ASSET.match(n))).encode()
    out["robots.txt"] = robots_txt(site_url).encode()
    manifest = dict(manifest, pages=page_hashes)
    out["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    host = urlparse(site_url).hostname or "_"
    deploy = {"nginx.conf": nginx_conf(policy, host, manifest["clinic"], manifest["content_version"]).encode()}
    return out, deploy

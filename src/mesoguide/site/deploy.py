"""Server configuration written beside a clinic's site, never inside the folder that is published.

``site/<slug>/`` is what a clinic copies to its web server; ``site/<slug>.deploy/`` holds
the files that configure the server for it (today an nginx server block), so that copying
the site as the guide says cannot publish them. ``_headers`` stays inside the site, where
Netlify and Cloudflare Pages read it (they never serve it); the nginx block refuses it too.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from string import Template

from mesoguide.site.security import SECURITY_HEADERS

DEPLOY_SUFFIX = ".deploy"
# Material's bundles carry eight hex digits of their content's hash in their names
# (assets/javascripts/bundle.1a2b3c4d.min.js): only those may be cached as immutable.
HASHED_ASSET = re.compile(r"^assets/(?:javascripts|stylesheets)/(?:[\w-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)$")
NGINX_HASHED_ASSET = r'"^/assets/(javascripts|stylesheets)/([\w-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(js|css)$"'

NGINX = Template(
    """\
# nginx configuration for $host, written by mesoguide with the same security policy as the
# pages. Content version $version.
#
# On Debian or Ubuntu (as root):
#   1. Copy the site:       mkdir -p $root && rsync -a --delete site/$slug/ $root/
#   2. Install this file:   cp site/$slug.deploy/nginx.conf /etc/nginx/sites-available/$slug.conf
#                           ln -s /etc/nginx/sites-available/$slug.conf /etc/nginx/sites-enabled/
#   3. Get a certificate, for example with certbot:
#                           mkdir -p /var/www/letsencrypt
#                           certbot certonly --webroot -w /var/www/letsencrypt -d $host
#      The two lines marked CERTIFICATE below name certbot's files; change them if yours
#      are elsewhere. They are the only lines to change.
#   4. Check and load:      nginx -t && systemctl reload nginx
#
# Behind a proxy or load balancer that handles HTTPS itself: delete the first server block
# and the four lines marked TLS or CERTIFICATE, and write "listen 80;" in their place.
# Written for Debian 12's nginx (1.22); from nginx 1.25.1 on, "nginx -t" says the "http2"
# parameter is deprecated: then remove it from both listen lines and add "http2 on;".

# Plain HTTP only answers certificate checks and sends everyone else to HTTPS.
server {
    listen 80;
    listen [::]:80;
    server_name $host;
    location /.well-known/acme-challenge/ {
        root /var/www/letsencrypt;
    }
    location / {
        return 301 https://$$server_name$$request_uri;
    }
}

server {
    listen 443 ssl http2;       # TLS
    listen [::]:443 ssl http2;  # TLS
    server_name $host;
    ssl_certificate     /etc/letsencrypt/live/$host/fullchain.pem;  # CERTIFICATE
    ssl_certificate_key /etc/letsencrypt/live/$host/privkey.pem;    # CERTIFICATE
    ssl_protocols TLSv1.2 TLSv1.3;

    root $root;
    index index.html;
    charset utf-8;
    server_tokens off;
    error_page 404 /404.html;

    gzip on;
    gzip_vary on;
    gzip_types text/plain text/css text/xml application/xml application/javascript application/json image/svg+xml;

    # Every response carries the security headers (a location that adds a header of its own
    # must repeat them: nginx does not inherit add_header into such a location).
$headers
    add_header Cache-Control "no-cache" always;

    # Hidden files and the headers file for other hosts are not part of the site.
    location ~ "(^|/)(\\.|_headers$$)" {
        return 404;
    }

    # Only file names that carry a content hash may be cached for a year.
    location ~ $hashed {
$location_headers
        add_header Cache-Control "public, max-age=31536000, immutable" always;
    }

    location / {
        try_files $$uri $$uri/ =404;
    }
}
"""
)


def nginx_conf(policy: str, host: str, slug: str, version: str) -> str:
    """The nginx server blocks for one clinic's site: HTTP redirect, HTTPS, headers, gzip, 404 page."""
    values = {"Content-Security-Policy": policy, **SECURITY_HEADERS}
    lines = [f'add_header {name} "{value}" always;' for name, value in values.items()]
    return NGINX.substitute(
        host=host,
        slug=slug,
        version=version,
        root=f"/var/www/{slug}",
        hashed=NGINX_HASHED_ASSET,
        headers="\n".join("    " + line for line in lines),
        location_headers="\n".join("        " + line for line in lines),
    )


def deploy_folder(site: Path) -> Path:
    """Where the server configuration of the site in ``site`` goes: beside it."""
    return site.with_name(site.name + DEPLOY_SUFFIX)


def write_deploy_files(site: Path, files: dict[str, bytes]) -> Path:
    """Replace ``site``'s deploy folder with ``files`` in one step."""
    dest = deploy_folder(site)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    for name, data in files.items():
        (work / name).write_bytes(data)
    swap_into_place(work, dest)
    return dest


def swap_into_place(built: Path, dest: Path) -> None:
    """Replace ``dest`` with ``built``; the old folder stays whole until the new one is complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.replace(dest, old)
    os.replace(built, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

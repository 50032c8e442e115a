"""The nginx block a build writes works as delivered: nginx -t, then a real nginx serving the site.

Only the lines the block's comments mark (certificate paths) and the addresses it listens on
(ports 80 and 443 become free ports on 127.0.0.1) are changed for the test. CI installs
nginx (Debian's package); elsewhere the test is skipped with a message.
"""

from __future__ import annotations

import gzip
import http.client
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mesoguide.site.security import SECURITY_HEADERS

HOST = "guide.demo-clinic.example.org"
MAIN_CONF = """\
user root;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/server.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tools() -> tuple[str, str]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    openssl = shutil.which("openssl")
    if not nginx or not openssl:
        pytest.skip("nginx and openssl are not installed (apt-get install nginx openssl); .ci/run installs them")
    return nginx, openssl


def as_delivered(conf: str, work: Path) -> str:
    """The delivered block with a self-signed certificate in place of the marked certificate paths."""
    lines = []
    for line in conf.splitlines():
        if line.strip().startswith("ssl_certificate ") and line.endswith("# CERTIFICATE"):
            line = f"    ssl_certificate {work}/cert.pem;"
        elif line.strip().startswith("ssl_certificate_key ") and line.endswith("# CERTIFICATE"):
            line = f"    ssl_certificate_key {work}/key.pem;"
        lines.append(line)
    return "\n".join(lines) + "\n"


def nginx_test(nginx: str, work: Path, server_conf: str) -> subprocess.CompletedProcess:
    (work / "server.conf").write_text(server_conf)
    (work / "main.conf").write_text(MAIN_CONF.format(work=work))
    return subprocess.run([nginx, "-t", "-p", str(work), "-c", str(work / "main.conf")], capture_output=True, text=True)


@pytest.fixture(scope="module")
def served(built_mini: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int, Path]]:
    nginx, openssl = tools()
    work = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = built_mini / "site/demo"
    conf = as_delivered((built_mini / "site/demo.deploy/nginx.conf").read_text(), work)
    checked = nginx_test(nginx, work, conf)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    http_port, https_port = free_port(), free_port()
    local = (
        conf.replace("listen [::]:80;\n", "")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("root /var/www/demo;", f"root {site};")
    )
    assert nginx_test(nginx, work, local).returncode == 0
    process = subprocess.Popen(
        [nginx, "-p", str(work), "-c", str(work / "main.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield http_port, https_port, site
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(port: int, path: str, tls: bool = True, gzip_ok: bool = False) -> http.client.HTTPResponse:
    if tls:
        # The certificate is the test's own: nothing to verify, so no CA store to load (60 ms a request).
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": HOST, **({"Accept-Encoding": "gzip"} if gzip_ok else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def header_policy(site: Path) -> str:
    line = next(x for x in (site / "_headers").read_text().splitlines() if "Content-Security-Policy" in x)
    return line.split(": ", 1)[1]


def assert_security_headers(response: http.client.HTTPResponse, site: Path) -> None:
    assert response.getheader("Content-Security-Policy") == header_policy(site)
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value, name


def test_plain_http_moves_to_https(served) -> None:
    http_port, _, _ = served
    response = get(http_port, "/results/?x=1", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/results/?x=1"


def test_pages_come_with_every_security_header(served) -> None:
    _, port, site = served
    for path in ("/", "/clinic/prices/"):
        response = get(port, path)
        assert response.status == 200, path
        assert response.body == (site / path.lstrip("/") / "index.html").read_bytes()  # type: ignore[attr-defined]
        assert_security_headers(response, site)
        assert response.getheader("Cache-Control") == "no-cache"


def test_the_sitemap_and_pages_are_gzipped(served) -> None:
    _, port, site = served
    for path, file in (("/sitemap.xml", "sitemap.xml"), ("/", "index.html")):
        response = get(port, path, gzip_ok=True)
        assert response.getheader("Content-Encoding") == "gzip", path
        assert gzip.decompress(response.body) == (site / file).read_bytes()  # type: ignore[attr-defined]


def test_a_missing_page_gets_the_sites_404_page(served) -> None:
    _, port, site = served
    response = get(port, "/no-such-page/")
    assert response.status == 404
    assert response.body == (site / "404.html").read_bytes()  # type: ignore[attr-defined]
    assert_security_headers(response, site)


def test_deployment_files_are_not_served(served) -> None:
    _, port, site = served
    assert not (site / "nginx.conf").exists()  # written beside the site, not in it
    for path in ("/_headers", "/nginx.conf", "/.hidden", "/assets/.x"):
        assert get(port, path).status == 404, path
    assert get(port, "/manifest.json").status == 200  # read by check --deployed


def test_only_hashed_assets_are_immutable(served) -> None:
    _, port, site = served
    bundle = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    hashed = get(port, "/" + bundle)
    assert hashed.status == 200 and "immutable" in hashed.getheader("Cache-Control", "")
    assert_security_headers(hashed, site)
    logo = get(port, "/assets/clinic/logo.svg")
    assert logo.status == 200 and logo.getheader("Cache-Control") == "no-cache"

"""The sitemap a finished site carries, whichever engine built it.

MkDocs dates every page with the build date, which the site stage sets to the content's
release (SOURCE_DATE_EPOCH); Zensical writes no dates and no compressed copy. So the
site stage writes ``sitemap.xml`` and ``sitemap.xml.gz`` itself, in MkDocs' layout, from
the addresses the engine listed: on an MkDocs site this gives the same bytes MkDocs wrote.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re

SITEMAP = "sitemap.xml"
LOC = re.compile(r"<loc>\s*([^<]*?)\s*</loc>")


def _mkdocs_order(urls: list[str]) -> list[str]:
    """The addresses in MkDocs' order of source files: each folder's pages before its subfolders', index first."""
    if not urls:
        return urls
    home = min(urls, key=len)

    def key(url: str) -> tuple[tuple[str, ...], bool, str]:
        parts = url.removeprefix(home).strip("/").split("/") if url != home else [""]
        return tuple(parts[:-1]), parts[-1] != "", parts[-1]

    return sorted(urls, key=key)


def sitemap_xml(engine_sitemap: str, date: dt.date) -> str:
    """The engine's addresses (already escaped as XML) in MkDocs' order, each dated ``date``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in _mkdocs_order(LOC.findall(engine_sitemap)):
        lines += ["    <url>", f"         <loc>{url}</loc>", f"         <lastmod>{date.isoformat()}</lastmod>", "    </url>"]
    lines.append("</urlset>")
    return "\n".join(lines)


def compressed(data: bytes, mtime: int) -> bytes:
    """``data`` compressed as MkDocs compresses its sitemap (the build time in the gzip header)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=SITEMAP + ".gz", mode="wb", mtime=mtime) as out:
        out.write(data)
    return buffer.getvalue()


def sitemap_files(site: dict[str, bytes], source_date_epoch: int) -> dict[str, bytes]:
    """``sitemap.xml`` and ``sitemap.xml.gz`` for a built ``site`` (no files if the engine listed no pages)."""
    if SITEMAP not in site:
        return {}
    date = dt.datetime.fromtimestamp(source_date_epoch, dt.UTC).date()
    xml = sitemap_xml(site[SITEMAP].decode("utf-8"), date).encode("utf-8")
    return {SITEMAP: xml, SITEMAP + ".gz": compressed(xml, source_date_epoch)}

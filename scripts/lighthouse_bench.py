"""Lighthouse on the demo clinic's site and on a stock Material site of the same pages.

Usage (after `npm ci --prefix scripts/lighthouse` and with Debian's chromium installed):

    .venv/bin/python scripts/lighthouse_bench.py [--pages N] [--write]
    .venv/bin/python scripts/lighthouse_bench.py --paths claim-check/ results/ --runs 3   # re-measure some pages

Builds both sites from the real content, serves each with gzip on 127.0.0.1, runs
Lighthouse (mobile, the default form factor) on every page, prints the four category
scores and the first-view transfer size per page, and with --write replaces the
Lighthouse section of docs/benchmarks.md. Nothing is fetched from the internet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from serve_gzip import serve  # noqa: E402

LIGHTHOUSE = ROOT / "scripts/lighthouse/node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
METRICS = {
    "fcp": "first-contentful-paint",
    "lcp": "largest-contentful-paint",
    "tbt": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "si": "speed-index",
}
COLUMNS = (*CATEGORIES, "kb", *METRICS)
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def build_sites(work: Path) -> tuple[Path, Path]:
    """The demo site as mesoguide builds it, and the same rendered pages on stock Material."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    ours = work / "ours"
    subprocess.run([sys.executable, "-m", "mesoguide", "build", "--out", str(ours)], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-m", "mesoguide", "render", "--out", str(work / "project")], cwd=ROOT, env=env, check=True)
    config_file = work / "project/mkdocs.yml"
    config = yaml.safe_load(config_file.read_text())
    # Stock Material: no overrides, no extra CSS, Material's own palette; fonts stay off
    # because this machine cannot reach a font server (with them on, stock would load more).
    config["theme"] = {"name": "material", "font": False, "language": "en"}
    config.pop("extra_css", None)
    config["extra"] = {}
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    stock = work / "stock"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(stock)], env=env, check=True)
    return ours, stock


def page_paths(site: Path, limit: int | None) -> list[str]:
    paths = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html") if "search" not in p.parts)
    paths = ["" if p == "." else p + "/" for p in paths]
    return paths[:limit] if limit else paths


def lighthouse(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "chromium")
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--max-wait-for-load=30000",
        ],
        env=env,
        check=True,
        timeout=180,
    )
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["kb"] = round(report["audits"]["total-byte-weight"]["numericValue"] / 1024, 1)
    # The metrics behind the performance score, to see which one costs points.
    for metric, audit in METRICS.items():
        scores[metric] = round(report["audits"][audit]["numericValue"], 3 if metric == "cls" else None)
    return scores


def measure(site: Path, paths: list[str], work: Path, label: str) -> list[dict]:
    server, base = serve(site)
    rows = []
    try:
        for i, path in enumerate(paths):
            row = {"page": path or "/", **lighthouse(base + path, work / f"{label}-{i}.json")}
            print(f"{label:6} {row['page']:<24} " + " ".join(f"{row[c]:>5}" for c in COLUMNS), flush=True)
            rows.append(row)
    finally:
        server.shutdown()
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | performance | accessibility | best practices | SEO | first view (KB, gzip) | FCP (ms) | LCP (ms) | TBT (ms) | CLS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['performance']} | {r['accessibility']} | {r['best-practices']} | {r['seo']} | {r['kb']} "
            f"| {r['fcp']} | {r['lcp']} | {r['tbt']} | {r['cls']} |"
        )
    return "\n".join(lines)


def summary(rows: list[dict]) -> str:
    parts = [f"{c} min {min(r[c] for r in rows)}, median {statistics.median(r[c] for r in rows)}" for c in CATEGORIES]
    parts.append(f"first view max {max(r['kb'] for r in rows)} KB")
    return "; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="only the first N pages (default: all)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--paths", nargs="+", help="only these pages of mesoguide's site (e.g. claim-check/), no stock site; prints only"
    )
    parser.add_argument("--runs", type=int, default=1, help="with --paths: measure each page this many times")
    args = parser.parse_args()
    if args.paths and args.write:
        parser.error("--paths measures some pages only; it cannot --write the table of every page")
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `npm ci --prefix scripts/lighthouse`", file=sys.stderr)
        return 2
    if not shutil.which("chromium"):
        print("Chromium is not installed: run `apt-get install chromium`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours, stock = build_sites(work)
        if args.paths:
            print(f"{'site':6} {'page':<24} " + " ".join(f"{c[:4]:>5}" for c in COLUMNS))
            runs = [measure(ours, ["" if p == "/" else p for p in args.paths], work, f"ours{i}") for i in range(args.runs)]
            if args.runs > 1:
                print(f"median of {args.runs} runs:")
                for rows in zip(*runs, strict=True):
                    median = {c: statistics.median(r[c] for r in rows) for c in COLUMNS}
                    print(f"{'median':6} {rows[0]['page']:<24} " + " ".join(f"{median[c]:>5}" for c in COLUMNS))
            return 0
        paths = page_paths(ours, args.pages)
        print(f"{'site':6} {'page':<24} " + " ".join(f"{c[:4]:>5}" for c in COLUMNS))
        our_rows = measure(ours, paths, work, "ours")
        stock_rows = measure(stock, [p for p in paths if (stock / p / "index.html").exists()], work, "stock")
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    section = "\n".join(
        [
            START,
            f"Measured {dt.date.today()} with Lighthouse {version} (mobile form factor, simulated throttling) and Debian's",
            f"Chromium, on {os.cpu_count()} cores, serving each site with gzip from 127.0.0.1. Command:",
            "`.venv/bin/python scripts/lighthouse_bench.py --write`.",
            "",
            f"**mesoguide (demo clinic):** {summary(our_rows)}.",
            "",
            f"**Stock Material, same pages:** {summary(stock_rows)}.",
            "",
            "mesoguide, per page:",
            "",
            table(our_rows),
            "",
            "Stock Material, per page:",
            "",
            table(stock_rows),
            END,
        ]
    )
    print()
    print(section)
    if args.write:
        bench = ROOT / "docs/benchmarks.md"
        text = bench.read_text()
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
        bench.write_text(text)
        print(f"updated {bench.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

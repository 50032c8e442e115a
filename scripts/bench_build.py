"""Build speed: `mesoguide build --all` against one process per clinic, on N synthetic clinics.

Usage:

    .venv/bin/python scripts/bench_build.py [--clinics N] [--jobs J] [--no-baseline] [--engine E]

Generates N clinics from the demo profile (each with its own name, colours, logo, country
and contacts) in a temporary clinics folder, builds them all with
`mesoguide build --all --clinics-dir DIR --jobs J`, then one at a time with
`mesoguide build --clinic SLUG --clinics-dir DIR --out DIR/SLUG` (one process each, as a
shell loop would), checks that both outputs are byte-identical for every clinic, and prints
wall time, time per clinic, pages per second, peak memory (the largest total resident
memory of the build's processes at any moment) and the speed-up. Both methods start without
prototype sites kept by earlier runs, as after a content change (see forget_built_sites).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["GB", "US", "IE", "AU", "NZ", "CA", "AE", "FR", "DE", "ES", "IT", "NL"]


def make_clinics(folder: Path, count: int, own_pages: bool = False) -> list[str]:
    """N fictional clinics derived from the demo profile; everything branded differs.

    With ``own_pages`` each clinic's own page also says something different, so no two
    clinics share a prototype (the slowest case for build --all).
    """
    template = (ROOT / "clinics/demo/clinic.yml").read_text()
    slugs = []
    for i in range(count):
        slug = f"bench-{i:03d}"
        clinic = folder / slug
        shutil.copytree(ROOT / "clinics/demo", clinic)
        hue = (i * 37) % 360
        primary = f"#{(i * 53) % 256:02x}{(90 + i * 11) % 256:02x}{(140 + i * 29) % 256:02x}"
        accent = f"#{(200 + i * 7) % 256:02x}{(60 + i * 13) % 256:02x}{(20 + i * 3) % 256:02x}"
        text = (
            template.replace("Demo Skin Clinic", f"Bench Clinic {i:03d}")
            .replace('"#0b6e4f"', f'"{primary}"')
            .replace('"#c2410c"', f'"{accent}"')
            .replace("country: GB", f"country: {COUNTRIES[i % len(COUNTRIES)]}")
            .replace("+44 20 7946 0000", f"+44 20 7946 0{i % 1000:03d}")
            .replace("demo-clinic.example.org", f"bench-{i:03d}.example.org")
        )
        (clinic / "clinic.yml").write_text(text)
        (clinic / "logo.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
            f'<circle cx="24" cy="24" r="{10 + i % 12}" fill="hsl({hue}, 60%, 40%)"/></svg>\n'
        )
        if own_pages:
            page = clinic / "pages/prices.md"
            page.write_text(page.read_text() + f"\nBench clinic {i:03d} opens on weekdays.\n")
        slugs.append(slug)
    return slugs


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc/<pid>/stat (one read each)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, ... rss is the 22nd field (pages).
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * PAGE_KB
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; return wall seconds and peak resident memory of its process tree (KB)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return time.perf_counter() - started, peak


def forget_built_sites() -> None:
    """Each method starts without the prototype sites kept by earlier runs (build/.cache/sites/),
    as after a content change; compiled templates (build/.cache/) are kept, as on any machine
    that has built once."""
    shutil.rmtree(ROOT / "build/.cache/sites", ignore_errors=True)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=50, help="how many synthetic clinics (default 50)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="processes for --all (default: cores)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-process-per-clinic builds")
    parser.add_argument("--own-pages", action="store_true", help="give every clinic a page of its own (no shared builds)")
    parser.add_argument("--engine", default="mkdocs", help="mkdocs (default), properdocs or zensical, for both methods")
    args = parser.parse_args()
    mesoguide = [sys.executable, "-m", "mesoguide"]
    engine = ["--engine", args.engine]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clinics_dir = work / "clinics"
        clinics_dir.mkdir()
        slugs = make_clinics(clinics_dir, args.clinics, args.own_pages)
        forget_built_sites()
        all_seconds, all_peak = timed(
            [
                *mesoguide,
                "build",
                "--all",
                "--clinics-dir",
                str(clinics_dir),
                "--jobs",
                str(args.jobs),
                "--out",
                str(work / "all"),
                *engine,
            ]
        )
        pages = sum(1 for _ in (work / "all").rglob("*.html"))
        shapes = len(list((ROOT / "build/.cache/sites").glob("*.zip")))
        print(
            f"engine: {args.engine}, clinics: {args.clinics}, pages: {pages}, cores: {len(os.sched_getaffinity(0))}, jobs: {args.jobs}"
        )
        print(f"prototypes built by --all (clinic shapes): {shapes}")
        print(
            f"build --all: {all_seconds:.2f} s wall, {all_seconds / args.clinics * 1000:.0f} ms per clinic, "
            f"{pages / all_seconds:.0f} pages/s, peak memory {all_peak / 1024:.0f} MB"
        )
        if args.no_baseline:
            return 0
        one_seconds, one_peak = 0.0, 0
        forget_built_sites()
        for slug in slugs:
            seconds, peak = timed(
                [
                    *mesoguide,
                    "build",
                    "--clinic",
                    slug,
                    "--clinics-dir",
                    str(clinics_dir),
                    "--out",
                    str(work / "one" / slug),
                    *engine,
                ]
            )
            one_seconds += seconds
            one_peak = max(one_peak, peak)
        print(
            f"one process per clinic: {one_seconds:.2f} s wall, {one_seconds / args.clinics * 1000:.0f} ms per clinic, "
            f"{pages / one_seconds:.0f} pages/s, peak memory {one_peak / 1024:.0f} MB"
        )
        print(f"speed-up: {one_seconds / all_seconds:.1f}x")
        different = [s for s in slugs if digest(work / "all" / s) != digest(work / "one" / s)]
        print(f"byte-identical: {len(slugs) - len(different)} of {len(slugs)} clinics")
        if different:
            print("differ: " + ", ".join(different))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

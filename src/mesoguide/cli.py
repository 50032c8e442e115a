"""The ``mesoguide`` command: build, render, serve, check, new-clinic.

Exit codes: 0 success, 1 a problem in the user's input (every problem printed as
``path:line: message``), 2 wrong command-line usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from mesoguide.errors import UserError, display_path

# The engines `build --engine` accepts (site/engines.py; not imported here to keep start-up quick).
ENGINES = ("mkdocs", "properdocs", "zensical")

DEFAULT_CLINIC = "demo"


def _clinic_spec(args: argparse.Namespace) -> str:
    return args.clinic or os.environ.get("MESOGUIDE_CLINIC") or DEFAULT_CLINIC


def _paths(args: argparse.Namespace):
    from mesoguide.pipeline import Paths

    root = Path.cwd()
    return Paths.at(root, Path(args.clinics_dir) if args.clinics_dir else None)


def _clinic_folder(args: argparse.Namespace) -> Path:
    from mesoguide.inputs.profile import find_clinic

    return find_clinic(_clinic_spec(args), _paths(args).clinics_dir)


def cmd_build(args: argparse.Namespace) -> int:
    from mesoguide.session import BuildSession

    paths = _paths(args)
    with BuildSession(paths) as session:
        return _build(args, session)


def _build(args: argparse.Namespace, session) -> int:
    from mesoguide.inputs.profile import list_clinics
    from mesoguide.pipeline import build_all, build_clinic, default_jobs
    from mesoguide.site import describe, missing_engine

    hint = missing_engine(args.engine)
    if hint:
        print(f"mesoguide: {hint}", file=sys.stderr)
        return 1
    paths = session.paths
    if args.require_review:
        from mesoguide.checks.review import require_review

        require_review(paths.content_dir, today=dt.date.today())
    if not args.all:
        site = build_clinic(
            _clinic_folder(args), session, Path(args.out) if args.out else None, strict=args.strict, engine=args.engine
        )
        if not args.quiet:
            for warning in site.warnings:
                print(warning.format(), file=sys.stderr)
        print(f"Built {describe(site)}" + (f"; {len(site.warnings)} warnings" if site.warnings else ""))
        return 0
    folders = list_clinics(paths.clinics_dir)
    out = Path(args.out) if args.out else paths.root / "site"
    jobs = args.jobs or default_jobs()
    print(f"Building {len(folders)} clinics with {jobs} processes", file=sys.stderr)
    report = build_all(
        folders, session, out, jobs, progress=lambda line: print(line, file=sys.stderr), strict=args.strict, engine=args.engine
    )
    pages = sum(s.pages for s in report.built)
    warnings = [w for s in report.built for w in s.warnings]
    if not args.quiet:
        for warning in warnings:
            print(warning.format(), file=sys.stderr)
    failed = f" ({', '.join(sorted(report.failed))})" if report.failed else ""
    print(
        f"Built {len(report.built)} of {len(folders)} clinics, {pages} pages, in {report.seconds:.1f} s "
        f"into {display_path(out)}/; {len(report.failed)} failed{failed}, {len(warnings)} warnings."
    )
    if report.problems:
        raise UserError(report.problems)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from mesoguide.pipeline import render_clinic
    from mesoguide.session import BuildSession

    with BuildSession(_paths(args)) as session:
        project = render_clinic(_clinic_folder(args), session, out=Path(args.out) if args.out else None)
    print(
        f"Rendered {project.clinic.slug} into {display_path(project.path)}/ (preview: mkdocs serve -f {display_path(project.config_file)})"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mesoguide.serve import PortBusy, serve
    from mesoguide.session import BuildSession

    try:
        with BuildSession(_paths(args)) as session:
            serve(_clinic_folder(args), session, args.host, args.port)
    except PortBusy as exc:
        print(f"mesoguide serve: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from mesoguide.checks import run_checks
    from mesoguide.session import BuildSession

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    clinic = _clinic_folder(args) if args.clinic else None
    # Clinic profile warnings (a colour adjusted for contrast) concern the clinic: listed when
    # that clinic is checked, or for every clinic in CI mode (--ci, or CI set as CI services do).
    ci = args.ci or bool(os.environ.get("CI"))
    paths = _paths(args)
    with BuildSession(paths) as session:
        report = run_checks(
            paths,
            clinic=clinic,
            today=today,
            sources=Path(args.sources) if args.sources else None,
            require_review=args.require_review,
            deployed=args.deployed,
            clinic_warnings=clinic is not None or ci,
            session=session,
        )
    output = report.to_json() if args.format == "json" else report.to_text(strict=args.strict)
    print(output)
    return 0 if report.passed(strict=args.strict) else 1


def cmd_review(args: argparse.Namespace) -> int:
    from mesoguide.inputs.content import load_content
    from mesoguide.inputs.reviews import review_pages, review_status, status_table
    from mesoguide.pipeline import Paths

    paths = Paths.at(Path.cwd())
    today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    if args.status:
        if args.pages or args.reviewer or args.registration:
            print(
                "mesoguide review: error: --status lists every page; give it no PAGE, --reviewer or --registration",
                file=sys.stderr,
            )
            return 2
        print(status_table(review_status(load_content(paths.content_dir), today)))
        return 0
    missing = [
        name
        for name, value in (("PAGE", args.pages), ("--reviewer", args.reviewer), ("--registration", args.registration))
        if not value
    ]
    if missing:
        print(f"mesoguide review: error: missing {', '.join(missing)} (or use --status)", file=sys.stderr)
        return 2
    pages = review_pages(paths.root, paths.content_dir, args.pages, args.reviewer, args.registration, today)
    for page in pages:
        print(f"Recorded the review of {display_path(page.source)} by {args.reviewer.strip()} on {today.isoformat()}")
    return 0


def cmd_new_clinic(args: argparse.Namespace) -> int:
    from mesoguide.inputs.scaffold import new_clinic

    folder = new_clinic(args.slug, _paths(args).clinics_dir)
    print(f"Created {display_path(folder)}/. Fill in every CHANGE-ME in clinic.yml, replace logo.svg, then run:")
    print(f"  mesoguide build --clinic {args.slug}")
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    from mesoguide.handout import write_handout

    paths = _paths(args)
    folder = _clinic_folder(args)
    out = Path(args.out) if args.out else paths.root / "site" / f"{folder.resolve().name}-handout.pdf"
    write_handout(folder, paths, out)
    print(f"Wrote {display_path(out)} (A4)")
    return 0


def _iso_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mesoguide", description="Branded patient-education sites about mesotherapy for acne and acne scars."
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def clinic_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--clinic",
            help="clinic slug in the clinics folder, or a path to a clinic folder (default: demo, or $MESOGUIDE_CLINIC)",
        )
        p.add_argument("--clinics-dir", help="folder of clinic folders (default: clinics/)")

    build = commands.add_parser("build", help="build a clinic's site (or every clinic's with --all)")
    clinic_options(build)
    build.add_argument("--all", action="store_true", help="build every clinic in the clinics folder")
    build.add_argument("--out", help="output folder (one clinic: the site itself; --all: one folder per clinic)")
    build.add_argument("--jobs", type=_positive, help="parallel processes for --all (default: number of cores)")
    build.add_argument("--require-review", action="store_true", help="refuse pages without a current clinical review")
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the generator that builds the rendered project (default: mkdocs; properdocs and zensical are optional extras)",
    )
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", action="store_true", help="do not print warnings (they are still counted)")
    loudness.add_argument("--strict", action="store_true", help="refuse to build when there are warnings")
    build.set_defaults(func=cmd_build)

    render = commands.add_parser("render", help="write a clinic's MkDocs project (build/<slug>/) without building it")
    clinic_options(render)
    render.add_argument("--out", help="output folder (default: build/<slug>/)")
    render.set_defaults(func=cmd_render)

    serve = commands.add_parser("serve", help="preview a clinic's site with live reload")
    clinic_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--port", type=_positive, default=8000, help="port to listen on (default: 8000)")
    serve.set_defaults(func=cmd_serve)

    check = commands.add_parser("check", help="run every quality gate and list every problem")
    clinic_options(check)
    check.add_argument("--today", type=_iso_date, help="date to check review dates against (YYYY-MM-DD)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--sources", help="folder with the source articles, to verify every quote")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--ci", action="store_true", help="list every clinic's profile notes and warnings too (the default when CI is set)"
    )
    check.add_argument("--require-review", action="store_true", help="fail pages without a current clinical review")
    check.add_argument(
        "--deployed",
        metavar="URL|PATH",
        help="the live site's address (its manifest.json is fetched), or a manifest.json, to see whether it is out of date",
    )
    check.set_defaults(func=cmd_check)

    review = commands.add_parser(
        "review",
        help="record a clinical review of pages in their front matter, or list every page's review state",
        description="Records the reviewer, registration, dates and the page's content hash. The registration is "
        "free text: mesoguide cannot verify it with the regulator.",
    )
    review.add_argument("pages", nargs="*", metavar="PAGE", help="page name (procedure) or path (content/pages/procedure.md)")
    review.add_argument("--reviewer", type=_text, help='"Name, role", as the clinician agreed to be named')
    review.add_argument("--registration", type=_text, help='professional registration, e.g. "GMC 1234567" (not verified)')
    review.add_argument(
        "--date", type=_iso_date, help="day of the review, YYYY-MM-DD (default: today); with --status, the day to compare with"
    )
    review.add_argument(
        "--status", action="store_true", help="list every page: not reviewed, reviewed, changed since review, due"
    )
    review.set_defaults(func=cmd_review)

    handout = commands.add_parser("handout", help="print the A4 patient handout of a clinic as a PDF")
    clinic_options(handout)
    handout.add_argument("--out", help="PDF file to write (default: site/<slug>-handout.pdf)")
    handout.set_defaults(func=cmd_handout)

    new = commands.add_parser("new-clinic", help="create a clinic folder with a profile to fill in")
    new.add_argument("slug")
    new.add_argument("--clinics-dir", help="folder of clinic folders (default: clinics/)")
    new.set_defaults(func=cmd_new_clinic)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was changed.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

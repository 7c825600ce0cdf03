"""Command-line interface: a thin layer over the library.

Exit codes: 0 success, 1 data error (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cwg_analysis import __version__
from cwg_analysis.errors import CwgAnalysisError

log = logging.getLogger("cwg_analysis")


def _read(args: argparse.Namespace) -> int:
    from cwg_analysis.report import read_report

    report = read_report(args.file)
    tables = report.tables()
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frame in tables.items():
            frame.to_csv(args.out / f"{name}.csv", index=False)
        log.info("wrote %d tables to %s", len(tables), args.out)
        return 0
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.width", 200):
        for name in args.table or list(tables):
            sys.stdout.write(f"== {name} ({len(tables[name])} rows)\n")
            sys.stdout.write(tables[name].to_string(max_colwidth=60) + "\n\n")
    return 0


def _build(args: argparse.Namespace) -> int:
    from cwg_analysis.corpus import build_corpus

    summary = build_corpus(force=args.force)
    sys.stdout.write(f"{summary}\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from cwg_analysis.loading import validate_data

    problems = validate_data()
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    if problems:
        sys.stderr.write(f"validate: {len(problems)} problem(s) found\n")
        return 1
    sys.stdout.write("validate: every table passes its schema and references\n")
    return 0


def _render(args: argparse.Namespace) -> int:
    from cwg_analysis.rendering import render_reports

    summary = render_reports(jobs=args.jobs, force=args.force, only=args.only)
    sys.stdout.write(f"{summary}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cwg-analysis",
        description="Data, analysis and Council-ready reports from ITU CWG-Internet records.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print warnings and errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    read = commands.add_parser("read", help="read one meeting report and print its tables")
    read.add_argument("file", type=Path, help="a report as .txt, .docx or .pdf")
    read.add_argument("--out", type=Path, help="write every table as CSV into this folder")
    read.add_argument(
        "--table",
        action="append",
        choices=[
            "meeting",
            "paragraphs",
            "documents",
            "submitters",
            "statements",
            "consultation",
            "unparsed",
            "dropped",
        ],
        help="print only this table (repeatable)",
    )
    read.set_defaults(run=_read)

    build = commands.add_parser("build", help="build the corpus into data/processed/")
    build.add_argument("--force", action="store_true", help="re-read every report")
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check every table and print all problems")
    validate.set_defaults(run=_validate)

    render = commands.add_parser("render", help="execute the notebooks and export HTML reports")
    render.add_argument(
        "--jobs", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    render.add_argument("--force", action="store_true", help="ignore the cache")
    render.add_argument("--only", action="append", help="render only this notebook (stem)")
    render.set_defaults(run=_render)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        return args.run(args)
    except CwgAnalysisError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1

"""Run every benchmark and print one table: ``python -m benchmarks [--quick] [--only NAME]``.

Exit status: 0 when every benchmark ran (a missed target is shown in the table, not an error),
1 when a benchmark failed to run.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
import time
import traceback

import benchmarks
from benchmarks import Row, check_target

log = logging.getLogger("benchmarks")


def find_modules() -> list[str]:
    """Return the names of the benchmark modules, ``bench_*`` in ``benchmarks/``, sorted."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )


def format_number(number: float | None) -> str:
    """Format a measured number with three significant digits (thousands separated)."""
    if number is None:
        return ""
    if abs(number) >= 100:
        return f"{number:,.0f}"
    return f"{number:.3g}"


def format_table(rows: list[Row]) -> str:
    """Return the rows as one Markdown table: measure, value, target, floor, ratio, verdict."""
    header = ["measure", "value", "target", "floor", "value / floor", "met"]
    lines = []
    for row in rows:
        unit = row["unit"]
        floor = row["floor"]
        verdict = check_target(row)
        lines.append(
            [
                row["measure"],
                f"{format_number(row['value'])} {unit}",
                row["target"] or "",
                f"{format_number(floor)} {unit}" if floor is not None else "",
                f"{row['value'] / floor:.2f}" if floor else "",
                {True: "yes", False: "NO", None: "-"}[verdict],
            ]
        )
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    numeric = {1, 3, 4}

    def render(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (width + 1) + ":" if i in numeric else "-" * (width + 2)
            for i, width in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([render(header), rule, *(render(cells) for cells in lines)])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table on stdout and return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs: check, do not measure")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this module (e.g. bench_corpus)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)
    names = find_modules()
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"no such benchmark module: {', '.join(unknown)} (have {', '.join(names)})")
    rows: list[Row] = []
    failed = []
    for name in args.only or names:
        start = time.perf_counter()
        log.info("%s: running%s", name, " (quick)" if args.quick else "")
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            rows.extend(module.run(quick=args.quick))
        except Exception:
            failed.append(name)
            log.error("%s: failed:\n%s", name, traceback.format_exc())
        log.info("%s: %.1f s", name, time.perf_counter() - start)
    sys.stdout.write(format_table(rows) + "\n")
    verdicts = [check_target(row) for row in rows]
    sys.stdout.write(
        f"\n{verdicts.count(True)} of {sum(v is not None for v in verdicts)} targets met"
        f"{'' if not args.quick else ' (quick run: tiny inputs, numbers not meaningful)'}"
        f"{'; failed: ' + ', '.join(failed) if failed else ''}\n"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

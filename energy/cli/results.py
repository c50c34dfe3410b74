"""``energy export`` and ``energy report``: what is done with a results folder."""

from __future__ import annotations

import argparse
import sys

from energy.cli.common import add_command
from energy.errors import ExitCode


def cmd_export(args: argparse.Namespace) -> int:
    """Write a results folder as Excel, Parquet or CSV."""
    from energy.results.export import export_results

    try:
        files = export_results(args.results_dir, args.format, args.out)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return ExitCode.INPUT
    print("\n".join(str(f) for f in files))
    return ExitCode.OK


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report of a results folder."""
    from energy.review.report import write_report

    try:
        target = write_report(args.results_dir, args.out, args.node)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return ExitCode.INPUT
    print(f"report written to {target}")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``report``."""
    exp = add_command(
        sub, "export", cmd_export, "write a results folder as Excel, Parquet or CSV", inputs=False
    )
    exp.add_argument("results_dir", help="a results folder (run or sweep)")
    exp.add_argument(
        "--format", choices=("xlsx", "parquet", "csv"), default="xlsx", help="default: xlsx"
    )
    exp.add_argument("--out", help="output folder (default: RESULTS_DIR/export/)")
    rep = add_command(
        sub,
        "report",
        cmd_report,
        "write a self-contained HTML report of a results folder",
        inputs=False,
    )
    rep.add_argument("results_dir", help="a results folder (run or sweep)")
    rep.add_argument("--out", help="output file (default: RESULTS_DIR/report.html)")
    rep.add_argument("--node", help="node of the dispatch plot (default: AZ)")

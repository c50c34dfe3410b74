"""``energy sweep``: many cases of a scenario on Dask."""

from __future__ import annotations

import argparse
import sys

from energy.cli.common import RESULTS_ROOT_HELP, add_command, cpus, inputs_dir
from energy.errors import ExitCode


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep on Dask into ``<results root>/<sweep>/``."""
    from energy.run.sweep import run_sweep

    report = run_sweep(
        args.sweep,
        inputs_dir=inputs_dir(args),
        results_dir=args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        force=args.force,
        threads=args.threads,
        verbose=args.verbose,
    )
    print(
        f"\n{report.folder.name}: {len(report.summary)} cases — {report.solved} solved, "
        f"{report.skipped} skipped (up to date), {report.failed} failed — "
        f"{report.wall_s:.1f} s. Results in {report.folder}"
    )
    for row in report.summary[report.summary["status"] != "optimal"].itertuples():
        print(f"  failed: {row.case}: {row.status} — {row.message}", file=sys.stderr)
    return ExitCode.OK if report.ok else ExitCode.FAILED


def add_parallel_options(p: argparse.ArgumentParser) -> None:
    """``--workers``, ``--scheduler``, ``--force``, ``--threads``: how cases are run."""
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        default=cpus(),
        help=f"local Dask worker processes (default: {cpus()}); 0: run in "
        "this process, one case after another",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask "
        "scheduler, e.g. tcp://10.0.0.5:8786 (then --workers is ignored)",
    )
    p.add_argument("--force", action="store_true", help="rerun cases that are up to date")
    p.add_argument("--threads", type=int, metavar="N", help="solver threads per case (default: 1)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sweep``."""
    sweep = add_command(
        sub,
        "sweep",
        cmd_sweep,
        "run a scenario sweep (inputs/sweeps/) on Dask into <results>/<sweep>/",
    )
    sweep.add_argument("sweep", help="sweep name in inputs/sweeps/ or a YAML file")
    add_parallel_options(sweep)
    sweep.add_argument("--out", metavar="DIR", help=RESULTS_ROOT_HELP)

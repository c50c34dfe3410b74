"""The ``energy`` command: every subcommand in one place.

Each ``cmd_*`` imports the layer it needs when it runs, so ``energy run`` loads neither
matplotlib nor Dask. Exit codes are :class:`energy.errors.ExitCode`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable

from energy.config.resolution import HELP as RESOLUTION_HELP
from energy.errors import ExitCode, InputError
from energy.logs import configure_console

Command = Callable[[argparse.Namespace], int]


def _changes(args: argparse.Namespace) -> dict:
    """Scenario changes from the common options (--resolution, --time-limit, --window)."""
    changes: dict = {}
    if getattr(args, "resolution", None):
        changes["resolution"] = args.resolution
    if getattr(args, "time_limit", None):
        changes["solver"] = {"time_limit_s": args.time_limit}
    if getattr(args, "window", None):
        changes["window"] = {"start": args.window[0], "end": args.window[1]}
    return changes


def _inputs(args: argparse.Namespace):
    from energy.paths import DEFAULT_INPUTS

    return args.inputs or DEFAULT_INPUTS


def cmd_run(args: argparse.Namespace) -> int:
    """Optimise one scenario into ``<results root>/<scenario>/``."""
    from energy.config.scenario import load_scenario
    from energy.errors import SolveError
    from energy.paths import results_folder
    from energy.run.pipeline import run_scenario

    scenario = load_scenario(args.scenario, args.inputs, **_changes(args))
    out = results_folder(scenario.name, args.out)
    try:
        results = run_scenario(
            scenario,
            out=out,
            inputs_dir=_inputs(args),
            solver_log_to_console=args.verbose,
            check_hourly=args.hourly_check,
        )
    except SolveError as err:
        print(f"error: {err}", file=sys.stderr)
        return ExitCode.FAILED
    print(f"\n{scenario.name}: optimal. Results in {out}")
    print(results.kpis.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    return ExitCode.OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate inputs and a scenario without solving."""
    from energy.config.scenario import load_scenario
    from energy.data.inputs import plausibility_warnings
    from energy.run.pipeline import prepare_inputs

    scenario = load_scenario(args.scenario, args.inputs)
    inputs = prepare_inputs(scenario, _inputs(args))
    warnings = plausibility_warnings(inputs, scenario.period)
    print(
        f"{scenario.name}: inputs and scenario valid (inputs hash {inputs.hash()[:12]}…, "
        f"{len(warnings)} warning(s))"
    )
    return ExitCode.OK


def cmd_list(args: argparse.Namespace) -> int:
    """List the scenarios with their descriptions."""
    from energy.config.scenario import load_scenario
    from energy.paths import list_scenarios

    for name in list_scenarios(args.inputs):
        print(f"{name:20s} {load_scenario(name, args.inputs).description}")
    return ExitCode.OK


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep on Dask into ``<results root>/<sweep>/``."""
    from energy.run.sweep import run_sweep

    report = run_sweep(
        args.sweep,
        inputs_dir=_inputs(args),
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


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the backcast (base year, then the earlier year out of sample); exit 1 if a check
    misses its tolerance."""
    from energy.validation.backcast import format_table, run_backcast

    resolution = args.resolution or "3h"
    missed = []
    for period, what in (("base", "calibration year"), ("base-prior", "out of sample")):
        table, extras, _ = run_backcast(resolution, _inputs(args), period=period)
        print(f"\nBackcast {period} ({what}, {resolution}) vs inputs/statistics.csv\n")
        print(format_table(table))
        print("\nModelled, no published counterpart (CO2 by country is not published):")
        print(extras.to_string(float_format=lambda v: f"{v:,.3f}"))
        misses = table[table["status"] == "MISS"]
        missed += list(period + ": " + misses["country"] + " " + misses["carrier"])
    if missed:
        print("\nMISS: " + ", ".join(missed))
        return ExitCode.FAILED
    print("\nall checks within tolerance: shares ±5 pp, totals ±5 %, net imports ±1.5 TWh")
    return ExitCode.OK


def cmd_crosscheck(args: argparse.Namespace) -> int:
    """Solve a scenario with PyPSA and with the Pyomo formulation; exit 1 if they differ."""
    from energy.config.scenario import load_scenario
    from energy.validation.crosscheck import crosscheck, format_comparison

    scenario = load_scenario(args.scenario, args.inputs, **_changes(args))
    comparison = crosscheck(scenario, _inputs(args))
    window = scenario.window
    print(
        f"\n{scenario.name}: PyPSA/linopy vs Pyomo (appsi HiGHS), "
        f"{f'{window.start} … {window.end}' if window else 'full year'}, "
        f"resolution {scenario.resolution}\n"
    )
    print(format_comparison(comparison))
    print("\n" + ", ".join(f"{k} {v:.1f}" for k, v in comparison.timings.items()))
    print(
        "agree (objective ≤ 1e-6, corridor capacities ≤ 1e-3 relative)"
        if comparison.ok
        else "DISAGREE"
    )
    return ExitCode.OK if comparison.ok else ExitCode.FAILED


def _cpus() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpus or 1


def _add(
    sub: argparse._SubParsersAction, name: str, func: Command, help: str, inputs: bool = True
) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help)
    if inputs:
        p.add_argument("--inputs", metavar="DIR", help="inputs folder (default: inputs/)")
    p.set_defaults(func=func)
    return p


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``energy`` with every subcommand."""
    p = argparse.ArgumentParser(
        prog="energy", description="Green-corridor planning model (PyPSA + HiGHS)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="more log output")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    root = "parent folder of the results folder (default: $GREEN_CORRIDOR_RESULTS or results/)"

    run = _add(sub, "run", cmd_run, "optimise a scenario and write <results>/<scenario>/")
    run.add_argument(
        "scenario",
        nargs="?",
        default="base",
        help="scenario name in inputs/scenarios/ or a YAML file (default: base)",
    )
    run.add_argument("--out", metavar="DIR", help=root)
    run.add_argument("--resolution", help=RESOLUTION_HELP)
    run.add_argument("--time-limit", type=float, metavar="S", help="solver time limit, s")
    run.add_argument(
        "--hourly-check",
        action="store_true",
        help="re-dispatch the plan hour by hour with its capacities fixed",
    )
    check = _add(sub, "check", cmd_check, "validate inputs and a scenario without solving")
    check.add_argument("scenario", nargs="?", default="base")
    _add(sub, "list", cmd_list, "list the scenarios")

    sweep = _add(
        sub,
        "sweep",
        cmd_sweep,
        "run a scenario sweep (inputs/sweeps/) on Dask into <results>/<sweep>/",
    )
    sweep.add_argument("sweep", help="sweep name in inputs/sweeps/ or a YAML file")
    sweep.add_argument(
        "--workers",
        type=int,
        metavar="N",
        default=_cpus(),
        help=f"local Dask worker processes (default: {_cpus()}); 0: run in "
        "this process, one case after another",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask "
        "scheduler, e.g. tcp://10.0.0.5:8786 (then --workers is ignored)",
    )
    sweep.add_argument("--force", action="store_true", help="rerun cases that are up to date")
    sweep.add_argument("--out", metavar="DIR", help=root)
    sweep.add_argument(
        "--threads", type=int, metavar="N", help="solver threads per case (default: 1)"
    )

    exp = _add(
        sub, "export", cmd_export, "write a results folder as Excel, Parquet or CSV", inputs=False
    )
    exp.add_argument("results_dir", help="a results folder (run or sweep)")
    exp.add_argument(
        "--format", choices=("xlsx", "parquet", "csv"), default="xlsx", help="default: xlsx"
    )
    exp.add_argument("--out", help="output folder (default: RESULTS_DIR/export/)")
    rep = _add(
        sub,
        "report",
        cmd_report,
        "write a self-contained HTML report of a results folder",
        inputs=False,
    )
    rep.add_argument("results_dir", help="a results folder (run or sweep)")
    rep.add_argument("--out", help="output file (default: RESULTS_DIR/report.html)")
    rep.add_argument("--node", help="node of the dispatch plot (default: AZ)")

    val = _add(sub, "validate", cmd_validate, "run the backcast and compare with statistics")
    val.add_argument("--resolution", help="time resolution of the backcast (default 3h)")
    cc = _add(
        sub, "crosscheck", cmd_crosscheck, "solve a scenario with PyPSA and with Pyomo; compare"
    )
    cc.add_argument("scenario", help="scenario name or YAML file")
    cc.add_argument(
        "--window",
        nargs=2,
        metavar=("START", "END"),
        help="modelled window, e.g. 2030-01-08 2030-01-21",
    )
    cc.add_argument("--resolution", help="'1h' or 'Nh' (every Nth hour)")
    return p


def exit_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C: staging folders are removed, results stay intact."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """Run the ``energy`` command; returns its exit code."""
    args = parser().parse_args(argv)
    configure_console(args.verbose)
    exit_on_sigterm()
    try:
        return int(args.func(args))
    except InputError as err:
        if args.debug:
            raise
        print("error: " + "\n  ".join(err.problems), file=sys.stderr)
        return ExitCode.INPUT
    except KeyboardInterrupt:
        print(
            "interrupted: no results written, existing results left as they were", file=sys.stderr
        )
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

"""The ``energy`` command: ``energy run``, ``energy list``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from energy.inputs import InputError

EXIT_OK, EXIT_SOLVE, EXIT_INPUT = 0, 1, 2


def configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler.set_name("energy-cli")
    logger = logging.getLogger("energy")
    for old in [h for h in logger.handlers if h.get_name() == "energy-cli"]:
        logger.removeHandler(old)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)


def find_scenario(name: str, inputs: str | None) -> str | Path:
    """A scenario name is looked up in ``<inputs>/scenarios/`` first when --inputs is given."""
    if inputs and (Path(inputs) / "scenarios" / f"{name}.yaml").is_file():
        return Path(inputs) / "scenarios" / f"{name}.yaml"
    return name


def cmd_run(args: argparse.Namespace) -> int:
    from energy.inputs import DEFAULT_INPUTS
    from energy.pipeline import DEFAULT_RESULTS, SolveError, run_scenario
    from energy.scenario import load_scenario

    changes = {}
    if args.resolution:
        changes["resolution"] = args.resolution
    if args.time_limit:
        changes["solver"] = {"time_limit_s": args.time_limit}
    scenario = load_scenario(find_scenario(args.scenario, args.inputs), **changes)
    out = Path(args.out) / scenario.name if args.out else DEFAULT_RESULTS / scenario.name
    try:
        results = run_scenario(scenario, out=out, inputs_dir=args.inputs or DEFAULT_INPUTS,
                               solver_log_to_console=args.verbose,
                               check_hourly=args.hourly_check)
    except SolveError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_SOLVE
    print(f"\n{scenario.name}: optimal. Results in {out}")
    print(results.kpis.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate inputs and a scenario without solving."""
    from energy.inputs import DEFAULT_INPUTS, plausibility_warnings
    from energy.pipeline import prepare_inputs
    from energy.scenario import load_scenario

    scenario = load_scenario(find_scenario(args.scenario, args.inputs))
    inputs = prepare_inputs(scenario, args.inputs or DEFAULT_INPUTS)
    warnings = plausibility_warnings(inputs, scenario.period)
    print(f"{scenario.name}: inputs and scenario valid (inputs hash {inputs.hash()[:12]}…, "
          f"{len(warnings)} warning(s))")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from energy.scenario import list_scenarios, load_scenario

    for name in list_scenarios():
        print(f"{name:20s} {load_scenario(name).description}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="energy", description="Green-corridor planning model "
                                "(PyPSA + HiGHS)")
    p.add_argument("-v", "--verbose", action="store_true", help="more log output")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="optimise a scenario and write results/<scenario>/")
    run.add_argument("scenario", nargs="?", default="base",
                     help="scenario name in inputs/scenarios/ or a YAML file (default: base)")
    run.add_argument("--out", help="parent folder of the results folder (default: results/)")
    run.add_argument("--resolution", help="'1h', 'Nh' (every Nth hour), 'mean:Nh', "
                     "'segments:K'")
    run.add_argument("--time-limit", type=float, help="solver time limit in seconds")
    run.add_argument("--inputs", help="inputs folder (default: inputs/)")
    run.add_argument("--hourly-check", action="store_true",
                     help="re-dispatch the plan hour by hour with its capacities fixed")
    run.set_defaults(func=cmd_run)
    check = sub.add_parser("check", help="validate inputs and a scenario without solving")
    check.add_argument("scenario", nargs="?", default="base")
    check.add_argument("--inputs", help="inputs folder (default: inputs/)")
    check.set_defaults(func=cmd_check)
    lst = sub.add_parser("list", help="list the scenarios")
    lst.set_defaults(func=cmd_list)
    from energy.report import add_review_commands
    add_review_commands(sub)
    from energy.sweep import add_sweep_command
    add_sweep_command(sub)
    from energy.validate import add_validation_commands
    add_validation_commands(sub)
    return p


def exit_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C: staging folders are removed, results stay intact."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(args.verbose)
    exit_on_sigterm()
    try:
        return args.func(args)
    except InputError as err:
        if args.debug:
            raise
        print("error: " + "\n  ".join(err.problems), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted: no results written, existing results left as they were",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

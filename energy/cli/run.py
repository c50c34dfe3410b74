"""``energy run``, ``energy check`` and ``energy list``: one scenario at a time."""

from __future__ import annotations

import argparse
import sys

from energy.cli.common import RESULTS_ROOT_HELP, add_command, changes, inputs_dir
from energy.config.resolution import HELP as RESOLUTION_HELP
from energy.errors import ExitCode


def cmd_run(args: argparse.Namespace) -> int:
    """Optimise one scenario into ``<results root>/<scenario>/``."""
    from energy.config.scenario import load_scenario
    from energy.errors import SolveError
    from energy.paths import results_folder
    from energy.run.pipeline import run_scenario

    extra = {} if args.weather_year is None else {"weather_year": args.weather_year}
    scenario = load_scenario(args.scenario, args.inputs, **changes(args), **extra)
    out = results_folder(scenario.name, args.out)
    try:
        results = run_scenario(
            scenario,
            out=out,
            inputs_dir=inputs_dir(args),
            solver_log_to_console=args.verbose,
            check_hourly=args.hourly_check,
        )
    except SolveError as err:
        print(f"error: {err}", file=sys.stderr)
        return ExitCode.FAILED
    proven = results.metadata.get("optimal", True)
    gap = results.metadata.get("mip_gap")
    state = "optimal" if proven else f"NOT proven optimal (time limit; MIP gap {gap:.3g})"
    print(f"\n{scenario.name}: {state}. Results in {out}")
    print(results.kpis.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    return ExitCode.OK if proven else ExitCode.NOT_PROVEN


def cmd_check(args: argparse.Namespace) -> int:
    """Validate inputs and a scenario without solving."""
    from energy.config.scenario import load_scenario
    from energy.data.inputs import plausibility_warnings
    from energy.run.pipeline import prepare_inputs

    scenario = load_scenario(args.scenario, args.inputs)
    inputs = prepare_inputs(scenario, inputs_dir(args))
    if scenario.robust is not None:  # every weather year too
        from energy.run.robust import robust_inputs

        robust_inputs(scenario, inputs_dir(args))
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run``, ``check`` and ``list``."""
    run = add_command(sub, "run", cmd_run, "optimise a scenario and write <results>/<scenario>/")
    run.add_argument(
        "scenario",
        nargs="?",
        default="base",
        help="scenario name in inputs/scenarios/ or a YAML file (default: base)",
    )
    run.add_argument("--out", metavar="DIR", help=RESULTS_ROOT_HELP)
    run.add_argument("--resolution", help=RESOLUTION_HELP)
    run.add_argument("--time-limit", type=float, metavar="S", help="solver time limit, s")
    run.add_argument(
        "--weather-year",
        type=int,
        metavar="N",
        help="profiles of inputs/weather/year-NN/ instead of inputs/profiles/",
    )
    run.add_argument(
        "--hourly-check",
        action="store_true",
        help="re-dispatch the plan hour by hour with its capacities fixed",
    )
    check = add_command(sub, "check", cmd_check, "validate inputs and a scenario without solving")
    check.add_argument("scenario", nargs="?", default="base")
    add_command(sub, "list", cmd_list, "list the scenarios")

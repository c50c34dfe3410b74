"""``energy validate`` and ``energy crosscheck``: is the model right?"""

from __future__ import annotations

import argparse

from energy.cli.common import add_command, changes, inputs_dir
from energy.errors import ExitCode


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the backcast (base year, then the earlier year out of sample); exit 1 if a check
    misses its tolerance."""
    from energy.validation.backcast import format_table, missed_checks, run_backcast

    resolution = args.resolution or "3h"
    missed = []
    for period, what in (("base", "calibration year"), ("base-prior", "out of sample")):
        table, extras, _ = run_backcast(resolution, inputs_dir(args), period=period)
        print(f"\nBackcast {period} ({what}, {resolution}) vs inputs/statistics.csv\n")
        print(format_table(table))
        print("\nModelled, no published counterpart (CO2 by country is not published):")
        print(extras.to_string(float_format=lambda v: f"{v:,.3f}"))
        missed += [f"{period} ({what}): {line}" for line in missed_checks(table)]
    if missed:
        print("\nMISS:\n  " + "\n  ".join(missed))
        return ExitCode.FAILED
    print("\nall checks within tolerance: shares ±5 pp, totals ±5 %, net imports ±1.5 TWh")
    return ExitCode.OK


def cmd_crosscheck(args: argparse.Namespace) -> int:
    """Solve a scenario with PyPSA and with the Pyomo formulation; exit 1 if they differ."""
    from energy.config.scenario import load_scenario
    from energy.validation.crosscheck import crosscheck, format_comparison

    scenario = load_scenario(args.scenario, args.inputs, **changes(args))
    comparison = crosscheck(scenario, inputs_dir(args))
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``validate`` and ``crosscheck``."""
    val = add_command(sub, "validate", cmd_validate, "run the backcast and compare with statistics")
    val.add_argument("--resolution", help="time resolution of the backcast (default 3h)")
    cc = add_command(
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

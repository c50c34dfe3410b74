"""Build-time benchmark: the same LP built with linopy (PyPSA ``create_model`` + corridor
rules) and with Pyomo (energy/crosscheck), each timed up to the hand-off to HiGHS.

    .venv/bin/python benchmarks/build_time.py [--scenario base] [--weeks 2 4] [--resolution 1h]

Stages: *data* (PyPSA network from the inputs / the Pyomo model's arrays), *build* (linopy
model / Pyomo ConcreteModel), *hand-off* (linopy ``to_highspy`` / appsi ``set_instance``).
Nothing is solved. The machine is shared and noisy: the best of ``--repeat`` runs is shown.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time

import pandas as pd

from energy.config.scenario import load_scenario
from energy.data.inputs import load_inputs
from energy.data.overrides import apply_overrides
from energy.model.constraints import add_corridor_constraints
from energy.model.network import build_network
from energy.validation.crosscheck.data import lp_data
from energy.validation.crosscheck.model import build_model


def stopwatch(*steps):
    """Run callables in turn, each on the previous result; return their durations (s)."""
    times, value = [], None
    for step in steps:
        start = time.perf_counter()
        value = step(value)
        times.append(time.perf_counter() - start)
    return times, value


def linopy_times(inputs, scenario) -> tuple[list[float], int]:
    def build(n):
        with tempfile.TemporaryDirectory() as solver_dir:
            n.optimize.create_model(include_objective_constant=False, solver_dir=solver_dir)
        add_corridor_constraints(n, scenario)
        return n

    def hand_off(n):
        n.model.to_highspy()
        return n

    times, n = stopwatch(lambda _: build_network(inputs, scenario), build, hand_off)
    return times, int(n.model.nvars)


def pyomo_times(inputs, scenario) -> tuple[list[float], int]:
    from pyomo.contrib.appsi.solvers import Highs

    def hand_off(model):
        Highs().set_instance(model)
        return model

    times, model = stopwatch(lambda _: lp_data(inputs, scenario), build_model, hand_off)
    return times, int(model.nvariables())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="base")
    parser.add_argument("--weeks", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--resolution", default="1h")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    inputs = load_inputs()
    rows = []
    for weeks in args.weeks:
        end = (pd.Timestamp("2030-01-08") + pd.Timedelta(days=7 * weeks - 1)).date()
        scenario = load_scenario(
            args.scenario,
            resolution=args.resolution,
            window={"start": "2030-01-08", "end": str(end)},
        )
        data = apply_overrides(inputs, scenario)
        for tool, timer in (("linopy", linopy_times), ("pyomo", pyomo_times)):
            runs = [timer(data, scenario) for _ in range(args.repeat)]
            best = [min(r[0][i] for r in runs) for i in range(3)]
            rows.append(
                {
                    "weeks": weeks,
                    "tool": tool,
                    "variables": runs[0][1],
                    "data_s": best[0],
                    "build_s": best[1],
                    "handoff_s": best[2],
                }
            )
    table = pd.DataFrame(rows)
    table["build+handoff_s"] = table["build_s"] + table["handoff_s"]
    print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"{platform.python_version()} · {args.scenario}, {args.resolution}, best of "
        f"{args.repeat}\n"
    )
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    wide = table.set_index(["weeks", "tool"])
    print("\nPyomo / linopy:")
    for weeks in args.weeks:
        p, li = wide.loc[(weeks, "pyomo")], wide.loc[(weeks, "linopy")]
        print(
            f"  {weeks} weeks: build {p['build_s'] / li['build_s']:.1f}x, hand-off "
            f"{p['handoff_s'] / li['handoff_s']:.1f}x, build + hand-off "
            f"{p['build+handoff_s'] / li['build+handoff_s']:.1f}x"
        )


if __name__ == "__main__":
    main()

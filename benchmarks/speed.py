"""Speed benchmark (issue 16): base and high-price at the default resolution and hourly, with
wall time, solve time, peak memory, LP size and the errors against the hourly optimum.

    python benchmarks/speed.py                                  # the goals table (4 runs)
    python benchmarks/speed.py --resolutions 3h 4h days:48      # + aggregation candidates
    python benchmarks/speed.py --options '{"hipo_ordering": "amd"}' '{"hipo_system": "augmented"}'
    python benchmarks/speed.py --hourly-check                   # + rolling-horizon check of base
    python benchmarks/speed.py --reuse                          # build once vs rebuild
    python benchmarks/speed.py --window 2030-03-01 2030-03-14   # quick smoke run

Every run is a fresh subprocess (clean peak memory), one after another. The machine's load
average is printed before and after: on a shared machine compare figures of one invocation.
Goals: default resolution ≤ 30 s end to end within 1 % objective, 5 % exports and 5 % of
each built cable of the hourly optimum; hourly optimum ≤ 120 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

SCENARIOS = ("base", "high-price")
GOAL_DEFAULT_S, GOAL_HOURLY_S = 30.0, 120.0
TOL_OBJECTIVE, TOL_EXPORT, TOL_CABLE = 0.01, 0.05, 0.05
CABLE_FLOOR_MW = 1.0  # a cable below this in both runs counts as not built


def run_one(spec: dict) -> dict:
    """One solve in this process (called in a subprocess): the figures of the spec."""
    from energy.config.scenario import load_scenario
    from energy.paths import DEFAULT_INPUTS
    from energy.results.extract import extract
    from energy.run.pipeline import prepare_inputs, solve

    changes: dict = {"resolution": spec["resolution"]}
    if spec.get("window"):
        changes["window"] = {"start": spec["window"][0], "end": spec["window"][1]}
    if spec.get("options"):
        changes["solver"] = {"options": spec["options"]}
    start = time.perf_counter()
    scenario = load_scenario(spec["scenario"], **changes)
    inputs = prepare_inputs(scenario, DEFAULT_INPUTS)
    n, report, timings = solve(inputs, scenario, None, False)
    results = extract(n, inputs, scenario, {})
    wall = time.perf_counter() - start
    kpis = results.kpis.set_index("kpi")["value"]
    row = {
        **spec,
        "snapshots": len(n.snapshots),
        "variables": report.variables,
        "constraints": report.constraints,
        "nonzeros": report.nonzeros,
        "build_s": timings["network_s"] + timings["model_build_s"],
        "solve_s": report.solve_s,
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "objective_eur": report.objective_eur,
        "export_twh": float(kpis["export_energy"]),
        "cables": {
            k.removeprefix("capacity_"): float(v)
            for k, v in kpis.items()
            if k.startswith("capacity_")
        },
        "ipm_iterations": report.ipm_iterations,
    }
    if spec.get("hourly_check"):
        from energy.run.hourly_check import hourly_check

        t0 = time.perf_counter()
        check = hourly_check(inputs, scenario, n).set_index("kpi")["value"]
        row["check_wall_s"] = time.perf_counter() - t0
        row["check_cost_rel"] = float(check["hourly_check_cost_difference_rel"])
        row["check_unserved_twh"] = float(check["hourly_check_unserved_energy"])
        row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def run_reuse(spec: dict) -> dict:
    """Trans-Caspian fixed at five sizes: one reused model vs five rebuilt ones, s."""
    from energy.config.scenario import load_scenario
    from energy.model.network import build_network
    from energy.model.reuse import capacity_curve
    from energy.model.solve import optimize
    from energy.paths import DEFAULT_INPUTS
    from energy.run.pipeline import prepare_inputs

    changes: dict = {"resolution": spec["resolution"]}
    if spec.get("window"):
        changes["window"] = {"start": spec["window"][0], "end": spec["window"][1]}
    scenario = load_scenario(spec["scenario"], **changes)
    inputs = prepare_inputs(scenario, DEFAULT_INPUTS)
    sizes = [0.0, 1000.0, 2000.0, 3000.0, 4000.0]
    t0 = time.perf_counter()
    reused = capacity_curve(build_network(inputs, scenario), scenario, "trans-caspian", sizes)
    t1 = time.perf_counter()
    rebuilt = {}
    for size in sizes:
        n = build_network(inputs, scenario)
        both = n.c.links.static.index[n.c.links.static["corridor"] == "trans-caspian"]
        n.c.links.static.loc[both, ["p_nom_min", "p_nom_max"]] = size
        rebuilt[size] = optimize(n, scenario).objective_eur
    t2 = time.perf_counter()
    diff = max(abs(reused[s] - rebuilt[s]) / abs(rebuilt[s]) for s in sizes)
    return {**spec, "reuse_s": t1 - t0, "rebuild_s": t2 - t1, "max_rel_diff": diff}


def subprocess_row(spec: dict, reuse: bool = False) -> dict:
    """Run one spec in a fresh interpreter and return its figures."""
    flag = "--reuse-one" if reuse else "--one"
    out = subprocess.run(
        [sys.executable, __file__, flag, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"PYTHONWARNINGS": "ignore"},
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {**spec, "error": out.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(lines[-1])


def relative(value: float, reference: float, floor: float = 1e-9) -> float:
    """(value − reference) / |reference|; 0 when both are below ``floor``."""
    if abs(reference) < floor:
        return 0.0 if abs(value) < floor else float("inf")
    return (value - reference) / abs(reference)


def errors(row: dict, ref: dict) -> dict:
    """Errors of ``row`` against the hourly ``ref``: objective, exports, worst built cable."""
    cables = [
        relative(row["cables"].get(c, 0.0), mw)
        if max(mw, row["cables"].get(c, 0.0)) >= CABLE_FLOOR_MW
        else 0.0
        for c, mw in ref["cables"].items()
    ]
    worst = max(cables, key=abs, default=0.0)
    return {
        "objective": relative(row["objective_eur"], ref["objective_eur"]),
        "export": relative(row["export_twh"], ref["export_twh"]),
        "cable": worst,
    }


def accurate(err: dict) -> bool:
    """The accuracy rule of the issue."""
    return (
        abs(err["objective"]) <= TOL_OBJECTIVE
        and abs(err["export"]) <= TOL_EXPORT
        and abs(err["cable"]) <= TOL_CABLE
    )


def table(rows: list[dict]) -> str:
    """Markdown table of the runs, errors against the 1h run of the same scenario."""
    head = (
        "| scenario | resolution | options | snapshots | vars | cons | nnz | build s | solve s "
        "| wall s | peak MB | IPM it. | objective bn EUR | export TWh | Δ obj | Δ export "
        "| worst Δ cable | rule |"
    )
    lines = [head, "|" + "---|" * 18]
    hourly = {
        r["scenario"]: r
        for r in rows
        if r.get("resolution") == "1h" and not r.get("options") and "error" not in r
    }
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['scenario']} | {r['resolution']} | error: {r['error']} |")
            continue
        ref = hourly.get(r["scenario"])
        err = errors(r, ref) if ref else None
        cells = (
            [f"{err['objective']:+.3%}", f"{err['export']:+.2%}", f"{err['cable']:+.2%}"]
            + ["ok" if accurate(err) else "MISS"]
            if err
            else ["–"] * 4
        )
        lines.append(
            f"| {r['scenario']} | {r['resolution']} | {json.dumps(r.get('options') or {})} "
            f"| {r['snapshots']} | {r['variables']:,} | {r['constraints']:,} | {r['nonzeros']:,} "
            f"| {r['build_s']:.1f} | {r['solve_s']:.1f} | {r['wall_s']:.1f} | {r['peak_mb']:,.0f} "
            f"| {r['ipm_iterations']} | {r['objective_eur'] / 1e9:.6f} | {r['export_twh']:.3f} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def goals(rows: list[dict], default: str) -> None:
    """Print whether the time goals are met by the runs without extra options."""
    for r in rows:
        if r.get("options") or "error" in r:
            continue
        for resolution, goal in ((default, GOAL_DEFAULT_S), ("1h", GOAL_HOURLY_S)):
            if r["resolution"] == resolution:
                verdict = "met" if r["wall_s"] <= goal else "missed"
                print(
                    f"goal {resolution} ≤ {goal:.0f} s, {r['scenario']}: "
                    f"{r['wall_s']:.1f} s {verdict}"
                )


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Parse the arguments, run the specs one after another, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    parser.add_argument("--default", default="3h", help="the default resolution")
    parser.add_argument("--resolutions", nargs="*", default=[], help="more candidates")
    parser.add_argument("--options", nargs="*", default=[], help="HiGHS option sets (JSON)")
    parser.add_argument("--options-resolution", default="3h")
    parser.add_argument("--no-hourly", action="store_true", help="skip the 1h optimum")
    parser.add_argument("--hourly-check", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--window", nargs=2, metavar=("START", "END"))
    parser.add_argument("--json", metavar="FILE", help="also write every row (with cables) here")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--reuse-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(json.loads(args.one))))
        return
    if args.reuse_one:
        print(json.dumps(run_reuse(json.loads(args.reuse_one))))
        return
    print(
        f"# {platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}; "
        f"load average before: {load()}"
    )
    specs = []
    for scenario in args.scenarios:
        resolutions = [args.default, *(r for r in args.resolutions if r != args.default)]
        if not args.no_hourly:
            resolutions.append("1h")
        for resolution in resolutions:
            specs.append({"scenario": scenario, "resolution": resolution, "window": args.window})
        for options in args.options:
            specs.append(
                {
                    "scenario": scenario,
                    "resolution": args.options_resolution,
                    "window": args.window,
                    "options": json.loads(options),
                }
            )
    rows = []
    for spec in specs:
        rows.append(subprocess_row(spec))
        r = rows[-1]
        print(f"#   {spec} → {r.get('wall_s', r.get('error'))} (load {load()})", flush=True)
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    if args.hourly_check:
        spec = {"scenario": "base", "resolution": args.default, "window": args.window}
        r = subprocess_row(spec | {"hourly_check": True})
        print(
            f"\nhourly check of base at {args.default}: {r.get('check_wall_s', float('nan')):.1f} "
            f"s (goal ≤ {GOAL_HOURLY_S:.0f} s), cost vs plan {r.get('check_cost_rel', 0):+.4%} "
            f"of the objective, unserved {r.get('check_unserved_twh', 0):.2e} TWh, "
            f"peak {r.get('peak_mb', 0):,.0f} MB"
        )
    if args.reuse:
        spec = {"scenario": "base", "resolution": args.default, "window": args.window}
        r = subprocess_row(spec, reuse=True)
        nan = float("nan")
        print(
            f"\nreuse (trans-Caspian at 5 sizes, base {args.default}): one model "
            f"{r.get('reuse_s', nan):.1f} s, rebuilt {r.get('rebuild_s', nan):.1f} s, "
            f"largest objective difference {r.get('max_rel_diff', nan):.1e}"
        )
    if not args.window:  # the goals are about the full year
        goals(rows, args.default)
    print(f"# load average after: {load()}")


if __name__ == "__main__":
    main()

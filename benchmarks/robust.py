"""Robust benchmark: scenario ``robust`` (5 weather years) — wall time, time of each phase,
peak memory, the robust and per-year trans-Caspian sizes, EVPI and VSS — at one or more
resolutions, each in a fresh subprocess; the first resolution is the reference the others'
errors are measured against.

    python benchmarks/robust.py                            # 3h (the default resolution)
    python benchmarks/robust.py --resolutions 3h 5h
    python benchmarks/robust.py --resolutions 5h --out /tmp/robust   # also write the folders

Use a step that is coprime with 24 h (5h, 7h): 24h or 8h would see the same hours of every
day (24h: midnight only, no sun at all).
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

CABLE = "capacity_trans-caspian"


def run_one(resolution: str, window: list[str] | None, years: int, out: str | None) -> dict:
    """Run ``robust`` once in this process and return its figures (called in a subprocess)."""
    from energy.config.scenario import load_scenario
    from energy.run.robust import run_robust

    changes: dict = {
        "resolution": resolution,
        "robust": {"weather_years": list(range(1, years + 1))},
    }
    if window:
        changes["window"] = {"start": window[0], "end": window[1]}
    start = time.perf_counter()
    folder = f"{out}/robust-{resolution.replace(':', '')}" if out else None
    results = run_robust(load_scenario("robust", **changes), out=folder, write=bool(out))
    wall = time.perf_counter() - start
    plans = results.tables["plan_capacities"]
    cable = plans[plans["name"] == "trans-caspian"].set_index("plan")["added_mw"]
    return {
        "resolution": resolution,
        "snapshots_per_year": results.metadata["snapshots"] // years,
        "wall_s": wall,
        "timings": results.metadata["timings"],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "cable_mw": cable.to_dict(),
        "evpi_eur": results.kpi("evpi"),
        "vss_eur": results.kpi("vss"),
        "objective_eur": results.kpi("robust_objective"),
    }


def row(r: dict, ref: dict) -> str:
    """One markdown table row; errors against the reference resolution."""
    t = r["timings"]
    years = [v for k, v in sorted(r["cable_mw"].items()) if k.startswith("year-")]
    d_obj = r["objective_eur"] / ref["objective_eur"] - 1
    return (
        f"| {r['resolution']} | {r['snapshots_per_year']} | {r['wall_s']:.0f} "
        f"| {t['per_year_optima_s']:.0f} | {t['stochastic_s']:.0f} "
        f"| {t['evaluations_s']:.0f} | {r['peak_mb']:,.0f} | {r['workers_peak_mb']:,.0f} "
        f"| {r['cable_mw']['robust']:,.0f} | {min(years):,.0f}–{max(years):,.0f} "
        f"| {r['evpi_eur'] / 1e6:,.1f} | {r['vss_eur'] / 1e6:,.1f} | {d_obj:+.2%} |"
    )


def main() -> None:
    """Run every resolution in a subprocess and print a markdown table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resolutions", nargs="+", default=["3h"])
    p.add_argument("--window", nargs=2, metavar=("START", "END"))
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--out", metavar="DIR", help="also write each run's results folder here")
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.window, args.years, args.out)))
        return
    found = []
    for resolution in args.resolutions:
        cmd = [sys.executable, __file__, "--one", resolution, "--years", str(args.years)]
        cmd += ["--window", *args.window] if args.window else []
        cmd += ["--out", args.out] if args.out else []
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        found.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(found[-1]), file=sys.stderr)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs; load {os.getloadavg()}")
    print(
        "| resolution | snapshots/year | wall s | optima s (years + reference) | stochastic s "
        "| evaluations s | peak MB | worker peak MB | robust cable MW | per-year cable MW "
        "| EVPI M EUR | VSS M EUR | Δ objective |"
    )
    print("|" + "---|" * 13)
    for r in found:
        print(row(r, found[0]))


if __name__ == "__main__":
    main()

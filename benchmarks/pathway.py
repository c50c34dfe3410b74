"""Pathway and modular benchmark: wall, build and solve time, peak memory, objective, MIP gap
and the cable sizes per period of the multi-period and modular scenarios.

    python benchmarks/pathway.py                          # pathway and modular, default resolution
    python benchmarks/pathway.py --scenarios pathway modular pathway-modular modular-n1
    python benchmarks/pathway.py --resolution days:4      # quick smoke run

Targets (issue 13, 2 cores): ``pathway`` ≤ 5 min, ``modular`` ≤ 10 min. Each scenario runs
in a fresh subprocess (clean peak-memory reading), one after another; the load average at the
start and end of each run and the CPU time are printed because the machine is shared and
noisy (on a crowded machine the CPU time is the better measure of the work).
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

CABLES = ("trans-caspian", "black-sea")


def run_one(scenario: str, resolution: str | None, out: str | None = None) -> dict:
    """Run one scenario in this process (written to ``out/<scenario>`` if given, else
    nothing written) and return its figures."""
    from energy.config.scenario import load_scenario
    from energy.run.pipeline import run_scenario

    changes = {"resolution": resolution} if resolution else {}
    sc = load_scenario(scenario, **changes)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    if out:
        results = run_scenario(sc, out=f"{out}/{scenario}")
    else:
        results = run_scenario(sc, write=False)
    wall = time.perf_counter() - start
    meta = results.metadata
    kpis = results.kpis
    if "period" not in kpis:
        kpis = kpis.assign(period=int(sc.period) if sc.period.isdigit() else 0)
    cables = {
        f"{cable} {int(p)}": float(v)
        for cable in CABLES
        for p, v in kpis[kpis["kpi"] == f"capacity_{cable}"][["period", "value"]].to_numpy()
    }
    return {
        "scenario": scenario,
        "resolution": sc.resolution,
        "snapshots": meta["snapshots"],
        "build_s": meta["timings"]["network_s"] + meta["timings"]["model_build_s"],
        "solve_s": meta["timings"]["solve_s"],
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
        "objective_eur": meta["objective_eur"],
        "mip_gap": meta.get("mip_gap"),
        "ipm_iterations": meta["solver"].get("ipm_iterations"),
        "optimal": meta.get("optimal", True),
        "load": (load_before, os.getloadavg()[0]),
        "cables_mw": cables,
    }


def table(rows: list[dict]) -> str:
    """Markdown table of the runs."""
    lines = [
        "| scenario | resolution | snapshots | build s | solve s | wall s | CPU s | peak MB "
        "| IPM it. | objective bn EUR | MIP gap | load 1 min (start → end) | cables MW (period) |",
        "|" + "---|" * 13,
    ]
    for r in rows:
        gap = "–" if r["mip_gap"] is None else f"{r['mip_gap']:.2%}"
        cables = ", ".join(f"{k}: {v:,.0f}" for k, v in r["cables_mw"].items())
        lines.append(
            f"| {r['scenario']} | {r['resolution']} | {r['snapshots']:,} | {r['build_s']:.0f} "
            f"| {r['solve_s']:.0f} | {r['wall_s']:.0f} | {r.get('cpu_s', float('nan')):.0f} "
            f"| {r['peak_mb']:,.0f} "
            f"| {r.get('ipm_iterations') or '–'} | {r['objective_eur'] / 1e9:.3f} | {gap} "
            f"| {r['load'][0]:.1f} → {r['load'][1]:.1f} "
            f"| {cables} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run every scenario in its own subprocess and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=["pathway", "modular"])
    parser.add_argument("--resolution", help="default: the scenario's own")
    parser.add_argument("--out", help="also write each results folder to OUT/<scenario>")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.resolution, args.out)))
        return
    print(f"# machine: {platform.platform()}, {os.cpu_count()} cores, python {sys.version[:6]}")
    rows = []
    for scenario in args.scenarios:
        cmd = [sys.executable, __file__, "--one", scenario]
        if args.resolution:
            cmd += ["--resolution", args.resolution]
        if args.out:
            cmd += ["--out", args.out]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(f"{scenario}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {scenario}: wall {rows[-1]['wall_s']:.0f} s", file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()

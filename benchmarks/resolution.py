"""Resolution benchmark: the base scenario at several time resolutions against the hourly
reference — build and solve time, wall time, peak memory, objective, trans-Caspian MW,
exports, and the relative error of each against the hourly optimum.

    python benchmarks/resolution.py                      # full year, the default list
    python benchmarks/resolution.py --resolutions 1h 3h days:24 --scenario high-price
    python benchmarks/resolution.py --window 2030-01-01 2030-01-14   # quick smoke run

Each resolution runs in a fresh subprocess (clean peak-memory reading) one after another, so
the figures of one invocation are comparable; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time

DEFAULT = [
    "1h",
    "2h",
    "3h",
    "4h",
    "6h",
    "days:24",
    "days:48",
    "days:96",
    "segments:2920",
    "mean:3h",
]
CABLE = "capacity_trans-caspian"


def run_one(scenario: str, resolution: str, window: list[str] | None, options: dict) -> dict:
    """Solve once in this process and return the figures (called in a subprocess)."""
    from energy.config.scenario import load_scenario
    from energy.run.pipeline import run_scenario

    changes: dict = {"resolution": resolution}
    if window:
        changes["window"] = {"start": window[0], "end": window[1]}
    if options:
        changes["solver"] = {"options": options}
    start = time.perf_counter()
    results = run_scenario(load_scenario(scenario, **changes), write=False)
    wall = time.perf_counter() - start
    timings = results.metadata["timings"]
    return {
        "resolution": resolution,
        "snapshots": results.metadata["snapshots"],
        "build_s": timings["network_s"] + timings["model_build_s"],
        "solve_s": timings["solve_s"],
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "objective_eur": results.kpi("objective"),
        "cable_mw": results.kpi(CABLE),
        "black_sea_mw": results.kpi("capacity_black-sea"),
        "export_twh": results.kpi("export_energy"),
        "ipm_iterations": results.metadata["solver"]["ipm_iterations"],
    }


def relative(value: float, reference: float) -> float:
    if abs(reference) < 1e-6:
        return 0.0 if abs(value) < 1.0 else float("inf")
    return (value - reference) / abs(reference)


def table(rows: list[dict]) -> str:
    ref = next((r for r in rows if r["resolution"] == "1h"), None)
    head = (
        "| resolution | snapshots | build s | solve s | wall s | peak MB | objective bn EUR "
        "| trans-Caspian MW | Black Sea MW | export TWh | Δ objective | Δ cable | Δ export |"
    )
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        deltas = (
            ["–"] * 3
            if ref is None
            else [
                f"{relative(r['objective_eur'], ref['objective_eur']):+.2%}",
                f"{relative(r['cable_mw'], ref['cable_mw']):+.1%}",
                f"{relative(r['export_twh'], ref['export_twh']):+.1%}",
            ]
        )
        lines.append(
            f"| {r['resolution']} | {r['snapshots']} | {r['build_s']:.1f} | {r['solve_s']:.1f} "
            f"| {r['wall_s']:.1f} | {r['peak_mb']:,.0f} | {r['objective_eur'] / 1e9:.4f} "
            f"| {r['cable_mw']:,.0f} | {r['black_sea_mw']:,.0f} | {r['export_twh']:.2f} | "
            + " | ".join(deltas)
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="base")
    parser.add_argument("--resolutions", nargs="+", default=DEFAULT)
    parser.add_argument("--window", nargs=2, metavar=("START", "END"))
    parser.add_argument(
        "--hipo-options",
        default="{}",
        help='extra HiGHS options as JSON, e.g. \'{"hipo_ordering": "amd"}\'',
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = json.loads(args.hipo_options)
    if args.one:
        print(json.dumps(run_one(args.scenario, args.one, args.window, options)))
        return
    print(
        f"# {args.scenario}, machine: {platform.platform()}, {platform.processor() or ''}, "
        f"python {platform.python_version()}; options {options or 'default'}"
    )
    rows = []
    for resolution in args.resolutions:
        cmd = [
            sys.executable,
            __file__,
            "--scenario",
            args.scenario,
            "--one",
            resolution,
            "--hipo-options",
            args.hipo_options,
        ]
        if args.window:
            cmd += ["--window", *args.window]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(f"{resolution}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {resolution}: wall {rows[-1]['wall_s']:.1f} s", file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()

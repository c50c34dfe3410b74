"""Benchmark: a value curve and MGA against one run of the same scenario (issue 14).

    .venv/bin/python benchmarks/value_curve.py [--resolution 24h] [--workers 2]

Times, from empty results folders (nothing resumed): one solve of the scenario (the optimum,
in this process, HiGHS choosing its threads), a 7-point value curve of the trans-Caspian cable
(7 fixed sizes + the optimum on ``--workers`` single-threaded Dask workers) and MGA at two
slacks (the optimum, then 4 solves on the workers). Goals: value curve ≤ 3×, MGA ≤ 5× one run.
The load average of the machine is printed before and after (other users' processes count).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from energy.analysis.cases import Action, Case, Runner, input_hashes, run_cases, with_threads
from energy.analysis.mga import run_mga
from energy.analysis.value_curve import run_value_curve
from energy.config.scenario import load_scenario
from energy.paths import DEFAULT_INPUTS

SIZES = [0.0, 500.0, 1000.0, 1300.0, 2000.0, 3000.0, 4000.0]
SLACKS = [0.01, 0.05]
LINK = "trans-caspian"


def one_run(scenario, root: Path) -> float:
    """Wall time of one solve of the scenario (the optimum), in this process."""
    case = [Case("optimum", scenario, Action(), LINK)]
    start = time.perf_counter()
    hashes = input_hashes(case, DEFAULT_INPUTS)
    run_cases(case, root, DEFAULT_INPUTS, hashes, runner=Runner(progress=False))
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="base")
    p.add_argument("--resolution", default="24h")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    scenario = load_scenario(args.scenario, resolution=args.resolution)
    parallel = with_threads(scenario, None, args.workers)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-vc-") as tmp:
        root = Path(tmp)
        single = one_run(scenario, root / "one")
        start = time.perf_counter()
        curve, _ = run_value_curve(
            parallel, LINK, SIZES, inputs_dir=DEFAULT_INPUTS, root=root / "vc",
            runner=Runner(args.workers, progress=False),
        )  # fmt: skip
        vc_wall = time.perf_counter() - start
        start = time.perf_counter()
        mga, _ = run_mga(
            parallel, LINK, SLACKS, inputs_dir=DEFAULT_INPUTS, root=root / "mga",
            runner=Runner(args.workers, progress=False),
        )  # fmt: skip
        mga_wall = time.perf_counter() - start
    assert (curve["status"] == "optimal").all() and (mga["status"] == "optimal").all()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {platform.platform()}, {cpus} CPUs, python {platform.python_version()}")
    print(f"scenario {args.scenario} at {args.resolution}, {args.workers} workers")
    print(f"load average before/after (1 min): {load[0]:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"one run:                    {single:7.1f} s")
    print(f"value curve, 7 sizes + opt: {vc_wall:7.1f} s = {vc_wall / single:.2f} × one run")
    print(f"MGA, 2 slacks (+ optimum):  {mga_wall:7.1f} s = {mga_wall / single:.2f} × one run")


if __name__ == "__main__":
    main()

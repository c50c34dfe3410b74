"""Benchmark: the same 4-case sweep of the base scenario run one case after another in this
process (``--workers 0``) and on a Dask LocalCluster of N single-threaded workers.

    .venv/bin/python benchmarks/sweep.py [--workers 2] [--days 7] [--resolution 1h]

Each run starts from an empty results folder (nothing resumed). The parallel wall time
includes starting the cluster and importing the model in every worker.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from energy.run.sweep import run_sweep

SWEEP = """name: bench
scenario: base
window: {{start: "2030-01-08", end: "{end}"}}
resolution: {resolution}
grid:
  overrides.links.trans-caspian.capex_factor: [0.75, 1.5]
  export_prices_eur_per_mwh.EU: [55, 120]
"""


def timed(sweep_file: Path, workers: int) -> tuple[float, pd.DataFrame]:
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as results:
        start = time.perf_counter()
        report = run_sweep(sweep_file, results_dir=results, workers=workers, progress=False)
        wall = time.perf_counter() - start
    assert report.ok and report.solved == 4, report.summary[["case", "status", "message"]]
    return wall, report.summary


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--resolution", default="1h")
    args = p.parse_args()
    end = (pd.Timestamp("2030-01-08") + pd.Timedelta(days=args.days - 1)).date()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-sweep-file-") as folder:
        sweep_file = Path(folder) / "bench.yaml"
        sweep_file.write_text(SWEEP.format(end=end, resolution=args.resolution))
        sequential, seq_summary = timed(sweep_file, 0)
        parallel, par_summary = timed(sweep_file, args.workers)
    kpis = [c for c in seq_summary.columns if c.endswith(("_EUR", "_MW", "_TWh"))]
    pd.testing.assert_frame_equal(seq_summary[kpis], par_summary[kpis], rtol=1e-9)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {platform.platform()}, {cpus} CPUs, python {platform.python_version()}")
    print(f"sweep: 4 cases of base, {args.days} days from 2030-01-08 at {args.resolution}")
    print(f"load average before/after (other processes): {load[0]:.2f} / {os.getloadavg()[0]:.2f}")
    print(
        f"mean case time: sequential {seq_summary['elapsed_s'].mean():.1f} s, "
        f"on Dask {par_summary['elapsed_s'].mean():.1f} s"
    )
    print(f"sequential (workers 0):  {sequential:6.1f} s")
    print(f"Dask ({args.workers} workers):       {parallel:6.1f} s")
    print(f"speed-up: {sequential / parallel:.2f}x (identical KPIs)")


if __name__ == "__main__":
    main()

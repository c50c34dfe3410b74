"""Nothing lost at scale: a weather-year ensemble run as a sweep on Dask, one worker killed
(SIGKILL) while it solves a case; the case is re-run on a worker and every result is there.

Each case is one weather year of a one-node system: 100 MW of load, wind at a constant
capacity factor a_k (year k), load shedding at 1,000 EUR/MWh. Wind is cheap, so each year
builds exactly 100 / a_k MW (known by hand), whether its first worker died or not.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.run.sweep import run_sweep
from tests.tiny import HOURS, write_inputs

CF = {1: 0.5, 2: 0.25, 3: 0.4, 4: 0.8}
SINGLE = """name: single
resolution: 1h
window: {start: "2030-01-01", end: "2030-01-21"}
green_export: {enabled: false}
expandable: [onwind]
load_shedding_eur_per_mwh: 1000
"""
ENSEMBLE = """name: ensemble
scenario: single
grid:
  weather_year: [1, 2, 3, 4]
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = write_inputs(
        tmp_path_factory.mktemp("kill") / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": 0.876}],
        potentials=[{"node": "N", "carrier": "onwind", "potential_gw": 10, "cf_annual": 0.4}],
        scenarios={"single": SINGLE},
    )
    for year, cf in CF.items():
        target = folder / "weather" / f"year-{year:02d}"
        target.mkdir(parents=True)
        pd.DataFrame({"N": np.full(8760, cf)}, index=pd.Index(HOURS, name="snapshot")).to_csv(
            target / "onwind.csv"
        )
    (folder / "sweeps").mkdir()
    (folder / "sweeps" / "ensemble.yaml").write_text(ENSEMBLE)
    return folder


def kill_first_case_worker(folder: Path, killed: list[int], stop: threading.Event) -> None:
    """Wait for a case's staging folder (``.<case>.<pid>.*.tmp``) and SIGKILL that pid."""
    while not stop.is_set():
        for staging in folder.glob(".*.tmp") if folder.is_dir() else ():
            pid = int(staging.name.split(".")[2])
            if pid != os.getpid():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
        time.sleep(0.005)


@pytest.mark.slow  # a Dask LocalCluster of two worker processes
def test_killed_worker_case_is_rerun_and_nothing_lost(inputs, tmp_path):
    killed: list[int] = []
    stop = threading.Event()
    watcher = threading.Thread(
        target=kill_first_case_worker, args=(tmp_path / "ensemble", killed, stop), daemon=True
    )
    watcher.start()
    try:
        report = run_sweep(
            "ensemble", inputs_dir=inputs, results_dir=tmp_path, workers=2, progress=False
        )
    finally:
        stop.set()
        watcher.join(5)
    assert len(killed) == 1, "no case was caught running"
    assert (report.solved, report.failed) == (4, 0)
    summary = report.summary.set_index("weather_year")
    assert (summary["status"] == "optimal").all()
    for year, cf in CF.items():
        folder = tmp_path / "ensemble" / f"weather_year={year}"
        caps = pd.read_csv(folder / "capacities.csv")
        built = caps.loc[caps["carrier"] == "onwind", "added_mw"].sum()
        assert built == pytest.approx(100 / cf, rel=1e-6)
    assert list((tmp_path / "ensemble").glob(".*.tmp")) == []
    # the weather files are part of each case's inputs hash: a second run resumes every case
    again = run_sweep("ensemble", inputs_dir=inputs, results_dir=tmp_path, progress=False)
    assert (again.solved, again.skipped) == (0, 4)

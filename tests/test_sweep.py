"""Scenario sweeps on a hand-solvable three-node corridor (48 hourly snapshots).

Node A (KZ) has new wind (cf = 1), B (AZ) gas at 40 EUR/MWh and 1,000 MW of load, market EU
buys up to 400 MW over a fixed 500 MW link B→EU; exports must be green (wind from A over the
candidate link A→B). Delivered wind costs ≈ 17.5 EUR/MWh at capex factor 1 of link A→B and
≈ 48 EUR/MWh at factor 5, so link A→B is 1,400 MW (B's load + exports) at factor 1, 400 MW
(exports only) at factor 5 and EU price 100, and 0 at factor 5 and EU price 30.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from energy.cli import parser
from energy.errors import InputError
from energy.run.pipeline import run_scenario
from energy.run.sweep import load_sweep, run_sweep
from energy.run.sweep.cases import short_names
from energy.run.sweep.outputs import column
from tests.tiny import green_corridor_inputs

TINY = """name: tiny
resolution: 1h
window: {start: "2030-01-01", end: "2030-01-02"}
green_export: {countries: [KZ, AZ]}
"""
GRID = """name: grid
scenario: tiny
grid:
  overrides.links.ab.capex_factor: [1, 5]
  export_prices_eur_per_mwh.EU: [30, 100]
"""
EXPECTED_AB_MW = {(1, 30): 1400.0, (1, 100): 1400.0, (5, 30): 0.0, (5, 100): 400.0}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return green_corridor_inputs(
        tmp_path_factory.mktemp("sweep") / "inputs", scenarios={"tiny": TINY}
    )


def sweep_file(folder: Path, text: str, name: str = "grid") -> Path:
    path = folder / "sweeps" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def grid_run(inputs, tmp_path_factory):
    """The 2 × 2 grid, run in this process (workers=0)."""
    sweep_file(inputs, GRID)
    results = tmp_path_factory.mktemp("results")
    report = run_sweep("grid", inputs_dir=inputs, results_dir=results, progress=False)
    return report, results / "grid"


def mtimes(folder: Path) -> dict[str, float]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.parent != folder or p.is_dir()
    }


def test_case_ids_short_unique_and_safe(inputs):
    names = short_names(
        [
            "overrides.links.ab.capex_factor",
            "overrides.links.beu.capex_factor",
            "export_prices_eur_per_mwh.EU",
            "discount_rate",
        ]
    )
    assert list(names.values()) == ["ab.capex_factor", "beu.capex_factor", "EU", "discount_rate"]
    sweep = load_sweep(sweep_file(inputs, GRID), inputs_dir=inputs)
    assert [c.id for c in sweep.cases] == [
        "capex_factor=1,EU=30",
        "capex_factor=1,EU=100",
        "capex_factor=5,EU=30",
        "capex_factor=5,EU=100",
    ]
    assert all(c.scenario.name == c.id and c.scenario.solver.threads == 1 for c in sweep.cases)
    assert sweep.cases[2].scenario.overrides == {"links": {"ab": {"capex_factor": 5}}}
    assert column("price_mean_EU", "EUR/MWh") == "price_mean_EU_EUR_per_MWh"


@pytest.mark.parametrize(
    "parameter, message",
    [
        ("export_price.EU", "unknown key 'export_price'"),
        ("overrides.links.abc.capex_factor", "unknown row 'abc' (did you mean 'ab'?)"),
        ("export_prices_eur_per_mwh.XX", "not a market node"),
    ],
)
def test_unknown_parameter_is_an_input_error(inputs, tmp_path, parameter, message):
    path = sweep_file(inputs, f"name: bad\nscenario: tiny\ngrid:\n  {parameter}: [1, 2]\n", "bad")
    with pytest.raises(InputError, match="bad.yaml") as err:
        run_sweep(path, inputs_dir=inputs, results_dir=tmp_path, progress=False)
    assert message in str(err.value)
    assert not any(tmp_path.iterdir()), "nothing runs or is written before validation"


def test_summary_rows_equal_single_runs(inputs, grid_run):
    report, folder = grid_run
    assert (report.solved, report.skipped, report.failed) == (4, 0, 0)
    summary = pd.read_csv(folder / "summary.csv")
    assert list(summary.columns[:7]) == [
        "case",
        "capex_factor",
        "EU",
        "status",
        "message",
        "resumed",
        "elapsed_s",
    ]
    for case, row in zip(
        load_sweep("grid", inputs_dir=inputs).cases, summary.itertuples(index=False)
    ):
        kpis = run_scenario(case.scenario, inputs_dir=inputs, write=False).kpis
        assert row.case == case.id and row.status == "optimal"
        swept = summary.set_index("case").loc[case.id]
        for kpi, value, unit in kpis.itertuples(index=False):
            assert np.isclose(
                swept[column(kpi, unit)], value, rtol=1e-9, atol=1e-9, equal_nan=True
            ), (case.id, kpi)
        key = (row.capex_factor, row.EU)
        assert row.capacity_ab_MW == pytest.approx(EXPECTED_AB_MW[key], rel=1e-4, abs=0.1)
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "summary.parquet"), report.summary)


def test_cube_has_one_dimension_per_grid_parameter(grid_run):
    _, folder = grid_run
    ds = xr.open_dataset(folder / "sweep.nc")
    assert dict(ds.sizes) == {"capex_factor": 2, "EU": 2}
    assert ds["capex_factor"].values.tolist() == [1, 5]
    assert ds["EU"].values.tolist() == [30, 100]
    assert ds["EU"].attrs["parameter"] == "export_prices_eur_per_mwh.EU"
    assert ds["capacity_ab_MW"].attrs["units"] == "MW"
    for (factor, price), mw in EXPECTED_AB_MW.items():
        cell = ds["capacity_ab_MW"].sel(capex_factor=factor, EU=price)
        assert float(cell) == pytest.approx(mw, rel=1e-4, abs=0.1)
    assert (ds["status"] == "optimal").all()


def test_second_run_solves_nothing(inputs, grid_run):
    report, folder = grid_run
    before = mtimes(folder)
    again = run_sweep("grid", inputs_dir=inputs, results_dir=folder.parent, progress=False)
    assert (again.solved, again.skipped, again.failed) == (0, 4, 0)
    assert mtimes(folder) == before, "no case folder was rewritten"
    assert again.summary["resumed"].all()
    kpis = [c for c in report.summary.columns if c.endswith(("_EUR", "_MW", "_TWh"))]
    pd.testing.assert_frame_equal(again.summary[kpis], report.summary[kpis])
    assert "4 skipped (results up to date), 0 to run" in (folder / "sweep.log").read_text()


def test_changed_input_reruns_only_that_case(inputs, grid_run, tmp_path):
    _, folder = grid_run
    shutil.copytree(folder, tmp_path / "grid")
    stale = tmp_path / "grid" / "capex_factor=1,EU=30" / "metadata.json"
    stale.write_text(json.dumps(json.loads(stale.read_text()) | {"inputs_hash": "older"}))
    report = run_sweep("grid", inputs_dir=inputs, results_dir=tmp_path, progress=False)
    assert (report.solved, report.skipped) == (1, 3)
    assert report.summary["resumed"].tolist() == [False, True, True, True]
    assert json.loads(stale.read_text())["inputs_hash"] != "older"


def test_infeasible_case_is_recorded_and_the_sweep_goes_on(inputs, tmp_path):
    """Exporting 100 TWh over a 500 MW link is impossible; the reference case still runs."""
    path = sweep_file(
        inputs,
        "name: cases\nscenario: tiny\ncases:\n  - {export_target_twh: 100}\n  - {}\n",
        "cases",
    )
    args = parser().parse_args(
        ["sweep", str(path), "--workers", "0", "--out", str(tmp_path), "--inputs", str(inputs)]
    )
    assert args.func(args) == 1
    folder = tmp_path / "cases"
    summary = pd.read_csv(folder / "summary.csv")
    assert summary["case"].tolist() == ["export_target_twh=100", "reference"]
    assert summary["status"].tolist() == ["infeasible", "optimal"]
    assert "infeasible" in summary["message"][0]
    failed = json.loads((folder / "export_target_twh=100.failed.json").read_text())
    assert failed["parameters"] == {"export_target_twh": 100}
    assert failed["status"] == "infeasible"
    assert not (folder / "export_target_twh=100").exists()
    assert (folder / "reference" / "kpis.csv").exists()
    ds = xr.open_dataset(folder / "sweep.nc")
    assert ds["case"].values.tolist() == ["export_target_twh=100", "reference"]
    assert ds["export_target_twh"].values[0] == 100 and np.isnan(ds["export_target_twh"][1])
    assert np.isnan(ds["capacity_ab_MW"].values[0]) and ds["capacity_ab_MW"].values[1] > 0
    assert ds["status"].values.tolist() == ["infeasible", "optimal"]


@pytest.mark.slow  # starts a Dask LocalCluster of two worker processes
def test_dask_local_cluster_with_two_workers(inputs, grid_run, tmp_path):
    """Two cases left to run (two done already): one per worker process."""
    report, folder = grid_run
    shutil.copytree(folder, tmp_path / "grid")
    for case in ("capex_factor=1,EU=100", "capex_factor=5,EU=30"):
        shutil.rmtree(tmp_path / "grid" / case)
    dask = run_sweep("grid", inputs_dir=inputs, results_dir=tmp_path, workers=2, progress=False)
    assert (dask.solved, dask.skipped, dask.failed) == (2, 2, 0)
    kpis = [c for c in report.summary.columns if c.endswith(("_EUR", "_MW", "_TWh"))]
    pd.testing.assert_frame_equal(dask.summary[kpis], report.summary[kpis], rtol=1e-9)
    log = (tmp_path / "grid" / "sweep.log").read_text()
    assert "2 to run on LocalCluster(2 workers)" in log

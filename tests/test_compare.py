"""``energy compare`` on two runs of the two-node case of ``test_value_curve.py`` (issue 14).

At 100 EUR/MWh for the first step the optimum is X* = 400/η; at 120 EUR/MWh nothing changes
in the plan (the second step, 20 → 24 EUR/MWh, still does not pay: C_L + C_W > 24·η·H), so
the capacities are equal and the objective falls by 20·400·H (the first step's extra revenue).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from energy.analysis.compare import write_compare
from energy.errors import InputError
from energy.run.pipeline import run_scenario
from tests.test_value_curve import C_L, C_W, ETA, X_STAR, H, scenario, two_node_inputs
from tests.tiny import REPO


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    assert C_L + C_W > 24 * ETA * H
    base = tmp_path_factory.mktemp("cmp")
    inputs = two_node_inputs(base / "in")
    low = scenario()
    high = low.model_copy(update={"name": "vc-high", "export_prices_eur_per_mwh": {"EU": 120.0}})
    run_scenario(low, out=base / "vc", inputs_dir=inputs)
    run_scenario(high, out=base / "vc-high", inputs_dir=inputs)
    return base / "vc", base / "vc-high"


def test_kpi_deltas_are_the_hand_differences(runs, tmp_path: Path) -> None:
    tables, folder = write_compare([str(p) for p in runs], tmp_path / "out")
    kpis = tables["kpis"].set_index("kpi")
    assert kpis.at["objective", "Δ vc-high"] == pytest.approx(-20 * 400 * H, rel=1e-6)
    assert kpis.at["capacity_cable", "vc"] == pytest.approx(X_STAR, rel=1e-5)
    assert kpis.at["capacity_cable", "Δ vc-high"] == pytest.approx(0.0, abs=1e-3)
    links = tables["links"].set_index(["link", "quantity"])
    assert links.at[("cable", "optimal_mw"), "vc-high"] == pytest.approx(X_STAR, rel=1e-5)
    written = pd.read_csv(folder / "compare_kpis.csv")
    assert list(written.columns) == ["kpi", "unit", "vc", "vc-high", "Δ vc-high"]
    page = (folder / "compare.html").read_text()
    assert "vc vs vc-high" in page and "Links" in page


def test_cli_prints_the_table_and_rejects_one_folder(runs, tmp_path: Path) -> None:
    env = {"GREEN_CORRIDOR_RESULTS": str(tmp_path), "PYTHONPATH": str(REPO), "PATH": ""}
    cmd = [sys.executable, "-m", "energy", "compare", *map(str, runs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Δ vc-high" in proc.stdout and (tmp_path / "compare" / "vc-vs-vc-high").is_dir()
    with pytest.raises(InputError, match="two or more"):
        write_compare([str(runs[0])], tmp_path / "x")
    with pytest.raises(InputError, match="no results folder"):
        write_compare([str(runs[0]), str(tmp_path / "missing")], tmp_path / "x")

"""Buildable stages: a candidate link built in whole modules (PyPSA ``p_nom_mod``, a MILP).

A (OCGT at 10 EUR/MWh) feeds B (250 MW flat demand, own OCGT at 40 EUR/MWh) over a new
link of length 0 (converter pair only: 600 EUR/kW × crf(7 %, 40 a) = 45,006 EUR/MW/a ×
``capex_factor``). Every MW of link saves 30 EUR/MWh × 8,760 h = 262,800 EUR/MW/a while B
still burns gas, so the continuous optimum is 250 MW. In 100 MW modules the choice is
200 or 300 MW: the third module costs 100 × c and saves 50 MW × 262,800 = 13.14 M EUR/a,
so it is built at capex factor 1 (4.50 M) and not at 4 (18.0 M).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.config.scenario import Scenario
from energy.errors import InputError
from energy.run.pipeline import run_scenario
from tests.tiny import crf, write_inputs

WINDOW = {"start": "2030-01-01", "end": "2030-01-01"}
MODULE = 100.0


def two_nodes(folder: Path, capex_factor: float, module_mw: float = MODULE, max_mw=1000.0):
    """A → B as in the module docstring."""
    return write_inputs(
        folder,
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[
            {"node": "A", "demand_twh": 0.0},
            {"node": "B", "demand_twh": 2.19, "peak_mw": 250.0},
        ],
        fleet=[
            {"node": "A", "carrier": "OCGT", "p_nom_mw": 1000, "efficiency": 0.4},
            {"node": "B", "carrier": "OCGT", "p_nom_mw": 1000, "efficiency": 0.1},
        ],
        links=[
            {
                "link": "ab",
                "bus0": "A",
                "bus1": "B",
                "length_km": 0,
                "capex_factor": capex_factor,
                "module_mw": module_mw,
                "p_nom_max_mw": max_mw,
            }
        ],
        fuels=[{"fuel": "gas", "country": "*", "price_eur_per_mwh_th": 4.0, "co2_t_per_mwh_th": 0}],
    )


def scenario(**changes) -> Scenario:
    settings = {
        "name": "modular",
        "resolution": "1h",
        "window": WINDOW,
        "expandable": (),
        "green_export": {"enabled": False},
    }
    return Scenario(**(settings | changes))


def link_mw(results) -> float:
    return float(results.links.set_index("link").at["ab", "optimal_mw"])


def test_set_up_numbers() -> None:
    c = crf(0.07, 40) * 600e3
    assert c == pytest.approx(45_006, abs=1)
    saving = 50 * 30 * 8760
    assert 100 * c < saving < 100 * 4 * c


@pytest.mark.parametrize("method", ["round", "milp"])
@pytest.mark.parametrize(("factor", "expected"), [(1.0, 300.0), (4.0, 200.0)])
def test_optimum_is_the_better_neighbouring_whole_module(
    tmp_path: Path, factor: float, expected: float, method: str
) -> None:
    folder = two_nodes(tmp_path, factor)
    continuous = run_scenario(scenario(), inputs_dir=folder, write=False)
    assert link_mw(continuous) == pytest.approx(250.0, rel=1e-6)
    modular = run_scenario(
        scenario(modules=True, solver={"mip_gap": 0, "mip_method": method}),
        inputs_dir=folder,
        write=False,
    )
    assert link_mw(modular) == pytest.approx(expected, abs=1e-6)
    kpis = modular.kpis.set_index("kpi")["value"]
    assert kpis["mip_gap"] == pytest.approx(0, abs=1e-9)
    assert kpis["proven_optimal"] == 1
    assert modular.metadata["mip_bound_eur"] == pytest.approx(
        modular.metadata["objective_eur"], rel=1e-9
    )
    # hand cost: B's 250 MW minus the link's flow burn gas at 40, the rest at 10 EUR/MWh
    hours = 24
    fuel = (expected * 10 + (250 - expected) * 40) * hours if expected <= 250 else 250 * 10 * hours
    capital = expected * factor * crf(0.07, 40) * 600e3 * hours / 8760
    assert modular.metadata["objective_eur"] == pytest.approx(fuel + capital, rel=1e-6)
    if method == "milp":  # a MILP has no duals: no prices, not zeros
        assert np.isnan(kpis["price_mean_B"])
    else:  # an LP with the sizes fixed: B's price is its own gas (200 MW) or A's (300 MW)
        assert kpis["price_mean_B"] == pytest.approx(40.0 if expected < 250 else 10.0, rel=1e-6)


def test_whole_module_plans_around_the_relaxation() -> None:
    from energy.model.stages import candidates

    built = pd.Series({"a": 1195.0, "b": 868.0, "c": 0.0})
    module = pd.Series({"a": 1000.0, "b": 700.0, "c": 1300.0})
    room = pd.Series({"a": 4000.0, "b": 1000.0, "c": 3900.0})
    plans = candidates(built, module, room)
    # a: 1 or 2 modules; b: 1 module (2 would exceed its room); c stays at 0
    assert [p.tolist() for p in plans] == [[1000.0, 700.0, 0.0], [2000.0, 700.0, 0.0]]


def test_module_larger_than_the_room_is_an_input_error(tmp_path: Path) -> None:
    folder = two_nodes(tmp_path, 1.0, module_mw=1500.0, max_mw=1000.0)
    with pytest.raises(InputError, match=r"links.csv, row 2, column 'module_mw'"):
        run_scenario(scenario(modules=True), inputs_dir=folder, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


TIME_LIMITED = """
name: time-limited
resolution: 1h
expandable: []
green_export: {enabled: false}
modules: true
solver:
  mip_gap: 0
  mip_method: milp  # HiGHS's branch and bound, whose time limit is tested here
  time_limit_s: 0.3
  # no presolve and the feasibility-jump heuristic: HiGHS finds a feasible plan (no link,
  # B burns its own gas) before the root LP of the full year is solved, then the limit stops it
  options: {presolve: "off", mip_heuristic_run_feasibility_jump: true}
"""


def test_time_limit_writes_the_best_plan_marked_not_proven(tmp_path: Path) -> None:
    from energy.cli import main
    from energy.results.folder import load_results

    folder = two_nodes(tmp_path / "inputs", 1.0)
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "time-limited.yaml").write_text(TIME_LIMITED)
    code = main(["run", "time-limited", "--inputs", str(folder), "--out", str(tmp_path / "out")])
    assert code == 3  # ExitCode.NOT_PROVEN
    results = load_results(tmp_path / "out" / "time-limited")
    meta = results.metadata
    assert meta["condition"] == "time_limit"
    assert meta["optimal"] is False
    assert meta["mip_gap"] > 0
    assert meta["mip_bound_eur"] < meta["objective_eur"]
    kpis = results.kpis.set_index("kpi")["value"]
    assert kpis["proven_optimal"] == 0
    built = link_mw(results)
    assert built / MODULE == pytest.approx(round(built / MODULE), abs=1e-6)  # whole modules
    balance = results.energy_balance.groupby("node")["energy_twh"].sum()
    assert balance.abs().max() < 1e-6  # a feasible plan: every node balances


def test_a_plan_outside_the_gap_falls_back_to_the_milp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offered only the worse neighbour (200 MW; 300 MW is optimal at capex factor 1), the
    rounding cannot prove the gap against the relaxation and HiGHS's MILP decides."""
    import energy.model.stages as stages

    folder = two_nodes(tmp_path, 1.0)
    monkeypatch.setattr(
        stages, "candidates", lambda built, module, room: [pd.Series(200.0, index=built.index)]
    )
    modular = run_scenario(
        scenario(modules=True, solver={"mip_gap": 0}), inputs_dir=folder, write=False
    )
    assert link_mw(modular) == pytest.approx(300.0, abs=1e-6)
    assert modular.metadata["solver"]["method"].startswith("branch-and-bound")


def test_one_level_of_branching_proves_a_plan_the_relaxation_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offered only the better neighbour (300 MW at capex factor 1), the plan lies above the
    relaxation (250 MW), so the relaxation cannot prove it at gap 0. Every whole-module plan
    is at most 200 MW or at least 300 MW, and the cheaper of those two relaxations is the
    300 MW plan's own cost: the bound closes the gap and no MILP is solved. By hand the bound
    rises above the relaxation by the idle 50 MW's capital cost, 50 × 45,006 × 24 / 8,760."""
    import energy.model.stages as stages

    folder = two_nodes(tmp_path, 1.0)
    monkeypatch.setattr(
        stages, "candidates", lambda built, module, room: [pd.Series(300.0, index=built.index)]
    )
    modular = run_scenario(
        scenario(modules=True, solver={"mip_gap": 0}), inputs_dir=folder, write=False
    )
    relaxation = run_scenario(scenario(), inputs_dir=folder, write=False).kpi("objective")
    meta = modular.metadata
    assert link_mw(modular) == pytest.approx(300.0, abs=1e-6)
    assert "2 branch relaxation(s)" in meta["solver"]["method"]
    assert not meta["solver"]["method"].startswith("branch-and-bound")
    assert meta["mip_gap"] == pytest.approx(0, abs=1e-9)
    assert meta["mip_bound_eur"] == pytest.approx(meta["objective_eur"], rel=1e-9)
    idle = 50 * crf(0.07, 40) * 600e3 * 24 / 8760
    assert meta["mip_bound_eur"] - relaxation == pytest.approx(idle, rel=1e-6)

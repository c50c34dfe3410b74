"""When a run fails — infeasible, time limit, killed — the user learns why and loses nothing."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from energy.config.scenario import Scenario, load_scenario
from energy.errors import SolveError
from energy.run.pipeline import run_scenario
from tests.tiny import write_inputs

WEEK = {"start": "2030-01-01", "end": "2030-01-07"}
REPO = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    """Path → SHA-256 of every file below ``folder`` (and nothing else there)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def previous_results(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "kpis.csv").write_text("kpi,value,unit\nobjective,1,EUR\n")
    return folder


def short_supply_inputs(tmp_path: Path) -> Path:
    """Node B: 1,000 MW constant load, 600 MW of OCGT, nothing may be built: in every one of
    the 168 hours 400 MW are missing (0.0672 TWh)."""
    return write_inputs(
        tmp_path / "inputs",
        nodes=[{"node": "B", "country": "AZ"}, {"node": "EU", "role": "market"}],
        demand=[{"node": "B", "demand_twh": 8.76}],
        fleet=[{"node": "B", "carrier": "OCGT", "p_nom_mw": 600, "efficiency": 0.5}],
        links=[
            {
                "link": "beu",
                "bus0": "B",
                "bus1": "EU",
                "p_nom_mw": 300,
                "extendable": False,
                "p_nom_max_mw": 300,
            }
        ],
        markets=[{"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 1000}],
    )


def test_unmet_demand_is_named_by_node_hours_and_mw(tmp_path):
    folder = short_supply_inputs(tmp_path)
    out = previous_results(tmp_path / "results", "short")
    before = snapshot(tmp_path / "results")
    scenario = Scenario(
        name="short", resolution="1h", window=WEEK, expandable=(), green_export={"enabled": False}
    )
    with pytest.raises(SolveError) as err:
        run_scenario(scenario, out=out, inputs_dir=folder)
    message = str(err.value)
    assert "node B cannot meet its demand in 168 hours: missing up to 400 MW (0.07 TWh)" in message
    assert err.value.report.condition in ("infeasible", "infeasible_or_unbounded")
    record = json.loads((tmp_path / "results" / "short.failed.json").read_text())
    assert record["message"] == message
    assert "HiGHS" in (tmp_path / "results" / "short.failed.log").read_text()
    after = snapshot(tmp_path / "results")
    assert {k: v for k, v in after.items() if ".failed." not in k} == before


def test_export_target_beyond_the_links_is_named(tmp_path):
    """The B→EU link carries at most 300 MW × 168 h = 0.0504 TWh in the week, i.e. 2.628 TWh
    per year; a 10 TWh/a target cannot be met."""
    folder = short_supply_inputs(tmp_path)
    scenario = Scenario(
        name="target",
        resolution="1h",
        window=WEEK,
        expandable=(),
        green_export={"enabled": False},
        export_target_twh=10,
        overrides={"fleet": {"B/OCGT/2030": {"p_nom_mw": 5000}}},
    )
    with pytest.raises(SolveError) as err:
        run_scenario(scenario, write=False, inputs_dir=folder)
    assert (
        "export target 10.0 TWh exceeds what the corridor can deliver "
        "(at most 2.6 TWh per year)" in str(err.value)
    )
    assert "cannot meet its demand" not in str(err.value)


@pytest.mark.slow
def test_time_limit_is_reported_and_writes_nothing(tmp_path):
    out = previous_results(tmp_path / "results", "base")
    before = snapshot(tmp_path / "results")
    scenario = load_scenario("base", solver={"time_limit_s": 0.5})
    with pytest.raises(SolveError) as err:
        run_scenario(scenario, out=out)
    assert err.value.report.condition == "time_limit"
    assert "time limit (0.5 s)" in str(err.value)
    after = snapshot(tmp_path / "results")
    assert {k: v for k, v in after.items() if ".failed." not in k} == before


def test_cli_exit_code_is_1_when_not_optimal(tmp_path):
    folder = short_supply_inputs(tmp_path)
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "short.yaml").write_text(
        "name: short\nresolution: 1h\nexpandable: []\nwindow: {start: '2030-01-01', "
        "end: '2030-01-02'}\ngreen_export: {enabled: false}\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "energy",
            "run",
            "short",
            "--inputs",
            str(folder),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert "node B cannot meet its demand in 48 hours" in done.stderr
    assert not (tmp_path / "out" / "short").exists()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_run_leaves_previous_results_intact(tmp_path, sig):
    """Kill `energy run` while HiGHS is solving; the old results stay byte-identical, and the
    next run cleans up what a SIGKILL left behind (SIGTERM cleans up at once)."""
    out_parent = tmp_path / "results"
    previous_results(out_parent, "killme")
    before = snapshot(out_parent)
    scenario = tmp_path / "killme.yaml"
    scenario.write_text(
        "name: killme\ninherit: base\nresolution: 1h\n"
        "window: {start: '2030-02-01', end: '2030-02-21'}\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "energy", "run", str(scenario), "--out", str(out_parent)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stderr:  # progress messages go to stderr
        if "model:" in line:
            break
    time.sleep(0.5)  # inside the solver now
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(sig)
    proc.wait(timeout=300)
    assert proc.returncode != 0
    visible = {k: v for k, v in snapshot(out_parent).items() if not k.startswith(".")}
    assert visible == before
    if sig == signal.SIGTERM:
        assert sorted(p.name for p in out_parent.iterdir()) == ["killme"]
    from energy.results.folder import recover

    recover(out_parent / "killme")
    assert sorted(p.name for p in out_parent.iterdir()) == ["killme"]
    assert snapshot(out_parent) == before


@pytest.mark.slow
def test_same_scenario_twice_gives_identical_tables(tmp_path):
    """Determinism: HiGHS with the same options and inputs gives the same tables byte for byte."""
    scenario = load_scenario(
        "base", window={"start": "2030-03-01", "end": "2030-03-04"}, resolution="1h"
    )
    run_scenario(scenario, out=tmp_path / "a")
    run_scenario(scenario, out=tmp_path / "b")
    for name in ("kpis.csv", "capacities.csv", "energy_balance.csv", "links.csv", "costs.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_profile_values_do_not_change_determinism_of_inputs_hash(tmp_path):
    """The inputs hash changes when (and only when) an input file changes."""
    from energy.data.inputs import load_inputs
    from tests.tiny import copy_real_inputs

    folder = copy_real_inputs(tmp_path / "inputs")
    first = load_inputs(folder).hash()
    assert load_inputs(folder).hash() == first
    solar = folder / "profiles" / "solar.csv"
    text = solar.read_text()
    solar.write_text(text.replace("0.0000", "0.0001", 1) if "0.0000" in text else text + "\n")
    assert load_inputs(folder).hash() != first
    solar.write_text(text)
    assert load_inputs(folder).hash() == first, "the hash follows the content, not the mtime"


def test_pid_of_staging_folders_is_this_process(tmp_path):
    from energy.results.folder import staging_folder

    with staging_folder(tmp_path / "x") as staging:
        assert f".x.{os.getpid()}." in staging.name
    assert (tmp_path / "x").is_dir()


def test_a_hipo_solve_error_is_solved_again_with_ipx(tmp_path):
    """HiPO's 'Solve error' (seen on an MGA case of high-price at days:12) is not the end of
    a run: the model is solved again, first with crossover, then with IPX, and the run's
    answer is the optimum (the two-node case's hand value, unchanged)."""
    from energy.model.network import build_network
    from energy.model.solve import build_model, solve_with_fallbacks, solver_options
    from energy.run.pipeline import prepare_inputs
    from tests.test_value_curve import X_STAR, scenario, two_node_inputs, value

    sc = scenario()
    n = build_network(prepare_inputs(sc, two_node_inputs(tmp_path)), sc)
    build_model(n, sc, objective_constant=False)
    real, calls = n.optimize.solve_model, []

    def failing_hipo(**kwargs):
        calls.append(kwargs["solver_options"].get("solver"))
        if kwargs["solver_options"].get("solver") == "hipo":
            return "error", "internal_solver_error"
        return real(**kwargs)

    n.optimize.solve_model = failing_hipo
    status, condition = solve_with_fallbacks(n, solver_options(sc, "hipo"))
    assert (status, condition) == ("ok", "optimal")
    assert calls == ["hipo", "hipo", "ipx"]  # as asked, with crossover, then IPX
    assert float(n.model.objective.value) == pytest.approx(value(X_STAR), rel=1e-6)

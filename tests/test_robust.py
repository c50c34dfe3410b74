"""Two-stage stochastic sizing, solved by hand on one node and two weather years.

Node N has a constant load L = 100 MW over a window of H = 24 hours (hourly). The only
investment is wind, capital cost C per MW for the window; the only other supply is load
shedding at v EUR/MWh. Wind blows at a constant capacity factor a: a₁ = 0.5 in weather year 1,
a₂ = 0.25 in year 2, each with probability ½. With W MW of wind, year k costs

    cost_k(W) = C·W + H·v·max(L − a_k·W, 0).

We set C = 0.2·H·v. Piecewise linear in W, so optima sit at the kinks W ∈ {0, L/a₁ = 200,
L/a₂ = 400} (or L/ā for the mean year):

- year 1 alone: W = 200 (slope below the kink C − a₁Hv = −0.3Hv < 0, above it C > 0),
  cost 200C = 40·Hv; year 2 alone: W = 400, cost 400C = 80·Hv. Wait-and-see: 60·Hv.
- stochastic: E cost(0) = 100·Hv, E cost(200) = 40Hv + ½·Hv·(100 − 50) = 65·Hv,
  E cost(400) = 80·Hv → W* = 200, 65·Hv. EVPI = 65 − 60 = 5·Hv.
- mean year, ā = 0.375: W = 100/0.375 = 266.67; on year 1 it costs 53.33Hv, on year 2
  53.33Hv + Hv·(100 − 66.67) = 86.67Hv, expected 70·Hv. VSS = 70 − 65 = 5·Hv.
- CVaR at α = ½, ω = 1 (the worse year only): worst(200) = 90Hv, worst(400) = 80Hv,
  worst(266.67) = 86.67Hv → W = 400.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.cli import main
from energy.config.scenario import load_scenario
from energy.errors import InputError
from energy.run.robust import run_robust
from tests.tiny import HOURS, crf, write_inputs

H, L = 24, 100.0
RATE, INVESTMENT, LIFETIME = 0.07, 1000.0, 25.0
C = crf(RATE, LIFETIME) * INVESTMENT * 1e3 * H / 8760  # EUR/MW for the window
V = C / (0.2 * H)  # EUR/MWh, so that C = 0.2·H·v
HV = H * V * L / 100  # the unit of the costs above ("Hv" with L = 100)
CF = {1: 0.5, 2: 0.25}

SCENARIO = f"""
name: robust
resolution: 1h
window: {{start: "2030-01-01", end: "2030-01-01"}}
green_export: {{enabled: false}}
expandable: [onwind]
load_shedding_eur_per_mwh: {V!r}
robust:
  weather_years: [1, 2]
"""


def write_weather(folder: Path, year: int, cf: float) -> None:
    """A weather year whose wind blows at ``cf`` all year (other profiles: the design ones)."""
    target = folder / "weather" / f"year-{year:02d}"
    target.mkdir(parents=True, exist_ok=True)
    profile = pd.DataFrame({"N": np.full(8760, cf)}, index=pd.Index(HOURS, name="snapshot"))
    profile.to_csv(target / "onwind.csv.gz")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = write_inputs(
        tmp_path_factory.mktemp("robust") / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": L * 8760 / 1e6}],
        potentials=[{"node": "N", "carrier": "onwind", "potential_gw": 10, "cf_annual": 0.4}],
        costs={
            ("onwind", "investment"): INVESTMENT,
            ("onwind", "lifetime"): LIFETIME,
            ("discount rate", "value"): RATE,
        },
        profiles={"onwind": {"N": np.full(8760, 0.375)}},
        scenarios={"robust": SCENARIO},
    )
    for year, cf in CF.items():
        write_weather(folder, year, cf)
    return folder


def solve(inputs: Path, **changes):
    scenario = load_scenario("robust", inputs, **changes)
    return run_robust(scenario, inputs_dir=inputs, write=False)


@pytest.fixture(scope="module")
def neutral(inputs):
    return solve(inputs)


def wind_mw(results, plan: str) -> float:
    table = results.tables["plan_capacities"]
    row = table[(table["plan"] == plan) & (table["carrier"] == "onwind")]
    return float(row["added_mw"].sum())


def test_plans_match_the_hand_solution(neutral):
    assert wind_mw(neutral, "year-01") == pytest.approx(200, rel=1e-6)
    assert wind_mw(neutral, "year-02") == pytest.approx(400, rel=1e-6)
    assert wind_mw(neutral, "robust") == pytest.approx(200, rel=1e-6)
    assert wind_mw(neutral, "reference-mean") == pytest.approx(100 / 0.375, rel=1e-6)


def test_costs_regret_evpi_and_vss_by_hand(neutral):
    kpis = neutral.kpis.set_index("kpi")["value"]
    assert kpis["weather_scenarios"] == 2
    assert kpis["expected_cost_wait_and_see"] == pytest.approx(60 * HV, rel=1e-6)
    assert kpis["expected_cost_robust"] == pytest.approx(65 * HV, rel=1e-6)
    assert kpis["robust_objective"] == pytest.approx(65 * HV, rel=1e-6)
    assert kpis["expected_cost_reference"] == pytest.approx(70 * HV, rel=1e-6)
    assert kpis["evpi"] == pytest.approx(5 * HV, rel=1e-6)
    assert kpis["vss"] == pytest.approx(5 * HV, rel=1e-6)
    assert kpis["evpi"] >= 0 and kpis["vss"] >= 0
    regret = neutral.tables["regret"].set_index(["plan", "weather_year"])
    assert regret.at[("robust", 2), "cost_eur"] == pytest.approx(90 * HV, rel=1e-6)
    assert regret.at[("year-02", 1), "regret_eur"] == pytest.approx(40 * HV, rel=1e-6)
    assert regret.at[("year-01", 1), "regret_eur"] == pytest.approx(0, abs=1e-6 * HV)


def test_dispatch_kpis_per_weather_year(neutral):
    table = neutral.tables["weather_scenarios"]
    unserved = table[table["kpi"] == "unserved_energy"].set_index("weather_year")["value"]
    # W = 200: year 1 covers the load, year 2 sheds 100 − 0.25·200 = 50 MW for 24 h
    assert unserved[1] == pytest.approx(0, abs=1e-9)
    assert unserved[2] == pytest.approx(50 * H * 1e-6, rel=1e-6)


def test_cvar_of_the_worse_year_builds_for_it(inputs):
    averse = solve(inputs, robust={"cvar_alpha": 0.5, "cvar_weight": 1.0})
    assert wind_mw(averse, "robust") == pytest.approx(400, rel=1e-6)
    kpis = averse.kpis.set_index("kpi")["value"]
    assert kpis["robust_objective"] == pytest.approx(80 * HV, rel=1e-6)


def test_cvar_alpha_zero_is_risk_neutral(inputs, neutral):
    averse = solve(inputs, robust={"cvar_alpha": 0.0, "cvar_weight": 1.0})
    assert wind_mw(averse, "robust") == pytest.approx(wind_mw(neutral, "robust"), rel=1e-6)
    got = averse.kpis.set_index("kpi")["value"]["robust_objective"]
    assert got == pytest.approx(65 * HV, rel=1e-6)


def test_probabilities_move_the_plan(inputs):
    """With p = (0.1, 0.9): E cost(200) = 40Hv + 0.9·50Hv = 85Hv > E cost(400) = 80Hv."""
    results = solve(inputs, robust={"probabilities": [0.1, 0.9]})
    assert wind_mw(results, "robust") == pytest.approx(400, rel=1e-6)


def test_weather_year_and_robust_exclude_each_other(inputs, tmp_path, capsys):
    code = main(["run", "robust", "--inputs", str(inputs), "--weather-year", "1"])
    assert code == 2
    assert "exclude each other" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("robust", "message"),
    [
        ({"weather_years": [1, 2], "probabilities": [0.5, 0.6]}, "sum to 1"),
        ({"weather_years": [1, 2], "probabilities": [1.0]}, "1 probabilities for 2"),
        ({"weather_years": [1, 3]}, "weather year 3: no profiles"),
    ],
)
def test_bad_robust_settings_exit_2(inputs, tmp_path, capsys, robust, message):
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace("robust:\n  weather_years: [1, 2]\n", "") + _yaml(robust))
    out = tmp_path / "out"
    code = main(["run", str(path), "--inputs", str(inputs), "--out", str(out)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def _yaml(robust: dict) -> str:
    import yaml

    return yaml.safe_dump({"robust": robust})


def test_input_error_before_solving(inputs):
    with pytest.raises(InputError, match="weather year 9"):
        solve(inputs, robust={"weather_years": [1, 9]})


@pytest.mark.slow  # the figures of a report
def test_written_folder_and_report(inputs, tmp_path):
    from energy.results.folder import load_results
    from energy.review.report import report_html

    scenario = load_scenario("robust", inputs)
    run_robust(scenario, out=tmp_path / "robust", inputs_dir=inputs)
    folder = tmp_path / "robust"
    for name in ("regret", "weather_scenarios", "plan_capacities", "kpis", "capacities"):
        assert (folder / f"{name}.csv").is_file()
    regret = pd.read_csv(folder / "regret.csv")
    assert set(regret["plan"]) == {"year-01", "year-02", "robust", "reference-mean"}
    assert len(regret) == 4 * 2
    assert load_results(folder).kpi("vss") == pytest.approx(5 * HV, rel=1e-6)
    page = report_html(folder)
    assert "<h2>Weather years</h2>" in page and "data:image/png;base64" in page


def test_check_reads_every_weather_year(inputs, tmp_path, capsys):
    assert main(["check", "robust", "--inputs", str(inputs)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("[1, 2]", "[1, 2, 4]"))
    assert main(["check", str(bad), "--inputs", str(inputs)]) == 2
    assert "weather year 4: no profiles" in capsys.readouterr().err

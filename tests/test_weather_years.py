"""Weather years: ``weather_year`` / ``energy run --weather-year N`` read
``inputs/weather/year-NN/`` instead of ``inputs/profiles/``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.cli import main
from energy.config.scenario import Scenario
from energy.data.weather import available_years, weather_profile_files
from energy.errors import InputError
from energy.paths import DEFAULT_INPUTS
from energy.run.pipeline import prepare_inputs, run_scenario
from tests.tiny import HOURS, write_inputs

SINGLE = """
name: single
resolution: 1h
window: {start: "2030-01-01", end: "2030-01-01"}
green_export: {enabled: false}
expandable: [onwind]
load_shedding_eur_per_mwh: 1000
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Node N, 100 MW of load; design wind cf 0.5, weather year 1: 0.25 (gzipped)."""
    folder = write_inputs(
        tmp_path_factory.mktemp("weather") / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": 0.876}],
        potentials=[{"node": "N", "carrier": "onwind", "potential_gw": 10, "cf_annual": 0.4}],
        profiles={"onwind": {"N": np.full(8760, 0.5)}},
        scenarios={"single": SINGLE},
    )
    target = folder / "weather" / "year-01"
    target.mkdir(parents=True)
    pd.DataFrame({"N": np.full(8760, 0.25)}, index=pd.Index(HOURS, name="snapshot")).to_csv(
        target / "onwind.csv.gz"
    )
    return folder


def test_shipped_years_are_listed_and_complete():
    years = available_years(DEFAULT_INPUTS)
    assert years == list(range(1, 11))
    table = pd.read_csv(DEFAULT_INPUTS / "weather" / "years.csv")
    assert {f"year-{y:02d}" for y in years} <= set(table["weather_year"])
    files = weather_profile_files(DEFAULT_INPUTS, 3)
    assert set(files) == {"onwind", "solar", "offwind", "hydro", "load"}


def test_a_shipped_year_replaces_the_design_profiles():
    """The annual capacity factor of year 3 as years.csv states it (rounded to 4 digits)."""
    inputs = prepare_inputs(Scenario(name="y3", weather_year=3), DEFAULT_INPUTS)
    table = pd.read_csv(DEFAULT_INPUTS / "weather" / "years.csv").set_index("weather_year")
    got = inputs.profiles["onwind"]["KZ-W"].mean()
    assert got == pytest.approx(table.at["year-03", "onwind_cf_KZ-W"], abs=6e-5)
    design = prepare_inputs(Scenario(name="design"), DEFAULT_INPUTS)
    assert not np.allclose(design.profiles["onwind"]["KZ-W"], inputs.profiles["onwind"]["KZ-W"])
    assert str(inputs.files["profiles/onwind.csv"]).endswith("year-03/onwind.csv.gz")
    assert inputs.hash() != design.hash()


def test_gzipped_load_is_read_as_a_load():
    """A load above 1 in load.csv.gz is a load, not a capacity factor out of range."""
    inputs = prepare_inputs(Scenario(name="y1", weather_year=1), DEFAULT_INPUTS)
    assert inputs.profiles["load"].to_numpy().max() > 1


def test_run_on_a_weather_year(inputs, tmp_path):
    """Wind at cf 0.25 (year 1) instead of 0.5: 400 MW instead of 200 MW cover 100 MW."""
    design = run_scenario(Scenario(**_single()), inputs_dir=inputs, write=False)
    year = run_scenario(Scenario(**_single(), weather_year=1), inputs_dir=inputs, write=False)
    assert design.kpis.set_index("kpi").at["unserved_energy", "value"] == pytest.approx(0)
    mw = {
        name: r.capacities.query("carrier == 'onwind'")["added_mw"].sum()
        for name, r in (("design", design), ("year", year))
    }
    assert mw == pytest.approx({"design": 200.0, "year": 400.0}, rel=1e-6)
    code = main(
        ["run", "single", "--inputs", str(inputs), "--out", str(tmp_path), "--weather-year", "1"]
    )
    assert code == 0
    meta = (tmp_path / "single" / "metadata.json").read_text()
    assert '"weather_year": 1' in meta


def _single() -> dict:
    import yaml

    return yaml.safe_load(SINGLE)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("7", "weather year 7: no profiles in"),
        ("0", "key 'weather_year'"),
    ],
)
def test_bad_weather_year_exits_2_and_writes_nothing(inputs, tmp_path, capsys, year, message):
    code = main(
        ["run", "single", "--inputs", str(inputs), "--out", str(tmp_path), "--weather-year", year]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_missing_year_names_the_available_ones(inputs):
    with pytest.raises(InputError, match=r"weather years available: 1\)"):
        weather_profile_files(inputs, 2)

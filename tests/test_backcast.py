"""Backcast: today's fleet and demand reproduce the published generation mix.

Shares of coal, gas and hydro in KZ, UZ and AZ within ±5 percentage points, total generation
of KZ, UZ, AZ and GE within ±5 % (inputs/statistics.csv), at a coarse resolution (every 6th
hour). See docs/validation.md for the calibration levers.
"""

from __future__ import annotations

import numpy as np
import pytest

from energy.data.inputs import load_inputs
from energy.errors import InputError
from energy.model import economics as eco
from energy.paths import DEFAULT_INPUTS
from energy.validation.backcast import (
    SHARE_CHECKS,
    TOTAL_CHECKS,
    format_table,
    modelled,
    read_statistics,
    run_backcast,
)
from energy.validation.detail import (
    flow_value,
    flows_in,
    generation_in,
    months_of,
    passed_on,
    through_flow,
    transit_in,
)


@pytest.fixture(scope="module")
def backcast():
    return run_backcast("6h")


def annual(table):
    """Rows of whole-year, all-border statistics (sub-year rows carry their months)."""
    return ~table["year"].str.contains("(", regex=False) & ~table["carrier"].str.contains(" ")


def test_months_are_single_or_ranges():
    assert months_of("", "x") == list(range(1, 13))
    assert months_of("7-12", "x") == [7, 8, 9, 10, 11, 12] and months_of("3", "x") == [3]
    with pytest.raises(InputError, match="statistics.csv, row 9, column 'month'"):
        months_of("12-1", "statistics.csv, row 9")


def test_through_flow_splits_by_origin_and_destination():
    """By hand. Snapshot 1: A delivers 60 MW and B 40 MW into the transit country, which sends
    30 MW to D and 20 MW to E; 50 MW pass through (the smaller total), 60/40 by origin and
    60/40 by destination, and the other 50 MW received are its own imports. Snapshot 2: A
    delivers 10 MW, D takes 40 MW: 10 MW pass, the rest are its own exports. Snapshot 3:
    nothing flows."""
    into = np.array([[60.0, 40.0], [10.0, 0.0], [0.0, 0.0]])
    out = np.array([[30.0, 20.0], [40.0, 0.0], [0.0, 0.0]])
    split = through_flow(into, out)
    assert split[0] == pytest.approx(np.array([[18.0, 12.0], [12.0, 8.0]]))
    assert split[1] == pytest.approx(np.array([[10.0, 0.0], [0.0, 0.0]]))
    assert split[2] == pytest.approx(np.zeros((2, 2)))
    assert split.sum(axis=(1, 2)) == pytest.approx([50.0, 10.0, 0.0])


@pytest.mark.slow
def test_transit_through_georgia_is_what_georgia_passes_on(backcast):
    """Azerbaijan's sales to Türkiye cross Georgia (no AZ-TR link): outside Georgia's export
    season (no net exports) all that Georgia sends to Türkiye is transit, and over the year
    the transit is at most what either border carries."""
    from energy.config.scenario import load_scenario
    from energy.run.pipeline import prepare_inputs

    _, _, results = backcast
    inputs = prepare_inputs(load_scenario("backcast", resolution="6h"), DEFAULT_INPUTS)
    winter = [1, 2, 3]
    transit = transit_in(results, inputs, winter).set_index(["origin", "via", "destination"])
    flows = flows_in(results, inputs, winter)
    to_tr = flow_value(flows, "GE", "exports", "TR")
    assert to_tr > 0.1  # Azerbaijan's plan flows in winter, so the check is not 0 == 0
    assert transit.at[("AZ", "GE", "TR"), "twh"] == pytest.approx(to_tr, rel=1e-6)
    passing = transit_in(results, inputs, winter)
    assert flow_value(flows, "AZ", "exports", "TR", passing) == pytest.approx(to_tr, rel=1e-6)
    # Georgia's statistics count transit apart: its own exports outside the season are 0
    assert passed_on(passing, "GE", "exports", "TR") == pytest.approx(to_tr, rel=1e-6)
    assert passed_on(passing, "GE", "imports", "") == pytest.approx(to_tr, rel=1e-6)
    year = list(range(1, 13))
    flows, transit = flows_in(results, inputs, year), transit_in(results, inputs, year)
    az_tr = flow_value(flows, "AZ", "exports", "TR", transit)
    assert az_tr <= flow_value(flows, "GE", "imports", "AZ") + 1e-9
    assert az_tr <= flow_value(flows, "GE", "exports", "TR") + 1e-9
    assert np.isnan(flow_value(flows, "KZ", "exports", "TR", transit))  # no path at all


@pytest.mark.slow
def test_sub_year_figures_add_up_to_the_year(backcast):
    """Generation by month (from the time series) sums to the annual energy balance, and the
    gross flow over the KZ-RU border equals the links table; the sub-year rows are judged by
    the annual rules (AZ gas share of Jan-Apr within ±5 pp like the annual one)."""
    from energy.config.scenario import load_scenario
    from energy.run.pipeline import prepare_inputs

    table, _, results = backcast
    inputs = prepare_inputs(load_scenario("backcast", resolution="6h"), DEFAULT_INPUTS)
    year = modelled(results, inputs)["generation"]
    months = generation_in(results, inputs, list(range(1, 13)))
    assert months.loc[year.index, year.columns].to_numpy() == pytest.approx(year.to_numpy())
    parts = generation_in(results, inputs, [1, 2, 3, 4]) + generation_in(
        results, inputs, list(range(5, 13))
    )
    assert parts.to_numpy() == pytest.approx(months.to_numpy())
    # KZ's gross trade with Russia: what the kzn-ru corridor carries (links table)
    links = results.links.set_index("link")
    flows = flows_in(results, inputs, list(range(1, 13)))
    to_ru = flow_value(flows, "KZ", "exports", "RU")
    assert to_ru == pytest.approx(float(links.at["kzn-ru", "flow_forward_twh"]), abs=1e-6)
    sent_back = float(links.at["kzn-ru", "flow_backward_twh"])
    eff = float(eco.link_efficiency(inputs, inputs.links.loc[["kzn-ru"]]).iloc[0])
    imports = flow_value(flows, "KZ", "imports", "RU")
    assert imports == pytest.approx(sent_back * eff, abs=1e-6)  # the table keeps 6 decimals
    assert imports > 2.0  # the planned purchase flows, so the check is not 0 == 0
    jan_apr = table[(table["country"] == "AZ") & (table["year"] == "2024 (1-4)")]
    assert set(jan_apr["carrier"]) >= {"total", "gas", "exports"}
    assert jan_apr.set_index("carrier").at["gas", "tolerance"] == "±5 pp"


def test_statistics_have_sources_and_cover_the_checks():
    stats = read_statistics()
    assert stats["source"].str.len().gt(10).all()
    keys = set(zip(stats["country"], stats["carrier"]))
    for country, carriers in SHARE_CHECKS.items():
        assert {(country, c) for c in carriers} <= keys
    assert {(c, "total") for c in TOTAL_CHECKS} <= keys


@pytest.mark.slow
def test_backcast_shares_within_tolerances(backcast):
    """The generation mix (coal, gas, hydro shares) of the calibration year holds."""
    table, _, _ = backcast
    shares = table[(table["tolerance"] == "±5 pp") & annual(table)]
    assert len(shares) == sum(map(len, SHARE_CHECKS.values()))
    assert (shares["status"] == "ok").all(), "\n" + format_table(table)


def checked_rows(table, countries):
    """The annual totals (±5 %) and net imports (±1.5 TWh) of ``countries``."""
    rows = table[table["tolerance"].isin(["±5%", "±1.5 TWh"]) & annual(table)]
    return rows[rows["country"].isin(countries)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("countries", "rows"),
    [
        pytest.param(["KZ", "UZ"], 4, id="central-asia"),
        pytest.param(["AZ", "GE"], 3, id="caucasus"),
    ],
)
def test_totals_and_net_imports_within_tolerances(backcast, countries, rows):
    """Generation totals within ±5 %, net imports within ±1.5 TWh. Trade follows the
    schedules of trade_schedules.csv (KZ-UZ agreements, KZ's purchases from Russia,
    Azerbaijan's export plan) and Georgia's export season (export_seasons.csv)."""
    table, _, _ = backcast
    checked = checked_rows(table, countries)
    assert len(checked) == rows
    assert (checked["status"] == "ok").all(), "\n" + format_table(table)


@pytest.mark.slow
def test_the_out_of_sample_year_passes_its_annual_checks():
    """base-prior (KZ 2022, UZ 2024, AZ and GE 2023) with the same scenario, nothing retuned:
    totals within ±5 %, net imports within ±1.5 TWh, and Azerbaijan's Jan-Nov gas share within
    ±5 pp with 2023's own hydrology (fleet.csv: 1.59 / 2.72 of 2024's hydro availability)."""
    table, _, results = run_backcast("6h", period="base-prior")
    checked = checked_rows(table, ["KZ", "UZ", "AZ", "GE"])
    assert len(checked) == 7  # four totals, three net-import rows (UZ has none in 2024)
    assert (checked["status"] == "ok").all(), "\n" + format_table(table)
    gas = table[(table["country"] == "AZ") & (table["carrier"] == "gas")].set_index("year")
    assert gas.at["2023 (1-11)", "status"] == "ok", "\n" + format_table(table)


def test_the_fleet_levers_hold_in_both_base_years_and_2030():
    """Every fleet override the backcast has (the Angren lignite limit, inherited from base)
    reaches the row of each base year and of 2030 alike, changing what fleet.csv says."""
    from energy.config.scenario import load_scenario
    from energy.run.pipeline import prepare_inputs

    scenario = load_scenario("backcast")
    levers = scenario.overrides["fleet"]
    assert levers
    key = ["node", "carrier", "period"]
    raw = load_inputs(DEFAULT_INPUTS).fleet.set_index(key)
    fleet = prepare_inputs(scenario, DEFAULT_INPUTS).fleet.set_index(key)
    for unit, cells in levers.items():
        node, carrier, _ = unit.split("/")
        for period in ("base-prior", "base", "2030"):
            for column, value in cells.items():
                row = (node, carrier, period)
                assert fleet.at[row, column] == value != raw.at[row, column], row


@pytest.mark.slow
def test_backcast_trade_keeps_the_schedules(backcast):
    """At most 1.0 TWh KZ→UZ and 0.9 TWh UZ→KZ, at least 2.6 TWh net from Russia (2023 plan)."""
    _, _, results = backcast
    links = results.links.set_index("link")
    assert links.at["kzs-uz", "flow_forward_twh"] <= 1.0 + 1e-6
    assert links.at["kzs-uz", "flow_backward_twh"] <= 0.9 + 1e-6
    from_ru = links.at["kzn-ru", "flow_backward_twh"] - links.at["kzn-ru", "flow_forward_twh"]
    assert from_ru >= 2.6 - 1e-6
    assert links.at["kzs-uz", "flow_forward_twh"] > 0.99  # the ceiling binds: KZ coal is cheap


@pytest.mark.slow
def test_backcast_keeps_the_caucasus_rules(backcast):
    """Azerbaijan sends at most its 1.8 TWh export plan; Georgia sends no net exports outside
    its April-August season (transit passes), and its gas plants never export: whenever
    Georgia sends net exports they stand down, since they serve only its residual load."""
    table, _, results = backcast
    inputs = load_inputs(DEFAULT_INPUTS)
    links = results.links.set_index("link")
    assert links.at["az-ge", "flow_forward_twh"] <= 1.8 + 1e-6
    assert links.at["az-ge", "flow_forward_twh"] > 1.79  # the plan binds: AZ gas is cheap
    series = results.series
    flow = series["link_flow"].to_pandas()
    eta = eco.link_efficiency(inputs, inputs.links)
    delivered = flow.mul(series["link_corridor"].to_series().map(eta), axis=1)
    net = flow[["ge-tr", "az-ge reverse"]].sum(axis=1) - delivered[["az-ge", "ge-tr reverse"]].sum(
        axis=1
    )
    season = flow.index.month.isin(range(4, 9))
    assert net[~season].max() <= 1e-3
    assert net[season].max() > 100  # Georgia's hydro surplus leaves in its season
    assert flow.loc[~season, "ge-tr"].max() > 100  # and Azerbaijan's transit all year
    dispatch = series["dispatch"].to_pandas()
    carrier = series["generator_carrier"].to_series()
    node = series["generator_node"].to_series()
    gas = dispatch[carrier.index[(node == "GE") & carrier.isin(["CCGT", "OCGT", "gas-steam"])]]
    assert gas.shape[1] == 3
    assert gas.sum(axis=1)[net > 1e-3].max() <= 1e-3
    assert gas.to_numpy().max() > 100  # they do serve Georgia's deficits


@pytest.mark.slow
def test_backcast_serves_demand_and_builds_nothing(backcast):
    table, extras, results = backcast
    demand = table[table["carrier"] == "demand"]
    assert (demand["model_twh"] - demand["published_twh"]).abs().max() < 0.01
    assert extras["unserved_twh"].sum() < 1e-3 * demand["model_twh"].sum()
    caps = results.capacities
    assert (caps["added_mw"].abs() < 1e-3).all()


def test_a_statistics_row_without_source_is_named_by_file_row_and_column(tmp_path):
    """A sub-year row gets the annual rows' checks: its own line in the file, the column."""
    from energy.validation.detail import read_detail

    lines = (DEFAULT_INPUTS / "statistics.csv").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("AZ,total,base,2024,1-4,"))
    head = lines[at].split(",")[:8]  # country … unit; source and note left empty
    lines[at] = ",".join(head) + ",,"
    path = tmp_path / "statistics.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"statistics.csv, row {at + 1}, column 'source'"):
        read_detail(path, "base")
    read_statistics(DEFAULT_INPUTS / "statistics.csv")  # the shipped file passes


def test_georgias_held_hydro_is_an_input_and_within_its_published_output(backcast):
    """hydro_months.csv holds Georgia's 2024 hydro availability to its published months, so
    its hydro rows (the year, Q1, Jan-May) are marked ``input`` and can use at most that
    output; other countries' hydro shares stay checks."""
    table, _, _ = backcast
    hydro = table[(table["country"] == "GE") & (table["carrier"] == "hydro")]
    assert len(hydro) == 3
    assert (hydro["status"] == "input").all()
    assert (hydro["model_twh"] <= hydro["published_twh"] * (1 + 1e-6)).all()
    assert (hydro["model_twh"] >= 0.98 * hydro["published_twh"]).all()  # little is spilt
    kz = table[(table["country"] == "KZ") & (table["carrier"] == "hydro")]
    assert kz["status"].isin(["ok", "MISS"]).all()

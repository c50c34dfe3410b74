"""Where the extraction keeps its own arithmetic (energy balance with link imports/exports,
costs with export revenue as negative opex), it agrees with PyPSA's ``n.statistics``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy import load_scenario
from energy.model.naming import VARIABLE
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.results.extract import TWH, capacities_table, costs_table, energy_balance_table
from energy.run.pipeline import prepare_inputs

pytestmark = pytest.mark.slow  # solves the full inputs (base)

WINDOW = {"start": "2030-03-01", "end": "2030-03-04"}


@pytest.fixture(scope="module")
def solved() -> pypsa.Network:
    scenario = load_scenario("base", window=WINDOW, resolution="3h")
    n = build_network(prepare_inputs(scenario, "inputs"), scenario)
    assert optimize(n, scenario).optimal
    return n


def test_generator_energy_by_node_and_carrier(solved: pypsa.Network) -> None:
    ours = energy_balance_table(solved).set_index(["node", "carrier"])["energy_twh"]
    theirs = solved.statistics.energy_balance(
        components="Generator", groupby=["bus", "carrier"], nice_names=False
    )
    theirs = theirs.rename(index={"export": "market export"}, level="carrier") * TWH
    theirs = theirs[theirs.abs() > 1e-9]
    pd.testing.assert_series_equal(
        ours.reindex(theirs.index),
        theirs,
        check_names=False,
        rtol=1e-9,
        atol=1e-10,  # statistics round to 1e-5 MWh
    )


def test_capex_and_opex_totals(solved: pypsa.Network) -> None:
    """PyPSA's capex also charges the capacity in place of an expandable corridor (its
    ``p_nom_min``); that sunk annuity is PyPSA's objective constant, which ours leaves out."""
    ours = costs_table(solved)
    sunk = solved.objective_constant
    assert sunk > 0, "base has an expandable corridor with capacity in place (kzn-kzs)"
    assert ours["capex_eur"].sum() == pytest.approx(
        solved.statistics.capex().sum() - sunk, rel=1e-6
    )
    assert ours["opex_eur"].sum() == pytest.approx(solved.statistics.opex().sum(), rel=1e-6)
    assert (ours["capex_eur"].sum() + ours["opex_eur"].sum()) == pytest.approx(
        solved.objective, rel=1e-6
    )


def test_capacities_and_curtailment_by_hand(solved: pypsa.Network) -> None:
    """The statistics-based capacities equal Σ p_nom_opt; curtailment Σ w (p_max_pu p_nom − p)."""
    gens = solved.c.generators.static
    table = capacities_table(solved).set_index(["node", "carrier"])
    wind = gens[gens["carrier"] == "onwind"]
    by_node = wind.groupby("bus")["p_nom_opt"].sum()
    np.testing.assert_allclose(
        table.xs("onwind", level="carrier")["optimal_mw"],
        by_node.reindex(table.xs("onwind", level="carrier").index),
        atol=1e-3,
    )
    variable = gens.index[gens["carrier"].isin(VARIABLE)]
    avail = (
        solved.get_switchable_as_dense("Generator", "p_max_pu")[variable]
        * gens.loc[variable, "p_nom_opt"]
    )
    by_hand = (avail - solved.c.generators.dynamic["p"][variable]).mul(
        solved.snapshot_weightings["generators"], axis=0
    ).sum().sum() * TWH
    stats = solved.statistics.curtailment(
        components="Generator", groupby="carrier", nice_names=False
    )
    assert float(stats.reindex(list(VARIABLE), fill_value=0).sum()) * TWH == pytest.approx(
        by_hand,
        rel=1e-6,  # statistics round to 1e-5 MWh
    )

"""Typical days with storage linked across the year (``linked-days:K``).

A year made of exactly two kinds of day (sunny, calm) is represented without error by two
typical days, so the linked formulation must reproduce the hourly optimum, including a
long-duration store that carries energy from sunny weeks into calm ones; the unlinked
``days:K`` cannot carry energy across days and must cost more."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config.resolution import parse_resolution
from energy.errors import InputError
from energy.model.storage_linking import define_storage_linking, restore_state_of_charge
from energy.model.timeseries import LINKED_DAYS, aggregate

DAYS = 28


def two_kinds_of_day(max_hours: float = 72.0) -> pypsa.Network:
    """One node, flat 100 MW load, solar on sunny days only (weeks of 5 sunny, 2 calm
    days), gas at 80 EUR/MWh, an extendable store of ``max_hours`` and an existing 10 MW /
    240 MWh store."""
    hours = pd.date_range("2030-01-01", periods=24 * DAYS, freq="h")
    shape = np.clip(np.sin(np.pi * (np.arange(24) - 6) / 12), 0, None)
    sunny = (np.arange(DAYS) % 7) < 5
    solar = np.concatenate([shape if s else np.zeros(24) for s in sunny])
    n = pypsa.Network()
    n.set_snapshots(hours)
    n.add("Carrier", ["AC", "solar", "gas", "battery"])
    n.add("Bus", "node", carrier="AC")
    n.add("Load", "load", bus="node", p_set=100.0)
    n.add("Generator", "gas", bus="node", carrier="gas", p_nom=200.0, marginal_cost=80.0)
    n.add(
        "Generator",
        "solar",
        bus="node",
        carrier="solar",
        p_nom_extendable=True,
        capital_cost=2_000.0,
        p_max_pu=pd.Series(solar, index=hours),
        marginal_cost=0.0,
    )
    n.add(
        "StorageUnit",
        "store",
        bus="node",
        carrier="battery",
        p_nom_extendable=True,
        max_hours=max_hours,
        capital_cost=100.0,
        efficiency_store=0.95,
        efficiency_dispatch=0.95,
        cyclic_state_of_charge=True,
    )
    n.add(  # an existing store too: its capacity is a constant, not a variable
        "StorageUnit",
        "old store",
        bus="node",
        carrier="battery",
        p_nom=10.0,
        max_hours=24.0,
        efficiency_store=0.9,
        efficiency_dispatch=0.9,
        cyclic_state_of_charge=True,
    )
    n.meta = {}
    return n


def solve(n: pypsa.Network) -> float:
    n.optimize.create_model()
    define_storage_linking(n)
    status, condition = n.optimize.solve_model(solver_name="highs")
    assert (status, condition) == ("ok", "optimal")
    restore_state_of_charge(n)
    return float(n.objective)


def test_the_grammar_knows_linked_days():
    assert parse_resolution("linked-days:12").method == "linked-days"
    with pytest.raises(ValueError):
        parse_resolution("linked-days:12h")


def test_linked_typical_days_reproduce_the_hourly_optimum():
    hourly = two_kinds_of_day()
    reference = solve(hourly)
    linked = aggregate(two_kinds_of_day(), "linked-days:2")
    assert len(linked.snapshots) == 48
    assert len(linked.meta[LINKED_DAYS]) == DAYS
    objective = solve(linked)
    assert objective == pytest.approx(reference, rel=1e-6)
    for attr in ("p_nom_opt",):
        assert linked.c.generators.static.loc["solar", attr] == pytest.approx(
            hourly.c.generators.static.loc["solar", attr], rel=1e-5
        )
        assert linked.c.storage_units.static.loc["store", attr] == pytest.approx(
            hourly.c.storage_units.static.loc["store", attr], rel=1e-5, abs=1e-3
        )
    # the store carries energy between days: it is worth building at all
    assert linked.c.storage_units.static.loc["store", "p_nom_opt"] > 1.0


def test_restored_level_stays_within_the_store():
    n = aggregate(two_kinds_of_day(), "linked-days:2")
    solve(n)
    soc = n.c.storage_units.dynamic["state_of_charge"]["store"]
    capacity = 72.0 * n.c.storage_units.static.loc["store", "p_nom_opt"]
    assert soc.min() >= -1e-6 * capacity
    assert soc.max() <= capacity * (1 + 1e-6)
    old = n.c.storage_units.dynamic["state_of_charge"]["old store"]
    assert old.min() >= -1e-6 and old.max() <= 240.0 * (1 + 1e-6)
    # the sunny typical day fills the store over the day (positive net change)
    assert soc.max() > 0.05 * capacity


def test_unlinked_days_cannot_carry_energy_across_days():
    """Without the inter-day level the calm days are met by gas, not by stored sun."""
    reference = solve(two_kinds_of_day())
    unlinked = solve(aggregate(two_kinds_of_day(), "days:2"))
    assert unlinked > reference * (1 + 1e-3)


def test_storage_with_standing_loss_is_refused():
    n = aggregate(two_kinds_of_day(), "linked-days:2")
    n.c.storage_units.static.loc["store", "standing_loss"] = 0.01
    n.optimize.create_model()
    with pytest.raises(InputError, match="standing losses"):
        define_storage_linking(n)

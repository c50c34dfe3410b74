"""Export seasons (``export_seasons.csv`` with ``scheduled_trade: true``), solved by hand.

Three nodes in a line, C — A — B, joined by lossless 1,000 MW corridors; one January week,
hourly (H = 168 h), nothing to build. C and A burn coal at 8 / 0.4 = 20 EUR/MWh, B an OCGT
at 20 / 0.4 = 50 EUR/MWh; loads 100, 200 and 500 MW. Georgia-like, A may send net exports
only in its season; power from C may still pass through it; and A's thermal units serve at
most its residual load (load less its hydro available), so what A exports is its surplus.
"""

from __future__ import annotations

import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.errors import InputError
from tests.test_trade_schedules import solve  # the week, with or without the trade rules
from tests.test_two_node import H
from tests.tiny import write_inputs

COAL, GAS = 8.0 / 0.4, 20.0 / 0.4  # EUR/MWh_el
LOAD = {"C": 100.0, "A": 200.0, "B": 500.0}  # MW
COLUMNS = ["node", "period", "first_month", "last_month", "source"]


def folder_with(tmp_path, seasons: list[dict], coal_at_c: bool = False, hydro_at_a: float = 0.0):
    """The line C — A — B with the given season rows (period 2030); coal at A, or at C; and
    ``hydro_at_a`` MW of always-available hydro at A (0 marginal cost)."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": node} for node in LOAD],
        demand=[{"node": node, "demand_twh": mw * 8760 / 1e6} for node, mw in LOAD.items()],
        fleet=[
            {
                "node": "C" if coal_at_c else "A",
                "carrier": "coal",
                "p_nom_mw": 2000.0,
                "efficiency": 0.4,
            },
            {
                "node": "A" if coal_at_c else "C",
                "carrier": "OCGT",
                "p_nom_mw": 1000.0,
                "efficiency": 0.4,
            },
            {"node": "B", "carrier": "OCGT", "p_nom_mw": 1000.0, "efficiency": 0.4},
        ]
        + ([{"node": "A", "carrier": "hydro", "p_nom_mw": hydro_at_a}] if hydro_at_a else []),
        profiles={"hydro": {"A": [1.0] * 8760}} if hydro_at_a else None,
        links=[
            {"link": "ca", "bus0": "C", "bus1": "A", "p_nom_mw": 1000.0, "extendable": False},
            {"link": "ab", "bus0": "A", "bus1": "B", "p_nom_mw": 1000.0, "extendable": False},
        ],
    )
    rows = [{"node": "A", "period": "2030", "source": "test"} | r for r in seasons]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(folder / "export_seasons.csv", index=False)
    return folder


def test_no_net_exports_outside_the_season(tmp_path):
    """A has 300 MW of hydro for its 200 MW load. Its 100 MW surplus may leave A only from May
    to June: in January A spills it and the OCGTs at C and B serve their loads; inside the
    season it replaces 100 MW of their gas. Unscheduled, A's coal serves the rest too."""
    folder = folder_with(tmp_path, [{"first_month": 5, "last_month": 6}], hydro_at_a=300.0)
    assert solve(folder) == pytest.approx(GAS * (LOAD["B"] + LOAD["C"]) * H, rel=1e-7)
    january = folder_with(tmp_path, [{"first_month": 1, "last_month": 6}], hydro_at_a=300.0)
    surplus = 300.0 - LOAD["A"]
    hand = GAS * (LOAD["B"] + LOAD["C"] - surplus) * H
    assert solve(january) == pytest.approx(hand, rel=1e-7)
    free = COAL * (sum(LOAD.values()) - 300.0) * H
    assert solve(folder, scheduled=False) == pytest.approx(free, rel=1e-7)


def test_transit_passes_through_outside_the_season(tmp_path):
    """With the coal at C, A forwards C's power to B in January: A's net exports stay 0 while
    coal serves all three loads. A rule on A's gross sales would leave B on its OCGT."""
    folder = folder_with(tmp_path, [{"first_month": 5, "last_month": 6}], coal_at_c=True)
    free = COAL * sum(LOAD.values()) * H
    assert solve(folder) == pytest.approx(free, rel=1e-7)
    gross_rule = COAL * (LOAD["C"] + LOAD["A"]) * H + GAS * LOAD["B"] * H
    assert gross_rule > free


@pytest.mark.parametrize(
    ("hydro", "hand"),
    [
        # 300 MW of hydro covers A's 200 MW: the coal stands down, A exports its 100 MW surplus
        # and the OCGTs at C and B serve the other 500 MW
        (300.0, GAS * (sum(LOAD.values()) - 300.0) * H),
        # 100 MW of hydro leaves A 100 MW short: the coal fills that gap and no more
        (100.0, COAL * 100.0 * H + GAS * (LOAD["B"] + LOAD["C"]) * H),
    ],
    ids=["surplus", "deficit"],
)
def test_thermal_units_serve_only_the_residual_load(tmp_path, hydro, hand):
    """Inside A's season (January) A exports freely, but its coal only up to A's load less its
    hydro available: exports come from the hydro surplus. Unscheduled, hydro and coal serve
    every load."""
    folder = folder_with(tmp_path, [{"first_month": 1, "last_month": 6}], hydro_at_a=hydro)
    assert solve(folder) == pytest.approx(hand, rel=1e-7)
    free = COAL * (sum(LOAD.values()) - hydro) * H
    assert solve(folder, scheduled=False) == pytest.approx(free, rel=1e-7)


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        ({"node": "X"}, "node", "unknown domestic node"),
        ({"period": "2031"}, "period", "unknown period"),
        ({"first_month": 7, "last_month": 6}, "first_month", "after last_month"),
        ({"last_month": 13}, "last_month", "outside the allowed range [1, 12]"),
        ({"first_month": 5.5}, "first_month", "not a whole month"),
    ],
)
def test_bad_season_rows_are_named(tmp_path, row, column, says):
    folder = folder_with(tmp_path, [{"first_month": 5, "last_month": 6} | row])
    with pytest.raises(InputError) as err:
        load_inputs(folder)
    message = "\n".join(err.value.problems)
    assert f"export_seasons.csv, row 2, column '{column}'" in message
    assert says in message

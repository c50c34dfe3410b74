"""Scheduled trade (``trade_schedules.csv`` with ``scheduled_trade: true``), solved by hand.

A has coal at 8 / 0.4 = 20 EUR/MWh and a 200 MW load; B has an OCGT at 20 / 0.4 =
50 EUR/MWh and a 500 MW load; a lossless 1,000 MW corridor joins them. One week, hourly
(H = 168 h), nothing to build. Annual volumes apply pro rata: V TWh/a → V·1e6·H/8760 MWh.
"""

from __future__ import annotations

import pandas as pd
import pytest

from energy.config.scenario import Scenario
from energy.data.inputs import load_inputs
from energy.errors import InputError
from energy.run.pipeline import run_scenario
from tests.test_two_node import WINDOW, H
from tests.tiny import write_inputs

COAL, GAS = 8.0 / 0.4, 20.0 / 0.4  # EUR/MWh_el at A and B
LOAD_A, LOAD_B = 200.0, 500.0  # MW
SHARE = H / 8760  # modelled share of a year
COLUMNS = ["corridor", "direction", "period", "min_twh", "max_twh", "source"]


def folder_with(tmp_path, schedules: list[dict]):
    """The two-node inputs with the given schedule rows (period 2030)."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[
            {"node": "A", "demand_twh": LOAD_A * 8760 / 1e6},
            {"node": "B", "demand_twh": LOAD_B * 8760 / 1e6},
        ],
        fleet=[
            {"node": "A", "carrier": "coal", "p_nom_mw": 1000.0, "efficiency": 0.4},
            {"node": "B", "carrier": "OCGT", "p_nom_mw": 1000.0, "efficiency": 0.4},
        ],
        links=[{"link": "ab", "bus0": "A", "bus1": "B", "p_nom_mw": 1000.0, "extendable": False}],
    )
    rows = [
        {"period": "2030", "min_twh": "", "max_twh": "", "source": "test"} | r for r in schedules
    ]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(folder / "trade_schedules.csv", index=False)
    return folder


def week(scheduled: bool = True) -> Scenario:
    """The January week, hourly, nothing to build, with or without the schedules."""
    return Scenario(
        name="schedules",
        resolution="1h",
        window=WINDOW,
        expansion=False,
        green_export={"enabled": False},
        scheduled_trade=scheduled,
    )


def solve(folder, scheduled: bool = True) -> float:
    """Objective (EUR) of the week with or without the schedules."""
    return run_scenario(week(scheduled), inputs_dir=folder, write=False).kpi("objective")


def test_a_ceiling_caps_the_cheap_import(tmp_path):
    """KZ→UZ-like ceiling: A→B at most 1 TWh/a, so B's OCGT covers the rest of its load."""
    folder = folder_with(tmp_path, [{"corridor": "ab", "direction": "forward", "max_twh": 1.0}])
    cap = 1.0e6 * SHARE
    hand = COAL * (LOAD_A * H + cap) + GAS * (LOAD_B * H - cap)
    assert solve(folder) == pytest.approx(hand, rel=1e-7)
    free = COAL * (LOAD_A + LOAD_B) * H  # unscheduled: A's coal serves both loads
    assert solve(folder, scheduled=False) == pytest.approx(free, rel=1e-7)


def test_a_floor_is_met_net_of_the_flow_back(tmp_path):
    """RU→KZ-like planned purchase: B→A at least 0.5 TWh/a net of A→B. B is then a net
    seller to A over the week, so neither load is served from the other node on balance, and
    the floor's energy is B's gas in place of A's coal. A floor on the gross flow would be met
    by sending A's coal to B and the same amount back (20 EUR/MWh everywhere)."""
    folder = folder_with(tmp_path, [{"corridor": "ab", "direction": "backward", "min_twh": 0.5}])
    floor = 0.5e6 * SHARE
    hand = COAL * (LOAD_A * H - floor) + GAS * (LOAD_B * H + floor)
    assert solve(folder) == pytest.approx(hand, rel=1e-7)
    circulated = COAL * (LOAD_A + LOAD_B) * H
    assert hand > 2 * circulated


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        ({"direction": "sideways", "max_twh": 1.0}, "direction", "unknown flow direction"),
        ({"corridor": "nowhere", "max_twh": 1.0}, "corridor", "unknown corridor"),
        ({"min_twh": 2.0, "max_twh": 1.0}, "min_twh", "above max_twh"),
        ({}, "min_twh", "needs at least one of them"),
        ({"period": "2031", "max_twh": 1.0}, "period", "unknown period"),
    ],
)
def test_bad_schedule_rows_are_named(tmp_path, row, column, says):
    folder = folder_with(tmp_path, [{"corridor": "ab", "direction": "forward"} | row])
    with pytest.raises(InputError) as err:
        load_inputs(folder)
    message = "\n".join(err.value.problems)
    assert f"trade_schedules.csv, row 2, column '{column}'" in message
    assert says in message


def test_a_pathway_cannot_use_schedules():
    with pytest.raises(ValueError, match="scheduled_trade"):
        Scenario(name="p", periods=(2030, 2035), scheduled_trade=True)

"""The export markets as step curves: a market that buys (``export`` rows: a generator with
``p ≤ 0``, cost = −revenue) or sells into the corridor (``import`` rows), each step at its
price times the market's hourly shape (``market_price_shape.csv``, month × hour of day)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.naming import EXPORT, IMPORT


def market_steps(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Market steps with the scenario's prices: a market's first export step is set to the
    scenario's price and every other step of that market is scaled by the same factor."""
    steps = inputs.markets.reset_index(drop=True).sort_values(["node", "direction", "step"])
    exports = steps["direction"] == "export"
    first = steps[exports].groupby("node")["price_eur_per_mwh"].first()
    wanted = pd.Series(scenario.export_prices_eur_per_mwh, dtype=float).reindex(first.index)
    factor = (wanted / first).fillna(1.0)
    steps["price_eur_per_mwh"] = steps["price_eur_per_mwh"] * steps["node"].map(factor).fillna(1)
    steps.index = steps["node"] + " " + steps["direction"] + " " + steps["step"].astype(str)
    return steps


def price_factors(inputs: Inputs, nodes: pd.Series, sns: pd.DatetimeIndex) -> pd.DataFrame:
    """Hourly price factor of each step's market (1 where a market has no shape)."""
    shape = inputs.market_price_shape.reset_index(drop=True)
    out = pd.DataFrame(1.0, index=sns, columns=nodes.index)
    if shape.empty:
        return out
    table = shape.pivot_table(
        index=[shape["month"].astype(int), shape["hour"].astype(int)],
        columns="node",
        values="factor",
    )
    key = pd.MultiIndex.from_arrays([sns.month, sns.hour])
    hourly = table.reindex(key).set_axis(sns)
    for step, node in nodes.items():
        if node in hourly.columns:
            out[step] = hourly[node].fillna(1.0).to_numpy()
    return out


def step_prices(inputs: Inputs, scenario: Scenario, sns: pd.DatetimeIndex) -> pd.DataFrame:
    """Price of every market step in every snapshot, EUR/MWh (the scenario's level × the
    market's hourly shape, flat with ``hourly_export_prices: false``)."""
    steps = market_steps(inputs, scenario)
    price = pd.DataFrame(
        np.tile(steps["price_eur_per_mwh"].to_numpy(), (len(sns), 1)),
        index=sns,
        columns=steps.index,
    )
    if scenario.hourly_export_prices:
        price = price * price_factors(inputs, steps["node"], sns)
    return price


def add_markets(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Every market step as a generator: a buyer of up to ``max_mw`` (export) or a seller
    (import), at its price × the hourly shape (flat with ``hourly_export_prices: false``).

    With an export target the export prices are set to zero: the target, not the price,
    drives exports, and its dual is the break-even export price."""
    steps = market_steps(inputs, scenario)
    if steps.empty:
        return
    price = pd.DataFrame(
        np.tile(steps["price_eur_per_mwh"].to_numpy(), (len(n.snapshots), 1)),
        index=n.snapshots,
        columns=steps.index,
    )
    if scenario.hourly_export_prices:
        price = price * price_factors(inputs, steps["node"], n.snapshots)
    exports = steps["direction"] == "export"
    if scenario.export_target_twh is not None:
        price.loc[:, exports[exports].index] = 0.0
    n.add(
        "Generator",
        steps.index,
        bus=steps["node"],
        carrier=np.where(exports, EXPORT, IMPORT),
        p_nom=steps["max_mw"],
        p_min_pu=np.where(exports, -1.0, 0.0),
        p_max_pu=np.where(exports, 0.0, 1.0),
        marginal_cost=price,
        new=False,
    )

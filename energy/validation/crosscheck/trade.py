"""What crosses a border in the cross-check LP, read afresh from the inputs: corridors,
annual trade schedules, export seasons and market steps with their hourly prices (see
:mod:`.data`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model import economics as eco
from energy.model.corridors import buildable


def corridor_table(inputs: Inputs, scenario: Scenario, years: float, rate: float) -> pd.DataFrame:
    """Per corridor: ends, efficiency, existing and new-capacity room (MW), capital cost.
    Capital cost is EUR/MW for the modelled share of a year; only ``extendable`` corridors
    may grow, and only with expansion."""
    links = inputs.links
    room = (links["p_nom_max_mw"] - links["p_nom_mw"]).clip(lower=0.0)
    new_max = room.where(buildable(links, scenario), 0.0) if scenario.expansion else room * 0.0
    return pd.DataFrame(
        {
            "bus0": links["bus0"],
            "bus1": links["bus1"],
            "efficiency": eco.link_efficiency(inputs, links),
            "p_nom": links["p_nom_mw"],
            "new_max": new_max,
            "capital_cost": eco.link_capital_cost(inputs, links, rate) * years,
            "candidate": links["extendable"],
        }
    )


def schedule_table(inputs: Inputs, scenario: Scenario, years: float) -> pd.DataFrame:
    """The scenario period's trade schedules in MWh for the modelled share of a year (none
    without ``scheduled_trade``); NaN = no bound."""
    table = inputs.trade_schedules
    if not scenario.scheduled_trade or table is None:
        return pd.DataFrame(columns=["corridor", "direction", "min_mwh", "max_mwh"])
    rows = table[table["period"] == scenario.period]
    return pd.DataFrame(
        {
            "corridor": rows["corridor"].to_numpy(),
            "direction": (rows["direction"] == "backward").astype(int).to_numpy(),
            "min_mwh": rows["min_twh"].to_numpy() * 1e6 * years,
            "max_mwh": rows["max_twh"].to_numpy() * 1e6 * years,
        }
    )


def season_table(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Per node of the scenario period's export seasons: ``first_month`` and ``last_month``
    (none without ``scheduled_trade``)."""
    columns = ["first_month", "last_month"]
    table = inputs.export_seasons
    if not scenario.scheduled_trade or table is None:
        return pd.DataFrame(columns=columns)
    rows = table[table["period"] == scenario.period]
    return pd.DataFrame({c: rows[c].to_numpy() for c in columns}, index=rows["node"].to_numpy())


def market_table(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Market steps: node, direction, ``sign`` (+1: the market sells into the bus, -1: it
    buys), ``max_mw`` and ``price`` (EUR/MWh before the hourly shape). A market's first export
    step takes the scenario's price and all its steps move by the same factor; export prices
    are 0 with a target."""
    steps = inputs.markets.reset_index(drop=True).sort_values(["node", "direction", "step"])
    exports = steps["direction"] == "export"
    first = steps[exports].groupby("node")["price_eur_per_mwh"].first()
    level = pd.Series(scenario.export_prices_eur_per_mwh, dtype=float)
    factor = steps["node"].map(level.reindex(first.index) / first).fillna(1.0)
    price = steps["price_eur_per_mwh"] * factor
    if scenario.export_target_twh is not None:
        price = price.where(~exports, 0.0)
    return pd.DataFrame(
        {
            "node": steps["node"].to_numpy(),
            "direction": steps["direction"].to_numpy(),
            "sign": np.where(exports, -1.0, 1.0),
            "price": price.to_numpy(),
            "max_mw": steps["max_mw"].to_numpy(),
        },
        index=steps["node"] + " " + steps["direction"] + " " + steps["step"].astype(str),
    )


def market_prices(
    inputs: Inputs, scenario: Scenario, markets: pd.DataFrame, sns: pd.DatetimeIndex
) -> pd.DataFrame:
    """Price of every step in every snapshot (EUR/MWh): its level × the market's factor for
    the snapshot's month and hour of day (market_price_shape.csv; 1 where a market has none,
    or everywhere with ``hourly_export_prices: false``)."""
    prices = pd.DataFrame(
        np.outer(np.ones(len(sns)), markets["price"].to_numpy()), index=sns, columns=markets.index
    )
    shape = inputs.market_price_shape.reset_index(drop=True)
    if not scenario.hourly_export_prices or shape.empty:
        return prices
    lookup = {
        (node, int(month), int(hour)): factor
        for node, month, hour, factor in shape[["node", "month", "hour", "factor"]].itertuples(
            index=False
        )
    }
    for step, node in markets["node"].items():
        prices[step] *= [lookup.get((node, m, h), 1.0) for m, h in zip(sns.month, sns.hour)]
    return prices


def green_markets(markets: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Whether each step's purchases must be green (an export step of a market in the
    rule's markets)."""
    green = markets["node"].isin(scenario.green_export.markets) & (markets["sign"] < 0)
    return markets.assign(green=green)

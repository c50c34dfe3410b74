"""The LP's data, derived afresh from validated :class:`Inputs` and a :class:`Scenario`.

Deliberately independent of ``energy/network.py`` (only the cost arithmetic of
``energy/economics.py`` and the window rule of ``energy/timeseries.py`` are shared), so that a
mistake in how the PyPSA network is built shows up as a difference. Rules, as documented in
``inputs/README.md`` and the scenario schema:

- snapshots: the scenario window, every N-th hour for resolution ``Nh``, each weighted N hours
  (the last one the hours left), each load and availability series rescaled so that its
  weighted total equals the hourly one (availability capped at 1); capital costs are charged
  for the window's share of a year;
- loads: annual demand over the load profile, whose month ranges in demand_months.csv hold
  their published energy (the other months the rest of the year), less the fixed flows from
  neighbours outside the model (boundary_flows.csv: a row's energy flat over its months);
- generators: existing fleet of the period (thermal at constant availability, hydro and
  variable RES on their profiles × availability, capacity factors < 0.01 read as 0, hydro
  months of hydro_months.csv held to their published output by a month factor; the
  scenario's seasonal thermal rules set availability and must-run by month), new
  variable RES up to potential − existing, new OCGT/CCGT at every domestic node if expandable;
- one battery per node (existing + new power, ``max_hours`` of energy, one-way efficiency);
- one record per corridor (existing + new capacity shared by both directions);
- market steps: sales (export) and purchases (import) at their price × the market's hourly
  shape (export prices 0 with an export target); load shedding at VoLL;
- with ``scheduled_trade``: the period's rows of trade_schedules.csv, pro rata to the modelled
  share of a year (a ceiling on one direction's flow, a floor on its flow net of the other),
  and of export_seasons.csv (a node's months with net exports allowed; at such a node the
  existing thermal units serve at most the residual load: load less the existing hydro, wind
  and solar available).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from energy.config.resolution import parse_resolution
from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.errors import InputError
from energy.model import economics as eco
from energy.model.timeseries import window_index
from energy.validation.crosscheck.months import (
    MIN_CF,
    fixed_inflow,
    hydro_factors,
    month_factors,
)
from energy.validation.crosscheck.trade import (
    corridor_table,
    green_markets,
    market_prices,
    market_table,
    schedule_table,
    season_table,
)

VARIABLE = ("onwind", "solar", "offwind")
THERMAL_CANDIDATES = ("OCGT", "CCGT")


@dataclasses.dataclass
class LPData:
    """Everything the Pyomo model needs, as frames indexed by plain labels."""

    snapshots: pd.DatetimeIndex
    weights: np.ndarray  # hours each snapshot stands for (objective, energy and storage)
    years: float  # modelled share of a year (capital costs are charged pro rata)
    buses: pd.Index
    load: pd.DataFrame  # snapshot × node, MW
    units: pd.DataFrame  # node, carrier, p_nom, extendable, p_nom_max, capital_cost,
    #                      marginal_cost, co2 (t per MWh_el), green
    p_max_pu: pd.DataFrame  # snapshot × unit
    p_min_pu: pd.DataFrame  # snapshot × unit (must-run of existing thermal units, else 0)
    storage: pd.DataFrame  # per node: p_nom, new_max, capital_cost, max_hours, efficiency
    corridors: pd.DataFrame  # bus0, bus1, efficiency, p_nom, new_max, capital_cost, candidate
    markets: pd.DataFrame  # node, direction, sign (+1 sells to the bus), price, max_mw, green
    market_prices: pd.DataFrame  # snapshot × step, EUR/MWh (hourly shape applied)
    voll: float | None
    co2_cap_t: float | None
    export_target_mwh: float | None
    green_export: bool
    schedules: pd.DataFrame  # corridor, direction (0 forward, 1 backward), min_mwh, max_mwh
    seasons: pd.DataFrame  # per node: first_month, last_month of its export season
    residual: pd.DataFrame  # snapshot × season node: load less existing RES available, ≥ 0


def sample(hours: int, resolution: str) -> tuple[int, np.ndarray]:
    """Stride N of resolution ``Nh`` and the weights of every N-th hour (N hours each, the
    last snapshot only the hours left)."""
    parsed = parse_resolution(resolution)
    if parsed.method not in ("hourly", "sample"):
        raise InputError(
            [
                f"crosscheck: resolution '{resolution}' not supported; use '1h' or "
                "'Nh' (every N-th hour)"
            ]
        )
    stride = parsed.count
    weights = np.full(len(range(0, hours, stride)), float(stride))
    if hours % stride:
        weights[-1] = hours % stride
    return stride, weights


def thin(frame: pd.DataFrame, stride: int, weights: np.ndarray) -> pd.DataFrame:
    """Every ``stride``-th row, each column rescaled to keep its hourly total."""
    sampled = frame.iloc[::stride]
    total = sampled.mul(weights, axis=0).sum()
    return sampled * (frame.sum() / total.where(total > 0)).fillna(1.0)


def profile(inputs: Inputs, carrier: str, nodes: pd.Index, sns: pd.Index) -> np.ndarray:
    """Capacity factors (snapshot × node), small values cut to 0."""
    cf = inputs.profiles[carrier].reindex(index=sns, columns=nodes).fillna(0.0).to_numpy()
    return np.where(cf < MIN_CF, 0.0, cf)


def vom(inputs: Inputs, carrier: str) -> float:
    """Variable O&M cost of ``carrier``, EUR/MWh (0 if costs.csv has none)."""
    key = (eco.COST_TECHNOLOGY[carrier], "VOM")
    return inputs.cost(*key) if key in inputs.costs.index else 0.0


def fuel_costs(inputs: Inputs, scenario: Scenario, units: pd.DataFrame) -> pd.DataFrame:
    """Marginal cost (EUR/MWh_el) and CO2 (t/MWh_el) of fuel-burning ``units``."""
    country = units["node"].map(inputs.nodes["country"])
    fuel = eco.fuel_table(
        inputs, country, units["carrier"].map(inputs.carriers["fuel"]), scenario.fuel_pricing
    )
    co2_price = eco.co2_price(inputs, country, scenario.co2_price_eur_per_t)
    eff = units["efficiency"]
    return pd.DataFrame(
        {
            "marginal_cost": (fuel["price_eur_per_mwh_th"] + co2_price * fuel["co2_t_per_mwh_th"])
            / eff
            + units["carrier"].map(lambda c: vom(inputs, c)),
            "co2": fuel["co2_t_per_mwh_th"] / eff,
        }
    )


def existing_units(
    inputs: Inputs, scenario: Scenario, sns: pd.DatetimeIndex
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Existing generators of the period (fixed capacity), their p_max_pu and p_min_pu."""
    fleet = inputs.fleet.reset_index(drop=True)
    fleet = fleet[(fleet["period"] == scenario.period) & (fleet["p_nom_mw"] > 0)]
    kind = fleet["carrier"].map(inputs.carriers["kind"])
    fleet = fleet[kind.isin(["thermal", "hydro", "variable"])].copy()
    fleet.index = pd.Index(fleet["node"] + " " + fleet["carrier"])
    units = fleet[["node", "carrier", "efficiency"]].assign(
        p_nom=fleet["p_nom_mw"],
        extendable=False,
        p_nom_max=np.nan,
        capital_cost=0.0,
        marginal_cost=fleet["carrier"].map(lambda c: vom(inputs, c)),
        co2=0.0,
    )
    thermal = fleet["carrier"].map(inputs.carriers["kind"]) == "thermal"
    if thermal.any():
        units.loc[thermal, ["marginal_cost", "co2"]] = fuel_costs(
            inputs, scenario, units[thermal]
        ).to_numpy()
    pmax = pd.DataFrame(
        np.tile(fleet["availability"].to_numpy(), (len(sns), 1)), index=sns, columns=fleet.index
    )
    pmin = pd.DataFrame(0.0, index=sns, columns=fleet.index)
    for carrier in fleet.loc[~thermal, "carrier"].unique():
        cols = fleet.index[fleet["carrier"] == carrier]
        pmax[cols] = (
            profile(inputs, carrier, pd.Index(fleet.loc[cols, "node"]), sns)
            * fleet.loc[cols, "availability"].to_numpy()
        )
        if carrier == "hydro":
            mw = (
                fleet.loc[cols].set_index("node")["p_nom_mw"]
                * fleet.loc[cols, "availability"].to_numpy()
            )
            pmax[cols] *= hydro_factors(inputs, scenario.period, mw).loc[sns.month].to_numpy()
    country = fleet["node"].map(inputs.nodes["country"])
    for rule in scenario.thermal_rules:
        month = np.isin(sns.month, rule.months)[:, None]
        unit = (
            thermal & country.isin(rule.countries) & fleet["carrier"].isin(rule.carriers)
        ).to_numpy()[None, :]
        if rule.p_max_pu is not None:
            pmax = pmax.mask(month & unit, rule.p_max_pu)
        if rule.p_min_pu is not None:
            pmin = pmin.mask(month & unit, rule.p_min_pu)
    units["thermal"] = thermal
    return units, pmax, pmin.where(pmin <= pmax, pmax)


def new_res_units(
    inputs: Inputs,
    scenario: Scenario,
    sns: pd.Index,
    existing: pd.DataFrame,
    years: float,
    rates: dict[str, float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Candidate variable renewables: up to potential minus existing capacity."""
    pot = inputs.potentials.reset_index(drop=True)
    pot = pot[pot["carrier"].isin(VARIABLE) & pot["carrier"].isin(scenario.expandable)]
    names = pd.Index(pot["node"] + " " + pot["carrier"] + " new")
    room = (
        pot["potential_gw"].to_numpy() * 1e3
        - existing["p_nom"].reindex(names.str.removesuffix(" new")).fillna(0.0).to_numpy()
    )
    pot, names, room = pot[room > 0], names[room > 0], room[room > 0]
    units = pd.DataFrame(
        {
            "node": pot["node"].to_numpy(),
            "carrier": pot["carrier"].to_numpy(),
            "efficiency": 1.0,
            "p_nom": 0.0,
            "extendable": True,
            "p_nom_max": room,
            "capital_cost": [
                eco.generator_capital_cost(inputs, c, rates[eco.ASSET_CLASS[c]]) * years
                for c in pot["carrier"]
            ],
            "marginal_cost": [vom(inputs, c) for c in pot["carrier"]],
            "co2": 0.0,
        },
        index=names,
    )
    pmax = pd.DataFrame(index=sns, columns=names, dtype=float)
    for carrier in units["carrier"].unique():
        cols = names[units["carrier"] == carrier]
        pmax[cols] = profile(inputs, carrier, pd.Index(units.loc[cols, "node"]), sns)
    return units, pmax


def thermal_candidates(
    inputs: Inputs, scenario: Scenario, years: float, rates: dict[str, float]
) -> pd.DataFrame:
    """New OCGT/CCGT at every domestic node (unlimited, full availability)."""
    frames = []
    nodes = inputs.domestic_nodes
    for carrier in (c for c in THERMAL_CANDIDATES if c in scenario.expandable):
        frame = pd.DataFrame(
            {
                "node": nodes,
                "carrier": carrier,
                "efficiency": inputs.cost(carrier, "efficiency"),
                "p_nom": 0.0,
                "extendable": True,
                "p_nom_max": np.inf,
                "capital_cost": eco.generator_capital_cost(
                    inputs, carrier, rates[eco.ASSET_CLASS[carrier]]
                )
                * years,
            },
            index=nodes + f" {carrier} new",
        )
        frames.append(frame.join(fuel_costs(inputs, scenario, frame)))
    return pd.concat(frames) if frames else pd.DataFrame()


def storage_table(inputs: Inputs, scenario: Scenario, years: float, rate: float) -> pd.DataFrame:
    """One battery per node: existing power plus (where allowed) new power."""
    fleet = inputs.fleet.reset_index(drop=True)
    fleet = fleet[
        (fleet["period"] == scenario.period)
        & (fleet["p_nom_mw"] > 0)
        & (fleet["carrier"].map(inputs.carriers["kind"]) == "storage")
    ]
    existing = fleet.groupby("node")["p_nom_mw"].sum()
    expandable = scenario.expansion and "battery" in scenario.expandable
    nodes = existing.index.union(inputs.domestic_nodes if expandable else pd.Index([]))
    capital_cost, hours = eco.battery_capital_cost(inputs, rate)
    return pd.DataFrame(
        {
            "p_nom": existing.reindex(nodes).fillna(0.0),
            "new_max": np.inf if expandable else 0.0,
            "capital_cost": capital_cost * years,
            "max_hours": hours,
            "efficiency": inputs.cost("battery inverter", "efficiency"),
        },
        index=nodes,
    )


def green_flags(inputs: Inputs, scenario: Scenario, units: pd.DataFrame) -> pd.Series:
    """Units whose output counts for green exports: renewables in the rule's countries.
    With pool 'additional' only new (extendable) units count."""
    rule = scenario.green_export
    renewable = units["carrier"].map(inputs.carriers["renewable"]).fillna(False).astype(bool)
    eligible = renewable & units["node"].map(inputs.nodes["country"]).isin(rule.countries)
    return eligible & (units["extendable"] if rule.pool == "additional" else True)


def lp_data(inputs: Inputs, scenario: Scenario) -> LPData:
    """All LP data of ``scenario`` on validated (and overridden) ``inputs``."""
    window = scenario.window
    hourly = window_index(
        inputs.profiles["load"].index,
        window.start if window else None,
        window.end if window else None,
    )
    stride, weights = sample(len(hourly), scenario.resolution)
    years = len(hourly) / 8760.0
    rates = eco.discount_rates(inputs, scenario.discount_rate, scenario.discount_rates)
    demand = inputs.demand.reset_index(drop=True)
    demand = demand[
        (demand["period"] == scenario.period) & demand["node"].isin(inputs.domestic_nodes)
    ].set_index("node")["demand_twh"]
    shape = inputs.profiles["load"].reindex(index=hourly, columns=demand.index).fillna(0.0)
    shape = shape * month_factors(inputs, scenario.period, demand).loc[hourly.month].to_numpy()
    units, pmax, pmin = existing_units(inputs, scenario, hourly)
    if scenario.expansion:
        new, new_pmax = new_res_units(inputs, scenario, hourly, units, years, rates)
        thermal = thermal_candidates(inputs, scenario, years, rates)
        units = pd.concat([units, new, thermal])
        pmax = pd.concat([pmax, new_pmax], axis=1).reindex(columns=units.index).fillna(1.0)
        pmin = pmin.reindex(columns=units.index).fillna(0.0)
    units["green"] = green_flags(inputs, scenario, units)
    units["thermal"] = units["thermal"].fillna(False).astype(bool)
    markets = green_markets(market_table(inputs, scenario), scenario)
    inflow = fixed_inflow(inputs, scenario.period, hourly, demand.index)
    load = thin(shape * (demand * 1e6 / 8760.0), stride, weights) - thin(inflow, stride, weights)
    p_max_pu = thin(pmax, stride, weights).clip(upper=1.0)
    seasons = season_table(inputs, scenario)
    return LPData(
        snapshots=hourly[::stride],
        weights=weights,
        years=years,
        buses=inputs.nodes.index,
        load=load,
        units=units,
        p_max_pu=p_max_pu,
        p_min_pu=pmin.iloc[::stride],
        storage=storage_table(inputs, scenario, years, rates["storage"]),
        corridors=corridor_table(inputs, scenario, years, rates["interconnector"]),
        markets=markets,
        market_prices=market_prices(inputs, scenario, markets, hourly[::stride]),
        voll=scenario.load_shedding_eur_per_mwh,
        co2_cap_t=None if scenario.co2_cap_mt is None else scenario.co2_cap_mt * 1e6 * years,
        export_target_mwh=None
        if scenario.export_target_twh is None
        else scenario.export_target_twh * 1e6 * years,
        green_export=scenario.green_export.enabled and not markets.empty,
        schedules=schedule_table(inputs, scenario, years),
        seasons=seasons,
        residual=residual_load(load, p_max_pu, units, seasons.index),
    )


def residual_load(
    load: pd.DataFrame, p_max_pu: pd.DataFrame, units: pd.DataFrame, nodes: pd.Index
) -> pd.DataFrame:
    """Per snapshot and node of ``nodes``: load less what the node's existing hydro and
    variable RES could give, at least 0 (MW)."""
    res = units[~units["extendable"] & ~units["thermal"] & units["node"].isin(nodes)]
    could = (p_max_pu[res.index] * res["p_nom"]).T.groupby(res["node"]).sum().T
    residual = load.reindex(columns=nodes, fill_value=0.0) - could.reindex(
        columns=nodes, fill_value=0.0
    )
    return residual.clip(lower=0.0)

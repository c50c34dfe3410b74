"""A multi-period investment pathway (PyPSA ``investment_periods``), e.g. 2030 → 2035 → 2040.

Each period is first built as the single-year network of that year (its demand, fleet,
costs from ``cost_paths.csv``, fuel prices × ``fuel_paths.csv``, CO2 prices of
``co2_paths.csv``, candidate links in service by the period's year); the periods are then
stacked into one network with snapshots ``(period, timestep)``:

- existing units keep their name; their capacity is the largest over the periods and each
  period's own (fleet.csv) capacity enters through ``p_max_pu`` (commissioning and
  retirement schedules of the fleet table);
- every candidate gets one copy per period it may be built in (``<name> <year>``,
  ``build_year`` = the year, ``lifetime`` from costs.csv, the capital cost of that year), so
  capacity built early is carried over while it lives and the model may wait for cheaper
  technology; a candidate link appears from the first period at or after its
  ``in_service_year``;
- all copies of one candidate share its room (``p_nom_max``) in every period
  (``pathway_rules.define_cumulative_limits``), both directions of a link copy have one
  capacity and the parts of a corridor share it
  (``pathway_rules.define_pathway_corridor_rules``);
- a cyclic store cycles within each period (``cycle_storage_per_period``);
- investment periods are weighted as in PyPSA: ``years`` = distance to the next period (the
  last repeats the previous distance) and ``objective`` = Σ over those years of
  (1 + social discount rate)^−(year − first period).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.errors import InputError
from energy.model import economics as eco

# time-varying attributes copied per period, by component
DYNAMIC = {
    "Generator": ("p_max_pu", "p_min_pu", "marginal_cost"),
    "StorageUnit": ("p_max_pu", "p_min_pu", "marginal_cost"),
    "Link": ("p_max_pu", "p_min_pu"),
    "Load": ("p_set",),
}
# room of a candidate without a potential (p_nom_max = inf), kept finite for JSON metadata
NO_LIMIT_MW = 1e9
# capacity attributes scaled by each period's own capacity of an existing unit
SCALED = ("p_max_pu", "p_min_pu")


def is_pathway(scenario: Scenario) -> bool:
    """True when the scenario plans over several investment periods."""
    return len(scenario.periods) > 0


def is_multi_period(n: pypsa.Network) -> bool:
    """True for a network with ``(period, timestep)`` snapshots."""
    return isinstance(n.snapshots, pd.MultiIndex)


def check_pathway_inputs(inputs: Inputs, scenario: Scenario) -> None:
    """Candidate links must be in service by the last period; every period has demand."""
    if not is_pathway(scenario):
        return
    problems = []
    last = max(scenario.periods)
    links = inputs.links
    candidate = links["extendable"] & (links["p_nom_max_mw"] > links["p_nom_mw"])
    late = candidate & (links["in_service_year"] > last)
    for row, year in zip(links.loc[late, "_row"], links.loc[late, "in_service_year"]):
        problems.append(
            f"links.csv, row {row}, column 'in_service_year': {year:g} is after the last "
            f"investment period {last} (scenario field 'periods'); the link could never be built"
        )
    have = set(inputs.demand["period"])
    for period in scenario.periods:
        if str(period) not in have:
            problems.append(
                f"demand.csv, column 'period': no rows for {period} (scenario field 'periods')"
            )
    if scenario.export_target_twh is not None:
        problems.append(
            "scenario: key 'export_target_twh' is not supported with 'periods' (set one "
            "per single-year run)"
        )
    if problems:
        raise InputError(problems)


def inputs_for_period(inputs: Inputs, year: int) -> Inputs:
    """Inputs of one period: investment costs, fuel prices and CO2 prices of that year."""
    period = str(year)
    costs = inputs.costs.copy()
    paths = inputs.cost_paths
    if paths is not None and not paths.empty:
        rows = paths[paths["period"] == period]
        for (tech, param, _), row in rows.iterrows():
            if (tech, param) in costs.index:
                costs.loc[(tech, param), "value"] = row["value"]
    fuels = inputs.fuels.copy()
    if inputs.fuel_paths is not None and not inputs.fuel_paths.empty:
        factor = inputs.fuel_paths[inputs.fuel_paths["period"] == period].set_index("fuel")
        scale = fuels.index.get_level_values("fuel").map(factor["price_factor"]).fillna(1.0)
        fuels["price_eur_per_mwh_th"] = fuels["price_eur_per_mwh_th"] * np.asarray(scale)
    co2 = inputs.co2_prices.copy()
    if inputs.co2_paths is not None and not inputs.co2_paths.empty:
        path = inputs.co2_paths[inputs.co2_paths["period"] == period].set_index("country")
        co2["price_eur_per_t"] = co2.index.map(path["price_eur_per_t"]).fillna(0.0)
        co2 = co2.reindex(co2.index.union(path.index))
        co2["price_eur_per_t"] = path["price_eur_per_t"].reindex(co2.index).fillna(0.0)
    return inputs.replace(costs=costs, fuels=fuels, co2_prices=co2)


def scenario_for_period(scenario: Scenario, year: int) -> Scenario:
    """The single-year scenario of one period (candidate links in service by that year)."""
    return scenario.model_copy(update={"period": str(year), "in_service_by": year, "periods": ()})


def period_weightings(periods: tuple[int, ...], rate: float) -> pd.DataFrame:
    """PyPSA's investment period weightings: ``years`` and discounted ``objective``."""
    years = list(np.diff(periods)) or [1]
    years = [int(y) for y in years] + [int(years[-1])]
    first = periods[0]
    objective = [
        sum((1 + rate) ** -(start - first + k) for k in range(span))
        for start, span in zip(periods, years)
    ]
    return pd.DataFrame(
        {"years": years, "objective": objective}, index=pd.Index(periods, name="period")
    )


def lifetime_of(inputs: Inputs, component: str, static: pd.DataFrame) -> pd.Series:
    """Lifetime in years of each candidate (costs.csv rows of its technology)."""
    if component == "Link":
        return pd.Series(
            float(inputs.cost("HVDC submarine", "lifetime")), index=static.index, dtype=float
        )
    if component == "StorageUnit":
        return pd.Series(inputs.cost("battery storage", "lifetime"), index=static.index)
    return static["carrier"].map(lambda c: inputs.cost(eco.COST_TECHNOLOGY[c], "lifetime"))


def stacked_snapshots(nets: dict[int, pypsa.Network]) -> pd.MultiIndex:
    """``(period, timestep)`` snapshots of the period networks, in period order."""
    return pd.MultiIndex.from_tuples(
        [(p, t) for p, n in nets.items() for t in n.snapshots], names=["period", "timestep"]
    )


def dense(n: pypsa.Network, component: str, attr: str) -> pd.DataFrame:
    """Per-snapshot values of ``attr`` for every unit of ``component`` in ``n``."""
    return n.get_switchable_as_dense(component, attr)


def unit_table(nets: dict[int, pypsa.Network], component: str) -> pd.DataFrame:
    """One row per unit of the stacked network: its source name, build period (0: existing)
    and the period network its static data come from."""
    rows = []
    seen_existing = set()
    for period, n in nets.items():
        static = n.c[component].static
        ext = static["p_nom_extendable"] if "p_nom_extendable" in static else False
        for name in static.index:
            if component != "Load" and bool(ext[name]):
                rows.append((f"{name} {period}", name, period, period))
            elif name not in seen_existing:
                seen_existing.add(name)
                rows.append((name, name, 0, period))
    return pd.DataFrame(rows, columns=["unit", "source", "build_year", "from_period"]).set_index(
        "unit"
    )


def existing_scale(nets: dict[int, pypsa.Network], component: str, units: pd.DataFrame) -> dict:
    """Per period, each existing unit's capacity relative to its largest (0 where absent)."""
    existing = units[units["build_year"] == 0]["source"]
    p_nom = pd.DataFrame(
        {p: n.c[component].static["p_nom"].reindex(existing.values) for p, n in nets.items()}
    ).fillna(0.0)
    p_nom.index = existing.index
    top = p_nom.max(axis=1)
    return {"p_nom": top, "scale": p_nom.div(top.where(top > 0, 1.0), axis=0)}


def stack_component(
    target: pypsa.Network, nets: dict[int, pypsa.Network], component: str, inputs: Inputs
) -> pd.DataFrame:
    """Add every unit of ``component`` of the period networks to ``target`` (see module doc)."""
    units = unit_table(nets, component)
    if units.empty:  # keep the identity columns (corridor, reverse, new) of an empty table
        source = next(iter(nets.values())).c[component].static
        for column in source.columns.difference(target.c[component].static.columns):
            target.c[component].static[column] = pd.Series(dtype=source[column].dtype)
        return units
    static = pd.concat(
        [
            nets[p].c[component].static.loc[group["source"]].set_axis(group.index)
            for p, group in units.groupby("from_period")
        ]
    ).loc[units.index]
    keep = [c for c in static.columns if c not in ("p_nom_opt", "sub_network")]
    static = static[keep].copy()
    if component != "Load":
        scale = existing_scale(nets, component, units)
        static.loc[scale["p_nom"].index, "p_nom"] = scale["p_nom"]
        new = units["build_year"] > 0
        static["build_year"] = units["build_year"].where(new, static.get("build_year", 0))
        if new.any():
            static.loc[new, "lifetime"] = lifetime_of(inputs, component, static[new])
    attrs = {c: static[c] for c in static.columns}
    series = {}
    for attr in DYNAMIC[component]:
        blocks = []
        for period, n in nets.items():
            values = dense(n, component, attr).reindex(columns=units["source"].values)
            values.columns = units.index
            if component != "Load" and attr in SCALED:
                factor = pd.Series(1.0, index=units.index)
                factor.update(scale["scale"][period])
                values = values * factor
            fill = 0.0 if attr in ("p_max_pu", "p_set") else static[attr]
            values = values.fillna(fill if np.isscalar(fill) else fill.to_dict())
            values.index = pd.MultiIndex.from_product([[period], n.snapshots])
            blocks.append(values)
        series[attr] = pd.concat(blocks).set_axis(target.snapshots)
    target.add(component, units.index, **attrs)
    for attr, values in series.items():  # set directly: n.add aligns a MultiIndex slowly
        target.c[component].dynamic[attr] = values
    return units


def split_existing_links(n: pypsa.Network) -> pypsa.Network:
    """A corridor that exists and may grow is one extendable link per direction in the
    single-year model (existing capacity as ``p_nom_min``). Copied per period, every copy
    would carry the existing capacity again; here it becomes a fixed part (``<link>
    existing``, no capital cost) and the extendable link keeps only the room above it."""
    links = n.c.links.static
    grow = links.index[links["p_nom_extendable"] & (links["p_nom_min"] > 0)]
    if grow.empty:
        return n
    existing = links.loc[grow].copy()
    existing["p_nom"] = existing["p_nom_min"]
    existing["p_nom_max"] = existing["p_nom_min"]
    existing["p_nom_min"] = 0.0
    existing["p_nom_extendable"] = False
    existing["capital_cost"] = 0.0
    existing["new"] = False
    keep = [c for c in existing.columns if c not in ("p_nom_opt", "sub_network")]
    links.loc[grow, "p_nom_max"] = links.loc[grow, "p_nom_max"] - links.loc[grow, "p_nom_min"]
    links.loc[grow, ["p_nom", "p_nom_min"]] = 0.0
    n.add("Link", grow + " existing", **{c: existing[c].to_numpy() for c in keep})
    return n


def cycle_storage_per_period(n: pypsa.Network) -> None:
    """Each period's year is a representative year: a cyclic store ends every period where
    it began it (else a store would carry energy from the end of one period into the next,
    or from the last period back to the first)."""
    static = n.c.storage_units.static
    if not static.empty:
        static["cyclic_state_of_charge_per_period"] = static["cyclic_state_of_charge"]
        static["cyclic_state_of_charge"] = False  # PyPSA: per period alone wraps each period


def build_pathway_network(inputs: Inputs, scenario: Scenario) -> pypsa.Network:
    """The stacked multi-period network of the scenario's ``periods``."""
    from energy.model.network import build_network  # the single-year builder

    check_pathway_inputs(inputs, scenario)
    nets = {
        p: split_existing_links(
            build_network(inputs_for_period(inputs, p), scenario_for_period(scenario, p))
        )
        for p in scenario.periods
    }
    first = nets[scenario.periods[0]]
    n = pypsa.Network(name=scenario.name)
    n.set_snapshots(stacked_snapshots(nets))
    n.set_investment_periods(list(scenario.periods))
    for column in first.snapshot_weightings.columns:
        n.snapshot_weightings[column] = np.concatenate(
            [net.snapshot_weightings[column].to_numpy() for net in nets.values()]
        )
    n.investment_period_weightings = period_weightings(
        scenario.periods, scenario.social_discount_rate
    )
    for component in ("Carrier", "Bus"):
        static = first.c[component].static
        n.add(component, static.index, **{c: static[c] for c in static.columns})
    units = {c: stack_component(n, nets, c, inputs) for c in DYNAMIC}
    cycle_storage_per_period(n)
    for name, gc in first.c.global_constraints.static.iterrows():
        n.add("GlobalConstraint", name, **gc.to_dict())
    n.meta = dict(first.meta) | {
        "periods": list(scenario.periods),
        "units": {c: u["source"].to_dict() for c, u in units.items() if c != "Load"},
        "period_p_nom": {
            c: {
                str(p): nets[p]
                .c[c]
                .static["p_nom"]
                .where(~nets[p].c[c].static["p_nom_extendable"], 0.0)
                .to_dict()
                for p in nets
            }
            for c in ("Generator", "StorageUnit", "Link")
        },
        "room_mw": {
            c: {
                str(p): nets[p]
                .c[c]
                .static["p_nom_max"][nets[p].c[c].static["p_nom_extendable"]]
                .replace(np.inf, NO_LIMIT_MW)
                .to_dict()
                for p in nets
            }
            for c in ("Generator", "StorageUnit", "Link")
        },
    }
    return n

"""Checks across input tables: every reference (node, carrier, corridor, period, category)
exists, month ranges are whole and ordered, schedules, monthly demand and monthly hydro are
consistent, and every node that needs a profile has one. Problems are appended as file, row
and column."""

from __future__ import annotations

import pandas as pd

from energy.data.months import range_factors
from energy.data.schema import (
    DIRECTIONS,
    FLOW_DIRECTIONS,
    KINDS,
    LINK_TYPES,
    PATHWAY_PERIODS,
    PERIODS,
    PRICING,
    ROLES,
)


def check_references(
    tables: dict[str, pd.DataFrame], problems: list[str], origin: str = ""
) -> None:
    """Cross-table rules: ids exist, categorical columns hold known values.

    ``origin`` prefixes messages (e.g. when the tables carry a scenario's overrides)."""
    start = len(problems)
    nodes, carriers = set(tables["nodes"].index), set(tables["carriers"].index)

    def check(stem: str, col: str, allowed: set, what: str) -> None:
        df = tables[stem]
        bad = ~df[col].isin(allowed) & (df[col] != "")  # empty cells are reported already
        for row, value in zip(df.loc[bad, "_row"], df.loc[bad, col]):
            hint = f"; known: {', '.join(sorted(map(str, allowed)))}" if len(allowed) < 15 else ""
            problems.append(
                f"{stem}.csv, row {row}, column '{col}': unknown {what} '{value}'{hint}"
            )

    check("nodes", "role", ROLES, "role")
    check("carriers", "kind", KINDS, "carrier kind")
    for stem, col in [
        ("demand", "node"),
        ("fleet", "node"),
        ("potentials", "node"),
        ("links", "bus0"),
        ("links", "bus1"),
        ("markets", "node"),
    ]:
        check(stem, col, nodes, "node")
    for stem in ("fleet", "potentials"):
        check(stem, "carrier", carriers, "carrier")
    check("demand", "period", PERIODS, "period")
    check("fleet", "period", PERIODS, "period")
    for stem in ("cost_paths", "fuel_paths", "co2_paths"):
        check(stem, "period", PATHWAY_PERIODS, "pathway period")
    check("links", "type", LINK_TYPES, "link type")
    check("fuels", "pricing", PRICING, "fuel pricing")
    check("markets", "direction", DIRECTIONS, "market direction")
    check("trade_schedules", "corridor", set(tables["links"].index), "corridor (links.csv)")
    check("trade_schedules", "direction", FLOW_DIRECTIONS, "flow direction")
    check("trade_schedules", "period", PERIODS, "period")
    check_schedule_bounds(tables["trade_schedules"], problems)
    domestic = set(tables["nodes"].index[tables["nodes"]["role"] == "domestic"])
    check("export_seasons", "node", domestic, "domestic node")
    check("export_seasons", "period", PERIODS, "period")
    check_month_ranges("export_seasons", tables["export_seasons"], problems)
    check("demand_months", "node", domestic, "domestic node")
    check("demand_months", "period", PERIODS, "period")
    check_month_ranges("demand_months", tables["demand_months"], problems)
    check_demand_months(tables["demand_months"], tables["demand"], problems)
    check("hydro_months", "node", domestic, "domestic node")
    check("hydro_months", "period", PERIODS, "period")
    check_month_ranges("hydro_months", tables["hydro_months"], problems)
    check_overlaps("hydro_months", tables["hydro_months"], ["node", "period"], problems)
    check("boundary_flows", "node", domestic, "domestic node")
    check("boundary_flows", "period", PERIODS, "period")
    check_month_ranges("boundary_flows", tables["boundary_flows"], problems)
    check_overlaps(
        "boundary_flows", tables["boundary_flows"], ["node", "partner", "period"], problems
    )
    markets = set(tables["nodes"].index[tables["nodes"]["role"] == "market"])
    check("market_price_shape", "node", markets, "market node")
    check("market_price_shape", "month", {str(m) for m in range(1, 13)}, "month (1-12)")
    check("market_price_shape", "hour", {str(h) for h in range(24)}, "hour (0-23)")
    links = tables["links"]
    room = links["p_nom_max_mw"] - links["p_nom_mw"]
    big = (room > 0) & (links["module_mw"] > room)  # a closed corridor builds no module
    for row in links.loc[big, "_row"]:
        problems.append(
            f"links.csv, row {row}, column 'module_mw': larger than the room to "
            "build (p_nom_max_mw - p_nom_mw)"
        )
    for row in links.loc[links["p_nom_max_mw"] < links["p_nom_mw"], "_row"]:
        problems.append(f"links.csv, row {row}, column 'p_nom_max_mw': below existing p_nom_mw")
    thermal = tables["carriers"].index[tables["carriers"]["kind"] == "thermal"]
    fleet = tables["fleet"]
    need_eff = fleet["carrier"].isin(thermal) & fleet["efficiency"].isna()
    for row in fleet.loc[need_eff, "_row"]:
        problems.append(
            f"fleet.csv, row {row}, column 'efficiency': thermal capacity needs an efficiency"
        )

    if origin:
        problems[start:] = [origin + p for p in problems[start:]]


def check_month_ranges(stem: str, table: pd.DataFrame, problems: list[str]) -> None:
    """``first_month`` and ``last_month`` are whole months, the first not after the last."""
    for col in ("first_month", "last_month"):
        for row in table.loc[table[col] % 1 != 0, "_row"]:
            problems.append(f"{stem}.csv, row {row}, column '{col}': not a whole month")
    for row in table.loc[table["first_month"] > table["last_month"], "_row"]:
        problems.append(
            f"{stem}.csv, row {row}, column 'first_month': after last_month "
            "(a range runs from first_month to last_month within one calendar year)"
        )


def check_overlaps(stem: str, table: pd.DataFrame, keys: list[str], problems: list[str]) -> None:
    """The month ranges of one ``keys`` group do not overlap."""
    table = table.reset_index(drop=True).sort_values("first_month")
    for _, rows in table.groupby(keys):
        first, last = rows["first_month"].to_numpy(), rows["last_month"].to_numpy()
        for row in rows["_row"].to_numpy()[1:][first[1:] <= last[:-1]]:
            problems.append(
                f"{stem}.csv, row {row}, column 'first_month': overlaps the range before"
            )


def check_demand_months(months: pd.DataFrame, demand: pd.DataFrame, problems: list[str]) -> None:
    """A node's month ranges in a period do not overlap and hold at most its annual demand
    (all of it when they cover the year)."""
    check_overlaps("demand_months", months, ["node", "period"], problems)
    annual = demand.reset_index(drop=True).set_index(["node", "period"])["demand_twh"]
    months = months.reset_index(drop=True).sort_values("first_month")
    for (node, period), rows in months.groupby(["node", "period"]):
        first, last = rows["first_month"].to_numpy(), rows["last_month"].to_numpy()
        year = annual.get((node, period))
        if year is None:
            problems.append(
                f"demand_months.csv, row {rows['_row'].iloc[0]}, column 'node': no annual "
                f"demand for {node} in period {period} (demand.csv)"
            )
            continue
        total, covered = rows["demand_twh"].sum(), (last - first + 1).sum()
        if total > year + 1e-9 or (covered == 12 and abs(total - year) > 1e-6 * year):
            problems.append(
                f"demand_months.csv, row {rows['_row'].iloc[-1]}, column 'demand_twh': the "
                f"ranges of {node} ({period}) hold {total:g} TWh against {year:g} TWh a year"
            )


def check_schedule_bounds(schedules: pd.DataFrame, problems: list[str]) -> None:
    """A schedule row bounds its flow from below, above or both, and min ≤ max."""
    low, high = schedules["min_twh"], schedules["max_twh"]
    for row in schedules.loc[low.isna() & high.isna(), "_row"]:
        problems.append(
            f"trade_schedules.csv, row {row}, column 'min_twh': empty, and so is 'max_twh'; "
            "a schedule needs at least one of them"
        )
    for row in schedules.loc[low > high, "_row"]:
        problems.append(f"trade_schedules.csv, row {row}, column 'min_twh': above max_twh")


def check_profile_columns(
    tables: dict[str, pd.DataFrame], profiles: dict[str, pd.DataFrame], problems: list[str]
) -> None:
    """Every node that needs a profile has a column in it."""
    nodes = tables["nodes"]
    needed = {"load": set(nodes.index[nodes["role"] == "domestic"])}
    for stem in ("fleet", "potentials"):
        df = tables[stem]
        size = df["p_nom_mw"] if stem == "fleet" else df["potential_gw"]
        for carrier, node in zip(df.loc[size > 0, "carrier"], df.loc[size > 0, "node"]):
            needed.setdefault(carrier, set()).add(node)
    for carrier, nodes_needed in needed.items():
        profile = profiles.get(carrier)
        if profile is None or profile.empty:
            continue
        for node in sorted(nodes_needed - set(profile.columns)):
            problems.append(
                f"profiles/{carrier}.csv: no column for node '{node}', which has "
                f"{carrier} capacity or potential"
            )


def check_hydro_months(
    tables: dict[str, pd.DataFrame], profiles: dict[str, pd.DataFrame], problems: list[str]
) -> None:
    """A hydro_months.csv row belongs to a node with existing hydro in its period, and the
    profile held to it stays a capacity factor (at most 1 in every hour)."""
    months = tables["hydro_months"].reset_index(drop=True)
    first, last = months["first_month"], months["last_month"]
    months = months[(first % 1 == 0) & (last % 1 == 0) & (first <= last)]  # others named already
    profile = profiles.get("hydro")
    if months.empty or profile is None or profile.empty:
        return
    fleet = tables["fleet"].reset_index(drop=True)
    fleet = fleet[(fleet["carrier"] == "hydro") & (fleet["p_nom_mw"] > 0)]
    mw = (
        (fleet["p_nom_mw"] * fleet["availability"].fillna(1.0))
        .groupby([fleet["node"], fleet["period"]])
        .sum()
    )
    month = profile.index.month.to_numpy()
    for (node, period), ranges in months.groupby(["node", "period"]):
        if (node, period) not in mw.index or node not in profile.columns:
            problems.append(
                f"hydro_months.csv, row {ranges['_row'].iloc[0]}, column 'node': {node} has "
                f"no existing hydro in period {period} (fleet.csv) to hold to these months"
            )
            continue
        cf = profile[node].to_numpy()
        held = cf * range_factors(cf * mw[(node, period)], month, ranges, "hydro_twh")
        for row, first, last, twh in ranges[
            ["_row", "first_month", "last_month", "hydro_twh"]
        ].to_numpy():
            inside = (month >= first) & (month <= last)
            peak = held[inside].max(initial=0.0)
            if peak > 1 + 1e-9 or (twh > 0 and not cf[inside].any()):
                problems.append(
                    f"hydro_months.csv, row {row:g}, column 'hydro_twh': {twh:g} TWh "
                    f"is more than {node}'s hydro gives in months {first:g}-"
                    f"{last:g} with its profile at most 1 (peak {peak:.2f})"
                )

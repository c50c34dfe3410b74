"""The shape of ``inputs/``: every table's key and numeric columns with their allowed ranges,
required and optional text columns, and the categorical values the tables may use."""

from __future__ import annotations

PROFILE_CARRIERS = ("onwind", "solar", "offwind", "hydro", "load")

# file stem -> (key columns, numeric columns with their allowed closed range)
TABLES: dict[str, tuple[tuple[str, ...], dict[str, tuple[float, float]]]] = {
    "nodes": (("node",), {"lat": (-90, 90), "lon": (-180, 180)}),
    "demand": (("node", "period"), {"demand_twh": (0, 1e4), "peak_mw": (0, 1e6)}),
    "carriers": (("carrier",), {}),
    "fleet": (
        ("node", "carrier", "period"),
        {"p_nom_mw": (0, 1e6), "efficiency": (1e-3, 1), "availability": (0, 1)},
    ),
    "fuels": (
        ("fuel", "country", "pricing"),
        {"price_eur_per_mwh_th": (0, 1e3), "co2_t_per_mwh_th": (0, 1)},
    ),
    "co2_prices": (("country",), {"price_eur_per_t": (0, 1e4)}),
    "potentials": (("node", "carrier"), {"potential_gw": (0, 1e5), "cf_annual": (0, 1)}),
    "links": (
        ("link",),
        {
            "length_km": (0, 2e4),
            "p_nom_mw": (0, 1e6),
            "p_nom_max_mw": (0, 1e6),
            "capex_factor": (0, 100),
            "in_service_year": (1950, 2100),
            "module_mw": (0, 1e5),
        },
    ),
    "markets": (
        ("node", "direction", "step"),
        {"price_eur_per_mwh": (0, 1e4), "max_mw": (0, 1e6)},
    ),
    "market_price_shape": (("node", "month", "hour"), {"factor": (-5, 5)}),
    "costs": (("technology", "parameter"), {"value": (0, 1e7)}),
    # pathway (multi-period) tables: optional, read only when present
    "cost_paths": (("technology", "parameter", "period"), {"value": (0, 1e7)}),
    "fuel_paths": (("fuel", "period"), {"price_factor": (0, 100)}),
    "co2_paths": (("country", "period"), {"price_eur_per_t": (0, 1e4)}),
    # scheduled cross-border trade (bilateral agreements), applied with ``scheduled_trade``
    "trade_schedules": (
        ("corridor", "direction", "period"),
        {"min_twh": (0, 1e4), "max_twh": (0, 1e4)},
    ),
    # a node's own net exports only in the months of its export season, and its existing
    # thermal units at most its residual load in every snapshot (``scheduled_trade``)
    "export_seasons": (("node", "period"), {"first_month": (1, 12), "last_month": (1, 12)}),
    # published demand in some months of a year: the load shape holds it there, the other
    # months share the rest of demand.csv's annual figure
    "demand_months": (
        ("node", "period", "first_month"),
        {"first_month": (1, 12), "last_month": (1, 12), "demand_twh": (0, 1e4)},
    ),
    # published hydro output in some months of a base year: the node's hydro availability
    # holds it there (the year's own hydrology); other months keep the profile
    "hydro_months": (
        ("node", "period", "first_month"),
        {"first_month": (1, 12), "last_month": (1, 12), "hydro_twh": (0, 1e4)},
    ),
    # energy a node takes from a neighbour the model leaves out, at its published volume in
    # some months of a base year (flat over their hours): a boundary condition, like demand
    "boundary_flows": (
        ("node", "partner", "period", "first_month"),
        {"first_month": (1, 12), "last_month": (1, 12), "import_twh": (0, 1e4)},
    ),
}
# tables a folder may leave out (an empty table of the right columns is used)
OPTIONAL_TABLES = {
    "cost_paths",
    "fuel_paths",
    "co2_paths",
    "trade_schedules",
    "export_seasons",
    "demand_months",
    "hydro_months",
    "boundary_flows",
}
PATHWAY_PERIODS = {"2030", "2035", "2040"}
REQUIRED_TEXT = {
    "nodes": ("name", "country", "role"),
    "carriers": ("kind",),
    "links": ("bus0", "bus1", "type", "extendable"),
    "costs": ("unit",),
    "cost_paths": ("unit",),
}
OPTIONAL = {
    "demand": ("year",),
    "fuels": ("year",),
    "co2_prices": ("year",),
    "costs": ("further_description",),
    "carriers": ("nice_name", "fuel", "renewable", "color"),
}
BOOLEAN = {("links", "extendable"), ("carriers", "renewable")}
NULLABLE = {
    ("fleet", "efficiency"),
    ("fleet", "availability"),
    ("links", "in_service_year"),
    ("links", "module_mw"),
    ("trade_schedules", "min_twh"),
    ("trade_schedules", "max_twh"),
}
ROLES = {"domestic", "market"}
KINDS = {"thermal", "hydro", "variable", "storage"}
LINK_TYPES = {"hvdc-submarine", "hvdc-overhead", "hvac-overhead", "hvdc-b2b"}
# base: the latest statistics year (``year`` says which); base-prior: an earlier one, for an
# out-of-sample backcast; 2030 … 2040: planning years
PERIODS = {"base-prior", "base", "2030", "2035", "2040"}
PRICING = {"economic", "tariff"}  # fuels.csv: border value or regulated tariff
DIRECTIONS = {"export", "import"}  # markets.csv: the market buys, or sells into the corridor
# trade_schedules.csv: flow from the corridor's bus0 to bus1 (forward) or back (backward)
FLOW_DIRECTIONS = {"forward", "backward"}

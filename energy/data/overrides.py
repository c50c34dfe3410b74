"""A scenario's changes to the inputs: cell overrides and profile files, checked like the
input tables themselves (file, row id, column, rule)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs, read_profile
from energy.data.references import check_references
from energy.data.schema import BOOLEAN, TABLES
from energy.errors import InputError, suggest


def row_id(index_value) -> str:
    """The override id of a table row: a multi-column key joined with '/' (``AZ/offwind``)."""
    return "/".join(map(str, index_value)) if isinstance(index_value, tuple) else str(index_value)


def matching_rows(rid: str, ids: dict[str, object]) -> list:
    """The index values an override id names: its own row, or, with ``*`` for a key segment,
    every row that agrees on the others (``UZ/coal/*``: the UZ coal row of every period)."""
    if rid in ids:
        return [ids[rid]]
    want = rid.split("/")
    if "*" not in want:
        return []
    return [
        index
        for key, index in ids.items()
        if len(parts := key.split("/")) == len(want)
        and all(w in ("*", part) for w, part in zip(want, parts, strict=True))
    ]


def check_scenario_against_inputs(inputs: Inputs, scenario: Scenario) -> list[str]:
    """Scenario keys that name input ids must name existing ones."""
    problems = []
    markets = inputs.market_nodes
    for node in scenario.export_prices_eur_per_mwh:
        if node not in markets:
            problems.append(
                f"scenario {scenario.name}: export_prices_eur_per_mwh.{node}: "
                f"not a market node{suggest(node, markets)}; markets: "
                f"{', '.join(markets)}"
            )
    countries = set(inputs.nodes["country"])
    rule = scenario.green_export
    for country in rule.countries if rule.enabled and len(markets) else ():
        if country not in countries:
            problems.append(
                f"scenario {scenario.name}: green_export.countries: unknown "
                f"country '{country}'{suggest(country, countries)}"
            )
    demand = inputs.demand[inputs.demand["period"] == scenario.period]
    for node in inputs.domestic_nodes.difference(demand["node"]):
        problems.append(f"demand.csv: no row for node '{node}', period '{scenario.period}'")
    return problems


def apply_overrides(inputs: Inputs, scenario: Scenario) -> Inputs:
    """Return inputs with the scenario's cell overrides applied (every key checked)."""
    problems: list[str] = []
    changed: dict[str, pd.DataFrame] = {}
    for table, rows in scenario.overrides.items():
        if table not in TABLES:
            problems.append(f"overrides: unknown table '{table}'{suggest(table, TABLES)}")
            continue
        df = getattr(inputs, table).copy()
        ids = {row_id(i): i for i in df.index}
        numeric = TABLES[table][1]
        # patterns first, so that a row named in full wins over a pattern that covers it
        for rid, cells in sorted(rows.items(), key=lambda item: "*" not in item[0].split("/")):
            targets = matching_rows(rid, ids)
            if not targets:
                problems.append(f"overrides.{table}: unknown row '{rid}'{suggest(rid, ids)}")
                continue
            for col, value in (cells or {}).items():
                if col not in df.columns or col in ("source", "_row"):
                    problems.append(
                        f"overrides.{table}.{rid}: unknown column '{col}'{suggest(col, df.columns)}"
                    )
                    continue
                if (table, col) in BOOLEAN and not isinstance(value, bool):
                    problems.append(
                        f"overrides.{table}.{rid}.{col}: {value!r} must be true or false"
                    )
                    continue
                if col in numeric:
                    low, high = numeric[col]
                    if (
                        isinstance(value, bool)
                        or not isinstance(value, int | float)
                        or not low <= value <= high
                    ):
                        problems.append(
                            f"overrides.{table}.{rid}.{col}: {value!r} must be a "
                            f"number in [{low:g}, {high:g}]"
                        )
                        continue
                for target in targets:
                    df.at[target, col] = value
        changed[table] = df
    if changed:  # cross-table rules again on the overridden tables
        check_references(
            {t: changed.get(t, getattr(inputs, t)) for t in TABLES},
            problems,
            origin=f"scenario {scenario.name}, overrides: ",
        )
    if problems:
        raise InputError(problems)
    problems += check_scenario_against_inputs(inputs, scenario)
    if problems:
        raise InputError(problems)
    profiles, files = dict(inputs.profiles), dict(inputs.files)
    for carrier, path in scenario.profiles.items():
        profiles[carrier] = read_profile(Path(path), problems)
        files[f"profiles/{carrier}.csv"] = Path(path)
    if problems:
        raise InputError(problems)
    return inputs.replace(**changed, profiles=profiles, files=files)

"""Load and validate the input tables of ``inputs/`` into one typed :class:`Inputs` object.

Every problem found is collected and reported at once as an :class:`InputError` naming the
file, the row (1-based, as a spreadsheet shows it, header = row 1) and the column.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from energy.data.references import (
    check_hydro_months,
    check_profile_columns,
    check_references,
)
from energy.data.schema import (
    BOOLEAN,
    NULLABLE,
    OPTIONAL,
    OPTIONAL_TABLES,
    PROFILE_CARRIERS,
    REQUIRED_TEXT,
    TABLES,
)
from energy.errors import InputError, suggest
from energy.paths import DEFAULT_INPUTS


@dataclasses.dataclass
class Inputs:
    """All input tables, validated. Profiles are indexed by hourly snapshot, one column per node."""

    nodes: pd.DataFrame
    demand: pd.DataFrame
    carriers: pd.DataFrame
    fleet: pd.DataFrame
    fuels: pd.DataFrame
    co2_prices: pd.DataFrame
    potentials: pd.DataFrame
    links: pd.DataFrame
    markets: pd.DataFrame
    market_price_shape: pd.DataFrame
    costs: pd.DataFrame
    profiles: dict[str, pd.DataFrame]
    files: dict[str, Path]
    cost_paths: pd.DataFrame | None = None
    fuel_paths: pd.DataFrame | None = None
    co2_paths: pd.DataFrame | None = None
    trade_schedules: pd.DataFrame | None = None
    export_seasons: pd.DataFrame | None = None
    demand_months: pd.DataFrame | None = None
    hydro_months: pd.DataFrame | None = None
    boundary_flows: pd.DataFrame | None = None

    def replace(self, **changes) -> Inputs:
        """A copy with the given tables (or profiles, files) replaced."""
        return dataclasses.replace(self, **changes)

    @property
    def domestic_nodes(self) -> pd.Index:
        """Ids of the domestic nodes (role 'domestic')."""
        return self.nodes.index[self.nodes["role"] == "domestic"]

    @property
    def market_nodes(self) -> pd.Index:
        """Ids of the export market nodes (role 'market')."""
        return self.nodes.index[self.nodes["role"] == "market"]

    def cost(self, technology: str, parameter: str) -> float:
        """One value of the cost table, e.g. ``cost("onwind", "investment")``."""
        try:
            return float(self.costs.at[(technology, parameter), "value"])
        except KeyError:
            raise InputError(
                [f"costs.csv: no row for technology '{technology}', parameter '{parameter}'"]
            ) from None

    def hash(self) -> str:
        """SHA-256 over the bytes of every input file (sorted by name)."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode())
            digest.update(self.files[name].read_bytes())
        return digest.hexdigest()


def read_table(path: Path, stem: str, problems: list[str]) -> pd.DataFrame | None:
    """Read one CSV and check columns, types, ranges and unique keys; append problems.

    Returns None if the file cannot be read at all. Column ``_row`` keeps each row's
    spreadsheet number (header = row 1) for later messages."""
    keys, numeric = TABLES[stem]
    name = path.name
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        if stem in OPTIONAL_TABLES:
            columns = dict.fromkeys([*keys, *numeric, *REQUIRED_TEXT.get(stem, ()), "source"])
            df = pd.DataFrame(columns=list(columns))
            return read_frame(df, stem, name, problems)
        problems.append(f"{name}: file not found at {path}")
        return None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        problems.append(f"{name}: cannot be read as a UTF-8 CSV ({err.__class__.__name__}: {err})")
        return None
    return read_frame(df, stem, name, problems)


def read_frame(df: pd.DataFrame, stem: str, name: str, problems: list[str]) -> pd.DataFrame | None:
    """Check one table read as text (see :func:`read_table`)."""
    keys, numeric = TABLES[stem]
    df.columns = [c.strip() for c in df.columns]
    required = tuple(dict.fromkeys((*keys, *numeric, *REQUIRED_TEXT.get(stem, ()), "source")))
    known = (*required, *OPTIONAL.get(stem, ()), "note")
    missing = [c for c in required if c not in df.columns]
    for col in df.columns.difference(known, sort=False):
        problems.append(f"{name}, column '{col}': unknown column{suggest(col, known)}")
    if missing:
        problems.append(f"{name}: missing column(s) {', '.join(missing)}")
        return None
    if df.empty and stem in ("nodes", "demand", "carriers", "costs"):
        problems.append(f"{name}: no data rows")
        return None
    df = df.apply(lambda col: col.str.strip())
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)  # spreadsheet row numbers
    df["_row"] = rows
    for col in (*keys, *REQUIRED_TEXT.get(stem, ()), "source"):
        for row in rows[df[col] == ""]:
            problems.append(f"{name}, row {row}, column '{col}': empty, a value is required")
    for table, col in BOOLEAN:
        if table == stem and col in df.columns:
            bad = ~df[col].str.lower().isin(["true", "false", "1", "0", "yes", "no"])
            for row, cell in zip(rows[bad], df.loc[bad, col]):
                problems.append(f"{name}, row {row}, column '{col}': '{cell}' is not true or false")
    for col, (low, high) in numeric.items():
        raw = df[col]
        values = pd.to_numeric(raw, errors="coerce")
        blank = raw == ""
        bad_type = values.isna() & ~blank
        for row, cell in zip(rows[bad_type], raw[bad_type]):
            problems.append(f"{name}, row {row}, column '{col}': '{cell}' is not a number")
        if (stem, col) not in NULLABLE:
            for row in rows[blank]:
                problems.append(f"{name}, row {row}, column '{col}': empty, a number is required")
        out = (values < low) | (values > high)
        for row, value in zip(rows[out], values[out]):
            problems.append(
                f"{name}, row {row}, column '{col}': {value:g} is outside "
                f"the allowed range [{low:g}, {high:g}]"
            )
        df[col] = values.astype(float)
    dup = df.duplicated(list(keys), keep="first")
    for row, key in zip(rows[dup], df.loc[dup, list(keys)].itertuples(index=False)):
        problems.append(
            f"{name}, row {row}, column '{'/'.join(keys)}': duplicate id {'/'.join(map(str, key))}"
        )
    df = df[~dup]
    df.index = pd.MultiIndex.from_frame(df[list(keys)]) if len(keys) > 1 else df[keys[0]]
    return df


def read_profile(path: Path, problems: list[str]) -> pd.DataFrame:
    """Read an hourly profile CSV (``snapshot`` + one column per node)."""
    try:
        df = pd.read_csv(path, index_col="snapshot", parse_dates=True, encoding="utf-8")
    except (FileNotFoundError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        problems.append(f"{path.name}: cannot read profile ({err})")
        return pd.DataFrame()
    stamps = pd.to_datetime(pd.Series(df.index.astype(str)), errors="coerce", format="ISO8601")
    for position in np.flatnonzero(stamps.isna().to_numpy())[:3]:
        problems.append(
            f"{path.name}, row {position + 2}, column 'snapshot': "
            f"'{df.index[position]}' is not a timestamp"
        )
    if stamps.isna().any():
        return pd.DataFrame()
    df.index = pd.DatetimeIndex(stamps, name="snapshot")
    if df.index.has_duplicates:
        problems.append(f"{path.name}: duplicate snapshots")
    if len(df) != 8760:
        problems.append(
            f"{path.name}: {len(df)} rows, expected 8760 hourly values of one non-leap year"
        )
    steps = np.diff(df.index.to_numpy()).astype("timedelta64[m]").astype(int)
    if len(steps) and (steps != 60).any():
        position = int(np.argmax(steps != 60)) + 3
        problems.append(
            f"{path.name}, row {position}, column 'snapshot': not one hour after "
            "the previous snapshot (profiles must be consecutive hours)"
        )
    df = df.apply(pd.to_numeric, errors="coerce")
    bad = df.isna() | (df < 0)
    is_load = path.name.split(".")[0] == "load"  # load.csv or load.csv.gz
    rule = "a number ≥ 0" if is_load else "a capacity factor in [0, 1]"
    if not is_load:
        bad |= df > 1
    for col in df.columns[bad.any()]:
        position = int(np.argmax(bad[col].to_numpy()))
        problems.append(
            f"{path.name}, row {position + 2}, column '{col}': expected {rule}, "
            f"found {float(df[col].iloc[position]):g} "
            f"({int(bad[col].sum())} such cells in this column)"
        )
    return df


def load_inputs(
    folder: Path | str = DEFAULT_INPUTS, profile_files: dict[str, Path | str] | None = None
) -> Inputs:
    """Read, validate and return every input table; raise :class:`InputError` on any problem."""
    folder = Path(folder)
    problems: list[str] = []
    tables = {stem: read_table(folder / f"{stem}.csv", stem, problems) for stem in TABLES}
    if all(t is not None for t in tables.values()):
        check_references(tables, problems)
    paths = {c: folder / "profiles" / f"{c}.csv" for c in PROFILE_CARRIERS}
    paths.update({c: Path(p) for c, p in (profile_files or {}).items()})
    profiles = {c: read_profile(p, problems) for c, p in paths.items()}
    if all(t is not None for t in tables.values()):
        check_profile_columns(tables, profiles, problems)
        check_hydro_months(tables, profiles, problems)
    if problems:
        raise InputError(problems)
    tables["links"]["extendable"] = (
        tables["links"]["extendable"].str.lower().isin(["true", "1", "yes"])
    )
    tables["carriers"]["renewable"] = (
        tables["carriers"]["renewable"].str.lower().isin(["true", "1", "yes"])
    )
    tables["fleet"]["availability"] = tables["fleet"]["availability"].fillna(1.0)
    files = {
        f"{stem}.csv": folder / f"{stem}.csv"
        for stem in TABLES
        if stem not in OPTIONAL_TABLES or (folder / f"{stem}.csv").is_file()
    }
    files.update({f"profiles/{c}.csv": p for c, p in paths.items()})
    return Inputs(**tables, profiles=profiles, files=files)


def plausibility_warnings(inputs: Inputs, period: str) -> list[str]:
    """Soft checks that deserve a look but do not stop a run."""
    warnings = []
    fleet = inputs.fleet[inputs.fleet["period"] == period]
    kind = fleet["carrier"].map(inputs.carriers["kind"])
    firm = (fleet["p_nom_mw"] * np.where(kind == "thermal", fleet["availability"], 1.0)).where(
        kind.isin(["thermal", "hydro", "storage"]), 0.0
    )
    firm = firm.groupby(fleet["node"]).sum()
    links = inputs.links
    imports = (
        pd.concat(
            [links.groupby("bus1")["p_nom_mw"].sum(), links.groupby("bus0")["p_nom_mw"].sum()]
        )
        .groupby(level=0)
        .sum()
    )
    demand = inputs.demand[inputs.demand["period"] == period].set_index("node")
    for node in inputs.domestic_nodes.intersection(demand.index):
        peak = demand.at[node, "peak_mw"]
        supply = firm.get(node, 0.0) + imports.get(node, 0.0)
        if peak > supply:
            warnings.append(
                f"node {node}: peak load {peak:,.0f} MW ({period}) exceeds firm capacity "
                f"{firm.get(node, 0.0):,.0f} MW (thermal × availability + hydro + batteries) "
                f"plus import capacity {imports.get(node, 0.0):,.0f} MW; it will rely on "
                "new renewables and batteries, or be infeasible"
            )
        mean = demand.at[node, "demand_twh"] * 1e6 / 8760
        if mean > 0 and not 1.0 <= peak / mean <= 3.0:
            warnings.append(
                f"node {node}: peak/mean load {peak / mean:.2f} is implausible "
                "(check peak_mw and demand_twh units)"
            )
    return warnings

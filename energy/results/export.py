"""Export a results folder for spreadsheets and data tools: one Excel workbook (a sheet per
table plus 'units', 'scenario' and 'sources'), or one Parquet / CSV file per table.

A sweep folder exports its summary (one row per case) and the input sources.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from energy.data.schema import TABLES as INPUT_TABLES
from energy.paths import DEFAULT_INPUTS
from energy.results.folder import Results, load_results

FORMATS = ("xlsx", "parquet", "csv")
SUFFIX_UNITS = {
    "_eur_per_mwh": "EUR/MWh",
    "_mw": "MW",
    "_gw": "GW",
    "_mwh": "MWh",
    "_twh": "TWh",
    "_eur": "EUR",
    "_km": "km",
    "_hours": "h",
    "_t": "t",
}
DESCRIPTIONS = {
    "existing_mw": "capacity in place before the optimisation",
    "optimal_mw": "capacity after the optimisation (existing + added)",
    "added_mw": "capacity the model builds",
    "energy_twh": "energy over the modelled period; supply +, withdrawal −",
    "flow_forward_twh": "energy sent from → to",
    "flow_backward_twh": "energy sent to → from",
    "utilisation": "energy sent in both directions / (capacity × modelled hours)",
    "congestion_hours": "hours in which a direction runs at its full capacity",
    "losses_twh": "transmission losses",
    "congestion_rent_eur": "Σ price difference × flow over the modelled period",
    "capex_eur": "annualised capital cost of new capacity (pro rata for a window)",
    "opex_eur": "fuel, CO2 and O&M cost; export revenue is negative",
    "total_eur": "capex + opex",
    "length_km": "route length",
}
SHARES = {"utilisation": "share (0–1)"}


def column_unit(column: str) -> str:
    """The unit of a result column from its name's suffix (``_mw`` → MW), or '' if none."""
    if column in SHARES:
        return SHARES[column]
    return next((u for s, u in SUFFIX_UNITS.items() if column.endswith(s)), "")


def units_table(res: Results) -> pd.DataFrame:
    """table, column, unit, description — for every table column and every KPI."""
    rows = [
        (name, column, column_unit(column), DESCRIPTIONS.get(column, ""))
        for name, table in res.tables.items()
        if name != "kpis"
        for column in table.columns
        if column_unit(column)
    ]
    if "kpis" in res.tables:
        rows += [
            ("kpis", kpi, unit, "KPI (rows of the kpis sheet)")
            for kpi, unit in res.kpis[["kpi", "unit"]].itertuples(index=False)
        ]
    return pd.DataFrame(rows, columns=["table", "column", "unit", "description"])


def flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """Nested mapping → {"a.b.c": value}; lists become comma-separated text."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}.") if value else {name: ""})
        elif isinstance(value, list | tuple):
            flat[name] = ", ".join(map(str, value))
        else:
            flat[name] = "" if value is None else value
    return flat


def scenario_table(res: Results) -> pd.DataFrame:
    """The run's metadata (scenario settings, solver, versions, timings) as key/value text."""
    flat = flatten(res.metadata)
    return pd.DataFrame({"setting": list(flat), "value": [str(v) for v in flat.values()]})


def sources_table(inputs_dir: Path | str = DEFAULT_INPUTS) -> pd.DataFrame:
    """file, row, id, source, note for every row of every input table."""
    frames = []
    for stem, (keys, _) in INPUT_TABLES.items():
        path = Path(inputs_dir) / f"{stem}.csv"
        if not path.is_file():
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        note = next((c for c in ("note", "further_description") if c in df.columns), None)
        frames.append(
            pd.DataFrame(
                {
                    "file": f"{stem}.csv",
                    "row": range(2, len(df) + 2),
                    "id": df[list(keys)].agg("/".join, axis=1),
                    "source": df.get("source", ""),
                    "note": df[note] if note else "",
                }
            )
        )
    extra = [
        (
            "profiles/*.csv",
            "synthetic hourly profiles made by `python -m tools.profiles`, "
            "calibrated to potentials.csv cf_annual",
        ),
        (
            "geo/corridor_countries.geojson",
            "Natural Earth 1:110m country outlines (public domain), simplified; maps only",
        ),
    ]
    frames.append(
        pd.DataFrame(
            {
                "file": [f for f, _ in extra],
                "row": 0,
                "id": "",
                "source": [s for _, s in extra],
                "note": "",
            }
        )
    )
    return pd.concat(frames, ignore_index=True)


def review_tables(res: Results, inputs_dir: Path | str = DEFAULT_INPUTS) -> dict[str, pd.DataFrame]:
    """Every table an export writes, by sheet/file name."""
    if res.is_sweep:
        return {"summary": res.summary, "sources": sources_table(inputs_dir)}
    return {
        **res.tables,
        "units": units_table(res),
        "scenario": scenario_table(res),
        "sources": sources_table(inputs_dir),
    }


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Write one sheet per table (name cut to 31 characters), header row frozen, columns sized."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"
            for i, column in enumerate(table.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)])
                sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 60)


def export_results(
    path: Path | str,
    fmt: str = "xlsx",
    out: Path | str | None = None,
    inputs_dir: Path | str = DEFAULT_INPUTS,
) -> list[Path]:
    """Write the tables of a results folder as ``fmt``; returns the files written.

    Default ``out``: ``<results folder>/export/``. xlsx: ``<name>.xlsx``; parquet/csv: one
    ``<table>.<fmt>`` per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' unknown; use one of {', '.join(FORMATS)}")
    res = load_results(path)
    folder = Path(out) if out is not None else res.path / "export"
    folder.mkdir(parents=True, exist_ok=True)
    tables = review_tables(res, inputs_dir)
    if fmt == "xlsx":
        target = folder / f"{res.name}.xlsx"
        write_xlsx(tables, target)
        return [target]
    written = []
    for name, table in tables.items():
        target = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            table.to_parquet(target, index=False)
        else:
            table.to_csv(target, index=False)
        written.append(target)
    return written

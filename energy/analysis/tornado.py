"""Drivers of the sizing answer: one-at-a-time low/high runs of the drivers of
``inputs/tornado_drivers.csv`` (each row a scenario path with a sourced low and high value;
rows sharing a ``driver`` move together), against the scenario itself.

A parameter is a dotted scenario path (``export_prices_eur_per_mwh.EU``,
``overrides.links.black-sea.capex_factor``) or ``profile_scale.<carrier>.<node>``: that node's
column of the carrier's hourly profile times the value, capped at 1 (written beside the
results). Written to ``<results root>/tornado/<scenario>/tornado.csv`` and ``tornado.png``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy.analysis.cases import (
    IN_PROCESS,
    Action,
    Case,
    Runner,
    atomic_csv,
    check_link,
    input_hashes,
    run_cases,
    write_about,
)
from energy.config.scenario import Scenario, deep_merge, parse_scenario
from energy.errors import InputError
from energy.paths import DEFAULT_INPUTS, results_root

DRIVERS_FILE = "tornado_drivers.csv"
DRIVER_COLUMNS = ("driver", "label", "parameter", "low", "high", "unit", "source")
SIDES = ("low", "high")
PROFILE = "profile_scale"


def read_drivers(inputs_dir: Path) -> pd.DataFrame:
    """The driver table, checked: columns, numbers, a source on every row; InputError else."""
    path = Path(inputs_dir) / DRIVERS_FILE
    if not path.is_file():
        path = DEFAULT_INPUTS / DRIVERS_FILE
    table = pd.read_csv(path, dtype={"driver": str, "parameter": str})
    problems = [f"{path.name}: missing column '{c}'" for c in DRIVER_COLUMNS if c not in table]
    if problems:
        raise InputError(problems)
    for i, row in table.iterrows():
        where = f"{path.name}, row {i + 2}"
        for col in ("low", "high"):
            if not np.isfinite(pd.to_numeric(row[col], errors="coerce")):
                problems.append(f"{where}, column '{col}': '{row[col]}' is not a number")
        if not str(row["source"]).strip() or pd.isna(row["source"]):
            problems.append(f"{where}, column 'source': every range needs its source")
        if table.duplicated(["driver", "parameter"]).iloc[i]:
            problems.append(f"{where}: parameter '{row['parameter']}' twice for one driver")
    if problems:
        raise InputError(problems)
    return table.assign(low=table["low"].astype(float), high=table["high"].astype(float))


def folder_of(scenario: str, root: Path | None = None) -> Path:
    """``<results root>/tornado/<scenario>/``."""
    return Path(root or results_root()) / "tornado" / scenario


def nested(path: str, value: float) -> dict:
    """``"a.b.c", 1`` → ``{"a": {"b": {"c": 1}}}``."""
    out: dict | float = value
    for part in reversed(path.split(".")):
        out = {part: out}
    return out  # type: ignore[return-value]


def scaled_profiles(
    scales: dict[str, float], inputs_dir: Path, folder: Path, case: str
) -> dict[str, str]:
    """Write each carrier's profile with its scaled node columns (capped at 1) into
    ``<folder>/profiles/``; returns ``{carrier: path}`` for the scenario's ``profiles``."""
    by_carrier: dict[str, dict[str, float]] = {}
    for key, factor in scales.items():
        carrier, node = key.split(".", 1)
        by_carrier.setdefault(carrier, {})[node] = factor
    out = {}
    for carrier, nodes in by_carrier.items():
        profile = pd.read_csv(Path(inputs_dir) / "profiles" / f"{carrier}.csv", index_col=0)
        missing = [n for n in nodes if n not in profile.columns]
        if missing:
            raise InputError([f"{DRIVERS_FILE}: {carrier} profile has no node {missing[0]}"])
        for node, factor in nodes.items():
            profile[node] = (profile[node] * factor).clip(upper=1.0).round(6)
        path = folder / "profiles" / f"{case}-{carrier}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        profile.to_csv(path)
        out[carrier] = str(path)
    return out


def driver_scenario(
    base: Scenario, rows: pd.DataFrame, side: str, inputs_dir: Path, folder: Path, case: str
) -> Scenario:
    """The base scenario with every parameter of one driver at its ``side`` value."""
    data = base.model_dump(mode="json") | {"name": case}
    scales = {}
    for row in rows.itertuples():
        if row.parameter.startswith(PROFILE + "."):
            scales[row.parameter[len(PROFILE) + 1 :]] = getattr(row, side)
        else:
            data = deep_merge(data, nested(row.parameter, getattr(row, side)))
    if scales:
        data["profiles"] = data.get("profiles", {}) | scaled_profiles(
            scales, inputs_dir, folder, case
        )
    return parse_scenario(data, f"{DRIVERS_FILE}, driver {rows['driver'].iloc[0]}")


def tornado_cases(
    base: Scenario, drivers: pd.DataFrame, link: str, inputs_dir: Path, folder: Path
) -> list[Case]:
    """The reference (the scenario itself) and a low and a high case per driver."""
    cases = [Case("reference", base, Action(), link, params={"driver": "", "side": "base"})]
    for driver, rows in drivers.groupby("driver", sort=False):
        for side in SIDES:
            case = f"{driver}={side}"
            scenario = driver_scenario(base, rows, side, inputs_dir, folder, case)
            cases.append(
                Case(case, scenario, Action(), link, params={"driver": driver, "side": side})
            )
    return cases


def tornado_table(records: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """One row per case: driver, side, values, the link's MW, exports, objective, deltas."""
    t = records.copy()
    for col in ("capacity_mw", "export_twh", "objective_eur"):
        if col not in t:
            t[col] = np.nan
    labels = drivers.groupby("driver", sort=False)["label"].first()
    settings = drivers.groupby("driver", sort=False).apply(
        lambda g: {
            s: "; ".join(f"{r.parameter}={getattr(r, s):g}" for r in g.itertuples()) for s in SIDES
        },
        include_groups=False,
    )
    t["label"] = t["driver"].map(labels).fillna("scenario as given")
    t["setting"] = [
        settings[d][s] if d in settings.index else "" for d, s in zip(t["driver"], t["side"])
    ]
    t = t.rename(columns={"capacity_mw": "link_mw"})
    ref = t[t["case"] == "reference"].iloc[0]
    for col in ("link_mw", "export_twh", "objective_eur"):
        t[f"delta_{col}"] = t[col] - ref[col]
    columns = [
        "driver", "label", "side", "setting", "status", "link_mw", "export_twh",
        "objective_eur", "delta_link_mw", "delta_export_twh", "delta_objective_eur",
        "elapsed_s", "message",
    ]  # fmt: skip
    return t.reindex(columns=columns)


def run_tornado(
    scenario: Scenario,
    link: str = "trans-caspian",
    *,
    inputs_dir: Path,
    root: Path | None = None,
    runner: Runner = IN_PROCESS,
) -> tuple[pd.DataFrame, Path]:
    """Solve the reference and every driver's low and high case; write table and chart.

    Raises InputError (nothing solved) for a bad driver table or an unknown link."""
    from energy.run.pipeline import prepare_inputs

    inputs = prepare_inputs(scenario, inputs_dir)
    check_link(inputs, scenario, link)
    drivers = read_drivers(inputs_dir)
    folder = folder_of(scenario.name, root)
    cases = tornado_cases(scenario, drivers, link, inputs_dir, folder)
    hashes = input_hashes(cases, inputs_dir)
    records = run_cases(
        cases,
        folder,
        inputs_dir,
        hashes,
        runner,
    )
    table = tornado_table(records, drivers)
    atomic_csv(table, folder / "tornado.csv")
    write_about(folder, scenario, link=link)
    plot_tornado(table, scenario.name, link).savefig(folder / "tornado.png", dpi=110)
    return table, folder


def plot_tornado(table: pd.DataFrame, scenario: str, link: str):
    """Bars of the link's size change (MW) at each driver's low and high value, largest swing
    on top; exports change (TWh) in the second panel."""
    from energy.review.style import figure

    runs = table[table["side"] != "base"]
    wide = runs.pivot_table(
        index="label", columns="side", values=["delta_link_mw", "delta_export_twh"], sort=False
    )
    swing = wide["delta_link_mw"].abs().max(axis=1).fillna(0) + 1e-9 * wide[
        "delta_export_twh"
    ].abs().max(axis=1).fillna(0)
    wide = wide.loc[swing.sort_values().index]
    fig, (left, right) = figure(12, 0.45 * len(wide) + 1.8, ncols=2, sharey=True)
    y = np.arange(len(wide))
    for ax, what, unit in ((left, "delta_link_mw", "MW"), (right, "delta_export_twh", "TWh")):
        for side, color, offset in (("low", "#4d9221", -0.2), ("high", "#c51b7d", 0.2)):
            if (what, side) in wide:
                ax.barh(y + offset, wide[(what, side)].fillna(0), 0.4, color=color, label=side)
        ax.axvline(0, color="grey", lw=0.8)
        change = wide[what].abs().max(axis=1).fillna(0)
        still = change <= 1e-3 * max(float(change.max()), 1e-9)  # invisible at this scale
        for k in np.flatnonzero(still.to_numpy()):
            ax.text(0, y[k], " no change", va="center", fontsize=8, color="grey")
        ax.set_xlabel(f"change from the scenario ({unit})")
    left.set_yticks(y, wide.index, fontsize=8)
    ref = table[table["side"] == "base"].iloc[0]
    left.set_title(f"{link} size (scenario: {ref['link_mw']:,.0f} MW)", fontsize=10)
    right.set_title(f"exports (scenario: {ref['export_twh']:,.1f} TWh)", fontsize=10)
    left.legend(frameon=False, fontsize=8, title="driver at its", title_fontsize=8)
    fig.suptitle(f"Drivers of the {link} size, one at a time — scenario '{scenario}'", fontsize=11)
    return fig

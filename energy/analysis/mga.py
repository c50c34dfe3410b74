"""Near-optimal ranges of a link (modelling to generate alternatives, own formulation).

After the optimum V* is solved, for each slack s the link's size is minimised and maximised
subject to the scenario's objective ≤ V* + s·|V*| (the same linopy model with one more row and
the link's size as objective). Written to ``<results root>/mga/<scenario>/<link>/mga.csv``
(one row per slack, slack 0 being the optimum) and ``mga.png``.
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
    shared_workers,
    write_about,
)
from energy.config.scenario import Scenario
from energy.errors import InputError
from energy.paths import results_root

SIDES = ("min", "max")


def folder_of(
    scenario: str, link: str, root: Path | None = None, period: int | None = None
) -> Path:
    """``<results root>/mga/<scenario>/<link>/`` (``…/<link>/<period>/`` for a pathway)."""
    folder = Path(root or results_root()) / "mga" / scenario / link
    return folder / str(period) if period is not None else folder


def check_slacks(slacks: list[float]) -> list[float]:
    """Slacks sorted and unique; InputError for a negative one."""
    bad = [s for s in slacks if not s >= 0]
    if bad or not slacks:
        given = ", ".join(f"{s:g}" for s in bad) or "none given"
        raise InputError(
            [f"--slack: {given}: a slack is a share of the optimal cost ≥ 0 (0.01 for +1 %)"]
        )
    return sorted(set(float(s) for s in slacks))


def mga_cases(
    scenario: Scenario,
    link: str,
    slacks: list[float],
    optimum: float,
    market: str,
    period: int | None = None,
) -> list[Case]:
    """For each slack, the link's size (in service in ``period`` of a pathway) minimised and
    maximised within the cost bound."""
    return [
        Case(
            f"slack={s:g},{side}",
            scenario,
            Action("mga", sense=side, bound_eur=optimum + s * abs(optimum)),
            link,
            market,
            {"slack": s, "side": side},
            period,
        )
        for s in slacks
        for side in SIDES
    ]


def mga_table(best: pd.Series, records: pd.DataFrame) -> pd.DataFrame:
    """One row per slack (0: the optimum): min and max size, exports and cost at each end."""
    rows = [
        {
            "slack": 0.0,
            "min_mw": best["capacity_mw"],
            "max_mw": best["capacity_mw"],
            "optimum_mw": best["capacity_mw"],
            "optimum_objective_eur": best["objective_eur"],
            "objective_at_min_eur": best["objective_eur"],
            "objective_at_max_eur": best["objective_eur"],
            "export_at_min_twh": best["export_twh"],
            "export_at_max_twh": best["export_twh"],
            "status": "optimal",
            "message": "",
        }
    ]
    for slack, group in records.groupby("slack", sort=True):
        side = group.set_index("side")

        def get(which: str, col: str, side=side) -> float:
            ok = which in side.index and side.at[which, "status"] == "optimal"
            return float(side.at[which, col]) if ok and col in side else np.nan

        failed = group[group["status"] != "optimal"]
        rows.append(
            {
                "slack": slack,
                "min_mw": get("min", "capacity_mw"),
                "max_mw": get("max", "capacity_mw"),
                "optimum_mw": best["capacity_mw"],
                "optimum_objective_eur": best["objective_eur"],
                "objective_at_min_eur": get("min", "objective_eur"),
                "objective_at_max_eur": get("max", "objective_eur"),
                "export_at_min_twh": get("min", "export_twh"),
                "export_at_max_twh": get("max", "export_twh"),
                "status": "optimal" if failed.empty else "failed",
                "message": "; ".join(f"{r.side}: {r.message}" for r in failed.itertuples()),
            }
        )
    return pd.DataFrame(rows)


def run_mga(
    scenario: Scenario,
    link: str,
    slacks: list[float],
    *,
    inputs_dir: Path,
    market: str = "EU",
    root: Path | None = None,
    runner: Runner = IN_PROCESS,
    period: int | None = None,
) -> tuple[pd.DataFrame, Path]:
    """Solve the optimum, then the min and max of the link per slack (its capacity in service
    in ``period`` for a pathway); write table and plot.

    Raises InputError (nothing written) for an unknown or unbuildable link, a negative slack
    or a period the scenario does not have."""
    from energy.run.pipeline import prepare_inputs

    slacks = check_slacks(slacks)
    inputs = prepare_inputs(scenario, inputs_dir)
    check_link(inputs, scenario, link, period)
    folder = folder_of(scenario.name, link, root, period)
    first = [Case("optimum", scenario, Action("optimum"), link, market, period=period)]
    with shared_workers(runner) as shared:  # the optimum's model is kept
        best = run_cases(first, folder, inputs_dir, input_hashes(first, inputs_dir), shared)
        best = best.iloc[0]
        if best["status"] != "optimal":
            raise RuntimeError(f"the optimum of {scenario.name} failed: {best['message']}")
        cases = mga_cases(scenario, link, slacks, float(best["objective_eur"]), market, period)
        hashes = input_hashes(cases, inputs_dir)
        records = run_cases(cases, folder, inputs_dir, hashes, shared)
    table = mga_table(best, records)
    atomic_csv(table, folder / "mga.csv")
    write_about(folder, scenario, link=link, market=market, period=str(period or ""))
    name = f"{scenario.name} {period}" if period is not None else scenario.name
    plot_mga(table, name, link).savefig(folder / "mga.png", dpi=110)
    return table, folder


def plot_mga(table: pd.DataFrame, scenario: str, link: str):
    """A horizontal range bar per slack from the smallest to the largest near-optimal size."""
    from energy.review.style import figure

    fig, ax = figure(8, 0.6 * len(table) + 1.6)
    y = np.arange(len(table))
    width = (table["max_mw"] - table["min_mw"]).fillna(0.0)
    ax.barh(y, width, left=table["min_mw"], height=0.5, color="#8fbcd4", label="near-optimal")
    ax.plot(table["optimum_mw"], y, "*", ms=12, color="#d62728", label="optimum")
    ax.set_yticks(y, [f"+{100 * s:g} %" for s in table["slack"]])
    ax.set(xlabel=f"{link} size (MW)", ylabel="cost slack above the optimum")
    ax.set_title(f"Near-optimal sizes of {link} — scenario '{scenario}'", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig

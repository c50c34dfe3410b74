"""The value curve of a link: the scenario solved with the link fixed at each size, at its full
capital cost, against the unconstrained optimum.

Per size: objective and its difference to the optimum, exports, utilisation, congestion rent,
the dual of the fixed size and the break-even landing price. Written to
``<results root>/value-curve/<scenario>/<link>/value_curve.csv`` and ``value_curve.png``.

Break-even price (method). The dual ``d`` of ``size = X`` is ∂objective/∂X (EUR/MW, capital
cost included). Raising the first-step price level ``P`` of the landing market (every step
and hour scales with it) lowers the objective by the market's revenue / P (``q``, in MWh) —
the envelope theorem — so ∂d/∂P = −∂q/∂X. The price level at which ``X`` becomes optimal
(``d = 0``) is, to first order, ``P + d / (∂q/∂X)``; ∂q/∂X, the market's price-weighted
energy bought per MW of cable, is the finite difference to the next smaller size (to the next
larger for the smallest). On a two-node case this is (cable annuity + generation and loss
cost) / utilised hours, exactly, as long as neighbouring sizes lie on one linear piece.
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
from energy.config.scenario import Scenario
from energy.errors import InputError
from energy.paths import results_root

GRID_POINTS = 7
COLUMNS = [
    "case",
    "kind",
    "size_mw",
    "status",
    "objective_eur",
    "delta_eur",
    "delta_pct",
    "export_twh",
    "export_market_twh",
    "utilisation",
    "congestion_rent_eur",
    "capex_annuity_eur_per_mw",
    "marginal_value_eur_per_mw",
    "net_marginal_value_eur_per_mw",
    "market_price_eur_per_mwh",
    "break_even_price_eur_per_mwh",
    "elapsed_s",
    "message",
]


def default_sizes(row: pd.Series) -> list[float]:
    """The link's modules (existing, + 1, 2 … modules up to its maximum) if ``module_mw`` is
    set, else a grid of :data:`GRID_POINTS` sizes from its existing capacity to its maximum."""
    low, high = float(row["p_nom_mw"]), float(row["p_nom_max_mw"])
    module = row.get("module_mw")
    if module is not None and not pd.isna(module) and module > 0:
        steps = np.arange(0, np.floor((high - low) / module + 1e-9) + 1)
        return [float(s) for s in low + steps * module]
    return [float(round(s, 3)) for s in np.linspace(low, high, GRID_POINTS)]


def check_sizes(sizes: list[float], row: pd.Series, link: str) -> list[float]:
    """Sizes sorted and unique; InputError if one is below the existing or above the maximum."""
    low, high = float(row["p_nom_mw"]), float(row["p_nom_max_mw"])
    bad = [s for s in sizes if not low <= s <= high]
    if bad:
        raise InputError(
            [
                f"--sizes: {', '.join(f'{s:g}' for s in bad)} MW outside the range of "
                f"'{link}': from its existing {low:g} MW to its maximum {high:g} MW "
                "(p_nom_mw … p_nom_max_mw in links.csv)"
            ]
        )
    return sorted(set(float(s) for s in sizes))


def folder_of(
    scenario: str, link: str, root: Path | None = None, period: int | None = None
) -> Path:
    """``<results root>/value-curve/<scenario>/<link>/`` (``…/<link>/<period>/`` for a
    pathway's period)."""
    folder = Path(root or results_root()) / "value-curve" / scenario / link
    return folder / str(period) if period is not None else folder


def build_cases(
    scenario: Scenario, link: str, sizes: list[float], market: str, period: int | None = None
) -> list[Case]:
    """The unconstrained optimum and one case per fixed size (in service in ``period``)."""
    optimum = Case(
        "optimum", scenario, Action("optimum"), link, market, {"kind": "optimum"}, period
    )
    return [optimum] + [
        Case(
            f"size={size:g}",
            scenario,
            Action("fix", size_mw=size),
            link,
            market,
            {"kind": "fixed", "size_mw": size},
            period,
        )
        for size in sizes
    ]


def slope_per_mw(sizes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Finite difference of ``values`` over ``sizes`` (sorted): to the next smaller size,
    to the next larger one for the smallest; NaN where there is no other size."""
    out = np.full(len(sizes), np.nan)
    if len(sizes) < 2:
        return out
    step = np.diff(values) / np.diff(sizes)
    out[1:] = step
    out[0] = step[0]
    return out


def break_even(table: pd.DataFrame) -> pd.Series:
    """Break-even price level of each row (see the module docstring); NaN where a bigger
    cable sells nothing more at the landing market."""
    solved = table[table["status"] == "optimal"].sort_values("size_mw")
    solved = solved.drop_duplicates("size_mw", keep="first")
    years = solved["years"].to_numpy()
    q = solved["market_value_mwh"].to_numpy() / years
    dq = slope_per_mw(solved["size_mw"].to_numpy(), q)
    d = -solved["net_marginal_value_eur_per_mw"].to_numpy()
    price = solved["market_price_eur_per_mwh"].to_numpy() + d / np.where(dq > 1e-6, dq, np.nan)
    by_size = pd.Series(price, index=solved["size_mw"].to_numpy())
    return table["size_mw"].map(by_size)


def value_table(records: pd.DataFrame, price: float, lowest: float = 0.0) -> pd.DataFrame:
    """The value curve from the case records (fixed sizes first, then the optimum); no
    break-even price at the link's ``lowest`` size, where the dual is not unique."""
    t = records.copy()
    for col in ("objective_eur", "capacity_mw", "dual_eur_per_mw", "capex_eur_per_mw", "years"):
        if col not in t:
            t[col] = np.nan
    t["size_mw"] = t["size_mw"].where(t["kind"] == "fixed", t["capacity_mw"])
    best = t.loc[(t["kind"] == "optimum") & (t["status"] == "optimal"), "objective_eur"]
    optimum = float(best.iloc[0]) if len(best) else np.nan
    t["delta_eur"] = t["objective_eur"] - optimum
    t["delta_pct"] = 100.0 * t["delta_eur"] / abs(optimum)
    t["capex_annuity_eur_per_mw"] = t["capex_eur_per_mw"] / t["years"]
    t["net_marginal_value_eur_per_mw"] = -t["dual_eur_per_mw"] / t["years"]
    t["marginal_value_eur_per_mw"] = (
        t["capex_annuity_eur_per_mw"] - t["dual_eur_per_mw"] / t["years"]
    )
    t["market_price_eur_per_mwh"] = price
    fixed = t["kind"] == "fixed"
    t["break_even_price_eur_per_mwh"] = np.nan
    t.loc[fixed, "break_even_price_eur_per_mwh"] = break_even(t[fixed])
    t.loc[t["size_mw"] <= lowest, "break_even_price_eur_per_mwh"] = np.nan
    t = pd.concat([t[fixed], t[~fixed]])
    return t.reindex(columns=COLUMNS).reset_index(drop=True)


def run_value_curve(
    scenario: Scenario,
    link: str,
    sizes: list[float] | None = None,
    *,
    inputs_dir: Path,
    market: str = "EU",
    root: Path | None = None,
    runner: Runner = IN_PROCESS,
    period: int | None = None,
) -> tuple[pd.DataFrame, Path]:
    """Solve and write the value curve; returns the table and its folder. For a pathway,
    ``period`` names the investment period whose capacity in service is fixed.

    Raises InputError (nothing written) for an unknown link, one the scenario cannot build,
    a size outside its range or a period the scenario does not have."""
    from energy.analysis.change import period_level
    from energy.run.pipeline import prepare_inputs

    if "+" in link:
        raise InputError([f"--link {link}: a sum of links has no one size to fix; use energy mga"])
    inputs = prepare_inputs(scenario, inputs_dir)
    row = check_link(inputs, scenario, link, period)
    if market not in inputs.market_nodes:
        raise InputError([f"--market: '{market}' is not a market node"])
    sizes = check_sizes(sizes if sizes is not None else default_sizes(row), row, link)
    cases = build_cases(scenario, link, sizes, market, period)
    hashes = input_hashes(cases, inputs_dir)
    folder = folder_of(scenario.name, link, root, period)
    records = run_cases(
        cases,
        folder,
        inputs_dir,
        hashes,
        runner,
    )
    level = period_level(inputs, scenario, market, period)
    table = value_table(records, level, float(row["p_nom_mw"]))
    atomic_csv(table, folder / "value_curve.csv")
    write_about(folder, scenario, link=link, market=market, period=str(period or ""))
    name = f"{scenario.name} {period}" if period is not None else scenario.name
    plot_value_curve(table, name, link).savefig(folder / "value_curve.png", dpi=110)
    return table, folder


def plot_value_curve(table: pd.DataFrame, scenario: str, link: str):
    """Two panels: cost above the optimum by size (M EUR), break-even landing price by size."""
    from energy.review.style import figure

    fig, (left, right) = figure(11, 4.2, ncols=2)
    fixed = table[(table["kind"] == "fixed") & (table["status"] == "optimal")]
    best = table[(table["kind"] == "optimum") & (table["status"] == "optimal")]
    left.plot(fixed["size_mw"], fixed["delta_eur"] / 1e6, "o-", color="#1f3b73", label="fixed size")
    if len(best):
        left.plot(best["size_mw"], [0.0], "*", ms=14, color="#d62728", label="optimum")
    left.axhline(0, color="grey", lw=0.6)
    left.set(xlabel=f"{link} size (MW)", ylabel="cost above the optimum (M EUR)")
    left.set_title("Value curve: system cost by cable size", fontsize=10)
    left.legend(frameon=False, fontsize=8)
    right.plot(fixed["size_mw"], fixed["break_even_price_eur_per_mwh"], "o-", color="#7b3294")
    price = table["market_price_eur_per_mwh"].dropna()
    if len(price):
        right.axhline(price.iloc[0], color="grey", ls="--", lw=0.8, label="scenario price")
        right.legend(frameon=False, fontsize=8)
    right.set(xlabel=f"{link} size (MW)", ylabel="EUR/MWh (first-step price level)")
    right.set_title("Landing price at which the size is optimal", fontsize=10)
    fig.suptitle(f"{link} — scenario '{scenario}'", fontsize=11)
    return fig

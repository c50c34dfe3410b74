"""Solve one scenario with PyPSA/linopy and with the independent Pyomo model; compare."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs, load_inputs
from energy.data.overrides import apply_overrides
from energy.model.naming import corridor_of, is_forward
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.paths import DEFAULT_INPUTS
from energy.validation.crosscheck.data import lp_data
from energy.validation.crosscheck.model import build_model, solve_model, summary

OBJECTIVE_RTOL = 1e-6
CAPACITY_RTOL = 1e-3
CAPACITY_ATOL_MW = 1.0  # capacities both below this count as zero


@dataclasses.dataclass
class Comparison:
    """Result of a crosscheck: the table of quantities of both models, and timings (s)."""

    table: pd.DataFrame  # quantity, pypsa, pyomo, rel_diff, checked, ok
    timings: dict[str, float]

    @property
    def ok(self) -> bool:
        """True when every checked quantity (objective, corridor capacities) is within tolerance."""
        return bool(self.table.loc[self.table["checked"], "ok"].all())

    def value(self, quantity: str, side: str = "pyomo") -> float:
        """One quantity of the table as solved by ``side`` ('pypsa' or 'pyomo')."""
        return float(self.table.set_index("quantity").at[quantity, side])


def pypsa_summary(n: pypsa.Network, inputs: Inputs) -> dict[str, float]:
    """The same key results read from a solved PyPSA network."""
    links = n.c.links.static
    forward = links[is_forward(links)]
    capacity = forward["p_nom_opt"].groupby(corridor_of(forward)).sum()
    out = {
        f"capacity {c}": float(capacity.get(c, 0.0))
        for c in inputs.links.index[inputs.links["extendable"]]
    }
    gens = n.c.generators.static
    new = gens[gens["p_nom_extendable"]]
    for carrier, mw in new["p_nom_opt"].groupby(new["carrier"]).sum().items():
        out[f"new {carrier}"] = float(mw)
    units = n.c.storage_units.static
    if not units.empty:
        out["new battery"] = float(units.loc[units["p_nom_extendable"], "p_nom_opt"].sum())
    w = n.snapshot_weightings["generators"]
    p = n.c.generators.dynamic["p"].reindex(columns=gens.index, fill_value=0.0)
    intensity = gens["carrier"].map(n.c.carriers.static["co2_emissions"]).fillna(0.0)
    out["co2 t"] = float((p.mul(w, axis=0).sum() / gens["efficiency"] * intensity).sum())
    exports = gens.index[gens["carrier"] == "export"]
    out["exports MWh"] = float(-p[exports].mul(w, axis=0).sum().sum())
    return out


def relative(a: float, b: float, floor: float = 1e-3) -> float:
    """|a − b| / max(|a|, |b|); 0 when both are below ``floor`` (solver noise around 0)."""
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale >= floor else 0.0


def compare_table(objectives: tuple[float, float], left: dict, right: dict) -> pd.DataFrame:
    """Both models' results side by side, with relative difference and verdict.
    Checked: the objective (relative 1e-6) and corridor capacities (1e-3, or both < 1 MW)."""
    rows = [("objective EUR", *objectives)]
    rows += [(k, left.get(k, 0.0), right.get(k, 0.0)) for k in dict.fromkeys([*left, *right])]
    table = pd.DataFrame(rows, columns=["quantity", "pypsa", "pyomo"])
    table["rel_diff"] = [relative(a, b) for a, b in zip(table["pypsa"], table["pyomo"])]
    table["checked"] = table["quantity"].str.startswith(("objective", "capacity "))
    small = np.maximum(table["pypsa"].abs(), table["pyomo"].abs()) < CAPACITY_ATOL_MW
    tol = np.where(table["quantity"] == "objective EUR", OBJECTIVE_RTOL, CAPACITY_RTOL)
    table["ok"] = (table["rel_diff"] <= tol) | (small & (table["quantity"] != "objective EUR"))
    return table


def crosscheck(
    scenario: Scenario, inputs_dir: Path | str = DEFAULT_INPUTS, pyomo_options: dict | None = None
) -> Comparison:
    """Solve ``scenario`` both ways and compare objective, corridor and new capacities."""
    inputs = apply_overrides(load_inputs(inputs_dir), scenario)
    t0 = time.perf_counter()
    data = lp_data(inputs, scenario)  # first: rejects unsupported resolutions before solving
    t1 = time.perf_counter()
    n = build_network(inputs, scenario)
    report = optimize(n, scenario)
    if not report.optimal:
        raise RuntimeError(f"PyPSA: {report.status}/{report.condition}")
    t2 = time.perf_counter()
    model = build_model(data)
    t3 = time.perf_counter()
    solution = solve_model(model, pyomo_options)
    if not solution.optimal:
        raise RuntimeError(f"Pyomo/HiGHS: {solution.condition}")
    timings = {
        "pypsa_total_s": t2 - t1,
        "pypsa_build_s": report.build_s,
        "pypsa_solve_s": report.solve_s,
        "pyomo_build_s": t3 - t2 + t1 - t0,
        "pyomo_handoff_s": solution.handoff_s,
        "pyomo_solve_s": solution.solve_s,
    }
    table = compare_table(
        (float(n.objective), solution.objective_eur), pypsa_summary(n, inputs), summary(model, data)
    )
    return Comparison(table=table, timings=timings)


def format_comparison(comparison: Comparison) -> str:
    """The comparison as aligned text; 'ok'/'MISS' on checked rows, '-' on the others."""
    table = comparison.table.copy()
    table["ok"] = np.where(table["checked"], np.where(table["ok"], "ok", "MISS"), "-")
    return table.drop(columns="checked").to_string(
        index=False,
        formatters={
            "pypsa": "{:,.3f}".format,
            "pyomo": "{:,.3f}".format,
            "rel_diff": "{:.2e}".format,
        },
    )

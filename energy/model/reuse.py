"""Build once, solve many: runs that differ only in bounds or costs share one linopy model.

A value curve fixes a cable at several sizes; a tornado moves one cost up and down. Each
such run rebuilds the network and the model today (inputs, ``build_network``,
``create_model``, the corridor rules, the lean pass). :class:`ReusableModel` builds them
once and changes only what differs — the bounds of a capacity variable, the objective
coefficient of one — before solving again. HiGHS is handed the whole model on each solve
(linopy's direct interface has no warm start), so the saving is the build time per run;
``benchmarks/speed.py --reuse`` measures it against rebuilding.
"""

from __future__ import annotations

import time

import numpy as np
import pypsa

from energy.config.scenario import Scenario
from energy.model.solve import SolveReport, build_model, chosen_method, solver_options


class ReusableModel:
    """The linopy model of ``n`` (built once), changed in place between solves."""

    def __init__(self, n: pypsa.Network, scenario: Scenario) -> None:
        """Build the model of ``n`` with the corridor rules, as :func:`optimize` does."""
        start = time.perf_counter()
        build_model(n, scenario)
        self.n = n
        self.scenario = scenario
        self.build_s = time.perf_counter() - start
        self._bounds: dict[tuple[str, str], tuple[float, float]] = {}
        self._deltas: dict[tuple[str, str], float] = {}
        self._objective = n.model.objective.expression

    def fix_capacity(self, component: str, name: str, value: float | None) -> None:
        """Fix the capacity of ``name`` at ``value`` MW (None: back to its own bounds)."""
        var = self.n.model[f"{component}-p_nom"]
        key = (component, name)
        if key not in self._bounds:
            self._bounds[key] = (
                float(var.lower.sel(name=name)),
                float(var.upper.sel(name=name)),
            )
        lower, upper = self._bounds[key] if value is None else (value, value)
        new_lower, new_upper = var.lower.copy(), var.upper.copy()
        new_lower.loc[{"name": name}] = lower
        new_upper.loc[{"name": name}] = upper
        var.update(lower=new_lower, upper=new_upper)

    def add_capital_cost(self, component: str, name: str, delta: float) -> None:
        """Raise the annuity of ``name`` by ``delta`` EUR/MW (relative to the built model;
        each call replaces the previous change of the same unit)."""
        self._deltas[(component, name)] = delta
        expr = self._objective
        for (comp, unit), value in self._deltas.items():
            if value:
                expr = expr + value * self.n.model[f"{comp}-p_nom"].sel(name=unit)
        self.n.model.add_objective(expr, overwrite=True)

    def solve(self) -> SolveReport:
        """Solve the model as it stands now; the solution is on the network."""
        options = solver_options(self.scenario, chosen_method(self.scenario, self.n.model.nvars))
        start = time.perf_counter()
        status, condition = self.n.optimize.solve_model(
            solver_name="highs", solver_options=options, io_api="direct"
        )
        info = self.n.model.solver_model.getInfo() if self.n.model.solver_model else None
        return SolveReport(
            status=status,
            condition=condition,
            objective_eur=float(self.n.model.objective.value) if status == "ok" else np.nan,
            solver="highs",
            method=chosen_method(self.scenario, self.n.model.nvars),
            highs_version="",
            ipm_iterations=int(getattr(info, "ipm_iteration_count", 0) or 0),
            simplex_iterations=int(getattr(info, "simplex_iteration_count", 0) or 0),
            build_s=0.0,
            solve_s=time.perf_counter() - start,
            variables=int(self.n.model.nvars),
            constraints=int(self.n.model.ncons),
        )


def capacity_curve(
    n: pypsa.Network, scenario: Scenario, link: str, sizes: list[float]
) -> dict[float, float]:
    """Objective (EUR) with the forward link ``link`` fixed at each size (MW), one model."""
    model = ReusableModel(n, scenario)
    curve = {}
    for size in sizes:
        model.fix_capacity("Link", link, size)
        report = model.solve()
        if not report.optimal:
            raise RuntimeError(f"{link} at {size} MW: {report.condition}")
        curve[size] = report.objective_eur
    model.fix_capacity("Link", link, None)
    return curve

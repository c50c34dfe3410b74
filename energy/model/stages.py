"""Buildable stages: candidate links with a ``module_mw`` (links.csv) built in whole modules
when the scenario turns ``modules`` on (PyPSA ``p_nom_mod``; the model becomes a MILP)."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.naming import corridor_of, is_forward
from energy.model.solve import SolveReport, optimize

logger = logging.getLogger(__name__)


def apply_modules(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Set ``p_nom_mod`` on the forward expansion part of every modular candidate link (the
    reverse part is tied to it, so it is a whole number of modules too)."""
    if not scenario.modules:
        return
    links = n.c.links.static
    module = corridor_of(links).map(inputs.links["module_mw"])
    modular = links["p_nom_extendable"] & is_forward(links) & (module > 0)
    if modular.any():
        n.c.links.static.loc[modular, "p_nom_mod"] = module[modular]


# -- solving in whole modules: the LP relaxation, then its neighbouring whole-module plans --

MAX_CANDIDATES = 16  # every floor/ceil combination up to this many, else one flip at a time


@dataclasses.dataclass
class Rounded:
    """The outcome of :func:`optimize_in_modules`: the network holding the chosen plan's
    solution and its solve report (MIP gap and bound filled in)."""

    network: pypsa.Network
    report: SolveReport


def modular_links(n: pypsa.Network) -> pd.Series:
    """``p_nom_mod`` of every extendable link built in modules (MW), by link name."""
    links = n.c.links.static
    return links.loc[links["p_nom_extendable"] & (links["p_nom_mod"] > 0), "p_nom_mod"]


def relaxed(n: pypsa.Network) -> pypsa.Network:
    """A copy of ``n`` whose modular links may take any size (the LP relaxation)."""
    m = n.copy()
    m.c.links.static["p_nom_mod"] = 0.0
    return m


def fixed(n: pypsa.Network, sizes: pd.Series) -> pypsa.Network:
    """A copy of ``n`` with each modular link fixed at ``sizes`` (MW, full capital cost)."""
    m = relaxed(n)
    m.c.links.static.loc[sizes.index, "p_nom_min"] = sizes
    m.c.links.static.loc[sizes.index, "p_nom_max"] = sizes
    return m


def candidates(built: pd.Series, module: pd.Series, room: pd.Series) -> list[pd.Series]:
    """Whole-module plans around the relaxed sizes ``built``: each link at the module count
    below or above its relaxed size (one count where it is whole), within ``room``. All
    combinations up to :data:`MAX_CANDIDATES`, else the nearest plan and its one-link flips;
    nearest plan first."""
    count = built / module
    low = np.floor(count + 1e-6)
    high = np.where(count - low > 1e-6, low + 1, low)
    high = np.where(high * module > room + 1e-6, low, high)
    nearest = np.where(count - low > 0.5, high, low)
    choices = [sorted({lo, hi}) for lo, hi in zip(low, high)]
    if np.prod([len(c) for c in choices]) <= MAX_CANDIDATES:
        plans = [np.array(p) for p in itertools.product(*choices)]
    else:
        plans = [nearest] + [
            np.where(np.arange(len(nearest)) == i, lo + hi - nearest, nearest)
            for i, (lo, hi) in enumerate(zip(low, high))
            if lo != hi
        ]
    plans.sort(key=lambda p: float(np.abs(p - count).sum()))
    return [pd.Series(p * module.to_numpy(), index=built.index) for p in plans]


def optimize_in_modules(
    n: pypsa.Network, scenario: Scenario, log_file: Path | None = None, **kwargs
) -> Rounded:
    """Optimise ``n`` with its modular links in whole modules.

    ``solver.mip_method: round`` (default): solve the LP relaxation (a lower bound on the
    MILP's cost), then each whole-module plan next to it (:func:`candidates`) as an LP with
    the sizes fixed; keep the cheapest. Its gap to the bound is a proven MIP gap. With a
    single link between two module counts the better neighbour is the exact optimum (the
    LP's cost is convex in a fixed capacity), so the gap is 0. If the gap exceeds
    ``solver.mip_gap``, one level of branching tightens the bound (:func:`branched_bound`);
    if the gap is still not met, the MILP is solved by HiGHS. ``milp``: HiGHS branch and
    bound directly. Without modular links: one LP."""
    module = modular_links(n)
    if module.empty or scenario.solver.mip_method == "milp":
        return Rounded(n, optimize(n, scenario, log_file, **kwargs))
    start = time.perf_counter()
    lp = relaxed(n)
    lp_report = optimize(lp, scenario, suffixed(log_file, "relaxation"), **kwargs)
    if not lp_report.optimal:
        return Rounded(lp, lp_report)
    bound = lp_report.objective_eur
    built = lp.c.links.static.loc[module.index, "p_nom_opt"]
    room = n.c.links.static.loc[module.index, "p_nom_max"]
    plans = candidates(built, module, room)
    logger.info(
        "modules: relaxation %.6e EUR; %d whole-module plan(s) around %s",
        bound,
        len(plans),
        ", ".join(f"{k} {v:,.0f} MW" for k, v in built.items()),
    )
    best: Rounded | None = None
    reports = [lp_report]
    for i, sizes in enumerate(plans):
        trial = fixed(n, sizes)
        report = optimize(trial, scenario, suffixed(log_file, f"plan-{i + 1}"), **kwargs)
        reports.append(report)
        logger.info(
            "modules: plan %d/%d (%s): %s, %.6e EUR",
            i + 1,
            len(plans),
            ", ".join(f"{v:,.0f}" for v in sizes),
            report.condition,
            report.objective_eur,
        )
        if report.optimal and (best is None or report.objective_eur < best.report.objective_eur):
            best = Rounded(trial, report)
    fractional = int((np.abs(built / module - np.round(built / module)) > 1e-6).sum())
    if best is None:
        logger.warning("modules: no whole-module plan solved; HiGHS solves the MILP")
        return Rounded(n, optimize(n, scenario, log_file, **kwargs))
    if fractional == 1 and len(plans) == 2:
        bound = best.report.objective_eur  # convex in one size: the better neighbour is exact
    gap = max(0.0, (best.report.objective_eur - bound) / abs(best.report.objective_eur))
    branches: list[SolveReport] = []
    if gap > scenario.solver.mip_gap:
        bound, branches = branched_bound(
            n, scenario, built, module, room, bound, log_file, **kwargs
        )
        gap = max(0.0, (best.report.objective_eur - bound) / abs(best.report.objective_eur))
    reports += branches
    if gap > scenario.solver.mip_gap:
        logger.warning(
            "modules: best plan %.3g above the bound (gap %.3g > %.3g); HiGHS solves the MILP",
            gap,
            gap,
            scenario.solver.mip_gap,
        )
        return Rounded(n, optimize(n, scenario, log_file, **kwargs))
    report = dataclasses.replace(
        best.report,
        method=f"relaxation and {len(plans)} whole-module plan(s)"
        + (f", bound from {len(branches)} branch relaxation(s)" if branches else "")
        + f" ({best.report.method})",
        mip=True,
        mip_gap=gap,
        mip_bound_eur=bound,
        ipm_iterations=sum(r.ipm_iterations for r in reports),
        simplex_iterations=sum(r.simplex_iterations for r in reports),
        build_s=sum(r.build_s for r in reports),
        solve_s=time.perf_counter() - start - sum(r.build_s for r in reports),
    )
    return Rounded(best.network, report)


def branched_bound(
    n: pypsa.Network,
    scenario: Scenario,
    built: pd.Series,
    module: pd.Series,
    room: pd.Series,
    bound: float,
    log_file: Path | None = None,
    **kwargs,
) -> tuple[float, list[SolveReport]]:
    """A lower bound on the MILP's cost, at least ``bound`` (the relaxation's), and the solve
    reports behind it. In any whole-module plan a link whose relaxed size ``built`` is a
    fractional module count is either at most the count below or at least the count above,
    so the cheaper of those two relaxations bounds the MILP; the largest such bound over the
    links is kept (one level of branch and bound). A branch beyond the link's ``room`` holds
    no plan; a link with a branch that does not solve to optimality is left out."""
    count = built / module
    low = np.floor(count + 1e-6) * module
    reports = []
    for name in count.index[(built - low) > 1e-6 * module]:
        down = relaxed(n)
        down.c.links.static.at[name, "p_nom_max"] = low[name]
        branches = {"down": down}
        if low[name] + module[name] <= room[name] + 1e-6:
            branches["up"] = relaxed(n)
            branches["up"].c.links.static.at[name, "p_nom_min"] = low[name] + module[name]
        costs = []
        for side, m in branches.items():
            report = optimize(m, scenario, suffixed(log_file, f"branch-{name}-{side}"), **kwargs)
            reports.append(report)
            costs.append(report.objective_eur if report.optimal else np.nan)
        if not np.isnan(costs).any():
            bound = max(bound, min(costs))
        logger.info(
            "modules: branching on %s (%s MW or fewer | more): %s; bound %.6e EUR",
            name,
            f"{low[name]:,.0f}",
            " | ".join(f"{c:.6e}" for c in costs),
            bound,
        )
    return bound, reports


def suffixed(path: Path | None, suffix: str) -> Path | None:
    """``highs.log`` → ``highs-<suffix>.log`` (None stays None)."""
    return path.with_name(f"{path.stem}-{suffix}{path.suffix}") if path else None

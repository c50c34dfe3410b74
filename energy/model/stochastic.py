"""Two-stage stochastic sizing on one linopy model: the deterministic equivalent.

The networks of K weather years (same components, different profiles) are stacked along time
into one network: the capacities (``p_nom`` of every extendable component) are single
variables shared by all years — the first stage — and each year has its own dispatch — the
second stage. Year ``k``'s snapshots carry objective and generator weightings multiplied by its
probability ``p_k``, so the objective is capex + Σ p_k · opex_k; store weightings stay the
elapsed hours. Year ``k``'s snapshots are year 0's shifted by ``k`` calendar years, so the
snapshot index stays unique and increasing and each year keeps its months and hours.

Why not PyPSA's ``n.set_scenarios``: our corridor rules (energy/model/constraints.py) select
``Link-p``, ``Link-p_nom`` and ``Generator-p`` by component name and add variables on
``(snapshot, name)``; with PyPSA scenarios the component index becomes (scenario, name) and
every rule would need a scenario-aware rewrite. Stacked time carries them unchanged: hourly
rules hold in every hour of every year, capacity rules bind the shared capacities, an annual
export target becomes one on the expected year. One approximation: a battery's state of
charge runs on from the last hour of one weather year into the first of the next (and
cyclically from the last year back to the first), as in a sequence of real years.

CVaR (:func:`add_cvar`) follows PyPSA's ``set_risk_preference``: capex + (1 − ω) E[opex] +
ω CVaR_α(opex), CVaR over the worst 1 − α of the probability mass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

BLOCK = "weather_block"  # n.meta key: the year block (0 … K-1) of each snapshot


def shifted(index: pd.Index, years: int) -> pd.DatetimeIndex:
    """Snapshots moved by whole calendar years (month, day and hour kept)."""
    return pd.DatetimeIndex(index) + pd.DateOffset(years=years)


def stack_years(networks: Sequence[pypsa.Network], probabilities: Sequence[float]) -> pypsa.Network:
    """One network holding every year's snapshots after each other; see the module doc."""
    if len(networks) != len(probabilities):
        raise ValueError("one probability per network")
    first = networks[0]
    blocks = [shifted(nk.snapshots, k) for k, nk in enumerate(networks)]
    n = first.copy()
    n.set_snapshots(pd.DatetimeIndex(np.concatenate([b.values for b in blocks]), name="snapshot"))
    weights = []
    for k, (nk, p) in enumerate(zip(networks, probabilities)):
        w = nk.snapshot_weightings.copy()
        w.index = blocks[k]
        w[["objective", "generators"]] *= p
        weights.append(w)
    n.snapshot_weightings = pd.concat(weights)
    for component in first.components.keys():
        for attr, df in first.c[component].dynamic.items():
            if df.empty or attr in ("p", "q", "state_of_charge", "marginal_price", "mu_upper"):
                continue
            frames = []
            for k, nk in enumerate(networks):
                part = nk.c[component].dynamic[attr]
                if list(part.columns) != list(df.columns):
                    raise ValueError(f"{component}.{attr}: columns differ between weather years")
                frames.append(part.set_axis(blocks[k], axis=0))
            n.c[component].dynamic[attr] = pd.concat(frames)
    n.meta = dict(first.meta) | {
        BLOCK: np.repeat(np.arange(len(networks)), [len(b) for b in blocks]).tolist(),
        "probabilities": list(map(float, probabilities)),
    }
    return n


def block_of_labels(m, block: np.ndarray, snapshots: pd.Index) -> np.ndarray:
    """For every variable label of model ``m``: its year block, −1 for first-stage variables."""
    out = np.full(m._xCounter, -1, dtype=int)
    by_snapshot = xr.DataArray(block, coords={"snapshot": snapshots}, dims="snapshot")
    for name in m.variables:
        labels = m.variables[name].labels
        if "snapshot" not in labels.dims:
            continue
        blocks, labels = xr.broadcast(by_snapshot.sel(snapshot=labels["snapshot"]), labels)
        valid = labels.values >= 0
        out[labels.values[valid]] = blocks.values[valid]
    return out


def split_objective(n: pypsa.Network) -> tuple[object, list[object]]:
    """The objective as (first-stage terms, [weighted second-stage terms of each year])."""
    import linopy

    m = n.model
    expr = m.objective.expression
    coeffs = expr.coeffs.values.ravel()
    labels = expr.vars.values.ravel()
    keep = labels >= 0
    coeffs, labels = coeffs[keep], labels[keep]
    block = np.asarray(n.meta[BLOCK])
    of_label = block_of_labels(m, block, n.snapshots)[labels]

    def part(mask: np.ndarray) -> linopy.LinearExpression:
        data = xr.Dataset(
            {"coeffs": ("_term", coeffs[mask]), "vars": ("_term", labels[mask]), "const": 0.0}
        )
        return linopy.LinearExpression(data, m)

    years = len(n.meta["probabilities"])
    return part(of_label < 0), [part(of_label == k) for k in range(years)]


def add_cvar(n: pypsa.Network, alpha: float, weight: float) -> None:
    """Replace the objective by capex + (1 − ω) E[opex] + ω CVaR_α(opex) (Rockafellar–Uryasev:
    CVaR = η + Σ p_k s_k / (1 − α), s_k ≥ opex_k − η, s_k ≥ 0)."""
    if weight == 0:
        return
    m = n.model
    p = np.asarray(n.meta["probabilities"])
    capex, weighted_opex = split_objective(n)
    eta = m.add_variables(name="CVaR-eta")
    excess = m.add_variables(lower=0, coords=[pd.RangeIndex(len(p), name="year")], name="CVaR-s")
    for k, opex in enumerate(weighted_opex):
        if p[k] > 0:  # opex_k = weighted opex / p_k
            m.add_constraints(excess.sel(year=k) + eta - opex / p[k] >= 0, name=f"CVaR-excess-{k}")
    tail = (excess * xr.DataArray(p, coords={"year": range(len(p))})).sum() / (1 - alpha)
    expected = sum(weighted_opex[1:], weighted_opex[0])
    m.objective = capex + (1 - weight) * expected + weight * (eta + tail)

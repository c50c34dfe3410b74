# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Cable sizing sweep
#
# How big should the trans-Caspian cable be? The `cable-sizing` sweep varies its capex and the
# EU export price; this notebook reads the merged results — the summary table and the xarray
# cube with one dimension per swept parameter — and looks at what drives the cable size.
#
# Run the sweep first: `energy sweep cable-sizing --workers 2` (results in
# `$GREEN_CORRIDOR_RESULTS/cable-sizing/`, default `results/`). Without it, the cells below
# only say so.

# %%
import pandas as pd
from IPython.display import display

from energy import load_results
from energy.paths import results_root
from energy.review import plot

ROOT = results_root()
found = sorted(p.parent for p in ROOT.glob("*/summary.csv"))
folder = ROOT / "cable-sizing" if (ROOT / "cable-sizing/summary.csv").is_file() else \
    (found[0] if found else None)
sweep = load_results(folder) if folder else None
if sweep is None:
    print(f"no sweep under {ROOT}: run `energy sweep cable-sizing --workers 2` first")
else:
    print(f"sweep '{sweep.name}' in {sweep.path}: {len(sweep.summary)} cases, "
          f"{(sweep.summary['status'] != 'optimal').sum()} failed")

# %% [markdown]
# ## The summary: one row per case

# %%
if sweep is not None:
    display(sweep.summary.head(20))

# %% [markdown]
# ## The cube
# One dimension per swept parameter, one variable per KPI (the unit is in its name and in
# `attrs["units"]`); failed cases are NaN.

# %%
if sweep is not None:
    cube = sweep.cube
    dims = [d for d in cube.dims if cube.sizes[d] > 1]
    cable = next((v for v in cube.data_vars if str(v).startswith("capacity_trans-caspian")),
                 next(v for v in cube.data_vars if cube[v].dtype.kind == "f"))
    display(cube)
    display(cube[cable].to_pandas() if len(dims) == 2 else cube[cable].to_dataframe())

# %% [markdown]
# ## Optimal trans-Caspian capacity over capex × export price

# %%
if sweep is not None and len(dims) >= 2:
    fig = plot.sweep_heatmap(sweep, cable, dims[0], dims[1])

# %%
if sweep is not None and dims:
    fig = plot.sweep_lines(sweep, cable, dims[0], hue=dims[1] if len(dims) > 1 else None)

# %% [markdown]
# ## What drives the cable size?
# Main effects: the mean of a KPI at each value of one parameter, averaged over the others.
# The wider the spread, the more the cable size depends on that parameter.

# %%
if sweep is not None:
    effects = []
    for dim in dims:
        means = cube[cable].mean(dim=[d for d in cube[cable].dims if d != dim]).to_pandas()
        effects.append({"parameter": dim, "lowest": means.min(), "highest": means.max(),
                        "spread": means.max() - means.min()})
    display(pd.DataFrame(effects).set_index("parameter").sort_values("spread",
                                                                     ascending=False))

# %%
if sweep is not None:
    others = [str(v) for v in cube.data_vars if str(v).startswith(
        ("capacity_black-sea", "export_energy_TWh", "system_cost"))]
    for kpi in others:
        if len(dims) >= 2:
            fig = plot.sweep_heatmap(sweep, kpi, dims[0], dims[1])

# %% [markdown]
# ## One case in detail
# Every case folder is a complete run: load it like a single scenario.

# %%
if sweep is not None and sweep.cases():
    best = sweep.summary.loc[sweep.summary[f"{cable}"].idxmax(), "case"]
    case = sweep.case(best)
    print(f"largest cable in case {best}: {case.kpi(cable.rsplit('_', 1)[0]):,.0f} MW")
    fig = plot.corridor_map(case)

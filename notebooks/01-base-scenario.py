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
# # 01 · The base scenario
#
# What the model builds in the base scenario and how the corridor runs: the inputs at a
# glance, capacities, dispatch, cable use, exports and costs — and what changes when the new
# cables cannot be built (`no-cable`).
#
# Results are read from `$GREEN_CORRIDOR_RESULTS` (default: `results/` of the repository):
# run `make run` (the base scenario) and, for the comparison, `energy run no-cable` first.

# %%
import pandas as pd
from IPython.display import display

from energy import load_results
from energy.data.inputs import load_inputs
from energy.paths import results_root
from energy.review import plot

pd.set_option("display.float_format", "{:,.2f}".format)
ROOT = results_root()
base = load_results(ROOT / "base")
meta = base.metadata
print(f"scenario '{base.name}': {meta['scenario']['description']}")
print(f"{meta['snapshots']} snapshots ({meta['resolution']}), window: "
      f"{meta['scenario']['window'] or 'full year'}, solver: {meta['condition']}")

# %% [markdown]
# ## Inputs at a glance
# Nodes, 2030 demand and the corridors (existing capacity and how far each may be expanded).

# %%
inputs = load_inputs()
demand = inputs.demand.reset_index(drop=True)
demand = demand[demand["period"] == "2030"].set_index("node")[["demand_twh", "peak_mw"]]
inputs.nodes.reset_index(drop=True).set_index("node")[["name", "role", "lat", "lon"]].join(demand)

# %%
inputs.links.reset_index(drop=True).set_index("link")[
    ["bus0", "bus1", "type", "length_km", "p_nom_mw", "extendable", "p_nom_max_mw"]]

# %% [markdown]
# ## Key figures

# %%
base.kpis.set_index("kpi")

# %% [markdown]
# ## The corridor and its capacities
# Line width is proportional to the optimal capacity; dashed lines are candidates the model
# did not build.

# %%
fig = plot.corridor_map(base)

# %%
fig = plot.capacity_by_node(base)

# %%
added = base.capacities[base.capacities["added_mw"] > 0]
added.set_index(["node", "carrier"])

# %% [markdown]
# ## Dispatch
# The week with the most market exports, at the trans-Caspian hub (AZ) and at the west
# Kazakh landing (KZ-W).

# %%
fig = plot.dispatch_stack(base, "AZ")

# %%
fig = plot.dispatch_stack(base, "KZ-W")

# %% [markdown]
# ## Cable use
# Net flow per corridor sorted from high to low (positive: in the corridor's from → to
# direction), and the corridors table: utilisation, congested hours, losses and congestion rent.

# %%
fig = plot.flow_duration(base)

# %%
base.links.set_index("link")[["from", "to", "optimal_mw", "added_mw", "flow_forward_twh",
                              "flow_backward_twh", "utilisation", "congestion_hours"]]

# %% [markdown]
# ## Exports

# %%
fig = plot.exports(base)
plot.export_summary(base)

# %% [markdown]
# ## Prices and costs

# %%
fig = plot.price_duration(base)

# %%
fig = plot.cost_breakdown(base)

# %%
base.costs.pivot_table(index="node", values=["capex_eur", "opex_eur", "total_eur"],
                       aggfunc="sum").div(1e6).rename(columns=lambda c: c.replace("_eur", " [M EUR]"))

# %% [markdown]
# ## Base vs no-cable
# The `no-cable` scenario forbids the new trans-Caspian and Black Sea cables. Run it with
# `energy run no-cable` if it is not there yet.

# %%
no_cable_dir = ROOT / "no-cable"
if (no_cable_dir / "kpis.csv").is_file():
    runs = {"base": base, "no-cable": load_results(no_cable_dir)}
    kpis = ["system_cost", "export_energy", "export_revenue", "co2_emissions",
            "capacity_trans-caspian", "capacity_black-sea"]
    fig = plot.compare_kpis(runs, kpis)
    table = pd.DataFrame({name: run.kpi_series() for name, run in runs.items()})
    table["difference"] = table["base"] - table["no-cable"]
    display(table.loc[kpis])
else:
    print(f"no results at {no_cable_dir}: run `energy run no-cable` for the comparison")

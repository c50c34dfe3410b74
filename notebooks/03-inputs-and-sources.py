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
# # 03 · Inputs and their sources
#
# The data behind the model: every input table, where each number comes from, and the
# synthetic hourly profiles with their calibration to the annual figures. No results needed.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from energy.data.inputs import load_inputs
from energy.results.export import sources_table

pd.set_option("display.max_colwidth", 80)
inputs = load_inputs()
tables = ["nodes", "demand", "carriers", "fleet", "fuels", "co2_prices", "potentials",
          "links", "markets", "costs"]
pd.DataFrame({"rows": [len(getattr(inputs, t)) for t in tables]}, index=tables)

# %% [markdown]
# ## Sources
# Every row carries a `source`; a note starting with `L:` marks a figure derived or estimated
# by us (the note says how).

# %%
sources = sources_table()
by_file = sources.groupby("file").agg(
    rows=("id", "size"), distinct_sources=("source", "nunique"),
    estimated=("note", lambda n: n.str.startswith("L").sum()))
by_file

# %%
sources[sources["file"] == "links.csv"][["id", "source", "note"]]

# %% [markdown]
# ## Capacity: existing fleet (2030) and technical potential

# %%
fleet = inputs.fleet.reset_index(drop=True)
fleet = fleet[fleet["period"] == "2030"].pivot_table(index="node", columns="carrier",
                                                     values="p_nom_mw", aggfunc="sum")
colors = inputs.carriers["color"]
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
(fleet / 1e3).plot.bar(stacked=True, ax=ax, color=[colors.get(c, "grey") for c in fleet])
ax.set(title="Existing and committed capacity, 2030", ylabel="Capacity [GW]", xlabel="Node")
ax.legend(title="Carrier", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False);

# %%
inputs.potentials.reset_index(drop=True).pivot_table(index="node", columns="carrier",
                                                     values="potential_gw")

# %% [markdown]
# ## Profiles and their calibration
# The hourly profiles are synthetic (see `docs/profiles.md`, made by `python -m tools.profiles`). Each renewable profile's annual
# mean must equal `cf_annual` of `potentials.csv`, and each load profile's peak/mean the
# `peak_mw / mean load` of `demand.csv`.

# %%
rows = []
for (node, carrier), row in inputs.potentials.iterrows():
    profile = inputs.profiles.get(carrier)
    if profile is not None and node in profile:
        rows.append({"node": node, "carrier": carrier, "cf_annual": row["cf_annual"],
                     "profile_mean": profile[node].mean()})
calibration = pd.DataFrame(rows).set_index(["node", "carrier"])
calibration["difference"] = calibration["profile_mean"] - calibration["cf_annual"]
calibration

# %%
demand = inputs.demand.reset_index(drop=True)
demand = demand[demand["period"] == "2030"].set_index("node")
load = inputs.profiles["load"]
pd.DataFrame({"peak/mean (demand.csv)": demand["peak_mw"] / (demand["demand_twh"] * 1e6 / 8760),
              "peak/mean (profile)": load.max() / load.mean()}).dropna()

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained", sharey=True)
for ax, carrier in zip(axes, ["onwind", "solar"]):
    monthly = inputs.profiles[carrier].groupby(inputs.profiles[carrier].index.month).mean()
    monthly.plot(ax=ax, marker="o")
    ax.set(title=f"{carrier}: monthly mean capacity factor", xlabel="Month",
           ylabel="Capacity factor [–]")
    ax.legend(title="Node", fontsize=8, frameon=False)

# %%
week = slice("2030-01-08", "2030-01-14")
fig, ax = plt.subplots(figsize=(11, 4), layout="constrained")
inputs.profiles["load"].loc[week].plot(ax=ax)
ax.set(title="Load shape, one January week (mean 1 over the year)", xlabel="Time (UTC)",
       ylabel="Load / annual mean load [–]")
ax.legend(title="Node", fontsize=8, frameon=False, ncols=3);

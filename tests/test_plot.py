"""Every plot renders on a small run (and a small sweep) with data, a title, units and a
legend; the node balance behind the dispatch stack closes; the map's outlines ship offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from energy import load_results
from energy.results import Results
from energy.review import maps, plot


@pytest.fixture(scope="module")
def base(review_results: Path) -> Results:
    return load_results(review_results / "base")


@pytest.fixture(scope="module")
def sweep(review_results: Path) -> Results:
    return load_results(review_results / "cable-sizing")


def check_figure(fig: Figure) -> None:
    """Data on some axes, a title, a unit in brackets, a legend or colorbar."""
    assert isinstance(fig, Figure)
    axes = fig.axes
    assert any(ax.lines or ax.patches or ax.collections or ax.images for ax in axes)
    titles = [ax.get_title() for ax in axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
    assert any(titles)
    labels = [ax.get_xlabel() + ax.get_ylabel() for ax in axes]
    assert any("[" in text and "]" in text for text in labels)
    assert any(ax.get_legend() is not None for ax in axes) or len(axes) > 1  # colorbar axes
    plt.close(fig)


RUN_PLOTS: dict[str, Callable[[Results], Figure]] = {
    "capacity_by_node": plot.capacity_by_node,
    "dispatch_stack AZ": lambda r: plot.dispatch_stack(r, "AZ"),
    "dispatch_stack EU from a date": lambda r: plot.dispatch_stack(r, "EU", "2030-01-09", 2),
    "flow_duration": plot.flow_duration,
    "flow_duration one cable": lambda r: plot.flow_duration(r, ["az-ge"]),
    "price_duration": plot.price_duration,
    "exports": plot.exports,
    "cost_breakdown": plot.cost_breakdown,
    "corridor_map": plot.corridor_map,
}


@pytest.mark.slow  # review_results solves the full inputs
@pytest.mark.parametrize("name", RUN_PLOTS)
def test_run_plot_has_data_title_units_legend(base: Results, name: str) -> None:
    check_figure(RUN_PLOTS[name](base))


@pytest.mark.slow  # review_results solves the full inputs
def test_compare_kpis(review_results: Path) -> None:
    runs = {n: load_results(review_results / n) for n in ("base", "no-cable")}
    fig = plot.compare_kpis(runs, ["system_cost", "export_energy", "capacity_black-sea"])
    assert len(fig.axes) == 3 and all(len(ax.patches) == 2 for ax in fig.axes)
    check_figure(fig)


@pytest.mark.slow  # review_results solves the full inputs
def test_sweep_heatmap_and_lines(sweep: Results) -> None:
    kpi = "capacity_trans-caspian_MW"
    fig = plot.sweep_heatmap(sweep, kpi, "capex_factor", "EU")
    image = fig.axes[0].images[0].get_array()
    expected = sweep.cube[kpi].transpose("EU", "capex_factor").to_numpy()
    np.testing.assert_allclose(np.ma.filled(image, np.nan), expected)
    check_figure(fig)
    check_figure(plot.sweep_lines(sweep, kpi, "capex_factor", hue="EU"))
    check_figure(plot.sweep_lines(sweep, "system_cost_EUR", "EU", select={"capex_factor": 1.5}))


@pytest.mark.slow  # review_results solves the full inputs
def test_node_balance_closes(base: Results) -> None:
    """Supply − withdrawal at every node equals its load in every snapshot."""
    load = base.timeseries["load"].to_pandas().fillna(0.0)
    for node in base.timeseries["node"].to_numpy():
        balance = plot.node_dispatch(base, node).sum(axis=1)
        np.testing.assert_allclose(balance, load[node], atol=1e-3)


@pytest.mark.slow  # review_results solves the full inputs
def test_corridor_flow_matches_links_table(base: Results) -> None:
    flows = plot.corridor_flow(base)
    weight = base.timeseries["weight"].to_pandas()
    links = base.links.set_index("link")
    net = flows.mul(weight, axis=0).sum() * 1e-6
    expected = links["flow_forward_twh"] - links["flow_backward_twh"]
    np.testing.assert_allclose(net[expected.index], expected, atol=1e-5)


def test_shipped_outlines_are_small_and_sourced() -> None:
    path = maps.GEOJSON
    assert path.stat().st_size < 100_000
    features = json.loads(path.read_text())["features"]
    countries = {f["properties"]["iso_a2"] for f in features}
    assert {"KZ", "UZ", "TM", "AZ", "GE", "RU", "TR", "RO", "IR"} <= countries
    assert all("Natural Earth" in f["properties"]["source"] for f in features)
    russia = next(f for f in features if f["properties"]["iso_a2"] == "RU")
    lons = (
        [p[0] for poly in russia["geometry"]["coordinates"] for p in poly[0]]
        if russia["geometry"]["type"] == "MultiPolygon"
        else [p[0] for p in russia["geometry"]["coordinates"][0]]
    )
    assert max(lons) <= 90.01
    assert len(maps.country_patches()) >= len(features)

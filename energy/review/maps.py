"""The corridor map: country outlines (shipped GeoJSON, no download) and every corridor with a
line width proportional to its optimal capacity."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from energy.paths import DEFAULT_INPUTS
from energy.results.folder import Results
from energy.review.style import LINK_COLORS, figure, title
from energy.review.summaries import node_coordinates

GEOJSON = DEFAULT_INPUTS / "geo" / "corridor_countries.geojson"
MW_PER_POINT = 400.0  # map line width: 1 pt per 400 MW


def country_patches(path: Path = GEOJSON) -> list[Polygon]:
    """Outer rings of every country polygon in the shipped GeoJSON (plain json, no GIS)."""
    patches = []
    for feature in json.loads(Path(path).read_text())["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        patches += [Polygon(np.asarray(rings[0]), closed=True) for rings in polygons]
    return patches


def label_offset(dx: float, dy: float, points: float = 26.0) -> tuple[float, float]:
    """Where a link's label goes (points from the midpoint): on a long link on the line, on a
    short one beside it — below, or left of a near-vertical one — clear of the node labels."""
    length = float(np.hypot(dx, dy))
    if length >= 7 or length == 0:
        return 0.0, 0.0
    nx, ny = -dy / length, dx / length
    if ny > 0:
        nx, ny = -nx, -ny
    if abs(ny) < 0.3 and nx > 0:
        nx, ny = -nx, -ny
    return points * nx, points * ny


def corridor_map(res: Results) -> Figure:
    """Nodes at their coordinates, corridors as lines with width ∝ optimal capacity."""
    coords = node_coordinates(res)
    links = res.links
    used = coords.loc[list(dict.fromkeys([*links["from"], *links["to"]]))]
    fig, ax = figure(12, 6)
    ax.set_facecolor("#dceaf5")
    ax.add_collection(
        PatchCollection(
            country_patches(), facecolor="#f2efe6", edgecolor="#a8a29a", linewidth=0.6, zorder=0
        )
    )
    for _, link in links.iterrows():
        (x0, y0), (x1, y1) = (
            used.loc[link["from"], ["lon", "lat"]],
            used.loc[link["to"], ["lon", "lat"]],
        )
        built = link["optimal_mw"] > 0
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=LINK_COLORS.get(link["type"], "grey"),
            linewidth=max(link["optimal_mw"] / MW_PER_POINT, 0.8),
            linestyle="-" if built else "--",
            alpha=0.85 if built else 0.5,
            solid_capstyle="round",
            zorder=2,
        )
        text = f"{link['link']}\n{link['optimal_mw']:,.0f} MW"
        if link["added_mw"] > 0.5:
            text += f" (+{link['added_mw']:,.0f})"
        ax.annotate(
            text,
            ((x0 + x1) / 2, (y0 + y1) / 2),
            xytext=label_offset(x1 - x0, y1 - y0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=7,
            zorder=4,
            color="#222" if built else "#777",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    for role, marker, size in (("domestic", "o", 70), ("market", "s", 80)):
        nodes = used[used["role"] == role]
        ax.scatter(
            nodes["lon"],
            nodes["lat"],
            marker=marker,
            s=size,
            color="#222",
            zorder=5,
            edgecolor="white",
        )
        for node, row in nodes.iterrows():
            ax.annotate(
                node,
                (row["lon"], row["lat"]),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=9,
                fontweight="bold",
                zorder=6,
            )
    pad = 3.0
    ax.set_xlim(used["lon"].min() - pad - 1, used["lon"].max() + pad)
    ax.set_ylim(used["lat"].min() - pad, used["lat"].max() + pad)
    ax.set_aspect(1 / np.cos(np.radians(used["lat"].mean())))
    ax.set_xlabel("Longitude [°E]")
    ax.set_ylabel("Latitude [°N]")
    ax.set_title(title(res, "Corridor: optimal link capacity (line width ∝ MW)"))
    handles = [
        Line2D([], [], color=c, linewidth=3, label=t)
        for t, c in LINK_COLORS.items()
        if t in set(links["type"])
    ]
    handles += [
        Line2D([], [], color="grey", linewidth=mw / MW_PER_POINT, label=f"{mw:,} MW")
        for mw in (1000, 3000)
    ]
    handles += [
        Line2D([], [], color="grey", linestyle="--", linewidth=0.8, label="candidate, not built"),
        Line2D([], [], marker="o", color="#222", linestyle="", label="domestic node"),
        Line2D([], [], marker="s", color="#222", linestyle="", label="export market"),
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
        title="Links and nodes",
    )
    ax.annotate(
        "Country outlines: Natural Earth 1:110m (public domain)",
        (0.01, 0.01),
        xycoords="axes fraction",
        fontsize=6,
        color="#666",
    )
    return fig

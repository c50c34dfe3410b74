"""Identity of model components, set once when the network is built and read everywhere else.

Custom columns of the PyPSA static tables (they travel with ``network.nc``):

- every Generator, StorageUnit and Link has ``new`` (True: capacity the model may build;
  False: capacity in place). Fixing a plan's capacities (hourly check) keeps ``new``;
- every Link has ``corridor`` (the row of ``links.csv`` it belongs to) and ``reverse``
  (False: from the corridor's ``bus0`` to its ``bus1``; True: the other way). A corridor is
  two links, one per direction; ``new`` is True on both when the corridor may be expanded
  (its existing capacity is then the links' ``p_nom_min``);
- a Load of carrier ``boundary`` is a fixed flow from a neighbour the model leaves out
  (negative ``p_set``: it supplies its bus), with that neighbour in ``partner``; every other
  Load is demand.

Component names stay readable (``KZ-W onwind new``, ``trans-caspian reverse``) but no
module parses them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # names only: reading results needs no PyPSA
    import pypsa

VARIABLE = ("onwind", "solar", "offwind")
RENEWABLE = (*VARIABLE, "hydro")
EXPORT = "export"  # carrier of the market steps that buy corridor power
IMPORT = "import"  # carrier of the market steps that sell into the corridor
LOAD_SHEDDING = "load-shedding"
BOUNDARY = "boundary"  # carrier of fixed flows from neighbours outside the model (Loads)
NOT_CAPACITY = (EXPORT, IMPORT, LOAD_SHEDDING)  # generators that are no power plants


def link_name(corridor: pd.Index, reverse: bool) -> pd.Index:
    """Names of a corridor's one-way links: ``trans-caspian`` and ``trans-caspian reverse``."""
    return corridor + (" reverse" if reverse else "")


def opposite_links(links: pd.DataFrame) -> pd.Index:
    """For each one-way link, the name of the link carrying its corridor the other way."""
    corridor = pd.Index(links["corridor"])
    return corridor.where(links["reverse"].astype(bool).to_numpy(), link_name(corridor, True))


def corridor_part_name(corridor: pd.Index, new: bool, reverse: bool) -> pd.Index:
    """Compatibility name of :func:`link_name`: existing and new capacity of a corridor are
    one link per direction now, so ``new`` no longer changes the name."""
    return link_name(corridor, reverse)


def new_name(index: pd.Index) -> pd.Index:
    """Names of candidate (new) generators and storage units: ``<node> <carrier> new``."""
    return index + " new"


def corridor_of(links: pd.DataFrame) -> pd.Series:
    """One-way link part → corridor id."""
    return links["corridor"]


def is_forward(links: pd.DataFrame) -> pd.Series:
    """True for link parts that run from the corridor's ``bus0`` to its ``bus1``."""
    return ~links["reverse"].astype(bool)


def forward_links(links: pd.DataFrame) -> pd.Series:
    """Corridor id → name of its forward link (the one that carries the corridor's capacity
    and capital cost)."""
    forward = links[is_forward(links)]
    return pd.Series(forward.index, index=corridor_of(forward).to_numpy())


def is_new(static: pd.DataFrame) -> pd.Series:
    """True for capacity the model may build (also after a plan's capacities were fixed)."""
    return static["new"].astype(bool)


def export_generators(n: pypsa.Network, markets: tuple[str, ...] | None = None) -> pd.Index:
    """The market steps that buy: generators of carrier ``export`` (p ≤ 0, cost = −revenue),
    of ``markets`` only if given."""
    gens = n.c.generators.static
    mask = gens["carrier"] == EXPORT
    if markets is not None:
        mask &= gens["bus"].isin(markets)
    return gens.index[mask]


def import_generators(n: pypsa.Network) -> pd.Index:
    """The market steps that sell into the corridor (carrier ``import``)."""
    gens = n.c.generators.static
    return gens.index[gens["carrier"] == IMPORT]


def boundary_loads(n: pypsa.Network) -> pd.Index:
    """The fixed flows from neighbours the model leaves out (Loads of carrier ``boundary``)."""
    loads = n.c.loads.static
    return loads.index[loads["carrier"] == BOUNDARY]


def demand_loads(n: pypsa.Network) -> pd.Index:
    """The loads that are demand (every Load but the boundary flows)."""
    loads = n.c.loads.static
    return loads.index[loads["carrier"] != BOUNDARY]


def load_shedding_generators(n: pypsa.Network) -> pd.Index:
    """The priced slack of unserved demand, if the scenario has one."""
    gens = n.c.generators.static
    return gens.index[gens["carrier"] == LOAD_SHEDDING]


def green_pool(n: pypsa.Network, countries: tuple[str, ...], pool: str) -> pd.Index:
    """Renewable generators in ``countries`` that may back green exports (``pool``:
    ``additional`` — only capacity the model builds —, or ``all``)."""
    gens = n.c.generators.static
    country = gens["bus"].map(n.c.buses.static["location"])
    mask = gens["carrier"].isin(RENEWABLE) & country.isin(countries)
    if pool == "additional":
        mask &= is_new(gens)
    return gens.index[mask]

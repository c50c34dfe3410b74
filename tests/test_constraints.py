"""Structural tests of every corridor rule: the rows each ``define_*`` adds to the LP, written
out as golden text (coefficient × variable, sense, right-hand side), in the style of
Calliope's ``tests/math``. A wrong coefficient, sign, bus or right-hand side changes the text.

The network is built by hand (no inputs), two snapshots, three buses::

    A (KZ) ──ab: 50 MW existing + new, η 0.9──▶ B (AZ) ──bm: 30 MW, η 0.95──▶ M (market)

Rows without any variable (a bus with nothing to balance) are left out of the text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config.scenario import GreenExport, Scenario
from energy.model import constraints as C

SNAPSHOTS = pd.date_range("2030-01-01", periods=2, freq="h")


def corridor_network() -> pypsa.Network:
    """The three-bus network above, identity columns set as ``build_network`` sets them."""
    n = pypsa.Network()
    n.set_snapshots(SNAPSHOTS)
    n.add("Bus", ["A", "B", "M"], location=["KZ", "AZ", "EU"])
    n.add(
        "Generator",
        "A onwind new",
        bus="A",
        carrier="onwind",
        p_nom_extendable=True,
        capital_cost=1.0,
        new=True,
    )
    n.add("Generator", "A onwind", bus="A", carrier="onwind", p_nom=20, new=False)
    n.add("Generator", "A coal", bus="A", carrier="coal", p_nom=100, marginal_cost=10, new=False)
    n.add(
        "Generator",
        "B solar new",
        bus="B",
        carrier="solar",
        p_nom_extendable=True,
        capital_cost=1.0,
        new=True,
    )
    n.add(
        "Generator",
        "M export 1",
        bus="M",
        carrier="export",
        p_nom=40,
        p_min_pu=-1,
        p_max_pu=0,
        marginal_cost=-50,
        new=False,
    )
    parts = [  # name, bus0, bus1, efficiency, p_nom, extendable, corridor, reverse
        ("ab", "A", "B", 0.9, 50.0, False, "ab", False),
        ("ab reverse", "B", "A", 0.9, 50.0, False, "ab", True),
        ("ab new", "A", "B", 0.9, 0.0, True, "ab", False),
        ("ab new reverse", "B", "A", 0.9, 0.0, True, "ab", True),
        ("bm", "B", "M", 0.95, 30.0, False, "bm", False),
        ("bm reverse", "M", "B", 0.95, 30.0, False, "bm", True),
    ]
    for name, bus0, bus1, eta, p_nom, ext, corridor, reverse in parts:
        n.add(
            "Link",
            name,
            bus0=bus0,
            bus1=bus1,
            efficiency=eta,
            p_nom=p_nom,
            p_nom_extendable=ext,
            capital_cost=1.0 if ext and not reverse else 0.0,
            corridor=corridor,
            reverse=reverse,
            new=ext,
        )
    n.optimize.create_model(include_objective_constant=False)
    return n


def golden(n: pypsa.Network, name: str) -> set[str]:
    """Every row of constraint ``name`` as ``+2 x[i] -1 y[] <= 3``, terms sorted by variable
    and coordinates."""
    m = n.model
    flat = m.constraints[name].to_polars().to_pandas()
    flat = flat[flat["vars"] >= 0]
    rows = set()
    for _, row in flat.groupby("labels"):
        terms: dict[tuple, float] = {}
        for (var, coords), coeff in zip(
            m.variables.get_label_position(row["vars"].to_numpy()), row["coeffs"]
        ):
            key = (var, tuple(_short(x) for x in coords.values()))
            terms[key] = terms.get(key, 0.0) + coeff
        lhs = " ".join(
            f"{c:+g} {var}[{','.join(coords)}]"
            for (var, coords), c in sorted(terms.items())
            if c != 0
        )
        rows.add(f"{lhs} {row['sign'].iloc[0]} {row['rhs'].iloc[0] + 0.0:.6g}")
    return rows


def _short(value: object) -> str:
    """Snapshots as t0, t1; names as they are."""
    if isinstance(value, pd.Timestamp | np.datetime64):
        return f"t{list(SNAPSHOTS).index(pd.Timestamp(value))}"
    return str(value)


def scenario(**changes: object) -> Scenario:
    """A scenario with the green rule over KZ only and no other corridor setting."""
    green = GreenExport(countries=("KZ",), markets=("M",))
    return Scenario(**{"name": "golden", "green_export": green, **changes})


def test_tied_corridors_one_capacity_for_both_directions_of_new_parts() -> None:
    n = corridor_network()
    C.define_tied_corridors(n)
    assert golden(n, "Link-corridor_tie") == {
        "+1 Link-p_nom[ab new] -1 Link-p_nom[ab new reverse] = 0"
    }


def test_shared_capacity_counts_existing_once_and_new_once() -> None:
    """Both directions of a corridor share its capacity: Σ flows − new ≤ existing (50, not
    100: the existing capacity appears on two one-way links but is one line)."""
    n = corridor_network()
    C.define_shared_corridor_capacity(n)
    expected = set()
    for t in ("t0", "t1"):
        expected.add(
            f"+1 Link-p[{t},ab] +1 Link-p[{t},ab new] +1 Link-p[{t},ab new reverse] "
            f"+1 Link-p[{t},ab reverse] -1 Link-p_nom[ab new] <= 50"
        )
        expected.add(f"+1 Link-p[{t},bm] +1 Link-p[{t},bm reverse] <= 30")
    assert golden(n, "Link-corridor_shared_capacity") == expected


def test_green_flow_bounded_by_physical_flow() -> None:
    n = corridor_network()
    C.define_green_export(n, scenario())
    links = ("ab", "ab reverse", "ab new", "ab new reverse", "bm", "bm reverse")
    assert golden(n, "green_flow_within_flow") == {
        f"-1 Link-p[{t},{link}] +1 green_flow[{t},{link}] <= 0"
        for t in ("t0", "t1")
        for link in links
    }


def test_green_matching_at_every_bus_additional_pool() -> None:
    """At A only the new KZ wind counts (not the existing wind, not coal); B is in AZ, outside
    the rule's countries, so its new solar does not count; green power arriving over a link
    counts with the link's efficiency; the market's purchase (p ≤ 0) must be covered."""
    n = corridor_network()
    C.define_green_export(n, scenario())
    expected = set()
    for t in ("t0", "t1"):
        expected |= {
            f"+1 Generator-p[{t},A onwind new] -1 green_flow[{t},ab] -1 green_flow[{t},ab new] "
            f"+0.9 green_flow[{t},ab new reverse] +0.9 green_flow[{t},ab reverse] >= 0",
            f"+0.9 green_flow[{t},ab] +0.9 green_flow[{t},ab new] "
            f"-1 green_flow[{t},ab new reverse] -1 green_flow[{t},ab reverse] "
            f"-1 green_flow[{t},bm] +0.95 green_flow[{t},bm reverse] >= 0",
            f"+1 Generator-p[{t},M export 1] +0.95 green_flow[{t},bm] "
            f"-1 green_flow[{t},bm reverse] >= 0",
        }
    assert golden(n, "green_export_matching") == expected


def test_green_matching_pool_all_counts_existing_renewables() -> None:
    n = corridor_network()
    C.define_green_export(
        n, scenario(green_export=GreenExport(countries=("KZ",), pool="all", markets=("M",)))
    )
    rows = golden(n, "green_export_matching")
    assert any(
        "Generator-p[t0,A onwind] " in r and "Generator-p[t0,A onwind new]" in r for r in rows
    )
    assert not any("A coal" in r for r in rows)


def test_green_rule_off_adds_nothing() -> None:
    n = corridor_network()
    C.define_green_export(n, scenario(green_export=GreenExport(enabled=False)))
    assert "green_export_matching" not in n.model.constraints
    assert "green_flow" not in n.model.variables


def test_export_target_weights_hours_and_scales_to_the_window() -> None:
    """Σ_t w_t · (−p_export) = target × (modelled hours / 8760): 10 TWh/a over 2 h."""
    n = corridor_network()
    n.snapshot_weightings.loc[:, ["objective", "generators"]] = [[3.0, 3.0], [1.0, 1.0]]
    C.define_export_target(n, scenario(export_target_twh=10))
    target = 10e6 * 4 / 8760
    assert golden(n, "export_target") == {
        f"-3 Generator-p[t0,M export 1] -1 Generator-p[t1,M export 1] = {target:.6g}"
    }


def test_export_target_with_shortfall_is_priced_in_the_objective() -> None:
    n = corridor_network()
    C.define_export_target(n, scenario(export_target_twh=10), shortfall_penalty=1e4)
    (row,) = golden(n, "export_target")
    assert row.startswith(
        "-1 Generator-p[t0,M export 1] -1 Generator-p[t1,M export 1] +1 export_shortfall[]"
    )
    objective = n.model.objective.expression.to_polars().to_pandas()
    shortfall = n.model["export_shortfall"].labels.item()
    assert objective.loc[objective["vars"] == shortfall, "coeffs"].item() == pytest.approx(1e4)

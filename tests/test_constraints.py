"""Structural tests of every corridor rule: the rows each ``define_*`` adds to the LP, written
out as golden text (coefficient × variable, sense, right-hand side), in the style of
Calliope's ``tests/math``. A wrong coefficient, sign, bus or right-hand side changes the text.

The network is built by hand (no inputs), two snapshots, three buses::

    A (KZ) ──ab: 50 MW existing, expandable, η 0.9──▶ B (AZ) ──bm: 30 MW, η 0.95──▶ M (market)

Each corridor is one link per direction (``ab``, ``ab reverse``); an expandable one has its
existing capacity as ``p_nom_min``. Rows without any variable are left out of the text.
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
        ("ab", "A", "B", 0.9, 50.0, True, "ab", False),
        ("ab reverse", "B", "A", 0.9, 50.0, True, "ab", True),
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
            p_nom_min=p_nom if ext else 0.0,
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


def test_tied_corridors_one_capacity_for_both_directions() -> None:
    n = corridor_network()
    C.define_tied_corridors(n)
    assert golden(n, "Link-corridor_tie") == {"+1 Link-p_nom[ab] -1 Link-p_nom[ab reverse] = 0"}


def test_shared_capacity_of_both_directions() -> None:
    """Both directions of a corridor share its capacity: Σ flows ≤ the forward link's
    p_nom, a variable (whose lower bound is the 50 MW in place) when the corridor may be
    expanded, the fixed 30 MW otherwise. (Before issue 16 a corridor was four one-way parts,
    existing and new, and the row read Σ 4 flows − p_nom[new] ≤ existing.)"""
    n = corridor_network()
    C.define_shared_corridor_capacity(n)
    expected = set()
    for t in ("t0", "t1"):
        expected.add(f"+1 Link-p[{t},ab] +1 Link-p[{t},ab reverse] -1 Link-p_nom[ab] <= 0")
        expected.add(f"+1 Link-p[{t},bm] +1 Link-p[{t},bm reverse] <= 30")
    assert golden(n, "Link-corridor_shared_capacity") == expected


def test_shared_capacity_replaces_the_per_link_upper_rows() -> None:
    """p_fwd + p_rev ≤ p_nom with p ≥ 0 bounds each direction: PyPSA's Link-ext-p-upper rows
    are redundant and removed (issue 16); the lower rows (p ≥ 0) stay for the lean pass."""
    n = corridor_network()
    assert "Link-ext-p-upper" in n.model.constraints
    C.define_shared_corridor_capacity(n)
    assert "Link-ext-p-upper" not in n.model.constraints
    assert "Link-ext-p-lower" in n.model.constraints


def test_green_flow_only_towards_the_market() -> None:
    """Green power starts at A (new KZ wind) and is bought at M: only ab and bm lie on a
    path from A to M; the reverse links point back to the source or away from the market
    and get no green flow (issue 16; before, every one-way part had one)."""
    n = corridor_network()
    C.define_green_export(n, scenario())
    assert golden(n, "green_flow_within_flow") == {
        f"-1 Link-p[{t},{link}] +1 green_flow[{t},{link}] <= 0"
        for t in ("t0", "t1")
        for link in ("ab", "bm")
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
            f"+1 Generator-p[{t},A onwind new] -1 green_flow[{t},ab] >= 0",
            f"+0.9 green_flow[{t},ab] -1 green_flow[{t},bm] >= 0",
            f"+1 Generator-p[{t},M export 1] +0.95 green_flow[{t},bm] >= 0",
        }
    assert golden(n, "green_export_matching") == expected


def test_useful_green_links_follow_simple_paths() -> None:
    """A diamond S → {X, Y} → M with a cross link X ↔ Y and a dead end D: X→Y and Y→X both
    lie on a simple path S…M; links into D or back towards S do not."""
    n = pypsa.Network()
    n.add("Bus", ["S", "X", "Y", "M", "D"])
    pairs = [("S", "X"), ("S", "Y"), ("X", "M"), ("Y", "M"), ("X", "Y"), ("S", "D")]
    for a, b in pairs:
        n.add("Link", f"{a}{b}", bus0=a, bus1=b)
        n.add("Link", f"{b}{a}", bus0=b, bus1=a)
    useful = C.useful_green_links(n, pd.Index(["S"]), pd.Index(["M"]))
    assert set(useful) == {"SX", "SY", "XM", "YM", "XY", "YX"}


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


def test_trade_schedules_cap_one_direction_and_floor_the_net_flow() -> None:
    """A ceiling of 1 TWh/a on ab's forward flow and a floor of 0.5 TWh/a on the flow back
    net of the forward flow, both weighted (3 h, 1 h) and scaled to the modelled 4 h; bm has
    no schedule (NaN) and no row."""
    n = corridor_network()
    n.snapshot_weightings.loc[:, ["objective", "generators"]] = [[3.0, 3.0], [1.0, 1.0]]
    n.links["schedule_max_twh"] = [1.0, np.nan, np.nan, np.nan]
    n.links["schedule_min_twh"] = [np.nan, 0.5, np.nan, np.nan]
    C.define_trade_schedules(n)
    share = 4 / 8760
    assert golden(n, "Link-schedule_max") == {
        f"+3 Link-p[t0,ab] +1 Link-p[t1,ab] <= {1e6 * share:.6g}"
    }
    assert golden(n, "Link-schedule_min") == {
        "-3 Link-p[t0,ab] +3 Link-p[t0,ab reverse] -1 Link-p[t1,ab] +1 Link-p[t1,ab reverse] "
        f">= {0.5e6 * share:.6g}"
    }


def test_no_schedule_columns_no_rows() -> None:
    n = corridor_network()
    C.define_trade_schedules(n)
    assert not {"Link-schedule_max", "Link-schedule_min"} & set(n.model.constraints)


def test_an_export_season_bars_net_exports_in_other_months() -> None:
    """B may export only in February and March: in both January snapshots what its links take
    from it is at most what they deliver to it after losses (A and M have no season)."""
    n = corridor_network()
    n.buses["export_first_month"] = [np.nan, 2, np.nan]
    n.buses["export_last_month"] = [np.nan, 3, np.nan]
    C.define_export_seasons(n)
    assert golden(n, "Bus-export_season") == {
        f"-0.9 Link-p[{t},ab] +1 Link-p[{t},ab reverse] +1 Link-p[{t},bm] "
        f"-0.95 Link-p[{t},bm reverse] <= 0"
        for t in ("t0", "t1")
    }


def test_no_rows_inside_the_season_or_without_one() -> None:
    n = corridor_network()
    n.buses["export_first_month"] = [np.nan, 1, np.nan]
    n.buses["export_last_month"] = [np.nan, 6, np.nan]
    C.define_export_seasons(n)
    assert golden(n, "Bus-export_season") == set()
    n = corridor_network()
    C.define_export_seasons(n)
    assert "Bus-export_season" not in n.model.constraints


def test_thermal_units_serve_at_most_the_residual_load() -> None:
    """A has an export season: its load is 80 and 30 MW in the two snapshots and its existing
    onwind (20 MW at p_max_pu 0.5 and 1) could give 10 and 20 MW, so its coal (thermal) may
    give at most 70 and 10 MW. The new onwind (extendable) and B's coal (no season) are not in
    the rows."""
    n = corridor_network()
    n.add("Carrier", ["coal", "onwind", "solar"], kind=["thermal", "variable", "variable"])
    p_set = pd.DataFrame({"A load": [80.0, 30.0], "B load": [5.0, 5.0]}, index=SNAPSHOTS)
    n.add("Load", ["A load", "B load"], bus=["A", "B"], p_set=p_set)
    n.add("Generator", "B coal", bus="B", carrier="coal", p_nom=100, new=False)
    n.generators_t.p_max_pu["A onwind"] = [0.5, 1.0]
    n.optimize.create_model(include_objective_constant=False)
    n.buses["export_first_month"] = [2, np.nan, np.nan]
    n.buses["export_last_month"] = [3, np.nan, np.nan]
    C.define_thermal_residual(n)
    assert golden(n, "Bus-thermal_residual") == {
        "+1 Generator-p[t0,A coal] <= 70",
        "+1 Generator-p[t1,A coal] <= 10",
    }


def test_no_residual_rows_without_a_season_or_carrier_kinds() -> None:
    n = corridor_network()
    C.define_thermal_residual(n)  # no carrier kinds: nothing to tell thermal units apart
    assert "Bus-thermal_residual" not in n.model.constraints
    n.buses["export_first_month"] = [np.nan, np.nan, np.nan]
    n.buses["export_last_month"] = [np.nan, np.nan, np.nan]
    n.add("Carrier", ["coal"], kind=["thermal"])
    C.define_thermal_residual(n)
    assert "Bus-thermal_residual" not in n.model.constraints

"""The leaner LP of issue 16: single-variable rows as bounds, one link per direction, green
flows only towards a market — the same optimum with fewer rows and columns."""

from __future__ import annotations

import linopy
import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.model.lean import lp_size, rows_to_bounds
from tests.test_constraints import corridor_network, scenario


def small_lp() -> linopy.Model:
    """min −x − 2y with x ≤ 3 and −2y ≥ −8 as rows, x + y ≤ 6, x, y free otherwise."""
    m = linopy.Model()
    x = m.add_variables(name="x")
    y = m.add_variables(name="y")
    m.add_constraints(x <= 3, name="x_upper")
    m.add_constraints(-2 * y >= -8, name="y_upper")
    m.add_constraints(x >= 0, name="x_lower")
    m.add_constraints(y >= 0, name="y_lower")
    m.add_constraints(x + y <= 6, name="both")
    m.add_objective(-1 * x - 2 * y)
    return m


def test_single_variable_rows_become_bounds_with_the_same_optimum() -> None:
    m = small_lp()
    m.solve(solver_name="highs")
    before = m.objective.value
    lean = small_lp()
    removed = rows_to_bounds(lean)
    assert sorted(removed) == ["x_lower", "x_upper", "y_lower", "y_upper"]
    assert list(lean.constraints) == ["both"]
    assert float(lean["x"].upper) == 3.0 and float(lean["y"].upper) == pytest.approx(4.0)
    assert float(lean["x"].lower) == 0.0 and float(lean["y"].lower) == 0.0
    lean.solve(solver_name="highs")
    assert lean.objective.value == pytest.approx(before, rel=1e-12)  # x = 2, y = 4: −10


def test_crossing_bounds_leave_the_model_as_it_was() -> None:
    """An infeasible model stays infeasible as written, for the solver and the diagnosis."""
    m = linopy.Model()
    x = m.add_variables(name="x")
    m.add_constraints(x >= 2, name="low")
    m.add_constraints(x <= 1, name="high")
    m.add_objective(1 * x)
    assert rows_to_bounds(m) == []
    assert sorted(m.constraints) == ["high", "low"]


def test_corridor_network_keeps_its_optimum_and_sheds_rows() -> None:
    """The three-bus corridor of the golden tests, solved with and without the lean pass."""
    from energy.model.constraints import add_corridor_constraints

    objectives, sizes = [], []
    for lean in (False, True):
        n = corridor_network()
        n.c.generators.dynamic["p_max_pu"] = pd.DataFrame(
            {"A onwind new": [0.8, 0.3], "B solar new": [0.0, 0.9], "A onwind": [0.5, 0.5]},
            index=n.snapshots,
        )
        n.add("Load", "B load", bus="B", p_set=[20.0, 35.0])
        add_corridor_constraints(n, scenario())
        if lean:
            rows_to_bounds(n.model)
        sizes.append(lp_size(n.model))
        n.optimize.solve_model(solver_name="highs")
        objectives.append(n.objective)
    assert objectives[1] == pytest.approx(objectives[0], rel=1e-9)
    assert sizes[1].variables == sizes[0].variables
    assert sizes[1].constraints < sizes[0].constraints / 2
    assert sizes[1].nonzeros < sizes[0].nonzeros


def test_no_single_variable_row_is_left() -> None:
    n = corridor_network()
    rows_to_bounds(n.model)
    for _, con in n.model.constraints.items():
        flat = con.to_polars()
        flat = flat.filter(flat["vars"] >= 0)
        assert flat["labels"].is_duplicated().any() or flat.is_empty()


def test_expandable_corridor_charges_only_the_expansion() -> None:
    """Existing capacity is the lower bound of one link per direction; its annuity is the
    objective constant, so ``n.objective`` charges only what the model adds (as before,
    when existing and new capacity were separate links)."""
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2030-01-01", periods=2, freq="h"))
    n.add("Bus", ["A", "B"])
    n.add("Generator", "A gen", bus="A", p_nom=200, marginal_cost=1.0)
    n.add("Load", "B load", bus="B", p_set=80.0)
    for name, bus0, bus1, cost in (("ab", "A", "B", 10.0), ("ab reverse", "B", "A", 0.0)):
        n.add(
            "Link",
            name,
            bus0=bus0,
            bus1=bus1,
            p_nom=50.0,
            p_nom_min=50.0,
            p_nom_max=100.0,
            p_nom_extendable=True,
            capital_cost=cost,
        )
    n.optimize.create_model(include_objective_constant=True)
    n.optimize.solve_model(solver_name="highs")
    assert n.c.links.static.at["ab", "p_nom_opt"] == pytest.approx(80.0)
    assert n.objective_constant == pytest.approx(10.0 * 50.0)
    assert n.objective == pytest.approx(10.0 * 30.0 + 1.0 * 80.0 * 2, rel=1e-9)


def test_base_window_lp_is_smaller_and_has_the_same_optimum() -> None:
    """Base, one week at 3h: the LP before and after the lean pass (same corridors)."""
    from energy.config.scenario import load_scenario
    from energy.data.inputs import load_inputs
    from energy.data.overrides import apply_overrides
    from energy.model.constraints import add_corridor_constraints
    from energy.model.network import build_network

    scenario_ = load_scenario("base", window={"start": "2030-02-01", "end": "2030-02-07"})
    inputs = apply_overrides(load_inputs(), scenario_)
    objectives, sizes = [], []
    for lean in (False, True):
        n = build_network(inputs, scenario_)
        n.optimize.create_model(include_objective_constant=True)
        add_corridor_constraints(n, scenario_)
        if lean:
            rows_to_bounds(n.model)
        sizes.append(lp_size(n.model))
        n.optimize.solve_model(solver_name="highs", solver_options={"solver": "simplex"})
        objectives.append(n.objective)
    assert np.isclose(objectives[1], objectives[0], rtol=1e-6)
    assert sizes[1].constraints < 0.4 * sizes[0].constraints
    links = n.c.links.static
    assert len(links) == 2 * links["corridor"].nunique()
    green = n.model["green_flow"].indexes["name"]
    assert "kzn-ru" not in green and "kzn-ru reverse" not in green  # RU buys no green power
    assert "az-ge reverse" not in green  # back towards the source

"""Build once, solve many (issue 16): the reused model gives the same answers as rebuilding."""

from __future__ import annotations

import pytest

from energy.config.scenario import load_scenario
from energy.data.inputs import load_inputs
from energy.data.overrides import apply_overrides
from energy.model.network import build_network
from energy.model.reuse import ReusableModel, capacity_curve
from energy.model.solve import optimize

WINDOW = {"start": "2030-02-01", "end": "2030-02-04"}


@pytest.fixture(scope="module")
def setup():
    scenario = load_scenario("base", window=WINDOW)
    return scenario, apply_overrides(load_inputs(), scenario)


def rebuilt(scenario, inputs, link: str, size: float | None, cost: float = 0.0) -> float:
    """Objective of a freshly built network with ``link`` fixed at ``size`` MW (both
    directions) and its annuity raised by ``cost``."""
    n = build_network(inputs, scenario)
    links = n.c.links.static
    if size is not None:
        both = links.index[links["corridor"] == link]
        links.loc[both, ["p_nom_min", "p_nom_max"]] = size
    links.loc[link, "capital_cost"] += cost
    report = optimize(n, scenario)
    assert report.optimal
    return report.objective_eur


def test_fixed_sizes_match_rebuilt_models(setup) -> None:
    scenario, inputs = setup
    curve = capacity_curve(build_network(inputs, scenario), scenario, "trans-caspian", [0, 1500])
    for size, objective in curve.items():
        assert objective == pytest.approx(
            rebuilt(scenario, inputs, "trans-caspian", size), rel=1e-6
        )


def test_cost_change_and_release_match_rebuilt_models(setup) -> None:
    scenario, inputs = setup
    model = ReusableModel(build_network(inputs, scenario), scenario)
    free = model.solve().objective_eur
    model.fix_capacity("Link", "trans-caspian", 800.0)
    model.solve()
    model.fix_capacity("Link", "trans-caspian", None)  # back to its own bounds
    assert model.solve().objective_eur == pytest.approx(free, rel=1e-9)
    model.add_capital_cost("Link", "black-sea", -150_000.0)
    cheaper = model.solve().objective_eur
    assert cheaper == pytest.approx(
        rebuilt(scenario, inputs, "black-sea", None, -150_000.0), rel=1e-6
    )

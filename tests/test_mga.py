"""Near-optimal ranges of a link on the two-node case of ``test_value_curve.py`` (issue 14).

V(X) is piecewise linear with slopes a1 = C_L + C_W − 100·η·H < 0 below X* = 400/η and
a2 = C_L + C_W − 20·η·H > 0 above it. Within a slack s the sizes with V(X) ≤ V* + s·|V*| are

    X* − s·|V*| / |a1|  …  min(X* + s·|V*| / a2, 1,000 MW)

and the cost at each end is the bound V* + s·|V*| (the link's maximum aside).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy.analysis.mga import run_mga
from energy.errors import InputError
from tests.test_value_curve import (
    C_L,
    C_W,
    ETA,
    QUIET,
    X_STAR,
    H,
    scenario,
    two_node_inputs,
    value,
)

SLACKS = [0.01, 0.05, 0.2]
V_STAR = value(X_STAR)
A1 = C_L + C_W - 100 * ETA * H
A2 = C_L + C_W - 20 * ETA * H


def bounds(s: float) -> tuple[float, float]:
    """The hand range of sizes within slack ``s``."""
    room = s * abs(V_STAR)
    return X_STAR - room / abs(A1), min(X_STAR + room / A2, 1000.0)


@pytest.fixture(scope="module")
def mga(tmp_path_factory) -> pd.DataFrame:
    base = tmp_path_factory.mktemp("mga")
    inputs = two_node_inputs(base / "in")
    table, folder = run_mga(
        scenario(), "cable", SLACKS, inputs_dir=inputs, root=base / "out", runner=QUIET
    )
    assert (folder / "mga.csv").is_file() and (folder / "mga.png").is_file()
    return table.set_index("slack")


def test_ranges_equal_the_hand_formula(mga) -> None:
    for s in SLACKS:
        low, high = bounds(s)
        assert mga.at[s, "min_mw"] == pytest.approx(low, rel=1e-5)
        assert mga.at[s, "max_mw"] == pytest.approx(high, rel=1e-5)
        bound = V_STAR + s * abs(V_STAR)
        assert mga.at[s, "objective_at_min_eur"] == pytest.approx(bound, rel=1e-6)
        assert mga.at[s, "export_at_min_twh"] == pytest.approx(ETA * low * H * 1e-6, rel=1e-5)
    assert mga.at[0.2, "max_mw"] == pytest.approx(1000.0)  # the link's maximum binds
    assert mga.at[0.2, "objective_at_max_eur"] == pytest.approx(value(1000.0), rel=1e-6)


def test_ranges_contain_the_optimum_and_nest(mga) -> None:
    assert mga.at[0.0, "min_mw"] == pytest.approx(X_STAR, rel=1e-6)
    assert (mga["min_mw"] <= X_STAR + 1e-6).all() and (mga["max_mw"] >= X_STAR - 1e-6).all()
    assert mga["min_mw"].is_monotonic_decreasing and mga["max_mw"].is_monotonic_increasing


def test_negative_slack_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    inputs = two_node_inputs(tmp_path / "in")
    with pytest.raises(InputError, match="slack"):
        run_mga(scenario(), "cable", [0.01, -0.02], inputs_dir=inputs, root=tmp_path / "out")
    with pytest.raises(InputError, match="unknown link"):
        run_mga(scenario(), "cabel", [0.01], inputs_dir=inputs, root=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_range_of_a_sum_of_two_identical_cables_is_that_of_one(tmp_path: Path) -> None:
    """Two parallel cables of equal cost and losses act as one: the range of their sum
    within each slack is the hand range of one cable (below 1,000 MW, one cable's room)."""
    inputs = two_node_inputs(tmp_path / "in")
    links = pd.read_csv(inputs / "links.csv")
    twin = links.assign(link="cable2")
    pd.concat([links, twin]).to_csv(inputs / "links.csv", index=False)
    table, folder = run_mga(
        scenario(), "cable+cable2", [0.01, 0.05], inputs_dir=inputs, root=tmp_path / "out",
        runner=QUIET,
    )  # fmt: skip
    assert folder.name == "cable+cable2"
    rows = table.set_index("slack")
    assert rows.at[0.0, "optimum_mw"] == pytest.approx(X_STAR, rel=1e-6)
    for s in (0.01, 0.05):
        low, high = bounds(s)
        assert rows.at[s, "min_mw"] == pytest.approx(low, rel=1e-5)
        assert rows.at[s, "max_mw"] == pytest.approx(high, rel=1e-5)


def test_a_sum_has_no_value_curve(tmp_path: Path) -> None:
    from energy.analysis.value_curve import run_value_curve

    inputs = two_node_inputs(tmp_path / "in")
    with pytest.raises(InputError, match="use energy mga"):
        run_value_curve(scenario(), "cable+cable", inputs_dir=inputs, root=tmp_path / "out")
    with pytest.raises(InputError, match="unknown link 'cabel'"):
        run_mga(scenario(), "cable+cabel", [0.01], inputs_dir=inputs, root=tmp_path / "out")
    assert not (tmp_path / "out").exists()

"""One-at-a-time drivers on the two-node case of ``test_value_curve.py`` (issue 14).

- EU price (first step P; the second moves with it, at 0.2·P): at P = 25 not even the first
  step pays (C_L + C_W > 25·η·H): no cable, no exports; at P = 150 the second step sells at 30
  and pays (C_L + C_W < 30·η·H): the cable goes to its 1,000 MW maximum, exports η·1,000·H, and
  the objective is (C_L + C_W)·1,000 − H·(150·400 + 30·(1,000·η − 400)).
- Wind profile of A × 0.5: every MW of cable needs 2 MW of wind; the first step still pays
  (C_L + 2·C_W < 100·η·H), so the cable stays at X* and the objective rises by C_W·X*. × 2
  is capped at cf 1: nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy.analysis.tornado import read_drivers, run_tornado
from energy.errors import InputError
from tests.test_value_curve import C_L, C_W, ETA, QUIET, X_STAR, H, scenario, two_node_inputs, value

DRIVERS = [
    {"driver": "price", "label": "EU price", "parameter": "export_prices_eur_per_mwh.EU",
     "low": 25, "high": 150, "unit": "EUR/MWh", "source": "hand case"},
    {"driver": "wind", "label": "wind cf at A", "parameter": "profile_scale.onwind.A",
     "low": 0.5, "high": 2.0, "unit": "x profile", "source": "hand case"},
]  # fmt: skip


def write_drivers(folder: Path, rows: list[dict]) -> None:
    pd.DataFrame(rows).to_csv(folder / "tornado_drivers.csv", index=False)


@pytest.fixture(scope="module")
def tornado(tmp_path_factory) -> pd.DataFrame:
    base = tmp_path_factory.mktemp("tornado")
    inputs = two_node_inputs(base / "in")
    write_drivers(inputs, DRIVERS)
    table, folder = run_tornado(
        scenario(), "cable", inputs_dir=inputs, root=base / "out", runner=QUIET
    )
    assert (folder / "tornado.csv").is_file() and (folder / "tornado.png").is_file()
    return table.set_index(["driver", "side"])


def test_reference_is_the_optimum(tornado) -> None:
    ref = tornado.xs("base", level="side").iloc[0]
    assert ref["link_mw"] == pytest.approx(X_STAR, rel=1e-5)
    assert ref["objective_eur"] == pytest.approx(value(X_STAR), rel=1e-6)


def test_price_driver_moves_the_cable_as_by_hand(tornado) -> None:
    low, high = tornado.loc[("price", "low")], tornado.loc[("price", "high")]
    assert low["link_mw"] == pytest.approx(0.0, abs=1e-3)
    assert low["export_twh"] == pytest.approx(0.0, abs=1e-9)
    assert high["link_mw"] == pytest.approx(1000.0, rel=1e-6)
    assert high["export_twh"] == pytest.approx(ETA * 1000 * H * 1e-6, rel=1e-6)
    expected = (C_L + C_W) * 1000 - H * (150 * 400 + 30 * (1000 * ETA - 400))
    assert high["objective_eur"] == pytest.approx(expected, rel=1e-6)
    assert high["delta_link_mw"] == pytest.approx(1000.0 - X_STAR, rel=1e-5)


def test_profile_driver_scales_the_wind_and_caps_at_one(tornado) -> None:
    low, high = tornado.loc[("wind", "low")], tornado.loc[("wind", "high")]
    assert low["link_mw"] == pytest.approx(X_STAR, rel=1e-5)
    assert low["delta_objective_eur"] == pytest.approx(C_W * X_STAR, rel=1e-5)
    assert high["delta_objective_eur"] == pytest.approx(0.0, abs=1e-2)


def test_shipped_drivers_are_sourced_and_at_least_eight() -> None:
    drivers = read_drivers(Path(__file__).resolve().parent.parent / "inputs")
    assert drivers["driver"].nunique() >= 8
    assert drivers["source"].str.len().min() > 10


def test_a_driver_without_source_is_an_error(tmp_path: Path) -> None:
    inputs = two_node_inputs(tmp_path / "in")
    write_drivers(inputs, [DRIVERS[0] | {"source": ""}])
    with pytest.raises(InputError, match="source"):
        run_tornado(scenario(), "cable", inputs_dir=inputs, root=tmp_path / "out")
    assert not (tmp_path / "out").exists()

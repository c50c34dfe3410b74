"""The value curve and near-optimal range of a link in one period of a pathway (issue 14).

The two-node pathway of ``test_pathway.py``: A burns gas at 10 EUR/MWh, B at 40 EUR/MWh, each
with 100 MW of flat demand, one day per period (2030, 2035). The link A→B costs nothing, loses
nothing and may exist from 2033 on, so only its capacity in service in 2035 matters: X MW
(up to 150) move min(X, 100) MW of B's demand to A's cheaper plant, saving 30 EUR/MWh. With
w₃₀, w₃₅ the periods' objective weightings (discounted years) and 24 h per period:

    V(X) = w₃₀·24·(100·10 + 100·40) + w₃₅·24·(100·10 + 100·40 − 30·min(X, 100))

so the dual of X below 100 MW is −30·24·w₃₅, the optimum is any X ≥ 100 (V flat above), and
within a slack s the smallest size is 100 − s·|V*| / (30·24·w₃₅), the largest 150 MW.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from energy.analysis.mga import run_mga
from energy.analysis.value_curve import run_value_curve
from energy.errors import InputError
from energy.model.pathway import period_weightings
from energy.results.folder import Results
from energy.review.sizing import sizing_html
from tests.test_pathway import PERIODS, pathway_inputs, scenario
from tests.test_value_curve import QUIET

W = period_weightings(PERIODS, 0.02)["objective"]
LINK = {
    "link": "ab", "bus0": "A", "bus1": "B", "type": "hvac-overhead", "length_km": 0,
    "in_service_year": 2033,
    "extendable": True, "p_nom_max_mw": 150.0,
}  # fmt: skip
MARKET = [{"node": "EU", "step": 1, "price_eur_per_mwh": 50, "max_mw": 10}]  # not reachable


def value(x: float) -> float:
    """V(X) of the module docstring, EUR (discounted)."""
    return W[2030] * 24 * 5000 + W[2035] * 24 * (5000 - 30 * min(x, 100.0))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("vcp") / "in"
    return pathway_inputs(folder, {"2030": 1100, "2035": 1100}, links=[LINK], markets=MARKET)


def test_value_curve_in_a_period_equals_the_hand_formula(inputs: Path, tmp_path: Path) -> None:
    table, folder = run_value_curve(
        scenario(), "ab", [0.0, 50.0, 100.0, 150.0], inputs_dir=inputs, root=tmp_path,
        runner=QUIET, period=2035,
    )  # fmt: skip
    assert folder == tmp_path / "value-curve" / "path" / "ab" / "2035"
    assert (folder / "value_curve.csv").is_file() and (folder / "value_curve.png").is_file()
    fixed = table[table["kind"] == "fixed"].set_index("size_mw")
    best = table[table["kind"] == "optimum"].iloc[0]
    assert (table["status"] == "optimal").all()
    for x in (0.0, 50.0, 100.0, 150.0):
        assert fixed.at[x, "objective_eur"] == pytest.approx(value(x), rel=1e-7)
    assert best["objective_eur"] == pytest.approx(value(100.0), rel=1e-7)
    assert best["size_mw"] >= 100.0 - 1e-6
    assert fixed.at[150.0, "delta_eur"] == pytest.approx(0.0, abs=1e-6 * value(100.0))
    # the dual per discounted year of 2035: 30 EUR/MWh × 24 h saved per MW below 100 MW
    assert fixed.at[50.0, "net_marginal_value_eur_per_mw"] == pytest.approx(30 * 24, rel=1e-6)
    assert fixed.at[50.0, "utilisation"] == pytest.approx(1.0, rel=1e-6)
    # the report of the pathway's run shows the period's curve, with the units explained
    res = Results(tables={}, metadata={"scenario": {"name": "path"}, "resolution": "1h"})
    res.path = tmp_path / "path"
    page = sizing_html(res)
    assert "Value curve of ab in 2035" in page and "discounted over all periods" in page


def test_mga_in_a_period_equals_the_hand_range(inputs: Path, tmp_path: Path) -> None:
    table, folder = run_mga(
        scenario(), "ab", [0.001, 0.01], inputs_dir=inputs, root=tmp_path, runner=QUIET,
        period=2035,
    )  # fmt: skip
    assert folder == tmp_path / "mga" / "path" / "ab" / "2035"
    rows = table.set_index("slack")
    v_star = value(100.0)
    for s in (0.001, 0.01):
        low = max(0.0, 100.0 - s * abs(v_star) / (30 * 24 * W[2035]))
        assert rows.at[s, "min_mw"] == pytest.approx(low, rel=1e-6, abs=1e-6)
        assert rows.at[s, "max_mw"] == pytest.approx(150.0, rel=1e-6)


@pytest.mark.parametrize(
    ("period", "says"),
    [(None, "no --period given"), (2031, "2031 is not one of its periods"),
     (2030, "may build in 2030")],
)  # fmt: skip
def test_a_pathway_needs_a_period_the_link_exists_in(inputs, tmp_path, period, says) -> None:
    with pytest.raises(InputError, match=says):
        run_value_curve(
            scenario(), "ab", inputs_dir=inputs, root=tmp_path, runner=QUIET, period=period
        )
    assert not any(tmp_path.iterdir())

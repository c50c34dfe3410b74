"""The value curve of a link on a two-node case solved by hand (issue 14).

Node A (KZ) may build wind at cf 1 (C_W per MW for the window); a lossy 500 km HVDC cable
A→EU (C_L per MW, η = 0.98 × 0.95^0.5) is the link; the EU market buys 400 MW at 100 EUR/MWh
and 600 MW more at 20 EUR/MWh. Window 1–7 January 2030, hourly, H = 168 h (numbers as in
``test_hand_cases.py``). A cable of X MW runs full every hour on X MW of wind and delivers ηX:

    V(X) = (C_L + C_W)·X − H·[100·min(ηX, 400) + 20·max(0, ηX − 400)]

Convex and piecewise linear: the first step pays (C_L + C_W < 100·η·H), the second does not
(C_L + C_W > 20·η·H), so the optimum is X* = 400/η ≈ 418.8 MW. The dual of a fixed size is
the slope of V; the break-even first-step price on the first piece is (C_L + C_W)/(η·H) —
cable annuity and the wind behind each delivered MWh, losses included, over the utilised
hours — and on the second (C_L + C_W)/(0.2·η·H) (the second step's price is 0.2 × the first).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.analysis.cases import Action, Case, Runner, input_hashes
from energy.analysis.value_curve import run_value_curve
from energy.config.scenario import Scenario
from energy.errors import InputError
from tests.tiny import REPO, crf, write_inputs

H = 168
SHARE = H / 8760
WINDOW = {"start": "2030-01-01", "end": "2030-01-07"}
ETA = 0.98 * 0.95**0.5
C_W = crf(0.07, 25) * 1000e3 * SHARE
C_L = (500 * 3000.0 + 600e3) * crf(0.07, 40) * SHARE
X_STAR = 400 / ETA
SIZES = [0.0, 100.0, 200.0, 300.0, 600.0, 800.0]
QUIET = Runner(progress=False)


def value(x: float) -> float:
    """V(X) of the module docstring, EUR for the window."""
    delivered = ETA * x
    return (C_L + C_W) * x - H * (100 * min(delivered, 400) + 20 * max(0.0, delivered - 400))


def two_node_inputs(folder: Path) -> Path:
    """The inputs of the module docstring (cable up to 1,000 MW, 500 MW modules)."""
    return write_inputs(
        folder,
        nodes=[{"node": "A", "country": "KZ"}, {"node": "EU", "role": "market"}],
        demand=[{"node": "A", "demand_twh": 0.0}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": 100, "cf_annual": 1.0}],
        links=[
            {
                "link": "cable",
                "bus0": "A",
                "bus1": "EU",
                "length_km": 500,
                "p_nom_max_mw": 1000,
                "module_mw": 500,
            }
        ],
        markets=[
            {"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 400},
            {"node": "EU", "step": 2, "price_eur_per_mwh": 20, "max_mw": 600},
        ],
        costs={
            ("HVDC submarine", "efficiency-static"): 0.98,
            ("HVDC submarine", "efficiency-per-1000km"): 0.95,
        },
        profiles={"onwind": {"A": np.ones(8760)}},
    )


def scenario() -> Scenario:
    return Scenario(
        name="vc",
        resolution="1h",
        window=WINDOW,
        expandable=("onwind",),
        green_export={"enabled": False},
    )


@pytest.fixture(scope="module")
def curve(tmp_path_factory) -> tuple[pd.DataFrame, Path, Path]:
    base = tmp_path_factory.mktemp("vc")
    inputs = two_node_inputs(base / "in")
    table, folder = run_value_curve(
        scenario(), "cable", SIZES, inputs_dir=inputs, root=base / "out", runner=QUIET
    )
    return table, folder, inputs


def fixed(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["kind"] == "fixed"].set_index("size_mw")


def test_value_curve_equals_the_hand_formula(curve) -> None:
    """Objective at each size = V(X); delta = V(X) − V(X*); exports = η·X·H; utilisation 1."""
    table, _, _ = curve
    rows = fixed(table)
    for x in SIZES:
        assert rows.at[x, "objective_eur"] == pytest.approx(value(x), rel=1e-6, abs=1e-3)
        assert rows.at[x, "delta_eur"] == pytest.approx(value(x) - value(X_STAR), abs=1e-2)
        assert rows.at[x, "export_twh"] == pytest.approx(ETA * x * H * 1e-6, rel=1e-6, abs=1e-9)
    assert rows.loc[100.0:, "utilisation"].to_numpy() == pytest.approx(1.0, rel=1e-6)


def test_optimum_is_the_minimum_and_the_curve_is_convex(curve) -> None:
    """The unconstrained optimum is X* = 400/η with V(X*); no fixed size is cheaper, and the
    slopes between neighbouring sizes never fall (an LP's value in a right-hand side)."""
    table, _, _ = curve
    best = table[table["kind"] == "optimum"].iloc[0]
    assert best["size_mw"] == pytest.approx(X_STAR, rel=1e-6)
    assert best["objective_eur"] == pytest.approx(value(X_STAR), rel=1e-6)
    rows = fixed(table)
    assert (rows["delta_eur"] >= -1e-3).all()
    slopes = np.diff(rows["objective_eur"].to_numpy()) / np.diff(rows.index.to_numpy())
    assert (np.diff(slopes) >= -1e-6).all()


def test_marginal_value_is_the_dual_annualised(curve) -> None:
    """Inside a linear piece the dual is the slope of V: net marginal value per MW and year =
    −slope / (H/8760); the gross value adds the cable's annuity C_L/(H/8760)."""
    table, _, _ = curve
    rows = fixed(table)
    first = C_L + C_W - 100 * ETA * H
    second = C_L + C_W - 20 * ETA * H
    for x, slope in ((100.0, first), (200.0, first), (300.0, first), (800.0, second)):
        assert rows.at[x, "net_marginal_value_eur_per_mw"] == pytest.approx(
            -slope / SHARE, rel=1e-5
        )
        assert rows.at[x, "marginal_value_eur_per_mw"] == pytest.approx(
            (C_L - slope) / SHARE, rel=1e-5
        )
        assert rows.at[x, "capex_annuity_eur_per_mw"] == pytest.approx(C_L / SHARE, rel=1e-9)


def test_break_even_price_is_annuity_and_losses_over_utilised_hours(curve) -> None:
    """(C_L + C_W)/(η·H) on the first piece (≈ 29.1 EUR/MWh); on the second piece, where
    the step sells at 0.2 × the first-step price, (C_L + C_W)/(0.2·η·H)."""
    table, _, _ = curve
    rows = fixed(table)
    first = (C_L + C_W) / (ETA * H)
    for x in (100.0, 200.0, 300.0):
        assert rows.at[x, "break_even_price_eur_per_mwh"] == pytest.approx(first, rel=1e-5)
    assert rows.at[800.0, "break_even_price_eur_per_mwh"] == pytest.approx(first / 0.2, rel=1e-5)
    assert np.isnan(rows.at[0.0, "break_even_price_eur_per_mwh"])  # lower bound: no unique dual


def test_files_written_and_resumed(curve) -> None:
    """value_curve.csv and the plot are written; a second run reuses every case."""
    table, folder, inputs = curve
    assert (folder / "value_curve.png").stat().st_size > 10_000
    assert (folder / "about.json").is_file()
    written = pd.read_csv(folder / "value_curve.csv")
    assert list(written["size_mw"][:6]) == SIZES
    again, _ = run_value_curve(
        scenario(),
        "cable",
        SIZES,
        inputs_dir=inputs,
        root=folder.parent.parent.parent,
        runner=QUIET,
    )
    assert again["objective_eur"].to_numpy() == pytest.approx(table["objective_eur"].to_numpy())
    assert len(list((folder / "cases").glob("*.json"))) == len(SIZES) + 1


def test_default_sizes_are_the_modules(tmp_path: Path) -> None:
    """module_mw 500 up to 1,000 MW: sizes 0, 500, 1,000."""
    from energy.analysis.value_curve import default_sizes

    row = pd.Series({"p_nom_mw": 0.0, "p_nom_max_mw": 1000.0, "module_mw": 500.0})
    assert default_sizes(row) == [0.0, 500.0, 1000.0]
    row = pd.Series({"p_nom_mw": 500.0, "p_nom_max_mw": 3500.0, "module_mw": np.nan})
    assert default_sizes(row) == [500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0]


@pytest.mark.parametrize(
    ("link", "sizes", "says"),
    [("cabel", [100], "did you mean 'cable'"), ("cable", [1200], "outside the range")],
)
def test_bad_input_is_an_error_and_nothing_is_written(tmp_path, link, sizes, says) -> None:
    inputs = two_node_inputs(tmp_path / "in")
    with pytest.raises(InputError, match=says):
        run_value_curve(scenario(), link, sizes, inputs_dir=inputs, root=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_exit_code_2_for_an_unknown_link(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "energy", "value-curve", "base", "--link", "trans-caspain"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"GREEN_CORRIDOR_RESULTS": str(tmp_path), "PYTHONPATH": str(REPO), "PATH": ""},
    )
    assert proc.returncode == 2, proc.stderr
    assert "did you mean 'trans-caspian'" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_a_failed_case_is_recorded_and_the_others_go_on(tmp_path: Path) -> None:
    """A size the model cannot take (−5 MW: below the variable's bound, infeasible) fails with
    its message; the cases around it are solved; a rerun reuses the solved ones only."""
    from energy.analysis.cases import run_cases

    inputs = two_node_inputs(tmp_path / "in")
    cases = [
        Case(f"size={x:g}", scenario(), Action("fix", size_mw=x), "cable") for x in (100, -5, 200)
    ]
    hashes = input_hashes(cases, inputs)
    first = run_cases(cases, tmp_path / "out", inputs, hashes, runner=QUIET)
    assert list(first["status"]) == ["optimal", "failed", "optimal"]
    assert "infeasible" in first.loc[1, "message"]
    assert first.loc[2, "objective_eur"] == pytest.approx(value(200.0), rel=1e-6)
    again = run_cases(cases, tmp_path / "out", inputs, hashes, runner=QUIET)
    assert list(again["resumed"]) == [True, False, True]


def test_one_process_reuses_its_model_across_cases(tmp_path: Path) -> None:
    """Cases of one scenario share the model a process built: a fixed size, an MGA maximum,
    the optimum and another fixed size, in that order on one model, each equal the hand
    value (the previous case's row and objective are taken out before the next)."""
    from energy.analysis import cases as cs

    inputs = two_node_inputs(tmp_path / "in")
    bound = value(X_STAR) + 0.05 * abs(value(X_STAR))
    sequence = [
        Case("fix", scenario(), Action("fix", size_mw=100.0), "cable"),
        Case("max", scenario(), Action("mga", sense="max", bound_eur=bound), "cable"),
        Case("optimum", scenario(), Action(), "cable"),
        Case("fix-again", scenario(), Action("fix", size_mw=600.0), "cable"),
    ]
    hashes = input_hashes(sequence, inputs)
    records, models = [], []
    try:
        for case in sequence:
            records.append(cs.solve_case(cs.Job(case, inputs, hashes[case.id])))
            models.append(cs._BUILT[0].n)
    finally:
        cs.forget_built()
    assert all(r["status"] == "optimal" for r in records), records
    assert all(m is models[0] for m in models)  # built once
    fix, high, best, again = records
    assert fix["objective_eur"] == pytest.approx(value(100.0), rel=1e-6)
    assert high["capacity_mw"] == pytest.approx(
        X_STAR + 0.05 * abs(value(X_STAR)) / (C_L + C_W - 20 * ETA * H), rel=1e-5
    )
    assert best["objective_eur"] == pytest.approx(value(X_STAR), rel=1e-6)
    assert best["capacity_mw"] == pytest.approx(X_STAR, rel=1e-6)
    assert np.isnan(best["dual_eur_per_mw"])  # no fixed-size row left over
    assert again["objective_eur"] == pytest.approx(value(600.0), rel=1e-6)


def test_report_has_a_sizing_section(curve) -> None:
    """The report of a run of scenario 'vc' beside the analysis shows its value curve."""
    from energy.results.folder import Results
    from energy.review.sizing import sizing_html

    _, folder, _ = curve
    root = folder.parent.parent.parent
    res = Results(tables={}, metadata={"scenario": {"name": "vc"}, "resolution": "3h"})
    res.path = root / "vc"
    page = sizing_html(res)
    assert "Value curve of cable" in page and "data:image/png;base64" in page
    assert "solved at 3h" in page  # the analysis ran at 1h: the reader is told
    res.metadata["scenario"]["name"] = "other"
    assert sizing_html(res) == ""

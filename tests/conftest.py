"""Shared fixtures. ``review_results``: one small results root (two scenarios and a sweep)
for the plot, export, report and notebook tests."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

WEEK = {"start": "2030-01-08", "end": "2030-01-14"}
MINI_SWEEP = """name: cable-sizing
description: a 2 x 2 test sweep of one week
scenario: base
window: {start: "2030-01-08", end: "2030-01-14"}
resolution: 3h
grid:
  overrides.links.trans-caspian.capex_factor: [0.5, 1.5]
  export_prices_eur_per_mwh.EU: [85, 150]
"""


@pytest.fixture(scope="session")
def review_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``base/`` and ``no-cable/`` (one January week, 3-hourly) and ``cable-sizing/`` (a
    2 × 2 sweep of the same week) under one results root."""
    from energy import load_scenario, run_scenario
    from energy.run.sweep import run_sweep

    root = tmp_path_factory.mktemp("review-results")
    for name in ("base", "no-cable"):
        run_scenario(load_scenario(name, window=WEEK, resolution="3h"), out=root / name)
    sweep_file = tmp_path_factory.mktemp("sweep-file") / "cable-sizing.yaml"
    sweep_file.write_text(MINI_SWEEP)
    run_sweep(sweep_file, results_dir=root, workers=0, progress=False)
    yield root
    plt.close("all")

"""Backcast: today's fleet and demand reproduce the published generation mix.

Shares of coal, gas and hydro in KZ, UZ and AZ within ±5 percentage points, total generation
of KZ, UZ, AZ and GE within ±5 % (inputs/statistics.csv), at a coarse resolution (every 6th
hour). See docs/validation.md for the calibration levers.
"""

from __future__ import annotations

import pytest

from energy.validation.backcast import (
    SHARE_CHECKS,
    TOTAL_CHECKS,
    format_table,
    read_statistics,
    run_backcast,
)


@pytest.fixture(scope="module")
def backcast():
    return run_backcast("6h")


def test_statistics_have_sources_and_cover_the_checks():
    stats = read_statistics()
    assert stats["source"].str.len().gt(10).all()
    keys = set(zip(stats["country"], stats["carrier"]))
    for country, carriers in SHARE_CHECKS.items():
        assert {(country, c) for c in carriers} <= keys
    assert {(c, "total") for c in TOTAL_CHECKS} <= keys


@pytest.mark.slow
def test_backcast_shares_within_tolerances(backcast):
    """The generation mix (coal, gas, hydro shares) of the calibration year holds."""
    table, _, _ = backcast
    shares = table[table["tolerance"] == "±5 pp"]
    assert len(shares) == sum(map(len, SHARE_CHECKS.values()))
    assert (shares["status"] == "ok").all(), "\n" + format_table(table)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known open (issue 12, item 5): trade in the model follows price (KZ coal and AZ "
    "gas at tariffs), base-year trade followed contracts: KZ exports ~5.5 TWh where it "
    "imported 2 TWh, AZ 5.1 vs 1.33 TWh, so KZ, UZ and AZ totals miss ±5 % "
    "(docs/validation.md, 'Why trade misses')",
)
def test_backcast_totals_and_net_imports_within_tolerances(backcast):
    table, _, _ = backcast
    checked = table[table["tolerance"].isin(["±5%", "±1.5 TWh"])]
    assert len(checked) == len(TOTAL_CHECKS) + 3
    assert (checked["status"] == "ok").all(), "\n" + format_table(table)


@pytest.mark.slow
def test_backcast_serves_demand_and_builds_nothing(backcast):
    table, extras, results = backcast
    demand = table[table["carrier"] == "demand"]
    assert (demand["model_twh"] - demand["published_twh"]).abs().max() < 0.01
    assert extras["unserved_twh"].sum() < 1e-3 * demand["model_twh"].sum()
    caps = results.capacities
    assert (caps["added_mw"].abs() < 1e-3).all()

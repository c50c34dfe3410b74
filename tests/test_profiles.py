"""Tests for energy.profiles on small in-test fixtures (no files from inputs/)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest

from tools import synthetic_profiles as P

NODES = pd.DataFrame(
    {
        "node": ["KZ-W", "UZ", "AZ"],
        "country": ["KZ", "UZ", "AZ"],
        "lat": [43.6, 40.1, 40.4],
        "lon": [51.2, 65.4, 49.9],
    }
).set_index("node")
SOLAR_CF = pd.Series({"UZ": 0.19, "AZ": 0.185})
ONWIND_CF = pd.Series({"KZ-W": 0.38, "AZ": 0.36})
OFFWIND_CF = pd.Series({"AZ": 0.42})
PEAK_RATIO = pd.Series({"KZ-W": 1.30, "UZ": 1.42, "AZ": 1.72})


@pytest.fixture(scope="module")
def solar() -> pd.DataFrame:
    return P.solar_profiles(NODES, SOLAR_CF)


@pytest.fixture(scope="module")
def onwind() -> pd.DataFrame:
    return P.wind_profiles(NODES, ONWIND_CF, "onwind")


@pytest.fixture(scope="module")
def load() -> pd.DataFrame:
    return P.load_profiles(NODES, PEAK_RATIO)


def test_snapshots_cover_2030_hourly() -> None:
    t = P.snapshots()
    assert len(t) == 8760 and t.tz is None
    assert t[0] == pd.Timestamp("2030-01-01 00:00") and t[-1] == pd.Timestamp("2030-12-31 23:00")


def test_ar1_has_unit_variance_and_requested_autocorrelation() -> None:
    x = P.ar1(np.random.default_rng(1).standard_normal(200_000), 0.9)
    assert x.var() == pytest.approx(1.0, abs=0.03)
    assert np.corrcoef(x[1:], x[:-1])[0, 1] == pytest.approx(0.9, abs=0.01)


def test_solar_mean_matches_target(solar: pd.DataFrame) -> None:
    assert list(solar.columns) == ["UZ", "AZ"]
    for node, cf in SOLAR_CF.items():
        assert solar[node].mean() == pytest.approx(cf, abs=1e-3)


def test_solar_zero_at_night_and_peaks_at_solar_noon(solar: pd.DataFrame) -> None:
    lat, lon = NODES.loc["UZ", ["lat", "lon"]]
    mid = (solar.index + pd.Timedelta(minutes=30)).tz_localize("UTC")
    elevation = pvlib.solarposition.get_solarposition(mid, lat, lon)["elevation"].to_numpy()
    s = solar["UZ"].to_numpy()
    assert (elevation < 0).sum() > 3000
    assert np.all(s[elevation < 0] == 0)
    assert np.all(s[elevation > 20] > 0)
    # hour of the daily maximum in mean local solar time (mid-hour): within 1 h of noon
    daily = s.reshape(365, 24)
    solar_time = (np.arange(24) + 0.5 + lon / 15) % 24
    assert np.all(np.abs(solar_time[daily.argmax(axis=1)] - 12) <= 1.0)


def test_wind_mean_matches_target(onwind: pd.DataFrame) -> None:
    offwind = P.wind_profiles(NODES, OFFWIND_CF, "offwind")
    for df, targets in ((onwind, ONWIND_CF), (offwind, OFFWIND_CF)):
        for node, cf in targets.items():
            assert df[node].mean() == pytest.approx(cf, abs=1e-3)
    # same synoptic weather: on- and offshore at one node are strongly correlated
    assert np.corrcoef(onwind["AZ"], offwind["AZ"])[0, 1] > 0.7


def test_wind_autocorrelation_persistent_hours_not_months(onwind: pd.DataFrame) -> None:
    for node in ONWIND_CF.index:
        s = onwind[node].to_numpy()
        assert np.corrcoef(s[1:], s[:-1])[0, 1] > 0.9
        assert abs(np.corrcoef(s[720:], s[:-720])[0, 1]) < 0.3


def test_wind_shape_is_winter_strong_in_kazakhstan() -> None:
    t = P.snapshots()
    zero = np.zeros(len(t))
    shape = pd.Series(P.wind_shape(t, 51.2, "KZ", "onwind", zero, zero), index=t)
    assert shape.mean() == pytest.approx(1.0)
    assert shape[t.month == 1].mean() > 1.1
    assert shape[t.month == 7].mean() < 0.9


def test_power_curve_points() -> None:
    v = np.array([0.0, 2.9, 7.5, 12.0, 20.0, 24.9, 25.0, 30.0])
    expected = (7.5**3 - 27) / (12**3 - 27)
    np.testing.assert_allclose(
        P.power_curve(v) / P.WIND_LOSS, [0, 0, expected, 1, 1, 1, 0, 0], atol=1e-12
    )


def test_load_mean_one_and_peak_ratio(load: pd.DataFrame) -> None:
    for node, ratio in PEAK_RATIO.items():
        assert load[node].mean() == pytest.approx(1.0, abs=1e-9)
        assert load[node].max() / load[node].mean() == pytest.approx(ratio, abs=1e-3)
        assert load[node].min() > 0


def test_load_seasonality_winter_kz_summer_uz() -> None:
    t = P.snapshots()
    zero = np.zeros(len(t))
    kz = pd.Series(P.base_load(t, 51.2, "KZ", zero), index=t)
    uz = pd.Series(P.base_load(t, 65.4, "UZ", zero), index=t)
    assert kz[t.month == 1].mean() > 1.1 * kz[t.month == 7].mean()
    assert uz[t.month == 7].mean() > uz[t.month == 1].mean()
    # daily profile: night trough below evening peak (local solar time)
    h = P.solar_hour(t, 51.2)
    assert kz[(h > 2) & (h < 5)].mean() < 0.9 * kz[(h > 18) & (h < 21)].mean()


def test_peak_ratio_from_demand_table() -> None:
    demand = pd.DataFrame(
        {
            "node": ["UZ", "UZ"],
            "period": ["base", "2030"],
            "year": [2025, 2030],
            "demand_twh": [86.7, 117.0],
            "peak_mw": [13500, 19000],
        }
    )
    assert P.peak_ratios(demand)["UZ"] == pytest.approx(19000 / (117e6 / 8760))


def test_hydro_mean_matches_cf_and_snowmelt_peak() -> None:
    hydro = P.hydro_profiles(NODES, {"UZ": 0.30, "AZ": 0.24})
    assert hydro["UZ"].mean() == pytest.approx(0.30, abs=1e-3)
    assert hydro["AZ"].mean() == pytest.approx(0.24, abs=1e-3)
    assert (hydro["KZ-W"] == 0).all()
    months = hydro["UZ"].groupby(hydro.index.month).mean()
    assert months.idxmax() in (5, 6, 7)
    assert hydro["UZ"].max() / hydro["UZ"].mean() > hydro["AZ"].max() / hydro["AZ"].mean()


def test_capacity_factors_within_unit_interval(solar: pd.DataFrame, onwind: pd.DataFrame) -> None:
    hydro = P.hydro_profiles(NODES, {"UZ": 0.30})
    for df in (solar, onwind, hydro):
        assert df.notna().all().all()
        assert (df.to_numpy() >= 0).all() and (df.to_numpy() <= 1).all()


def test_deterministic_and_node_specific(
    solar: pd.DataFrame, onwind: pd.DataFrame, load: pd.DataFrame
) -> None:
    np.testing.assert_array_equal(solar.to_numpy(), P.solar_profiles(NODES, SOLAR_CF).to_numpy())
    np.testing.assert_array_equal(
        onwind.to_numpy(), P.wind_profiles(NODES, ONWIND_CF, "onwind").to_numpy()
    )
    np.testing.assert_array_equal(load.to_numpy(), P.load_profiles(NODES, PEAK_RATIO).to_numpy())
    assert np.corrcoef(onwind["KZ-W"], onwind["AZ"])[0, 1] < 0.9


def test_write_profile_format(tmp_path, load: pd.DataFrame) -> None:
    path = tmp_path / "load.csv"
    P.write_profile(load, path)
    text = path.read_text().splitlines()
    assert text[0] == "snapshot,KZ-W,UZ,AZ"
    assert text[1].startswith("2030-01-01 00:00,") and text[-1].startswith("2030-12-31 23:00,")
    back = pd.read_csv(path, index_col="snapshot", parse_dates=True)
    assert len(back) == 8760
    assert (back.round(4) == back).all().all()
    assert back["AZ"].mean() == pytest.approx(1.0, abs=1e-4)

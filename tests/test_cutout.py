"""``energy profiles --cutout``: a tiny synthetic ERA5-style cutout made here, converted by
hand-checkable rules (nothing is downloaded).

Hand values: the V112 curve gives 1.375 MW at 8 m/s and 3.05 MW at 12 m/s of 3.06 MW rated;
wnd100m is set so that the log profile (roughness z0) gives exactly these speeds at the 80 m
hub: v100 = v_hub · ln(100/z0) / ln(80/z0). PV: at G = 1,000 W/m² and an ambient 263 K the
module is at 263 + 0.035·1000 = 298 K (STC), so the Huld factor is 1 and the CF is the inverter
efficiency 0.9; with G = 0 it is 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from energy.cli import main
from energy.data.inputs import load_inputs
from tests.tiny import write_inputs

Z0 = 0.03
YS, XS = np.arange(39.0, 45.0), np.arange(48.0, 54.0)


def v100(hub_speed: float) -> float:
    return hub_speed * np.log(100 / Z0) / np.log(80 / Z0)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A (KZ-W-like, 43 N 51 E): onwind; B (Baku-like, 40 N 50 E): solar and offwind."""
    return write_inputs(
        tmp_path_factory.mktemp("cutout") / "in",
        nodes=[{"node": "A", "lat": 43.0, "lon": 51.0}, {"node": "B", "lat": 40.0, "lon": 50.0}],
        demand=[{"node": "A", "demand_twh": 1.0}, {"node": "B", "demand_twh": 1.0}],
        potentials=[
            {"node": "A", "carrier": "onwind", "potential_gw": 1, "cf_annual": 0.4},
            {"node": "B", "carrier": "solar", "potential_gw": 1, "cf_annual": 0.2},
            {"node": "B", "carrier": "offwind", "potential_gw": 1, "cf_annual": 0.4},
        ],
    )


def make_cutout(path: Path, year: int = 2030, drop: tuple[str, ...] = ()) -> Path:
    """Hourly cutout of ``year``: wind 8 m/s (hub) in even hours, 12 m/s in odd ones, except
    12 m/s everywhere east of 51.5 E; sun 1,000 W/m² from 06 to 17 h, else 0; 263 K."""
    time = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    shape = (len(time), len(YS), len(XS))
    odd = (np.arange(len(time)) % 2 == 1)[:, None, None]
    hub = np.where(odd, 12.0, 8.0) * np.ones(shape)
    hub[:, :, XS > 51.5] = 12.0
    day = ((time.hour >= 6) & (time.hour < 18))[:, None, None]
    ghi = np.where(day, 1000.0, 0.0) * np.ones(shape)
    data = {
        "wnd100m": (("time", "y", "x"), (hub * np.log(100 / Z0) / np.log(80 / Z0)).astype("f4")),
        "roughness": (("y", "x"), np.full(shape[1:], Z0, dtype="f4")),
        "influx_direct": (("time", "y", "x"), (0.7 * ghi).astype("f4")),
        "influx_diffuse": (("time", "y", "x"), (0.3 * ghi).astype("f4")),
        "temperature": (("time", "y", "x"), np.full(shape, 263.0, dtype="f4")),
    }
    ds = xr.Dataset(
        {k: v for k, v in data.items() if k not in drop},
        coords={"time": time, "y": YS, "x": XS},
    )
    ds.to_netcdf(path)
    return path


@pytest.fixture(scope="module")
def cutout(tmp_path_factory) -> Path:
    return make_cutout(tmp_path_factory.mktemp("nc") / "era5-tiny.nc")


CF8, CF12 = 1.375 / 3.06, 3.05 / 3.06


def convert(inputs: Path, cutout: Path, out: Path, *extra: str) -> int:
    return main(
        ["profiles", "--cutout", str(cutout), "--inputs", str(inputs), "--out", str(out), *extra]
    )


def test_converted_profiles_by_hand(inputs, cutout, tmp_path):
    assert convert(inputs, cutout, tmp_path / "p") == 0
    onwind = pd.read_csv(tmp_path / "p" / "onwind.csv", index_col=0, parse_dates=True)
    # cells within 150 km of A (43 N, 51 E): x = 50, 51, 52 at y = 43 (and 51 at 42, 44);
    # 52 E is 12 m/s throughout, the others alternate 8/12
    y, x = np.meshgrid(YS, XS, indexing="ij")
    near = _within(43.0, 51.0, y, x)
    share_east = (x[near] > 51.5).mean()
    even = CF8 * (1 - share_east) + CF12 * share_east
    assert onwind["A"].iloc[0] == pytest.approx(round(even, 4), abs=1e-4)
    assert onwind["A"].iloc[1] == pytest.approx(round(CF12, 4), abs=1e-4)
    solar = pd.read_csv(tmp_path / "p" / "solar.csv", index_col=0, parse_dates=True)
    assert solar["B"].iloc[12] == pytest.approx(0.9, abs=1e-4)
    assert solar["B"].iloc[0] == 0.0
    assert solar["B"].mean() == pytest.approx(0.9 * 12 / 24, abs=1e-4)
    assert (tmp_path / "p" / "offwind.csv").is_file()
    # the model reads them like its own profiles
    files = {c: tmp_path / "p" / f"{c}.csv" for c in ("onwind", "solar", "offwind")}
    loaded = load_inputs(inputs, files)
    assert loaded.profiles["onwind"].index[0] == pd.Timestamp("2030-01-01 00:00")
    assert len(loaded.profiles["solar"]) == 8760


def _within(lat0, lon0, y, x, km=150.0):
    p0, p, dl = np.radians(lat0), np.radians(y), np.radians(x - lon0)
    a = np.sin((p - p0) / 2) ** 2 + np.cos(p0) * np.cos(p) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a)) <= km


def test_layout_weights_sites_by_capacity(inputs, cutout, tmp_path):
    """3 MW at an alternating cell, 1 MW at a 12 m/s cell: even hours (3·CF8 + CF12) / 4."""
    layout = tmp_path / "layout.csv"
    pd.DataFrame(
        [
            ("A", "onwind", 43.0, 50.0, 3.0),
            ("A", "onwind", 43.0, 53.0, 1.0),
            ("B", "solar", 40.0, 50.0, 1.0),
            ("B", "offwind", 40.0, 50.0, 1.0),
        ],
        columns=["node", "carrier", "lat", "lon", "capacity_mw"],
    ).to_csv(layout, index=False)
    assert convert(inputs, cutout, tmp_path / "p", "--layout", str(layout)) == 0
    onwind = pd.read_csv(tmp_path / "p" / "onwind.csv", index_col=0)
    assert onwind["A"].iloc[0] == pytest.approx((3 * CF8 + CF12) / 4, abs=1e-4)


def test_leap_year_loses_29_february(inputs, tmp_path):
    cutout = make_cutout(tmp_path / "leap.nc", year=2032)
    assert convert(inputs, cutout, tmp_path / "p") == 0
    solar = pd.read_csv(tmp_path / "p" / "solar.csv", index_col=0, parse_dates=True)
    assert len(solar) == 8760
    assert solar.index[-1] == pd.Timestamp("2030-12-31 23:00")


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        (("wnd100m",), "missing variable(s) 'wnd100m' (for offwind), 'wnd100m' (for onwind)"),
        (("influx_diffuse",), "'influx_diffuse' (for solar, with influx_direct)"),
        (("temperature", "roughness"), "'roughness' (for offwind)"),
    ],
)
def test_cutout_without_needed_variables_exits_2(inputs, tmp_path, capsys, drop, message):
    cutout = make_cutout(tmp_path / "bad.nc", drop=drop)
    out = tmp_path / "p"
    assert convert(inputs, cutout, out) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_short_cutout_fails_validation_and_writes_nothing(inputs, tmp_path, capsys):
    cutout = make_cutout(tmp_path / "full.nc")
    short = tmp_path / "short.nc"
    xr.open_dataset(cutout).isel(time=slice(0, 48)).to_netcdf(short)
    out = tmp_path / "p"
    assert convert(inputs, short, out) == 2
    assert "48 rows, expected 8760" in capsys.readouterr().err
    assert not out.exists()

"""Weather years: the profiles of ``inputs/weather/year-NN/`` in place of ``inputs/profiles/``.

A year folder holds some or all of ``onwind``, ``solar``, ``offwind``, ``hydro`` and ``load``
as ``.csv`` or ``.csv.gz`` (same layout as ``inputs/profiles/``); a carrier it lacks keeps the
design-year profile.
"""

from __future__ import annotations

import re
from pathlib import Path

from energy.data.schema import PROFILE_CARRIERS
from energy.errors import InputError

YEAR_FOLDER = re.compile(r"^year-(\d+)$")


def available_years(inputs_dir: Path | str) -> list[int]:
    """The weather years shipped in ``<inputs_dir>/weather/`` (folders ``year-NN``)."""
    folder = Path(inputs_dir) / "weather"
    if not folder.is_dir():
        return []
    found = (YEAR_FOLDER.match(p.name) for p in folder.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def year_folder(inputs_dir: Path | str, year: int) -> Path:
    """``<inputs_dir>/weather/year-NN`` (two digits at least)."""
    return Path(inputs_dir) / "weather" / f"year-{year:02d}"


def weather_profile_files(inputs_dir: Path | str, year: int) -> dict[str, Path]:
    """Profile files of weather ``year``, by carrier; InputError if the year does not exist."""
    folder = year_folder(inputs_dir, year)
    files = {}
    for carrier in PROFILE_CARRIERS:
        for name in (f"{carrier}.csv", f"{carrier}.csv.gz"):
            if (folder / name).is_file():
                files[carrier] = folder / name
                break
    if not files:
        years = available_years(inputs_dir)
        known = ", ".join(map(str, years)) if years else "none"
        raise InputError(
            [f"weather year {year}: no profiles in {folder} (weather years available: {known})"]
        )
    return files

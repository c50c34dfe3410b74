"""Write results atomically: everything goes to a hidden staging folder beside the target,
which replaces the target folder only once every file is complete."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypsa

from energy.results import Results

RESULT_FILES = ("kpis.csv", "capacities.csv", "energy_balance.csv", "links.csv", "costs.csv",
                "timeseries.nc", "network.nc", "metadata.json")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Tidy up after a run that was killed: drop its staging folders, and put a results
    folder back if the kill came between the two renames of a replacement."""
    for staging in target.parent.glob(f".{target.name}.*.tmp"):
        pid = staging.name.removeprefix(f".{target.name}.").split(".")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
    backup = target.with_name(f".{target.name}.old")
    if backup.exists() and not target.exists():
        backup.rename(target)


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder next to ``target``; on success it becomes ``target`` (an
    existing one is replaced), on any error it is removed and ``target`` is untouched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes 0700; results folders are shared
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    if target.exists():
        target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup, ignore_errors=True)


def write_results(results: Results, n: pypsa.Network, folder: Path) -> None:
    """Write tables (CSV), time series and network (NetCDF) into ``folder``."""
    for name in Results.TABLES:
        getattr(results, name).to_csv(folder / f"{name}.csv", index=False)
    encoding = {v: {"zlib": True, "complevel": 4} for v in results.timeseries.data_vars
                if results.timeseries[v].dtype.kind == "f"}
    results.timeseries.to_netcdf(folder / "timeseries.nc", encoding=encoding)
    n.export_to_netcdf(folder / "network.nc", float32=False, compression={"zlib": True,
                                                                          "complevel": 4})


def write_metadata(metadata: dict, folder: Path) -> None:
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))

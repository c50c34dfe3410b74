"""Where things live: the package root, the inputs and results roots, scenario and sweep files.

One rule for the results root everywhere (``energy run``, sweeps, analyses, the reader):
``$GREEN_CORRIDOR_RESULTS`` if set, else ``results/`` of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = PACKAGE_ROOT / "inputs"
RESULTS_ENV = "GREEN_CORRIDOR_RESULTS"


def results_root() -> Path:
    """Parent folder of all results folders: ``$GREEN_CORRIDOR_RESULTS`` or ``results/``."""
    return Path(os.environ.get(RESULTS_ENV) or PACKAGE_ROOT / "results")


def results_folder(name: str, parent: Path | str | None = None) -> Path:
    """``<parent or results root>/<name>``."""
    return Path(parent if parent is not None else results_root()) / name


def scenario_dir(inputs_dir: Path | str | None = None) -> Path:
    """Folder of the scenario files of an inputs folder (default: the shipped ones)."""
    return Path(inputs_dir or DEFAULT_INPUTS) / "scenarios"


def scenario_path(name_or_path: str | Path, inputs_dir: Path | str | None = None) -> Path:
    """A ``.yaml`` path as given; a bare name: ``<inputs>/scenarios/<name>.yaml`` if it exists
    there, else the shipped scenario of that name."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path
    local = scenario_dir(inputs_dir) / f"{name_or_path}.yaml"
    return local if local.is_file() or inputs_dir is None else scenario_dir() / local.name


def list_scenarios(inputs_dir: Path | str | None = None) -> list[str]:
    """Names of the scenario files of an inputs folder."""
    return sorted(p.stem for p in scenario_dir(inputs_dir).glob("*.yaml"))


def sweep_path(name_or_path: str | Path, inputs_dir: Path | str | None = None) -> Path:
    """A ``.yaml`` path as given; a bare name: ``<inputs>/sweeps/<name>.yaml``."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path
    return Path(inputs_dir or DEFAULT_INPUTS) / "sweeps" / f"{name_or_path}.yaml"

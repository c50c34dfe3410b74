"""green-corridor: planning model of the Central Asia – Caspian – Europe green-energy corridor.

The package is one pipeline in layers (see ``docs/architecture.md``)::

    config/ → data/ → model/ → run/ → results/ → review/, validation/, analyses/

The public entry points are re-exported here and imported on first use, so that importing a
layer does not import the whole stack.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
__all__ = ["load_results", "load_scenario", "run_scenario"]
_PUBLIC = {
    "load_results": "energy.results",
    "load_scenario": "energy.config",
    "run_scenario": "energy.run",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'energy' has no attribute '{name}'")

"""The sweep file (``inputs/sweeps/NAME.yaml``): a base scenario × a grid and/or a list of
cases, validated with pydantic; unknown keys are errors.

::

    name: cable-sizing
    scenario: base                       # base scenario: name or YAML path
    grid:                                # cartesian product
      overrides.links.trans-caspian.capex_factor: [0.75, 1, 1.5]
      export_prices_eur_per_mwh.EU: [55, 85, 120]

Parameters are dotted paths into the scenario mapping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from energy.config.scenario import NAME_PATTERN
from energy.errors import InputError, suggest


class SweepFile(BaseModel):
    """The YAML of a sweep; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str = ""
    scenario: str = "base"
    window: dict[str, Any] | None = None
    resolution: str | None = None
    fixed: dict[str, Any] = Field(default_factory=dict, description="path -> value, all cases")
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    cases: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str) -> str:
        if not NAME_PATTERN.match(name) or ".." in name:
            raise ValueError(f"'{name}' is not a safe folder name")
        return name

    @field_validator("grid")
    @classmethod
    def _non_empty(cls, grid: dict[str, list]) -> dict[str, list]:
        for path, values in grid.items():
            if not values:
                raise ValueError(f"grid '{path}' has no values")
            if len({json.dumps(v, sort_keys=True) for v in values}) < len(values):
                raise ValueError(f"grid '{path}' repeats a value")
        return grid


def read_sweep_file(path: Path) -> SweepFile:
    """Read and validate a sweep YAML (``name`` defaults to the file stem); raises InputError."""
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.yaml")))
        raise InputError([f"sweep '{path}' not found; known in {path.parent}: {known or '-'}"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.setdefault("name", path.stem)
        return SweepFile(**data)
    except (yaml.YAMLError, AttributeError, TypeError) as err:
        raise InputError([f"{path.name}: not a valid sweep file ({err})"]) from None
    except ValidationError as err:
        raise InputError(
            [
                f"{path.name}: unknown key '{e['loc'][0]}'"
                f"{suggest(e['loc'][0], SweepFile.model_fields)}"
                if e["type"] == "extra_forbidden"
                else f"{path.name}: key '{'.'.join(map(str, e['loc']))}': {e['msg']}"
                for e in err.errors()
            ]
        ) from None

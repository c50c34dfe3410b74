"""The cases of a sweep: every point of its grid and list, each a validated scenario with the
hash of its inputs, a folder-safe id and its position in the result cube."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from energy.config.scenario import Scenario, deep_merge, parse_scenario, read_scenario_dict
from energy.config.sweep import SweepFile, read_sweep_file
from energy.data.inputs import Inputs, load_inputs
from energy.data.overrides import apply_overrides
from energy.data.weather import weather_profile_files
from energy.errors import InputError
from energy.paths import DEFAULT_INPUTS, scenario_path, sweep_path

CASE_DIM = "case"
REFERENCE = "reference"  # id of a case that changes nothing
BASE_COLUMNS = ("case", "status", "message", "resumed", "elapsed_s")
UNSAFE = re.compile(r"[^A-Za-z0-9_.=,+-]+")


@dataclasses.dataclass(frozen=True)
class Case:
    """One case of a sweep: id, parameter values, cube position, scenario and inputs hash."""

    id: str
    params: dict[str, Any]  # dotted path -> value
    index: tuple[int, ...]  # position along each dimension of the cube
    scenario: Scenario
    inputs_hash: str


@dataclasses.dataclass(frozen=True)
class Dim:
    """A dimension of the result cube: one grid parameter, or the list of explicit cases."""

    name: str  # short name: the cube's dimension and the summary's column
    parameter: str  # dotted path, or "case" for explicit cases
    values: list[Any]


@dataclasses.dataclass
class Sweep:
    """A loaded sweep: file, base scenario, validated cases, cube dimensions and short names."""

    name: str
    path: Path
    base: str
    cases: list[Case]
    dims: list[Dim]
    names: dict[str, str]  # dotted path -> short name
    spec: SweepFile


def nested(path: str, value: Any) -> dict:
    """``"a.b.c", 1`` → ``{"a": {"b": {"c": 1}}}``."""
    for part in reversed(path.split(".")):
        value = {part: value}
    return value


def merged(params: dict[str, Any]) -> dict:
    """Dotted-path parameters as one nested mapping, to merge into a scenario."""
    out: dict = {}
    for path, value in params.items():
        out = deep_merge(out, nested(path, value))
    return out


def short_names(paths: list[str]) -> dict[str, str]:
    """The shortest unique tail of each dotted path (``...trans-caspian.capex_factor`` →
    ``capex_factor``), never a reserved column name."""
    names: dict[str, str] = {}
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            name = safe(".".join(parts[-k:]))
            clash = any(p != path and p.split(".")[-k:] == parts[-k:] for p in paths)
            if not clash and name not in (*BASE_COLUMNS, CASE_DIM, "case_id") or k == len(parts):
                names[path] = name
                break
    return names


def fmt(value: Any) -> str:
    """A compact, round-trip text for a parameter value (1.0 → '1', 0.75 → '0.75')."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        text = f"{value:g}"
        return text if float(text) == value else repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def safe(text: str) -> str:
    """``text`` with runs of unsafe characters replaced by '_' and no '..' left (folder-safe)."""
    text = UNSAFE.sub("_", text)
    while ".." in text:
        text = text.replace("..", "._")
    return text


def label(params: dict[str, Any], names: dict[str, str]) -> str:
    """A case's label: its ``short_name=value`` pairs joined by commas ('' for no parameters)."""
    return ",".join(f"{names[p]}={fmt(v)}" for p, v in params.items())


def case_id(text: str, taken: set[str]) -> str:
    """Folder-safe, unique and valid as a scenario name (see ``NAME_PATTERN``)."""
    text = safe(text) or REFERENCE
    if not text[0].isalnum():
        text = "c" + text
    if len(text) > 100:
        text = text[:91] + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    unique, k = text, 1
    while unique in taken:
        k += 1
        unique = f"{text[:95]}-{k}"
    taken.add(unique)
    return unique


def base_path(spec: SweepFile, sweep_file: Path, inputs_dir: Path) -> str | Path:
    """The base scenario: a YAML path (relative to the sweep file or the working folder) or
    a name looked up in ``<inputs_dir>/scenarios/`` and then in the shipped scenarios."""
    if spec.scenario.endswith((".yaml", ".yml")):
        beside = sweep_file.parent / spec.scenario
        return beside if beside.is_file() else Path(spec.scenario)
    return scenario_path(spec.scenario, inputs_dir)


def common_changes(spec: SweepFile, threads: int | None) -> dict:
    """Changes every case makes to the base scenario (1 solver thread unless set)."""
    changes = {"solver": {"threads": 1}}
    changes = deep_merge(
        changes, {k: v for k, v in (("window", spec.window), ("resolution", spec.resolution)) if v}
    )
    changes = deep_merge(changes, merged(spec.fixed))
    return deep_merge(changes, {"solver": {"threads": threads}}) if threads else changes


def dimensions(spec: SweepFile, origin: str) -> tuple[list[Dim], dict[str, str]]:
    """The cube's dimensions (``case`` first, for explicit cases) and the parameters' short
    names."""
    if not spec.grid and not spec.cases:
        raise InputError([f"{origin}: a sweep needs 'grid' and/or 'cases'"])
    in_cases = list(dict.fromkeys(p for c in spec.cases for p in c))
    both = set(spec.grid) & set(in_cases)
    if both:
        raise InputError([f"{origin}: {', '.join(sorted(both))} in both 'grid' and 'cases'"])
    names = short_names(in_cases + list(spec.grid))
    labels = [label(c, names) or REFERENCE for c in spec.cases]
    if len(set(labels)) < len(labels):
        raise InputError([f"{origin}: 'cases' lists the same case twice"])
    dims = [Dim(CASE_DIM, CASE_DIM, labels)] if spec.cases else []
    return dims + [Dim(names[p], p, list(v)) for p, v in spec.grid.items()], names


def points(spec: SweepFile) -> Iterator[tuple[dict[str, Any], tuple[int, ...]]]:
    """Parameters and cube position of every case: explicit cases × grid."""
    grid = [list(enumerate(values)) for values in spec.grid.values()]
    for (ci, params), point in itertools.product(
        enumerate(spec.cases or [{}]), itertools.product(*grid)
    ):
        values = {**params, **{p: v for p, (_, v) in zip(spec.grid, point)}}
        yield values, ((ci,) if spec.cases else ()) + tuple(i for i, _ in point)


def load_sweep(
    name_or_path: str | Path, inputs_dir: Path | str = DEFAULT_INPUTS, threads: int | None = None
) -> Sweep:
    """Read a sweep file and build and validate every case's scenario (and its overrides
    against the inputs) before anything runs: an unknown parameter raises InputError."""
    inputs_dir = Path(inputs_dir)
    path = sweep_path(name_or_path, inputs_dir)
    spec = read_sweep_file(path)
    base = base_path(spec, path, inputs_dir)
    base_data = deep_merge(read_scenario_dict(base), common_changes(spec, threads))
    inputs = load_inputs(inputs_dir)
    dims, names = dimensions(spec, path.name)
    cases: list[Case] = []
    taken: set[str] = set()
    hashes: dict[str, str] = {}
    for values, index in points(spec):
        cid = case_id(label(values, names), taken)
        origin = f"{path.name}, case {cid}"
        scenario = parse_scenario(deep_merge(base_data, merged(values) | {"name": cid}), origin)
        key = checked_fields(scenario)
        if key not in hashes:  # apply_overrides takes ~0.1 s: once per distinct key
            try:
                hashes[key] = case_inputs_hash(inputs, inputs_dir, scenario)
            except InputError as err:
                raise InputError([f"{origin}: {p}" for p in err.problems]) from None
        cases.append(Case(cid, values, index, scenario, hashes[key]))
    return Sweep(spec.name, path, str(base), cases, dims, names, spec)


def case_inputs_hash(inputs: Inputs, inputs_dir: Path, scenario: Scenario) -> str:
    """The inputs hash a run of ``scenario`` records (weather years included)."""
    if scenario.robust is not None:
        from energy.run.robust import robust_inputs, robust_inputs_hash

        return robust_inputs_hash(*robust_inputs(scenario, inputs_dir))
    if scenario.weather_year is not None:
        weather = weather_profile_files(inputs_dir, scenario.weather_year)
        inputs = load_inputs(inputs_dir, weather)
    return apply_overrides(inputs, scenario).hash()


def checked_fields(scenario: Scenario) -> str:
    """What ``apply_overrides`` reads of a scenario (cases equal here validate alike)."""
    s = scenario.model_dump(mode="json")
    return json.dumps(
        [
            s["overrides"],
            s["profiles"],
            sorted(s["export_prices_eur_per_mwh"]),
            s["green_export"],
            s["period"],
            s["weather_year"],
            s["robust"],
        ],
        sort_keys=True,
    )

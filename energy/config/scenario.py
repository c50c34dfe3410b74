"""Scenarios: defaults plus YAML overrides, validated with pydantic, applied to :class:`Inputs`.

A scenario file may ``inherit`` another scenario (by name) and override any input cell::

    name: no-cable
    inherit: base
    overrides:
      links:
        trans-caspian: {p_nom_max_mw: 0}     # table -> row id -> column -> value

Row ids of tables keyed by several columns are joined with ``/`` (``AZ/offwind``); ``*``
stands for any value of one key part (``UZ/coal/*``: that row in every period).
"""

from __future__ import annotations

import hashlib
import json
import re
import typing
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from energy import paths
from energy.config.resolution import HELP as RESOLUTION_HELP
from energy.config.resolution import parse_resolution
from energy.errors import InputError, suggest

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.=,+-]{0,99}$")


class Strict(BaseModel):
    """Base of the scenario models: unknown keys are errors and instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class GreenExport(Strict):
    """Exports must be matched hour by hour by renewable generation in ``countries``."""

    enabled: bool = True
    countries: tuple[str, ...] = ("KZ", "UZ", "AZ")
    pool: Literal["additional", "all"] = Field(
        "additional",
        description="'additional': only renewable capacity the model builds counts (the CBAM "
        "contract-path reading); 'all': existing renewables count too.",
    )
    markets: tuple[str, ...] = Field(
        ("EU", "TR"), description="markets whose purchases must be green (RU's are not)"
    )


class Solver(Strict):
    """HiGHS settings: method, threads (0: HiGHS decides), time limit in s and raw options."""

    name: Literal["highs"] = "highs"
    method: Literal["auto", "hipo", "ipm", "simplex", "pdlp", "choose"] = Field(
        "auto",
        description="'auto': HiPO (interior point) for models of 20,000 variables or "
        "more, dual simplex below (tiny degenerate LPs can stall an interior-point method)",
    )
    threads: int = Field(0, ge=0, description="0: HiGHS decides")
    time_limit_s: float | None = Field(None, gt=0)
    mip_gap: float = Field(
        0.01,
        ge=0,
        lt=1,
        description="relative MIP gap at which HiGHS stops (modular links make the model a MILP)",
    )
    mip_method: Literal["round", "milp"] = Field(
        "round",
        description="modular links: 'round' solves the LP relaxation and the whole-module "
        "plans next to it (the relaxation bounds the gap, tightened by one level of "
        "branching if needed; HiGHS's MILP if the gap is still not met); 'milp' hands HiGHS "
        "the MILP directly",
    )
    options: dict[str, Any] = Field(default_factory=dict, description="raw HiGHS options")


class Window(Strict):
    """The modelled window: hours from ``start`` to ``end``, inclusive (a date: its whole day)."""

    start: str
    end: str


class ThermalRule(Strict):
    """A seasonal operating rule for existing thermal units (a backcast calibration lever):
    in ``months``, units of ``carriers`` in ``countries`` have availability ``p_max_pu``
    (instead of fleet.csv's) and/or must run at ``p_min_pu`` (capped at the availability)."""

    countries: tuple[str, ...]
    carriers: tuple[str, ...]
    months: tuple[int, ...] = Field(min_length=1)
    p_max_pu: float | None = Field(None, ge=0, le=1)
    p_min_pu: float | None = Field(None, ge=0, le=1)
    reason: str = ""

    @field_validator("months")
    @classmethod
    def _calendar_months(cls, months: tuple[int, ...]) -> tuple[int, ...]:
        if not all(1 <= m <= 12 for m in months):
            raise ValueError("months are 1 (January) … 12 (December)")
        return months


class Robust(Strict):
    """Two-stage stochastic sizing: one investment plan against several weather years.

    ``probabilities`` default to equal weights; CVaR (``cvar_weight`` > 0) puts that weight on
    the mean operating cost of the worst ``1 - cvar_alpha`` of the probability mass (the
    convention of PyPSA's ``set_risk_preference``). ``reference`` is the single-year plan the
    value of the stochastic solution is measured against: the plan of the mean weather year
    (the textbook expected-value problem) or of the design year (``inputs/profiles``)."""

    weather_years: tuple[int, ...] = Field((1, 2, 3, 4, 5), min_length=1)
    probabilities: tuple[float, ...] | None = None
    cvar_alpha: float = Field(0.0, ge=0, lt=1)
    cvar_weight: float = Field(0.0, ge=0, le=1)
    reference: Literal["mean", "design"] = "mean"

    @field_validator("weather_years")
    @classmethod
    def _distinct_years(cls, years: tuple[int, ...]) -> tuple[int, ...]:
        if len(set(years)) != len(years) or min(years) < 1:
            raise ValueError("weather years are distinct numbers ≥ 1")
        return years

    @model_validator(mode="after")
    def _probabilities_fit(self) -> Robust:
        p = self.probabilities
        if p is None:
            return self
        if len(p) != len(self.weather_years):
            raise ValueError(f"{len(p)} probabilities for {len(self.weather_years)} weather years")
        if min(p) < 0 or abs(sum(p) - 1.0) > 1e-6:
            raise ValueError(f"probabilities must be ≥ 0 and sum to 1 (sum {sum(p):.6g})")
        return self

    @property
    def weights(self) -> tuple[float, ...]:
        """The probability of each weather year."""
        k = len(self.weather_years)
        return self.probabilities or tuple(1.0 / k for _ in range(k))


class Scenario(Strict):
    """Everything that defines one optimisation run, besides the input tables."""

    name: str
    description: str = ""
    period: Literal["base-prior", "base", "2030", "2035", "2040"] = "2030"
    fuel_pricing: Literal["economic", "tariff"] = Field(
        "economic",
        description="'economic': fuels at their border value (planning view); 'tariff': at "
        "today's regulated prices (backcast, financial view)",
    )
    discount_rate: float | None = Field(
        None, gt=0, lt=1, description="one rate for every asset class (a sensitivity)"
    )
    discount_rates: dict[Literal["interconnector", "renewable", "storage", "thermal"], float] = (
        Field(default_factory=dict, description="rate by asset class; default: costs.csv")
    )
    in_service_by: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="candidate links with a later in_service_year (links.csv) are not built; "
        "default: the period's year",
    )
    hourly_export_prices: bool = Field(
        True, description="market prices follow market_price_shape.csv (False: flat)"
    )
    resolution: str = Field("3h", description=RESOLUTION_HELP)
    window: Window | None = None
    expansion: bool = Field(True, description="False: every capacity fixed (backcast)")
    expandable: tuple[Literal["onwind", "solar", "offwind", "battery", "OCGT", "CCGT"], ...] = (
        "onwind",
        "solar",
        "offwind",
        "battery",
    )
    green_export: GreenExport = GreenExport()
    export_target_twh: float | None = Field(None, ge=0)
    export_prices_eur_per_mwh: dict[str, float] = Field(
        default_factory=dict,
        description="market node -> price of its first step; the other steps move proportionally",
    )
    co2_price_eur_per_t: float | None = Field(None, ge=0, description="one price for all countries")
    co2_cap_mt: float | None = Field(None, ge=0)
    load_shedding_eur_per_mwh: float | None = Field(None, gt=0)
    thermal_rules: tuple[ThermalRule, ...] = Field(
        (), description="seasonal availability / must-run of existing thermal units"
    )
    scheduled_trade: bool = Field(
        False,
        description="bound each corridor's annual flow by the bilateral schedules of "
        "trade_schedules.csv and each node's net exports by the seasons of export_seasons.csv "
        "(whose thermal units then serve only its residual load), for the scenario's period "
        "(backcast: Central Asian and Caucasus trade follows agreed volumes and plans, not "
        "prices)",
    )
    profiles: dict[Literal["onwind", "solar", "offwind", "hydro", "load"], str] = Field(
        default_factory=dict
    )
    overrides: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)
    solver: Solver = Solver()
    weather_year: int | None = Field(
        None, ge=1, description="profiles of inputs/weather/year-NN/ (default: inputs/profiles/)"
    )
    robust: Robust | None = Field(
        None, description="size one plan against several weather years (energy/run/robust.py)"
    )
    periods: tuple[int, ...] = Field(
        (),
        description="investment periods (years, ascending), e.g. [2030, 2035, 2040]: one "
        "multi-period pathway; empty: the single year of 'period'",
    )
    social_discount_rate: float = Field(
        0.03,
        ge=0,
        lt=1,
        description="discounting between investment periods (pathway only); 3 %: European "
        "Commission Better Regulation Toolbox, tool #61",
    )
    modules: bool = Field(
        False, description="build candidate links with a module_mw (links.csv) in whole modules"
    )
    n_minus_1: bool = Field(
        False,
        description="every hour, a node's reserve (headroom of dispatchable plants and "
        "batteries) covers its largest single HVDC in-feed",
    )

    @field_validator("periods")
    @classmethod
    def _periods_ascending(cls, periods: tuple[int, ...]) -> tuple[int, ...]:
        if any(b <= a for a, b in zip(periods, periods[1:])):
            raise ValueError(f"periods must be strictly ascending, found {list(periods)}")
        known = {2030, 2035, 2040}
        if not set(periods) <= known:
            raise ValueError(
                f"periods must be planning years of demand.csv/fleet.csv {sorted(known)}"
            )
        return periods

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str) -> str:
        if not NAME_PATTERN.match(name) or ".." in name:
            raise ValueError(
                f"'{name}' is not a safe scenario name (letters, digits and "
                "_ . = , + - only, no '..', at most 100 characters)"
            )
        return name

    @field_validator("resolution")
    @classmethod
    def _known_resolution(cls, value: str) -> str:
        parse_resolution(value)
        return value

    @field_validator("discount_rates")
    @classmethod
    def _rates_in_range(cls, rates: dict[str, float]) -> dict[str, float]:
        for asset, rate in rates.items():
            if not 0 < rate < 1:
                raise ValueError(f"discount rate of {asset} must be in (0, 1), found {rate}")
        return rates

    @model_validator(mode="after")
    def _one_weather_source(self) -> Scenario:
        if self.weather_year is not None and self.robust is not None:
            raise ValueError(
                "weather_year and robust exclude each other (robust.weather_years lists "
                "the years of a robust run)"
            )
        if self.scheduled_trade and self.periods:
            raise ValueError(
                "scheduled_trade bounds the trade of one year (trade_schedules.csv rows of "
                "'period'); a pathway (periods) cannot use it"
            )
        return self

    @property
    def year(self) -> int | None:
        """The planning year of the period (None for the statistics periods)."""
        return int(self.period) if self.period.isdigit() else None

    def digest(self) -> str:
        """SHA-256 of the settings (the identity of a run besides its inputs)."""
        return hashlib.sha256(
            json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        ).hexdigest()


def deep_merge(base: dict, update: dict) -> dict:
    """``base`` updated by ``update``, nested mappings merged key by key."""
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_scenario_dict(
    name_or_path: str | Path, seen: tuple[Path, ...] = (), inputs_dir: Path | str | None = None
) -> dict:
    """Read a scenario YAML (safe loader) and resolve ``inherit`` chains."""
    path = paths.scenario_path(name_or_path, inputs_dir)
    if not path.is_file():
        known = ", ".join(paths.list_scenarios(inputs_dir))
        raise InputError([f"scenario '{name_or_path}' not found ({path}); known: {known}"])
    if path.resolve() in seen:
        raise InputError([f"{path.name}: 'inherit' loops back to itself"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError([f"{path.name}: not valid YAML ({err})"]) from None
    if not isinstance(data, dict):
        raise InputError([f"{path.name}: top level must be a mapping of keys to values"])
    data.setdefault("name", path.stem)  # before merging: a child never takes its parent's name
    parent = data.pop("inherit", None)
    if parent is not None:
        sibling = path.parent / f"{parent}.yaml"
        parent_path = sibling if sibling.is_file() else paths.scenario_path(parent)
        data = deep_merge(read_scenario_dict(parent_path, (*seen, path.resolve())), data)
    return data


def model_fields_at(path: tuple) -> dict:
    """The fields of the (possibly optional) sub-model at ``path`` of :class:`Scenario`."""
    model: Any = Scenario
    for part in path:
        annotation = (
            model.model_fields[part].annotation
            if part in getattr(model, "model_fields", {})
            else None
        )
        candidates = [annotation, *typing.get_args(annotation)]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return {}
    return model.model_fields


def parse_scenario(data: dict, origin: str = "scenario") -> Scenario:
    """Validate a scenario mapping; errors name the key path and suggest the closest key."""
    try:
        return Scenario(**data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"])
            if e["type"] == "extra_forbidden":
                fields = model_fields_at(e["loc"][:-1])
                problems.append(f"{origin}: unknown key '{loc}'{suggest(e['loc'][-1], fields)}")
            else:
                problems.append(f"{origin}: key '{loc}': {e['msg']} (found {e.get('input')!r})")
        raise InputError(problems) from None


def load_scenario(
    name_or_path: str | Path, inputs_dir: Path | str | None = None, **changes: Any
) -> Scenario:
    """Read, inherit, update with ``changes`` (deep-merged) and validate a scenario.

    A bare name is looked up in ``<inputs_dir>/scenarios/`` first, then in the shipped ones."""
    data = deep_merge(read_scenario_dict(name_or_path, inputs_dir=inputs_dir), changes)
    return parse_scenario(data, paths.scenario_path(name_or_path, inputs_dir).name)

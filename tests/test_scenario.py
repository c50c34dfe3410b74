"""Scenario files: validation messages, ``inherit`` chains and cell overrides."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy.config.scenario import Scenario, load_scenario, parse_scenario
from energy.data.inputs import load_inputs
from energy.data.overrides import apply_overrides
from energy.errors import InputError
from energy.paths import DEFAULT_INPUTS, list_scenarios
from tests.tiny import write_inputs


def problems_of(excinfo: pytest.ExceptionInfo) -> list[str]:
    return excinfo.value.problems


# ------------------------------------------------------------------------------ validation


def test_unknown_key_is_named_with_closest_suggestion() -> None:
    with pytest.raises(InputError) as err:
        parse_scenario({"name": "x", "resolutoin": "1h"}, "x.yaml")
    (problem,) = problems_of(err)
    assert "x.yaml" in problem
    assert "'resolutoin'" in problem
    assert "did you mean 'resolution'" in problem


@pytest.mark.parametrize(
    ("data", "path", "suggestion"),
    [
        ({"green_export": {"enabeld": False}}, "green_export.enabeld", "enabled"),
        ({"solver": {"metod": "ipm"}}, "solver.metod", "method"),
        ({"window": {"start": "2030-01-01", "edn": "2030-01-02"}}, "window.edn", "end"),
    ],
    ids=["green_export", "solver", "window (optional model)"],
)
def test_nested_unknown_key_names_its_path(data: dict, path: str, suggestion: str) -> None:
    with pytest.raises(InputError) as err:
        parse_scenario({"name": "x"} | data)
    text = "\n".join(problems_of(err))
    assert f"'{path}'" in text
    assert f"did you mean '{suggestion}'" in text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("expansion", "maybe"),  # not a boolean
        ("discount_rate", "seven"),  # not a number
        ("discount_rate", 1.5),  # outside (0, 1)
        ("resolution", "hourly"),  # not a resolution string
        ("name", "../escape"),  # unsafe name
    ],
)
def test_wrong_type_or_value_names_key_and_value(key: str, value) -> None:
    with pytest.raises(InputError) as err:
        parse_scenario({"name": "x"} | {key: value})
    text = "\n".join(problems_of(err))
    assert f"'{key}'" in text
    assert repr(value) in text or str(value) in text


def test_nested_wrong_value() -> None:
    with pytest.raises(InputError) as err:
        parse_scenario({"name": "x", "green_export": {"pool": "some"}})
    text = "\n".join(problems_of(err))
    assert "'green_export.pool'" in text and "'some'" in text


def test_several_problems_reported_at_once() -> None:
    with pytest.raises(InputError) as err:
        parse_scenario(
            {
                "name": "x",
                "resolutoin": "1h",
                "expansion": "maybe",
                "green_export": {"enabeld": True},
            }
        )
    assert len(problems_of(err)) == 3


def test_load_scenario_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nperiode: '2030'\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    (problem,) = problems_of(err)
    assert problem.startswith("typo.yaml") and "did you mean 'period'" in problem


# ------------------------------------------------------------------------------- inherit


def write_yaml(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


def test_inherit_chain_child_overrides_parent(tmp_path: Path) -> None:
    """grandparent → parent → child (by path): each level overrides what it sets and keeps
    the rest; nested mappings are merged key by key."""
    grand = write_yaml(
        tmp_path,
        "grand",
        "name: grand\nresolution: 6h\nco2_cap_mt: 50\n"
        "green_export:\n  countries: [KZ]\n  pool: all\n",
    )
    parent = write_yaml(
        tmp_path,
        "parent",
        f"name: parent\ninherit: {grand}\n"
        "resolution: 4h\ndescription: the parent\n"
        "green_export:\n  enabled: false\n",
    )
    child = write_yaml(
        tmp_path,
        "child",
        f"name: child\ninherit: {parent}\nresolution: 2h\ngreen_export:\n  pool: additional\n",
    )
    sc = load_scenario(child)
    assert sc.name == "child"
    assert sc.resolution == "2h"  # child beats parent beats grandparent
    assert sc.description == "the parent"  # from parent
    assert sc.co2_cap_mt == 50  # from grandparent
    assert sc.green_export.countries == ("KZ",)  # grandparent
    assert sc.green_export.enabled is False  # parent
    assert sc.green_export.pool == "additional"  # child
    # the parent alone is unaffected by its child
    assert load_scenario(parent).resolution == "4h"
    # changes passed to load_scenario beat the file
    assert load_scenario(child, resolution="1h").resolution == "1h"


def test_inherit_by_name_finds_sibling_file(tmp_path: Path) -> None:
    """``inherit: parent`` (a name, as the module docstring shows) in a scenario outside
    inputs/scenarios resolves to parent.yaml beside it."""
    write_yaml(tmp_path, "parent", "name: parent\nresolution: 6h\nco2_cap_mt: 10\n")
    child = write_yaml(tmp_path, "child", "name: child\ninherit: parent\nresolution: 2h\n")
    sc = load_scenario(child)
    assert (sc.name, sc.resolution, sc.co2_cap_mt) == ("child", "2h", 10)


def test_child_without_name_is_named_after_its_file(tmp_path: Path) -> None:
    """A file without ``name`` is named after its stem — also when its parent has a name
    (else the child's results would overwrite the parent's folder)."""
    parent = write_yaml(tmp_path, "parent", "name: parent\nresolution: 6h\n")
    child = write_yaml(tmp_path, "child", f"inherit: {parent}\n")
    assert load_scenario(child).name == "child"


def test_inherit_shipped_scenario_by_name_from_elsewhere(tmp_path: Path) -> None:
    child = write_yaml(tmp_path, "mine", "name: mine\ninherit: base\nco2_cap_mt: 5\n")
    base = load_scenario("base")
    sc = load_scenario(child)
    assert sc.co2_cap_mt == 5
    assert sc.resolution == base.resolution and sc.green_export == base.green_export


def test_inherit_loop_is_reported(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(f"name: a\ninherit: {b}\n")
    b.write_text(f"name: b\ninherit: {a}\n")
    with pytest.raises(InputError, match="loops back"):
        load_scenario(a)


def test_unknown_scenario_lists_known_ones() -> None:
    with pytest.raises(InputError) as err:
        load_scenario("no-such-scenario")
    text = "\n".join(problems_of(err))
    assert "no-such-scenario" in text and "base" in text


# ----------------------------------------------------------------------------- overrides


@pytest.fixture(scope="module")
def tiny_inputs(tmp_path_factory: pytest.TempPathFactory):
    """Integer-valued numeric cells on purpose (a CSV written by hand looks like this)."""
    folder = write_inputs(
        tmp_path_factory.mktemp("overrides"),
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[{"node": "A", "demand_twh": 0}, {"node": "B", "demand_twh": 1}],
        fleet=[{"node": "B", "carrier": "OCGT", "p_nom_mw": 300, "efficiency": 0.4}],
        potentials=[
            {"node": "A", "carrier": "onwind", "potential_gw": 10, "cf_annual": 0.4},
            {"node": "B", "carrier": "onwind", "potential_gw": 2, "cf_annual": 0.3},
        ],
        links=[
            {
                "link": "ab",
                "bus0": "A",
                "bus1": "B",
                "length_km": 400,
                "p_nom_mw": 0,
                "p_nom_max_mw": 4000,
                "capex_factor": 1,
            },
            {
                "link": "ba2",
                "bus0": "B",
                "bus1": "A",
                "length_km": 100,
                "p_nom_mw": 0,
                "p_nom_max_mw": 1000,
                "capex_factor": 1,
            },
        ],
    )
    return load_inputs(folder)


def with_overrides(overrides: dict) -> Scenario:
    return Scenario(name="o", overrides=overrides)


def test_override_changes_exactly_one_cell(tiny_inputs) -> None:
    before = tiny_inputs.links.copy()
    out = apply_overrides(tiny_inputs, with_overrides({"links": {"ab": {"p_nom_max_mw": 0}}}))
    assert out.links.at["ab", "p_nom_max_mw"] == 0
    changed = out.links.ne(before) & ~(out.links.isna() & before.isna())
    assert changed.to_numpy().sum() == 1
    # the original is not modified
    pd.testing.assert_frame_equal(tiny_inputs.links, before)
    assert tiny_inputs.links.at["ab", "p_nom_max_mw"] == 4000


def test_override_row_of_multi_key_table(tiny_inputs) -> None:
    """Row ids of tables with several key columns are joined by '/'."""
    out = apply_overrides(
        tiny_inputs,
        with_overrides(
            {
                "potentials": {"B/onwind": {"potential_gw": 7}},
                "fleet": {"B/OCGT/2030": {"p_nom_mw": 450}},
            }
        ),
    )
    assert out.potentials.at[("B", "onwind"), "potential_gw"] == 7
    assert out.potentials.at[("A", "onwind"), "potential_gw"] == 10
    assert out.fleet.at[("B", "OCGT", "2030"), "p_nom_mw"] == 450


def test_override_pattern_reaches_every_period_and_yields_to_a_named_row(tmp_path) -> None:
    """``B/OCGT/*`` sets the B OCGT row of every period, not A's; a row named in full wins
    whatever the order; a pattern that matches nothing is an unknown row."""
    plant = {"carrier": "OCGT", "p_nom_mw": 300, "efficiency": 0.4}
    folder = write_inputs(
        tmp_path,
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[{"node": "A", "demand_twh": 1}, {"node": "B", "demand_twh": 1}],
        fleet=[
            {"node": "A", "period": "2030", **plant},
            {"node": "B", "period": "2030", **plant},
            {"node": "B", "period": "2035", **plant},
            {"node": "B", "period": "base", **plant},
        ],
    )
    inputs = load_inputs(folder)
    rows = {"B/OCGT/base": {"availability": 0.7}, "B/OCGT/*": {"availability": 0.4}}
    out = apply_overrides(inputs, with_overrides({"fleet": rows})).fleet["availability"]
    assert out.to_dict() == {
        ("A", "OCGT", "2030"): 1.0,
        ("B", "OCGT", "2030"): 0.4,
        ("B", "OCGT", "2035"): 0.4,
        ("B", "OCGT", "base"): 0.7,
    }
    with pytest.raises(InputError) as err:
        apply_overrides(inputs, with_overrides({"fleet": {"C/OCGT/*": {"availability": 0.4}}}))
    assert "overrides.fleet: unknown row 'C/OCGT/*'" in problems_of(err)[0]


def test_override_with_fraction_into_integer_column(tiny_inputs) -> None:
    """A number in range is accepted even when every cell of the column was an integer."""
    out = apply_overrides(
        tiny_inputs, with_overrides({"links": {"ab": {"p_nom_max_mw": 2500.5, "length_km": 412.5}}})
    )
    assert out.links.at["ab", "p_nom_max_mw"] == 2500.5
    assert out.links.at["ab", "length_km"] == 412.5


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"link": {"ab": {"p_nom_max_mw": 0}}}, ["unknown table 'link'", "'links'"]),
        ({"links": {"abb": {"p_nom_max_mw": 0}}}, ["unknown row 'abb'", "'ab'"]),
        ({"links": {"ab": {"p_nom_maxmw": 0}}}, ["unknown column 'p_nom_maxmw'", "'p_nom_max_mw'"]),
        ({"potentials": {"A/onwnd": {"potential_gw": 1}}}, ["unknown row 'A/onwnd'", "'A/onwind'"]),
        (
            {"links": {"ab": {"p_nom_max_mw": -1}}},
            ["overrides.links.ab.p_nom_max_mw", "-1", "[0, 1e+06]"],
        ),
        ({"potentials": {"A/onwind": {"cf_annual": 1.2}}}, ["cf_annual", "1.2", "[0, 1]"]),
        ({"links": {"ab": {"p_nom_max_mw": "lots"}}}, ["p_nom_max_mw", "'lots'"]),
    ],
)
def test_override_rejects_unknown_keys_and_bad_values(
    tiny_inputs, overrides: dict, expected: list[str]
) -> None:
    with pytest.raises(InputError) as err:
        apply_overrides(tiny_inputs, with_overrides(overrides))
    (problem,) = problems_of(err)
    for part in expected:
        assert part in problem, (part, problem)
    if "unknown" in expected[0]:
        assert "did you mean" in problem


def test_override_reports_every_problem(tiny_inputs) -> None:
    with pytest.raises(InputError) as err:
        apply_overrides(
            tiny_inputs,
            with_overrides(
                {
                    "link": {"ab": {"p_nom_max_mw": 0}},
                    "links": {
                        "abb": {"p_nom_max_mw": 0},
                        "ab": {"p_nom_max_mw": -5, "lenght_km": 3},
                    },
                }
            ),
        )
    assert len(problems_of(err)) == 4


# ------------------------------------------------------------------------ shipped scenarios


def test_shipped_scenarios_parse() -> None:
    names = list_scenarios()
    assert {"base", "no-cable"} <= set(names)
    for name in names:
        assert load_scenario(name).name == name


def test_no_cable_closes_the_trans_caspian_cable() -> None:
    """no-cable = base + links.trans-caspian.p_nom_max_mw = 0, on the real inputs."""
    base, no_cable = load_scenario("base"), load_scenario("no-cable")
    assert no_cable.resolution == base.resolution
    assert no_cable.green_export == base.green_export
    assert no_cable.overrides == base.overrides | {"links": {"trans-caspian": {"p_nom_max_mw": 0}}}
    assert (DEFAULT_INPUTS / "profiles" / "load.csv").is_file()
    inputs = load_inputs()
    assert inputs.links.at["trans-caspian", "p_nom_max_mw"] > 0
    assert apply_overrides(inputs, base).links.at["trans-caspian", "p_nom_max_mw"] > 0
    closed = apply_overrides(inputs, no_cable).links
    assert closed.at["trans-caspian", "p_nom_max_mw"] == 0
    other = closed.index != "trans-caspian"
    pd.testing.assert_series_equal(
        closed.loc[other, "p_nom_max_mw"], inputs.links.loc[other, "p_nom_max_mw"]
    )

"""Input validation on tiny folders: every fault is reported as file, row, column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.errors import InputError
from tests.tiny import write_co2_prices, write_inputs

# a complete, valid folder; each test breaks one thing
VALID = dict(
    nodes=[{"node": "A"}, {"node": "B"}, {"node": "M", "role": "market"}],
    demand=[{"node": "A", "demand_twh": 1.0}, {"node": "B", "demand_twh": 2.0}],
    fleet=[
        {"node": "B", "carrier": "OCGT", "p_nom_mw": 300.0, "efficiency": 0.4},
        {"node": "A", "carrier": "onwind", "p_nom_mw": 100.0},
        {"node": "A", "carrier": "CCGT", "p_nom_mw": 200.0, "efficiency": 0.55},
    ],
    potentials=[
        {"node": "A", "carrier": "onwind", "potential_gw": 10.0, "cf_annual": 0.4},
        {"node": "B", "carrier": "solar", "potential_gw": 5.0, "cf_annual": 0.2},
    ],
    links=[
        {"link": "ab", "bus0": "A", "bus1": "B"},
        {"link": "bm", "bus0": "B", "bus1": "M", "type": "hvac-overhead"},
    ],
    markets=[{"node": "M", "step": 1, "price_eur_per_mwh": 60.0, "max_mw": 500.0}],
)


def make(tmp_path: Path, co2_prices: bool = True, **changes) -> Path:
    folder = write_inputs(tmp_path / "in", **(VALID | changes))
    if co2_prices:
        write_co2_prices(folder, [{"country": "A", "price_eur_per_t": 10.0}])
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_inputs(folder)
    return err.value.problems


def reported(found: list[str], file: str, row: int, column: str, *details: str) -> str:
    """The one problem naming ``file, row N, column 'C'``, which must contain ``details``."""
    where = f"{file}, row {row}, column '{column}'"
    hits = [p for p in found if where in p]
    assert len(hits) == 1, f"expected one problem at {where!r}, got: {found}"
    for detail in details:
        assert detail in hits[0], (detail, hits[0])
    return hits[0]


def test_valid_folder_loads(tmp_path: Path) -> None:
    inputs = load_inputs(make(tmp_path))
    assert list(inputs.links.index) == ["ab", "bm"]
    assert inputs.fleet.at[("A", "onwind", "2030"), "availability"] == 1.0


def test_negative_capacity(tmp_path: Path) -> None:
    fleet = [dict(VALID["fleet"][0]), dict(VALID["fleet"][1], p_nom_mw=-50.0)]
    found = problems(make(tmp_path, fleet=fleet))
    reported(found, "fleet.csv", 3, "p_nom_mw", "-50", "outside")
    assert len(found) == 1


def test_capacity_factor_above_one_in_table(tmp_path: Path) -> None:
    potentials = [VALID["potentials"][0], dict(VALID["potentials"][1], cf_annual=1.2)]
    found = problems(make(tmp_path, potentials=potentials))
    reported(found, "potentials.csv", 3, "cf_annual", "1.2")
    assert len(found) == 1


def test_capacity_factor_above_one_in_profile(tmp_path: Path) -> None:
    """Hour index 99 is data row 100, spreadsheet row 101."""
    cf = np.full(8760, 0.5)
    cf[99] = 1.2
    found = problems(make(tmp_path, profiles={"onwind": {"B": cf}}))
    reported(found, "onwind.csv", 101, "B")
    assert len(found) == 1


def test_unknown_node_in_links(tmp_path: Path) -> None:
    links = [VALID["links"][0], dict(VALID["links"][1], bus1="Z")]
    found = problems(make(tmp_path, links=links))
    reported(found, "links.csv", 3, "bus1", "'Z'")
    assert len(found) == 1


def test_unknown_node_in_links_with_empty_optional_tables(tmp_path: Path) -> None:
    """No CO2 prices and no markets are valid inputs; they must not switch off the
    cross-table checks."""
    links = [dict(VALID["links"][0], bus1="Z")]
    folder = make(tmp_path, co2_prices=False, markets=[], links=links, nodes=VALID["nodes"][:2])
    found = problems(folder)
    reported(found, "links.csv", 2, "bus1", "'Z'")


def test_duplicate_id(tmp_path: Path) -> None:
    """The second 'ab' (row 3) is the duplicate; the message names the key column too."""
    links = [VALID["links"][0], dict(VALID["links"][0], bus0="B", bus1="A")]
    found = problems(make(tmp_path, links=links))
    reported(found, "links.csv", 3, "link", "duplicate", "ab")
    assert len(found) == 1


def test_non_numeric_cell_in_table(tmp_path: Path) -> None:
    potentials = [dict(VALID["potentials"][0], potential_gw="lots"), VALID["potentials"][1]]
    found = problems(make(tmp_path, potentials=potentials))
    reported(found, "potentials.csv", 2, "potential_gw", "'lots'", "not a number")
    assert len(found) == 1


def test_non_numeric_cell_in_profile(tmp_path: Path) -> None:
    """solar.csv, hour index 4 of column B → spreadsheet row 6."""
    folder = make(tmp_path)
    path = folder / "profiles" / "solar.csv"
    table = pd.read_csv(path, dtype=str)
    table.loc[4, "B"] = "abc"
    table.to_csv(path, index=False)
    found = problems(folder)
    reported(found, "solar.csv", 6, "B")


def test_missing_column(tmp_path: Path) -> None:
    """A missing column has no row; the message names the file and the column."""
    folder = make(tmp_path)
    path = folder / "fleet.csv"
    pd.read_csv(path, dtype=str).drop(columns="p_nom_mw").to_csv(path, index=False)
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith("fleet.csv") and "p_nom_mw" in found[0]


def test_profile_of_a_leap_year(tmp_path: Path) -> None:
    folder = make(tmp_path)
    hours = pd.date_range("2028-01-01", periods=8784, freq="h", name="snapshot")
    pd.DataFrame({"A": 1.0, "B": 1.0, "M": 1.0}, index=hours).to_csv(
        folder / "profiles" / "load.csv"
    )
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith("load.csv") and "8784" in found[0] and "8760" in found[0]


def test_several_faults_in_one_table_all_reported(tmp_path: Path) -> None:
    fleet = [
        dict(VALID["fleet"][0], p_nom_mw=-1.0),  # row 2: negative
        dict(VALID["fleet"][1], p_nom_mw="many"),  # row 3: not a number
        dict(VALID["fleet"][2], availability=1.5),  # row 4: outside [0, 1]
        {"node": "B", "carrier": "coal", "p_nom_mw": 10.0, "efficiency": 0.0},  # row 5: eff 0
    ]
    found = problems(make(tmp_path, fleet=fleet))
    reported(found, "fleet.csv", 2, "p_nom_mw", "-1")
    reported(found, "fleet.csv", 3, "p_nom_mw", "'many'")
    reported(found, "fleet.csv", 4, "availability", "1.5")
    reported(found, "fleet.csv", 5, "efficiency", "outside")
    assert len(found) == 4


def test_several_faults_in_one_profile_all_reported(tmp_path: Path) -> None:
    """Two bad cells in two columns of onwind.csv: both are named."""
    a, b = np.full(8760, 0.4), np.full(8760, 0.4)
    a[10] = 1.5  # row 12
    b[20] = -0.2  # row 22
    found = problems(make(tmp_path, profiles={"onwind": {"A": a, "B": b}}))
    reported(found, "onwind.csv", 12, "A")
    reported(found, "onwind.csv", 22, "B")


def test_faults_in_several_files_all_reported(tmp_path: Path) -> None:
    fleet = [dict(VALID["fleet"][0], p_nom_mw=-1.0)]
    potentials = [dict(VALID["potentials"][0], cf_annual=2.0)]
    found = problems(make(tmp_path, fleet=fleet, potentials=potentials))
    reported(found, "fleet.csv", 2, "p_nom_mw")
    reported(found, "potentials.csv", 2, "cf_annual")
    assert len(found) == 2

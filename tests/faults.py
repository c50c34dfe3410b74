"""A corpus of malformed inputs: each fault edits a copy of the shipped inputs (or the scenario)
and names the message fragment the user must see. Used by tests/test_fault_corpus.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Fault:
    id: str
    apply: Callable[[Path], None]  # edits the inputs folder in place
    expected: tuple[str, ...]  # fragments of the error message
    scenario: str = "base"  # scenario argument of `energy run` (may be a YAML written by apply)


def edit_cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell; ``row`` is the spreadsheet row (header = 1)."""

    def apply(folder: Path) -> None:
        path = folder / file
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df.loc[row - 2, column] = value
        df.to_csv(path, index=False)

    return apply


def edit_text(file: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def write_file(file: str, content: bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / file).write_bytes(content)

    return apply


def profile_rows(file: str, transform: Callable[[pd.DataFrame], pd.DataFrame]):
    def apply(folder: Path) -> None:
        path = folder / "profiles" / file
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        transform(df).to_csv(path, index=False)

    return apply


def leap_year(df: pd.DataFrame) -> pd.DataFrame:
    """The same shape for the leap year 2032 (29 February repeats 28 February)."""
    feb29 = df.iloc[58 * 24 : 59 * 24]
    df = pd.concat([df.iloc[: 59 * 24], feb29, df.iloc[59 * 24 :]], ignore_index=True)
    df["snapshot"] = pd.date_range("2032-01-01", periods=len(df), freq="h").strftime(
        "%Y-%m-%d %H:%M"
    )
    return df


def scenario_file(name: str, text: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / "scenarios").mkdir(exist_ok=True)
        (folder / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")

    return apply


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        for edit in edits:
            edit(folder)

    return apply


FAULTS = [
    Fault(
        "capacity-factor-in-percent",
        edit_cell("potentials.csv", 2, "cf_annual", "36"),
        ("potentials.csv, row 2, column 'cf_annual'", "36 is outside the allowed range [0, 1]"),
    ),
    Fault(
        "demand-in-gwh",
        edit_cell("demand.csv", 5, "demand_twh", "94470"),
        ("demand.csv, row 5, column 'demand_twh'", "94470 is outside"),
    ),
    Fault(
        "potential-in-mw",
        edit_cell("potentials.csv", 3, "potential_gw", "130000"),
        ("potentials.csv, row 3, column 'potential_gw'", "outside the allowed range"),
    ),
    Fault(
        "negative-capacity",
        edit_cell("fleet.csv", 4, "p_nom_mw", "-500"),
        ("fleet.csv, row 4, column 'p_nom_mw'", "-500 is outside"),
    ),
    Fault(
        "negative-length",
        edit_cell("links.csv", 8, "length_km", "-400"),
        ("links.csv, row 8, column 'length_km'",),
    ),
    Fault(
        "negative-cost",
        edit_cell("costs.csv", 2, "value", "-1383"),
        ("costs.csv, row 2, column 'value'", "outside"),
    ),
    Fault(
        "efficiency-above-one",
        edit_cell("fleet.csv", 2, "efficiency", "33"),
        ("fleet.csv, row 2, column 'efficiency'", "[0.001, 1]"),
    ),
    Fault(
        "availability-above-one",
        edit_cell("fleet.csv", 2, "availability", "1.7"),
        ("fleet.csv, row 2, column 'availability'",),
    ),
    Fault(
        "nan-cell",
        edit_cell("links.csv", 2, "p_nom_mw", ""),
        ("links.csv, row 2, column 'p_nom_mw': empty, a number is required",),
    ),
    Fault(
        "non-numeric-cell",
        edit_cell("links.csv", 2, "p_nom_mw", "2,100 MW"),
        ("links.csv, row 2, column 'p_nom_mw': '2,100 MW' is not a number",),
    ),
    Fault(
        "duplicate-node",
        edit_text("nodes.csv", "KZ-S,", "KZ-N,", 1),
        ("nodes.csv, row 3, column 'node': duplicate id KZ-N",),
    ),
    Fault(
        "duplicate-link",
        edit_cell("links.csv", 3, "link", "kzn-kzs"),
        ("links.csv, row 3, column 'link': duplicate id kzn-kzs",),
    ),
    Fault(
        "unknown-node-in-link",
        edit_cell("links.csv", 8, "bus1", "AZE"),
        ("links.csv, row 8, column 'bus1': unknown node 'AZE'",),
    ),
    Fault(
        "unknown-node-in-fleet",
        edit_cell("fleet.csv", 2, "node", "KZ-NN"),
        ("fleet.csv, row 2, column 'node': unknown node 'KZ-NN'",),
    ),
    Fault(
        "unknown-carrier",
        edit_cell("fleet.csv", 2, "carrier", "nuclear"),
        ("fleet.csv, row 2, column 'carrier': unknown carrier 'nuclear'",),
    ),
    Fault(
        "unknown-link-type",
        edit_cell("links.csv", 8, "type", "hvdc-subsea"),
        ("links.csv, row 8, column 'type': unknown link type 'hvdc-subsea'",),
    ),
    Fault(
        "bad-boolean",
        edit_cell("links.csv", 8, "extendable", "maybe"),
        ("links.csv, row 8, column 'extendable': 'maybe' is not true or false",),
    ),
    Fault(
        "max-below-existing",
        edit_cell("links.csv", 5, "p_nom_max_mw", "100"),
        ("links.csv, row 5, column 'p_nom_max_mw': below existing p_nom_mw",),
    ),
    Fault(
        "missing-source",
        edit_cell("nodes.csv", 4, "source", ""),
        ("nodes.csv, row 4, column 'source': empty",),
    ),
    Fault(
        "short-profile",
        profile_rows("solar.csv", lambda df: df.iloc[:8000]),
        ("solar.csv: 8000 rows, expected 8760",),
    ),
    Fault(
        "leap-year-profile",
        profile_rows("load.csv", leap_year),
        ("load.csv: 8784 rows, expected 8760",),
    ),
    Fault(
        "profile-cf-above-one",
        profile_rows(
            "onwind.csv", lambda df: df.assign(**{"UZ": df["UZ"].where(df.index != 99, "1.5")})
        ),
        ("onwind.csv, row 101, column 'UZ'", "found 1.5"),
    ),
    Fault(
        "profile-nan",
        profile_rows(
            "hydro.csv", lambda df: df.assign(**{"GE": df["GE"].where(df.index != 10, "")})
        ),
        ("hydro.csv, row 12, column 'GE'", "nan"),
    ),
    Fault(
        "profile-missing-node",
        profile_rows("load.csv", lambda df: df.drop(columns="AZ")),
        ("profiles/load.csv: no column for node 'AZ'",),
    ),
    Fault(
        "profile-duplicate-hour",
        profile_rows(
            "solar.csv",
            lambda df: df.assign(
                snapshot=df["snapshot"].where(df.index != 5, df["snapshot"].iloc[4])
            ),
        ),
        ("solar.csv: duplicate snapshots",),
    ),
    Fault(
        "empty-file",
        write_file("markets.csv", b""),
        ("markets.csv: cannot be read as a UTF-8 CSV",),
    ),
    Fault(
        "missing-column",
        edit_text("potentials.csv", "cf_annual", "cf"),
        ("potentials.csv: missing column(s) cf_annual",),
    ),
    Fault(
        "typo-in-extra-column",
        edit_text("links.csv", "p_nom_max_mw", "p_nom_mx_mw"),
        ("links.csv, column 'p_nom_mx_mw': unknown column (did you mean 'p_nom_max_mw'?)",),
    ),
    Fault(
        "wrong-encoding",
        lambda folder: (folder / "nodes.csv").write_bytes(
            (folder / "nodes.csv").read_text(encoding="utf-8").encode("utf-16")
        ),
        ("nodes.csv: cannot be read as a UTF-8 CSV",),
    ),
    Fault(
        "latin1-encoding",
        lambda folder: (folder / "links.csv").write_bytes(
            (folder / "links.csv").read_text(encoding="utf-8").encode("latin-1", "replace")
        ),
        ("links.csv: cannot be read as a UTF-8 CSV",),
    ),
    Fault(
        "scenario-key-typo",
        scenario_file("typo", "name: typo\ninherit: base\nresolutoin: 3h\n"),
        ("unknown key 'resolutoin' (did you mean 'resolution'?)",),
        scenario="typo",
    ),
    Fault(
        "scenario-nested-typo",
        scenario_file("nested", "name: nested\ninherit: base\ngreen_export: {enabeld: false}\n"),
        ("unknown key 'green_export.enabeld' (did you mean 'enabled'?)",),
        scenario="nested",
    ),
    Fault(
        "scenario-wrong-type",
        scenario_file("wrongtype", "name: wrongtype\ninherit: base\ndiscount_rate: seven\n"),
        ("key 'discount_rate'", "'seven'"),
        scenario="wrongtype",
    ),
    Fault(
        "scenario-name-escapes",
        scenario_file("escape", "name: ../../etc\ninherit: base\n"),
        ("'../../etc' is not a safe scenario name",),
        scenario="escape",
    ),
    Fault(
        "scenario-absolute-name",
        scenario_file("absolute", "name: /tmp/x\ninherit: base\n"),
        ("'/tmp/x' is not a safe scenario name",),
        scenario="absolute",
    ),
    Fault(
        "scenario-unknown-override-row",
        scenario_file(
            "row",
            "name: row\ninherit: base\noverrides: {links: {trans-caspain: {p_nom_max_mw: 0}}}\n",
        ),
        ("overrides.links: unknown row 'trans-caspain' (did you mean 'trans-caspian'?)",),
        scenario="row",
    ),
    Fault(
        "scenario-unknown-market",
        scenario_file(
            "market", "name: market\ninherit: base\nexport_prices_eur_per_mwh: {RO: 90}\n"
        ),
        ("export_prices_eur_per_mwh.RO: not a market node",),
        scenario="market",
    ),
    Fault(
        "scenario-not-yaml",
        scenario_file("broken", "name: broken\ninherit: [base\n"),
        ("broken.yaml: not valid YAML",),
        scenario="broken",
    ),
    Fault(
        "unsafe-yaml-tag",
        scenario_file(
            "unsafe",
            "name: unsafe\ninherit: base\ndescription: !!python/object/apply:os.system "
            "['echo hacked']\n",
        ),
        ("unsafe.yaml: not valid YAML",),
        scenario="unsafe",
    ),
    Fault(
        "several-faults-in-one-file",
        both(
            edit_cell("links.csv", 2, "p_nom_mw", "x"), edit_cell("links.csv", 4, "length_km", "-1")
        ),
        ("links.csv, row 2, column 'p_nom_mw'", "links.csv, row 4, column 'length_km'"),
    ),
]

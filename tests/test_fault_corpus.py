"""Every malformed input of the corpus: a clear message, exit code 2, nothing written."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energy.cli import main
from energy.data.inputs import read_table
from energy.data.schema import TABLES
from energy.errors import ExitCode
from tests.faults import FAULTS
from tests.tiny import copy_real_inputs


def tree(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return copy_real_inputs(tmp_path_factory.mktemp("pristine") / "inputs")


def test_corpus_is_large_and_distinct():
    assert len(FAULTS) >= 25
    assert len({f.id for f in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_gives_clear_message_exit_2_and_writes_nothing(fault, pristine, tmp_path, capsys):
    import shutil

    inputs = tmp_path / "inputs"
    shutil.copytree(pristine, inputs)
    fault.apply(inputs)
    results = tmp_path / "results"
    (results / "base").mkdir(parents=True)
    (results / "base" / "kpis.csv").write_text("kpi,value,unit\nobjective,1,EUR\n")
    before = tree(results)
    code = main(["run", fault.scenario, "--inputs", str(inputs), "--out", str(results)])
    err = capsys.readouterr().err
    assert code == ExitCode.INPUT, err
    for fragment in fault.expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert "Traceback" not in err
    assert tree(results) == before
    assert sorted(p.name for p in results.iterdir()) == ["base"]


def test_check_command_validates_without_solving(pristine, capsys):
    assert main(["check", "base", "--inputs", str(pristine)]) == 0
    assert "inputs and scenario valid" in capsys.readouterr().out


# Property-based checks of the table validator: any value outside a column's range, any
# non-number, is reported with its row and column; values inside pass.

NUMERIC = [
    (stem, col, bounds)
    for stem, (_, numeric) in TABLES.items()
    for col, bounds in numeric.items()
    if stem == "links"
]


@settings(max_examples=60, deadline=None)
@given(
    column=st.sampled_from(NUMERIC),
    row=st.integers(0, 9),
    value=st.floats(allow_nan=False, allow_infinity=False, width=32),
)
def test_range_rule_holds_for_any_number(tmp_path_factory, column, row, value):
    _, col, (low, high) = column
    folder = tmp_path_factory.mktemp("prop")
    links = copy_real_inputs(folder / "inputs") / "links.csv"
    import pandas as pd

    df = pd.read_csv(links, dtype=str, keep_default_na=False)
    row = row % len(df)
    if col == "p_nom_max_mw":  # keep the cross-column rule out of this property
        df["p_nom_mw"] = "0"
    df.loc[row, col] = repr(float(value))
    df.to_csv(links, index=False)
    problems: list[str] = []
    read_table(links, "links", problems)
    flagged = any(f"row {row + 2}, column '{col}'" in p for p in problems)
    assert flagged == (not low <= float(value) <= high), problems


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12
    ).filter(lambda t: not _is_number(t))
)
def test_any_non_number_is_reported(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("text")
    path = folder / "co2_prices.csv"
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["country", "price_eur_per_t", "source"])
        writer.writerow(["KZ", text, "test"])
    problems: list[str] = []
    read_table(path, "co2_prices", problems)
    assert any("row 2, column 'price_eur_per_t'" in p for p in problems), problems


def _is_number(text: str) -> bool:
    import pandas as pd

    stripped = text.strip()
    return stripped == "" or pd.notna(pd.to_numeric(pd.Series([stripped]), errors="coerce")[0])

"""The house rules: one results root for every writer and reader, lean imports on the run
path, and no module that has grown two jobs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from energy import load_results
from energy.cli import main
from energy.paths import RESULTS_ENV, results_root
from tests.tiny import green_corridor_inputs

PACKAGE = Path(__file__).resolve().parent.parent / "energy"
WEEK = (
    'window: {start: "2030-01-01", end: "2030-01-02"}\nresolution: 1h\n'
    "green_export: {countries: [KZ, AZ]}\n"
)
SWEEP = """name: env-sweep
scenario: tiny
grid:
  export_prices_eur_per_mwh.EU: [100, 120]
"""


def test_run_path_imports_neither_matplotlib_nor_dask() -> None:
    """``energy run`` adds no plotting, Dask, Pyomo or tsam module to what PyPSA itself loads
    (PyPSA 1.4 imports matplotlib.pyplot on its own; Dask it does not)."""
    code = (
        "import sys; heavy = lambda: {m for m in sys.modules if m.split('.')[0] in "
        "('matplotlib', 'dask', 'distributed', 'pyomo', 'tsam')}; "
        "import pypsa; before = heavy(); "
        "import energy.cli, energy.run.pipeline, energy.results.extract; "
        "energy.cli.parser(); print(sorted(heavy() - before), 'dask' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[] False", f"the run path imports {out}"


def test_results_env_is_honoured_by_run_sweep_and_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With $GREEN_CORRIDOR_RESULTS set and no --out, ``energy run`` and ``energy sweep``
    write under it and ``load_results("tiny")`` finds the run there."""
    inputs = green_corridor_inputs(tmp_path / "inputs", scenarios={"tiny": "name: tiny\n" + WEEK})
    root = tmp_path / "elsewhere"
    monkeypatch.setenv(RESULTS_ENV, str(root))
    monkeypatch.chdir(tmp_path)
    assert results_root() == root
    assert main(["run", "tiny", "--inputs", str(inputs)]) == 0
    assert (root / "tiny" / "kpis.csv").is_file()
    assert load_results("tiny").path == root / "tiny"
    sweep_file = tmp_path / "env-sweep.yaml"
    sweep_file.write_text(SWEEP)
    assert main(["sweep", str(sweep_file), "--inputs", str(inputs), "--workers", "0"]) == 0
    assert (root / "env-sweep" / "summary.csv").is_file()
    assert not (PACKAGE.parent / "results" / "tiny").exists()


def test_no_module_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, f"split these modules: {long}"


def test_every_subpackage_says_what_it_owns() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        text = init.read_text(encoding="utf-8").lstrip()
        assert text.startswith('"""') and len(text.split('"""')[1]) > 40, init

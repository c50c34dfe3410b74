"""Exports round-trip (Excel, Parquet, CSV read back equal the tables) and the HTML report is
self-contained: it parses, and every embedded image decodes."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from energy import load_results
from energy.cli import main
from energy.data.schema import TABLES
from energy.paths import DEFAULT_INPUTS
from energy.results.export import export_results, units_table
from energy.review.report import write_report

pytestmark = pytest.mark.slow  # review_results solves the full inputs (base, no-cable, sweep)

RUN_SHEETS = [
    "kpis",
    "capacities",
    "energy_balance",
    "links",
    "costs",
    "units",
    "scenario",
    "sources",
]


@pytest.fixture(scope="module")
def base_dir(review_results: Path) -> Path:
    return review_results / "base"


def test_xlsx_has_every_sheet_and_round_trips(base_dir: Path, tmp_path: Path) -> None:
    (path,) = export_results(base_dir, "xlsx", out=tmp_path)
    assert path.name == "base.xlsx"
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == RUN_SHEETS
    res = load_results(base_dir)
    sheets = pd.read_excel(path, sheet_name=None)
    for name, table in res.tables.items():
        pd.testing.assert_frame_equal(sheets[name], table, check_dtype=False)
    scenario = sheets["scenario"].set_index("setting")["value"]
    assert scenario["scenario.name"] == "base"
    assert scenario["scenario.window.start"] == "2030-01-08"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_parquet_and_csv_round_trip(base_dir: Path, tmp_path: Path, fmt: str) -> None:
    files = export_results(base_dir, fmt, out=tmp_path)
    assert [f.stem for f in files] == RUN_SHEETS
    res = load_results(base_dir)
    read = pd.read_parquet if fmt == "parquet" else pd.read_csv
    for name, table in res.tables.items():
        pd.testing.assert_frame_equal(read(tmp_path / f"{name}.{fmt}"), table)


def test_units_cover_every_quantity(base_dir: Path) -> None:
    res = load_results(base_dir)
    units = units_table(res)
    covered = set(zip(units["table"], units["column"]))
    for name, table in res.tables.items():
        for column in table.columns:
            if column.endswith(("_mw", "_twh", "_eur", "_km")):
                assert (name, column) in covered
    assert set(res.kpis["kpi"]) <= set(units.loc[units["table"] == "kpis", "column"])


def test_sources_sheet_lists_every_input_row(base_dir: Path, tmp_path: Path) -> None:
    (path,) = export_results(base_dir, "xlsx", out=tmp_path)
    sources = pd.read_excel(path, sheet_name="sources", keep_default_na=False)
    for stem in TABLES:
        rows = len(pd.read_csv(DEFAULT_INPUTS / f"{stem}.csv"))
        mine = sources[sources["file"] == f"{stem}.csv"]
        assert len(mine) == rows
        assert (mine["source"].str.strip() != "").all()


def test_sweep_exports_its_summary(review_results: Path, tmp_path: Path) -> None:
    sweep = review_results / "cable-sizing"
    summary = pd.read_csv(sweep / "summary.csv")
    (xlsx,) = export_results(sweep, "xlsx", out=tmp_path)
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames == ["summary", "sources"]
    pd.testing.assert_frame_equal(
        pd.read_excel(xlsx, sheet_name="summary"), summary, check_dtype=False
    )
    export_results(sweep, "parquet", out=tmp_path)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "summary.parquet"), summary)


def test_cli_export_and_errors(base_dir: Path, tmp_path: Path) -> None:
    assert main(["export", str(base_dir), "--format", "parquet", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "kpis.parquet").is_file()
    assert main(["export", str(tmp_path / "missing")]) == 2
    assert main(["report", str(tmp_path / "missing")]) == 2


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found.get("src") or "")
        for key in ("href", "src"):
            if (found.get(key) or "").startswith(("http:", "https:", "//")):
                self.links.append(found[key] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_report(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    assert not page.links, "a mailed report must not fetch anything"
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        image.verify()
        assert image.size[0] > 300 and image.size[1] > 200
    return page


def test_run_report_is_self_contained(base_dir: Path, tmp_path: Path) -> None:
    assert main(["report", str(base_dir), "--out", str(tmp_path / "r.html")]) == 0
    page = parse_report(tmp_path / "r.html")
    assert len(page.images) == 7  # map, capacity, exports, dispatch, flows, prices, costs
    text = " ".join(page.text)
    assert "Trans-Caspian cable" in text and "not available" not in text


def test_sweep_report_default_location(review_results: Path) -> None:
    target = write_report(review_results / "cable-sizing")
    assert target == review_results / "cable-sizing" / "report.html"
    page = parse_report(target)
    assert len(page.images) >= 2
    assert "not available" not in " ".join(page.text)

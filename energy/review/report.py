"""``energy report RESULTS_DIR``: one self-contained HTML page (figures as embedded PNG) with
the key KPIs, the corridor map and the main plots of a run or a sweep."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from energy.results.folder import Results, load_results
from energy.review import plot
from energy.review.pathway import is_pathway, pathway_body
from energy.review.robust import robust_section
from energy.review.sizing import sizing_html

HEADLINE = {
    "system_cost": "System cost",
    "green_export_energy": "Green exports (EU, TR)",
    "export_energy": "All market sales (incl. RU)",
    "export_revenue": "Export revenue",
    "co2_emissions": "CO₂ emissions",
    "curtailment": "Curtailment",
    "capacity_trans-caspian": "Trans-Caspian cable",
    "capacity_black-sea": "Black Sea cable",
}
LINK_COLUMNS = {
    "link": "corridor",
    "from": "from",
    "to": "to",
    "type": "type",
    "length_km": "length [km]",
    "existing_mw": "existing [MW]",
    "added_mw": "added [MW]",
    "optimal_mw": "optimal [MW]",
    "flow_forward_twh": "sent from→to [TWh]",
    "flow_backward_twh": "sent to→from [TWh]",
    "utilisation": "utilisation [%]",
    "congestion_hours": "congested [h]",
    "losses_twh": "losses [TWh]",
    "congestion_rent_eur": "congestion rent [M EUR]",
}
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#222;
background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff}
h1{margin:0 0 4px;font-size:26px} .sub{color:#555;margin:0 0 16px}
h2{border-bottom:2px solid #e3e6ea;padding-bottom:4px;margin-top:32px;font-size:19px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;
margin:16px 0}
.card{border:1px solid #e3e6ea;border-radius:8px;padding:10px 14px;background:#fafbfc}
.card .v{font-size:22px;font-weight:600} .card .k{font-size:12px;color:#666}
figure{margin:12px 0 24px} figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#555}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #e3e6ea;padding:3px 8px;text-align:right} th{background:#f0f2f5}
td:first-child,th:first-child{text-align:left}
td{white-space:nowrap} .scroll{overflow-x:auto}
table.settings td{text-align:left;white-space:normal}
.row{display:flex;gap:16px;align-items:flex-start} .row figure{flex:1 1 0;min-width:0}
details{margin:8px 0} summary{cursor:pointer;color:#1f4e79}
footer{font-size:12px;color:#666;margin-top:32px}
"""


def png_base64(fig: Figure, dpi: int = 110) -> str:
    """The figure as base64 PNG text; the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_html(fig: Figure, caption: str) -> str:
    """The figure embedded as PNG in a ``<figure>`` with ``caption``; the figure is closed."""
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,'
        f'{png_base64(fig)}"><figcaption>{html.escape(caption)}</figcaption></figure>'
    )


def format_kpi(value: float, unit: str) -> tuple[str, str]:
    """Readable value and unit (EUR in millions, shares in %)."""
    if pd.isna(value):
        return "–", unit
    if unit == "EUR":
        return f"{value / 1e6:,.1f}", "million EUR"
    if unit == "share":
        return f"{100 * value:.1f}", "%"
    return (f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"), unit


def kpi_cards(res: Results) -> str:
    """The headline KPIs (system cost, exports, CO2, cables, ...) as HTML cards, readable units."""
    kpis = res.kpis.set_index("kpi")
    cards = []
    for name, nice in HEADLINE.items():
        if name in kpis.index:
            value, unit = format_kpi(kpis.at[name, "value"], kpis.at[name, "unit"])
            cards.append(
                f'<div class="card"><div class="v">{value}</div><div class="k">'
                f"{html.escape(nice)} · {html.escape(unit)}</div></div>"
            )
    return f'<div class="cards">{"".join(cards)}</div>'


def kpi_table(res: Results) -> str:
    """Every KPI as an HTML table of readable value and unit."""
    rows = [(k, *format_kpi(v, u)) for k, v, u in res.kpis.itertuples(index=False)]
    table = pd.DataFrame(rows, columns=["KPI", "value", "unit"])
    return table.to_html(index=False, border=0)


def decimals(column: str) -> Callable[[float], str]:
    """Number format by the unit in a column header: TWh 3 decimals, M EUR 2, % 1, else 0."""
    digits = next((d for unit, d in (("TWh", 3), ("M EUR", 2), ("%", 1)) if unit in column), 0)
    return lambda value: f"{value:,.{digits}f}"


def links_html(res: Results) -> str:
    """The corridors table with readable headers and units."""
    table = res.links[[c for c in LINK_COLUMNS if c in res.links.columns]].copy()
    table["utilisation"] = 100 * table["utilisation"]
    table["congestion_rent_eur"] = table["congestion_rent_eur"] / 1e6
    table = table.rename(columns=LINK_COLUMNS)
    formatters = {c: decimals(c) for c in table.columns if table[c].dtype.kind == "f"}
    formatted = table.to_html(index=False, border=0, formatters=formatters)
    return f'<div class="scroll">{formatted}</div>'


def safe_figure(make: Callable[[], Figure], caption: str) -> str:
    """A figure, or a note saying why it could not be drawn (a report never fails on one)."""
    try:
        return figure_html(make(), caption)
    except Exception as err:  # noqa: BLE001 - reported on the page instead
        return f"<p><em>{html.escape(caption)}: not available ({html.escape(str(err))})</em></p>"


def dispatch_node(res: Results) -> str:
    """The trans-Caspian hub AZ if present, else the first node with load."""
    nodes = list(res.timeseries["node"].to_numpy())
    return "AZ" if "AZ" in nodes else nodes[0]


def run_body(res: Results, node: str | None = None) -> str:
    """The HTML sections of a run's report; dispatch at ``node`` (default: AZ, else the first)."""
    node = node or dispatch_node(res)
    meta = res.metadata
    exports = (
        plot.export_summary(res)
        .reset_index()
        .rename(
            columns={
                "volume_twh": "volume [TWh]",
                "revenue_meur": "revenue [M EUR]",
                "price_eur_per_mwh": "average price [EUR/MWh]",
            }
        )
    )
    return "".join(
        [
            "<h2>Key figures</h2>",
            kpi_cards(res),
            f"<details><summary>All KPIs</summary>{kpi_table(res)}</details>",
            "<h2>Corridor map</h2>",
            safe_figure(
                lambda: plot.corridor_map(res),
                "Optimal link capacities on the corridor "
                "(line width ∝ MW; dashed: candidate not built)",
            ),
            "<h2>Capacity</h2>",
            safe_figure(
                lambda: plot.capacity_by_node(res),
                "Generation and storage capacity by node and carrier; hatched: added by the model",
            ),
            "<h2>Exports</h2>",
            exports.to_html(index=False, border=0, float_format=lambda v: f"{v:,.2f}"),
            safe_figure(lambda: plot.exports(res), "Export volume and revenue by market"),
            "<h2>Dispatch</h2>",
            safe_figure(
                lambda: plot.dispatch_stack(res, node),
                f"Dispatch at {node} in the week with the most market exports",
            ),
            "<h2>Cables</h2>",
            links_html(res),
            safe_figure(
                lambda: plot.flow_duration(res),
                "Flow duration curves, + in the corridor's from → to direction",
            ),
            "<h2>Prices and costs</h2>",
            safe_figure(lambda: plot.price_duration(res), "Price duration curves per node"),
            safe_figure(lambda: plot.cost_breakdown(res), "System cost by carrier"),
            robust_section(res.path, safe_figure),
            sizing_html(res),
            "<h2>Run</h2>",
            settings_html(meta),
        ]
    )


def settings_html(meta: dict) -> str:
    """The run's settings (scenario, window, solver outcome, hashes, versions) as an HTML table."""
    scenario = meta.get("scenario", {})
    items = {
        "scenario": scenario.get("name"),
        "description": scenario.get("description"),
        "period": scenario.get("period"),
        "resolution": meta.get("resolution"),
        "window": scenario.get("window") or "full year",
        "snapshots": meta.get("snapshots"),
        "solver": f"{meta.get('status')} / {meta.get('condition')}",
        "objective [EUR]": f"{meta.get('objective_eur', float('nan')):,.0f}",
        "scenario hash": str(meta.get("scenario_hash", ""))[:12],
        "inputs hash": str(meta.get("inputs_hash", ""))[:12],
        "versions": ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items()),
    }
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in items.items()
    )
    return f'<table class="settings">{rows}</table>'


def sweep_kpis(res: Results) -> list[str]:
    """Cube variables worth a figure: capacities and exports/cost that vary across cases."""
    cube = res.cube
    numeric = [str(v) for v in cube.data_vars if cube[v].dtype.kind == "f"]
    varies = [v for v in numeric if float(cube[v].max() - cube[v].min()) > 1e-6]
    wanted = [v for v in varies if v.startswith("capacity_")]
    wanted += [
        v for v in varies if v.startswith(("export_energy_TWh", "export_revenue", "system_cost"))
    ]
    return wanted or numeric[:1]


def summary_html(summary: pd.DataFrame, kpis: list[str]) -> str:
    """Parameters, status and the varying KPIs; the full table folds out."""
    known = ("case", "status", "message", "resumed", "elapsed_s")
    kpi_like = re.compile(r".*_(MW|TWh|EUR|EUR_per_MWh|Mt|share|h|count)$")
    params = [c for c in summary.columns if c not in known and not kpi_like.match(c)]
    short = summary[[c for c in ["case", *params, "status", *kpis] if c in summary.columns]]
    fmt = {"float_format": lambda v: f"{v:,.4g}", "index": False, "border": 0, "na_rep": ""}
    return (
        f'<div class="scroll">{short.to_html(**fmt)}</div><details><summary>All KPIs of '
        f'every case</summary><div class="scroll">{summary.to_html(**fmt)}</div></details>'
    )


def sweep_body(res: Results) -> str:
    """The HTML sections of a sweep's report: case summary, then figures per varying KPI."""
    failed = int((res.summary.get("status", pd.Series(dtype=str)) != "optimal").sum())
    cube = res.cube
    kpis = sweep_kpis(res) if cube is not None else []
    parts = [
        "<h2>Summary</h2>",
        f"<p>{len(res.summary)} cases, {failed} failed.</p>",
        summary_html(res.summary, kpis),
    ]
    if cube is None:
        return "".join(parts + ["<p><em>No sweep.nc in this folder.</em></p>"])
    dims = [d for d in cube.dims if cube.sizes[d] > 1]
    hue = dims[1] if len(dims) >= 2 else None
    for kpi in kpis:
        parts.append(f'<h2>{html.escape(kpi)}</h2><div class="row">')
        if hue:
            parts.append(
                safe_figure(
                    lambda k=kpi: plot.sweep_heatmap(res, k, dims[0], hue),
                    f"{kpi} over {dims[0]} × {hue}",
                )
            )
        if dims:
            parts.append(
                safe_figure(
                    lambda k=kpi: plot.sweep_lines(res, k, dims[0], hue), f"{kpi} against {dims[0]}"
                )
            )
        parts.append("</div>")
    return "".join(parts)


def report_html(path: Path | str, node: str | None = None) -> str:
    """The whole page as text."""
    res = load_results(path)
    kind = "sweep" if res.is_sweep else "scenario"
    description = res.metadata.get("scenario", {}).get("description", "")
    if res.is_sweep and res.cube is not None:
        description = f"base scenario {Path(str(res.cube.attrs.get('scenario', '?'))).stem}"
    if res.is_sweep:
        body = sweep_body(res)
    elif is_pathway(res):
        body = pathway_body(res, node, run_body, safe_figure)
    else:
        body = run_body(res, node)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Green corridor – {kind} {html.escape(res.name)}</title>"
        f"<style>{CSS}</style></head><body><main>"
        f"<h1>Green corridor – {kind} '{html.escape(res.name)}'</h1>"
        f'<p class="sub">{html.escape(description)} · results: '
        f"{html.escape(str(res.path))} · report made {stamp}</p>{body}"
        f"<footer>green-corridor model (PyPSA + HiGHS). Money in EUR2025; energies are "
        f"totals over the modelled period. Map: Natural Earth (public domain).</footer>"
        f"</main></body></html>"
    )


def write_report(path: Path | str, out: Path | str | None = None, node: str | None = None) -> Path:
    """Write ``report.html`` (default: inside the results folder); returns its path."""
    target = Path(out) if out is not None else Path(load_results(path).path) / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report_html(path, node), encoding="utf-8")
    return target

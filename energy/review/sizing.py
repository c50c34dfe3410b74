"""The sizing sections of a scenario's report: its value curves, near-optimal ranges and
tornado, read from ``<results root>/{value-curve,mga,tornado}/<scenario>/`` when they exist
(the results root being the parent of the run's folder). Reads files only; never solves."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

from energy.results.folder import Results


def image(path: Path, caption: str) -> str:
    """An embedded PNG with its caption, or '' if the file is missing."""
    if not path.is_file():
        return ""
    data = base64.b64encode(path.read_bytes()).decode()
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def table(df: pd.DataFrame, formats: dict[str, str]) -> str:
    """``df`` renamed and formatted column by column (``{column: 'label|format'}``)."""
    out = pd.DataFrame(index=df.index)
    for col, spec in formats.items():
        name, fmt = spec.split("|")
        out[name] = [("–" if pd.isna(v) else fmt.format(v)) for v in df[col]]
    return f'<div class="scroll">{out.to_html(index=False, border=0, escape=True)}</div>'


def about(folder: Path, run_resolution: str | None = None) -> str:
    """'solved at resolution …' from the analysis' ``about.json`` ('' if missing), with a
    warning when it differs from the run's resolution."""
    try:
        facts = json.loads((folder / "about.json").read_text())
    except (OSError, ValueError):
        return ""
    window = facts.get("window")
    span = f"{window['start']} to {window['end']}" if window else "the full year"
    resolution = str(facts.get("resolution"))
    note = (
        f" <b>The run above was solved at {html.escape(str(run_resolution))}: its optimum "
        "differs from this one by the resolution.</b>"
        if run_resolution and run_resolution != resolution
        else ""
    )
    return (
        f"<p class='sub'>Solved at resolution {html.escape(resolution)} over "
        f"{html.escape(span)} ({html.escape(str(facts.get('made', '')))}).{note}</p>"
    )


PERIOD_NOTE = (
    "<p class='sub'>Pathway: the size is the link's capacity in service in this period; money "
    "is discounted over all periods like the objective, marginal values are per discounted "
    "year of the period (docs/sizing.md).</p>"
)


def link_title(folder: Path) -> tuple[str, str]:
    """The link of an analysis folder and, for a pathway's ``<link>/<period>`` folder, the
    note on its units."""
    if folder.name.isdigit():
        return f"{folder.parent.name} in {folder.name}", PERIOD_NOTE
    return folder.name, ""


def analysis_folders(base: Path, filename: str) -> list[Path]:
    """Folders under ``base`` holding ``filename``: ``<link>/`` and ``<link>/<period>/``."""
    found = [f.parent for f in (*base.glob(f"*/{filename}"), *base.glob(f"*/*/{filename}"))]
    return sorted(found)


def value_curve_html(folder: Path, resolution: str | None = None) -> str:
    """Table and plot of one link's value curve."""
    t = pd.read_csv(folder / "value_curve.csv")
    t = t.assign(
        delta_meur=t["delta_eur"] / 1e6,
        utilisation_pct=100 * t["utilisation"],
        marginal_keur=t["marginal_value_eur_per_mw"] / 1e3,
        annuity_keur=t["capex_annuity_eur_per_mw"] / 1e3,
    )
    link, note = link_title(folder)
    return (
        f"<h3>Value curve of {html.escape(link)}</h3>"
        + about(folder, resolution)
        + note
        + image(folder / "value_curve.png", f"{link}: cost above the optimum and break-even price")
        + table(
            t,
            {
                "kind": "case|{}",
                "size_mw": "size [MW]|{:,.0f}",
                "delta_meur": "cost above optimum [M EUR]|{:,.1f}",
                "delta_pct": "cost above optimum [%]|{:.2f}",
                "export_twh": "exports [TWh]|{:,.2f}",
                "utilisation_pct": "utilisation [%]|{:.0f}",
                "annuity_keur": "annuity [k EUR/MW/a]|{:,.0f}",
                "marginal_keur": "marginal value [k EUR/MW/a]|{:,.0f}",
                "break_even_price_eur_per_mwh": "break-even price [EUR/MWh]|{:,.1f}",
            },
        )
        + "<p class='sub'>Each size is fixed at its full capital cost. Marginal value: what one "
        "more MW saves in operation per year (the dual of the fixed size plus the annuity); "
        "a size is optimal where it equals the annuity. Break-even price: the EU first-step "
        "price level at which the size would be optimal, to first order (docs/sizing.md); "
        "none at the link's smallest size, where the dual is not unique.</p>"
    )


def mga_html(folder: Path, resolution: str | None = None) -> str:
    """Table and chart of one link's near-optimal ranges."""
    t = pd.read_csv(folder / "mga.csv").assign(slack_pct=lambda d: 100 * d["slack"])
    link, note = link_title(folder)
    return (
        f"<h3>Near-optimal sizes of {html.escape(link)}</h3>"
        + about(folder, resolution)
        + note
        + image(folder / "mga.png", f"{link}: sizes within each cost slack")
        + table(
            t,
            {
                "slack_pct": "cost slack [%]|+{:g}",
                "min_mw": "smallest [MW]|{:,.0f}",
                "max_mw": "largest [MW]|{:,.0f}",
                "export_at_min_twh": "exports at smallest [TWh]|{:,.2f}",
                "export_at_max_twh": "exports at largest [TWh]|{:,.2f}",
                "status": "status|{}",
            },
        )
    )


def tornado_html(folder: Path, resolution: str | None = None) -> str:
    """Table and chart of the drivers."""
    t = pd.read_csv(folder / "tornado.csv")
    return (
        "<h3>Drivers, one at a time</h3>"
        + about(folder, resolution)
        + image(folder / "tornado.png", "Change of the link's size and of exports per driver")
        + "<details><summary>Every case</summary>"
        + table(
            t.fillna({"label": "", "setting": ""}),
            {
                "label": "driver|{}",
                "side": "at|{}",
                "setting": "setting|{}",
                "link_mw": "link [MW]|{:,.0f}",
                "export_twh": "exports [TWh]|{:,.2f}",
                "delta_objective_eur": "Δ objective [EUR]|{:,.0f}",
                "status": "status|{}",
            },
        )
        + "</details>"
    )


def sizing_html(res: Results) -> str:
    """The 'Sizing' section of a run's report, or '' when no analysis of its scenario exists."""
    if res.path is None:
        return ""
    root = Path(res.path).parent
    resolution = res.metadata.get("resolution")
    parts = []
    for folder in analysis_folders(root / "value-curve" / res.name, "value_curve.csv"):
        parts.append(value_curve_html(folder, resolution))
    for folder in analysis_folders(root / "mga" / res.name, "mga.csv"):
        parts.append(mga_html(folder, resolution))
    if (root / "tornado" / res.name / "tornado.csv").is_file():
        parts.append(tornado_html(root / "tornado" / res.name, resolution))
    return "<h2>Sizing</h2>" + "".join(parts) if parts else ""

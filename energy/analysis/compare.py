"""Results folders side by side: KPIs, capacities and links of two or more runs in one table
each, with the difference of every run to the first (``Δ B``). Written as
``compare_kpis.csv``, ``compare_capacities.csv``, ``compare_links.csv`` and ``compare.html``
(a self-contained page) into ``<results root>/compare/<A>-vs-<B>…/`` unless told otherwise."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import numpy as np
import pandas as pd

from energy.errors import InputError
from energy.paths import results_root
from energy.results.folder import Results, load_results

LINK_VALUES = ("optimal_mw", "flow_forward_twh", "flow_backward_twh", "utilisation")


def load_all(paths: list[str]) -> list[Results]:
    """Load every results folder (a folder or a name under the results root); InputError for
    fewer than two or a folder that is not a run's results."""
    if len(paths) < 2:
        raise InputError(["compare: give two or more results folders"])
    loaded, problems = [], []
    for path in paths:
        try:
            res = load_results(path)
        except FileNotFoundError as err:
            problems.append(f"compare: {err}")
            continue
        if res.is_sweep or "kpis" not in res.tables:
            problems.append(f"compare: {res.path} is not the results folder of one run")
        loaded.append(res)
    if problems:
        raise InputError(problems)
    return loaded


def labels(runs: list[Results]) -> list[str]:
    """One unique column label per run: the scenario name, else the folder name."""
    names = [r.name for r in runs]
    if len(set(names)) < len(names):
        names = [r.path.name if r.path else n for r, n in zip(runs, names)]
    if len(set(names)) < len(names):
        names = [f"{n} ({i + 1})" for i, n in enumerate(names)]
    return names


def side_by_side(frames: list[pd.DataFrame], keys: list[str], names: list[str]) -> pd.DataFrame:
    """Value columns of each run (one per name) joined on ``keys``, then ``Δ name`` = run −
    first run; a row missing in a run counts as 0 for the difference."""
    parts = [
        f.set_index(keys).rename(columns={"value": name})[[name]] for f, name in zip(frames, names)
    ]
    order = list(dict.fromkeys(k for part in parts for k in part.index))  # first run's order
    joined = pd.concat(parts, axis=1).reindex(pd.MultiIndex.from_tuples(order, names=keys))
    for name in names[1:]:
        joined[f"Δ {name}"] = joined[name].fillna(0.0) - joined[names[0]].fillna(0.0)
    return joined.reset_index()


def compare_tables(runs: list[Results]) -> dict[str, pd.DataFrame]:
    """The three comparison tables: ``kpis`` (kpi, unit), ``capacities`` (node, carrier,
    optimal MW), ``links`` (link, quantity)."""
    names = labels(runs)
    kpis = side_by_side([r.kpis for r in runs], ["kpi", "unit"], names)
    caps = side_by_side(
        [r.capacities.rename(columns={"optimal_mw": "value"}) for r in runs],
        ["node", "carrier"],
        names,
    )
    caps = caps[(caps[names].fillna(0.0).abs() > 1e-6).any(axis=1)]
    links = side_by_side(
        [
            r.links.melt(id_vars="link", value_vars=list(LINK_VALUES), var_name="quantity")
            for r in runs
        ],
        ["link", "quantity"],
        names,
    )
    return {"kpis": kpis, "capacities": caps.reset_index(drop=True), "links": links}


def out_folder(names: list[str], out: Path | str | None) -> Path:
    """``out`` or ``<results root>/compare/<A>-vs-<B>…``."""
    if out is not None:
        return Path(out)
    from energy.run.sweep.cases import safe

    return results_root() / "compare" / safe("-vs-".join(names))[:120]


def table_html(table: pd.DataFrame, names: list[str]) -> str:
    """A table with thousands separators; differences coloured (green −, red +) and blank
    where they are zero."""
    deltas = [c for c in table.columns if c.startswith("Δ ")]

    def cell(value: object, column: str) -> str:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f'<td style="text-align:left">{html.escape(str(value))}</td>'
        if np.isnan(value):
            return "<td>–</td>"
        text = f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
        if float(text.replace(",", "")) == 0:  # nothing to show at this precision
            return "<td></td>" if column in deltas else "<td>0</td>"
        if column in deltas:
            color = "#2166ac" if value > 0 else "#b35806"
            return f'<td style="color:{color}">{"+" if value > 0 else ""}{text}</td>'
        return f"<td>{text}</td>"

    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(cell(v, c) for c, v in zip(table.columns, row)) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


LINK_TITLES = {
    "optimal_mw": "capacity [MW]",
    "flow_forward_twh": "sent from → to [TWh]",
    "flow_backward_twh": "sent to → from [TWh]",
    "utilisation": "utilisation [share]",
}


def links_html(links: pd.DataFrame, names: list[str]) -> str:
    """One small table per link quantity, side by side."""
    parts = [
        f"<div><h3>{LINK_TITLES.get(q, q)}</h3>"
        + table_html(group.drop(columns="quantity"), names)
        + "</div>"
        for q, group in links.groupby("quantity", sort=False)
    ]
    return '<div class="row" style="flex-wrap:wrap">' + "".join(parts) + "</div>"


def compare_html(runs: list[Results], tables: dict[str, pd.DataFrame]) -> str:
    """The comparison as one self-contained HTML page."""
    from energy.review.report import CSS

    names = labels(runs)
    sources = "".join(
        f"<li><b>{html.escape(n)}</b>: {html.escape(str(r.path))} — "
        f"{html.escape(str(r.metadata.get('scenario', {}).get('description', '')))} "
        f"(resolution {html.escape(str(r.metadata.get('resolution', '?')))})</li>"
        for n, r in zip(names, runs)
    )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sections = [
        ("Key figures", "kpis", "All KPIs; Δ = run − first run."),
        ("Links", "links", "One table per quantity; Δ = run − first run."),
        ("Capacities", "capacities", "Optimal generation and storage capacity (MW)."),
    ]
    body = "".join(
        f"<h2>{title}</h2><p class='sub'>{note}</p>"
        + (links_html(tables[key], names) if key == "links" else table_html(tables[key], names))
        for title, key, note in sections
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Green corridor – comparison</title><style>{CSS}</style></head><body><main>"
        f"<h1>Green corridor – {html.escape(' vs '.join(names))}</h1>"
        f'<p class="sub">Made {stamp}. Differences are to <b>{html.escape(names[0])}</b>; '
        "blue: higher, orange: lower; blank: no difference at the precision shown.</p>"
        f"<ul>{sources}</ul>{body}"
        "<footer>green-corridor model (PyPSA + HiGHS). Money in EUR2025; energies are totals "
        "over each run's modelled period.</footer></main></body></html>"
    )


def write_compare(
    paths: list[str], out: Path | str | None = None
) -> tuple[dict[str, pd.DataFrame], Path]:
    """Load, compare and write the three CSVs and the page; returns the tables and folder."""
    runs = load_all(paths)
    tables = compare_tables(runs)
    folder = out_folder(labels(runs), out)
    folder.mkdir(parents=True, exist_ok=True)
    for key, table in tables.items():
        table.to_csv(folder / f"compare_{key}.csv", index=False)
    (folder / "compare.html").write_text(compare_html(runs, tables), encoding="utf-8")
    return tables, folder
